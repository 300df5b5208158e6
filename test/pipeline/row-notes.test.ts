import { describe, expect, it } from 'vitest';
import { archivedNote } from '../../src/pipeline/row-notes.js';
import { inTimeZone } from '../time-zone.js';

describe('archivedNote', () => {
  it("gives the day the API archived the customer on, in the API's UTC whatever the machine's zone", () => {
    inTimeZone('America/Mexico_City');
    expect(archivedNote('2025-01-31T20:00:00.000Z')).toMatch(/^archived in Quentli since 2025-01-31: /);
    // Without a zone, as a naive timestamp serializes: UTC too, not 02:00 UTC the next day.
    expect(archivedNote('2025-01-31T20:00:00')).toMatch(/^archived in Quentli since 2025-01-31: /);
    expect(archivedNote('2025-01-31 20:00:00.000')).toMatch(/^archived in Quentli since 2025-01-31: /);
    // What names no instant is shown as the API wrote it.
    expect(archivedNote('ayer')).toMatch(/^archived in Quentli since ayer: /);
  });
});
