import { describe, expect, it } from 'vitest';
import { Throttle } from '../../src/send/throttle.js';

/** A throttle on a clock the test moves. */
function onClock(): { throttle: Throttle; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { clock, throttle: new Throttle({ maxConcurrency: 32, onConcurrencyChange: () => {}, now: () => clock.now }) };
}

/**
 * The pool getting `perSecond` answers a second for `ms` as the clock moves. With `starting`, each
 * request first asks ready(), which is where a pace is probed; the rate must then stay under the
 * pace, or ready() would wait in real time.
 */
async function answers(on: { throttle: Throttle; clock: { now: number } }, ms: number, perSecond: number, starting = false): Promise<void> {
  const gap = 1000 / perSecond;
  for (let elapsed = gap; elapsed <= ms + 1e-6; elapsed += gap) {
    on.clock.now += gap;
    if (starting) expect(await on.throttle.ready()).toBeUndefined();
    on.throttle.succeeded();
  }
}

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
    // The requests in flight refused with it: a burst, a limit (a lone 429 this early may be chance, below).
    for (let i = 0; i < 3; i++) throttle.rateLimited(20); // within one pause
    await throttle.sleep(25);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await throttle.ready();
    // Paced just under 100 a second: six starts span at least five gaps of about 10.5 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('learns no pace from a lone 429 within the first second of answers, only from a burst there: 5 answers in 50 ms are no limit of 4.75/s', async () => {
    const on = onClock();
    await answers(on, 50, 111); // the pool's first answers, at full speed
    on.throttle.rateLimited(1000); // a gateway's random 1%
    expect(on.throttle.pace).toBeUndefined();
    const limited = onClock();
    await answers(limited, 50, 111);
    for (let i = 0; i < 3; i++) limited.throttle.rateLimited(1000); // the requests in flight refused with it: a limit
    expect(limited.throttle.pace).toBeCloseTo(5 * 0.95, 6);
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

  it('lengthens the pause of 429s in a row that ask for none (Retry-After: 0), from the third: an API refusing everything is not asked again at once for minutes', async () => {
    const on = onClock();
    const pauses: string[] = [];
    for (let refusal = 0; refusal < 8; refusal++) {
      on.throttle.rateLimited(0);
      // The deadline is now: a pause says how long it is, none lets the request start.
      pauses.push((await on.throttle.ready(on.clock.now)) ?? 'none');
      on.clock.now += 10_000;
    }
    expect(pauses.map((reason) => /paused for another ([\d.]+ s)/.exec(reason)?.[1] ?? reason)).toEqual(['none', 'none', '0.5 s', '1 s', '2 s', '4 s', '8 s', '8 s']);
    expect(pauses[2]).toContain('(after 3 429s in a row)');
    // An answer during the pause (a request in flight) starts the count again, not the pause, which still says why it is so long.
    on.throttle.rateLimited(0);
    on.throttle.succeeded();
    expect(await on.throttle.ready(on.clock.now)).toContain('(after 9 429s in a row)');
    on.clock.now += 10_000;
    // Any other answer between them: a Retry-After: 0 is taken at its word again.
    on.throttle.succeeded();
    on.throttle.rateLimited(0);
    expect(await on.throttle.ready(on.clock.now)).toBeUndefined();
    // A Retry-After longer than the least pause is the one waited, and named.
    for (let refusal = 0; refusal < 4; refusal++) {
      on.clock.now += 10_000;
      on.throttle.rateLimited(3000);
    }
    expect(await on.throttle.ready(on.clock.now)).toMatch(/paused for another 3 s \(Retry-After: 3 s\)/);
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

  it('429s now and then at a pace that had held do not lower it: chance, not a limit, costs only its pause', async () => {
    // A gateway answering a random share 429 (Retry-After: 1) while the pool runs at 60/s, below the
    // pace it learned. Trimming the pace 3% on each took a 56 rows/s import to 13 in 10 minutes.
    const on = onClock();
    await answers(on, 1000, 100);
    on.throttle.rateLimited(1000);
    expect(on.throttle.pace).toBeGreaterThan(80);
    for (let i = 0; i < 24; i++) {
      on.clock.now += 1000; // the pause
      await answers(on, 4000, 60);
      on.throttle.rateLimited(1000);
      // Dropped, or learned afresh from the 60/s the pool ran at: never ratcheted below it.
      expect(on.throttle.pace ?? Infinity).toBeGreaterThanOrEqual(0.85 * 60);
    }
  });

  it('a limit reached still paces: learned from a burst of 429s, trimmed by one just after a probe or, near it, at a pace that had held; a drop it then refuses at once is taken back', async () => {
    const on = onClock();
    await answers(on, 1000, 100);
    on.throttle.rateLimited(1000);
    on.throttle.rateLimited(1000); // the pool refused at once: a limit
    on.throttle.rateLimited(1000);
    const learned = on.throttle.pace!;
    expect(learned).toBeGreaterThan(80);
    on.clock.now += 1000;
    // Running just under the pace it binds, so 5 s after it was learned it is probed 1% up.
    await answers(on, 4500, learned * 0.97, true);
    expect(on.throttle.pace).toBeCloseTo(learned * 1.01, 6);
    on.throttle.rateLimited(1000); // within a second of the probe: it passed the limit
    expect(on.throttle.pace).toBeCloseTo(learned * 1.01 * 0.97, 6);
    on.clock.now += 1000;
    await answers(on, 3000, learned * 0.9, true);
    on.throttle.rateLimited(1000); // at a pace that had held, but a limit was seen lately: keep a margin
    expect(on.throttle.pace).toBeCloseTo(learned * 1.01 * 0.97 * 0.97, 6);
    // A minute on without a sign of the limit, such a 429 is chance: the pace is dropped...
    on.clock.now += 1000;
    await answers(on, 61_000, learned * 0.9);
    on.throttle.rateLimited(1000);
    expect(on.throttle.pace).toBeUndefined();
    // ...unless the pool, no longer paced, is then refused at once at about that pace: the limit was there.
    on.clock.now += 1000;
    await answers(on, 800, learned * 1.2); // faster than the limit, refused 0.8 s after the pause
    for (let i = 0; i < 3; i++) on.throttle.rateLimited(1000);
    expect(on.throttle.pace).toBeGreaterThan(learned * 0.85);
  });

  it('429s soon after pauses at agreeing counts are a limit that moved below the pace; at scattered counts, chance', async () => {
    const limit = onClock();
    await answers(limit, 1000, 100);
    limit.throttle.rateLimited(1000);
    const learned = limit.throttle.pace!;
    for (let i = 0; i < 4; i++) {
      limit.clock.now += 1000;
      expect(limit.throttle.pace).toBe(learned); // one such 429 says nothing yet
      await answers(limit, 500, 80); // 40 in, then refused, after every pause
      limit.throttle.rateLimited(1000);
    }
    expect(limit.throttle.pace).toBeCloseTo(0.95 * 40, 0);

    const chance = onClock();
    await answers(chance, 1000, 100);
    chance.throttle.rateLimited(1000);
    for (const ms of [100, 500, 200, 800, 300]) {
      chance.clock.now += 1000;
      await answers(chance, ms, 80);
      chance.throttle.rateLimited(1000);
    }
    expect(chance.throttle.pace).toBe(learned);
  });

  it('learns no pace from a second with a pause in it, which reads low', async () => {
    const on = onClock();
    on.throttle.rateLimited(1000); // the key check's: no pace
    on.clock.now += 1000;
    await answers(on, 300, 100);
    on.throttle.rateLimited(1000); // 30 answers since the pause: not what the pool can do
    expect(on.throttle.pace).toBeUndefined();
    on.clock.now += 1000;
    await answers(on, 2000, 100);
    on.throttle.rateLimited(1000); // a whole second of answers
    expect(on.throttle.pace).toBeGreaterThan(85);
  });

  it('sleeps a wait longer than the longest Node timer (a retry limit of 40 days in ms) instead of waking at once with a warning on stderr', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const throttle = new Throttle({ maxConcurrency: 1, onConcurrencyChange: () => {} });
      let woke = false;
      const sleeping = throttle.sleep(40 * 24 * 3_600_000).then(() => (woke = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(woke).toBe(false);
      throttle.stop(); // and stop() still cuts it short
      await sleeping;
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
