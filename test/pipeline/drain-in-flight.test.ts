import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { drainInFlight } from '../../src/pipeline/drain-in-flight.js';

const never = new Promise<void>(() => {});

describe('drainInFlight', () => {
  it('waits as long as the rows in flight take while the run is not asked to stop', async () => {
    const slow = sleep(50).then(() => {});
    expect(await drainInFlight(new Set([slow, Promise.resolve()]), never, 1)).toBe(true);
  });

  it('gives the rows in flight the grace once the run is asked to stop, then says to cut them', async () => {
    const started = Date.now();
    expect(await drainInFlight(new Set([never]), Promise.resolve(), 30)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('finishes without waiting for the grace when the rows finish within it', async () => {
    const started = Date.now();
    expect(await drainInFlight(new Set([sleep(10).then(() => {})]), Promise.resolve(), 10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
