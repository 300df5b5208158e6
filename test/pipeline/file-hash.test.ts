import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityOf, writtenInPlaceSince } from '../../src/pipeline/file-hash.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('writtenInPlaceSince', () => {
  const dir = temporaryFolder('file-hash-');

  it('is true for a file written to in place, not for one untouched, replaced or deleted', async () => {
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre\nAna\n');
    const at = identityOf(statSync(file));
    expect(await writtenInPlaceSince(file, at)).toBe(false);
    expect(await writtenInPlaceSince(file, undefined)).toBe(false);
    appendFileSync(file, 'Beto\n');
    expect(await writtenInPlaceSince(file, at)).toBe(true);
    // An exporter that renames its finished file over the old one: the file read was whole.
    const next = join(dir, 'next.csv');
    writeFileSync(next, 'Nombre\nAna\nBeto\nCarla\n');
    renameSync(next, file);
    expect(await writtenInPlaceSince(file, at)).toBe(false);
    expect(await writtenInPlaceSince(join(dir, 'gone.csv'), at)).toBe(false);
  });
});
