import { describe, expect, it } from 'vitest';
import { Throttle } from '../../src/send/throttle.js';

describe('Throttle', () => {
  it('on a 429 pauses everyone for Retry-After and halves the concurrency; successes win it back one by one', async () => {
    let now = 10_000;
    const changes: number[] = [];
    const throttle = new Throttle({ maxConcurrency: 8, onConcurrencyChange: (c) => changes.push(c), now: () => now });
    for (let i = 0; i < 20; i++) throttle.succeeded();
    throttle.rateLimited(1000);
    throttle.rateLimited(1000); // the same burst: one signal
    expect(changes).toEqual([4]);
    // Paused: ready() waits until the clock passes the pause.
    let ready = false;
    const waiting = throttle.ready().then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ready).toBe(false);
    now += 1000;
    await waiting;
    expect(ready).toBe(true);
    for (let i = 0; i < 4; i++) throttle.succeeded();
    expect(changes).toEqual([4, 5]);
    for (let i = 0; i < 5 + 6 + 7; i++) throttle.succeeded();
    expect(changes).toEqual([4, 5, 6, 7, 8]);
    for (let i = 0; i < 50; i++) throttle.succeeded();
    expect(changes.at(-1)).toBe(8); // never above the maximum
  });

  it('paces request starts below the rate that drew the 429', async () => {
    const throttle = new Throttle({ maxConcurrency: 32, onConcurrencyChange: () => {} });
    for (let i = 0; i < 100; i++) throttle.succeeded(); // 100 answered within the last second
    throttle.rateLimited(1);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await throttle.ready();
    // Paced just under 100 a second: six starts span at least five gaps of about 10.5 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('learns no pace from a 429 after a quiet second (the key check, a limit another client spent)', async () => {
    const throttle = new Throttle({ maxConcurrency: 8, onConcurrencyChange: () => {} });
    throttle.succeeded(); // the key check
    throttle.rateLimited(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    for (let i = 0; i < 20; i++) await throttle.ready();
    // Paced at the 1/s such a second reads, twenty starts would take 19 s.
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('refuses at once, naming the Retry-After, a start that a pause pushes past the deadline', async () => {
    const throttle = new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} });
    throttle.rateLimited(30_000);
    const started = Date.now();
    const reason = await throttle.ready(Date.now() + 5_000);
    expect(Date.now() - started).toBeLessThan(100);
    expect(reason).toMatch(/^requests are paused for another (29\.\d|30) s \(Retry-After: 30 s\), longer than the (4\.\d|5) s left/);
    // A pause within the deadline is waited out.
    const short = new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} });
    short.pause(50);
    expect(await short.ready(Date.now() + 5_000)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('stop() wakes a ready() paused for an hour at once', async () => {
    const throttle = new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} });
    throttle.rateLimited(3_600_000);
    const started = Date.now();
    const waiting = throttle.ready();
    setTimeout(() => throttle.stop(), 20);
    await waiting;
    expect(Date.now() - started).toBeLessThan(500);
    expect(await throttle.ready()).toBeUndefined(); // and later calls do not wait
  });

  it('lets any number of rows wait out a pause without a listener warning on stderr', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const throttle = new Throttle({ maxConcurrency: 32, onConcurrencyChange: () => {} });
      throttle.pause(60_000);
      const waiting = Array.from({ length: 32 }, () => throttle.ready());
      await new Promise((resolve) => setTimeout(resolve, 20));
      throttle.stop();
      await Promise.all(waiting);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });
});
