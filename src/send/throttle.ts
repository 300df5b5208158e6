import { setMaxListeners } from 'node:events';

/** How the pool reacts to the API's pushback. */
export interface ThrottleOptions {
  /** The most requests in flight, never exceeded. */
  maxConcurrency: number;
  /** Called when the allowed concurrency changes, so the pool can follow. */
  onConcurrencyChange: (concurrency: number) => void;
  now?: () => number;
}

const BUCKET_MS = 100;
const BUCKETS = 10; // ten buckets of 100 ms: successes over the last second, at O(1) a request
const PROBE_EVERY_MS = 5000;
/** Pace increase per probe: small, since a probe past the limit costs a whole `Retry-After` pause. */
const PROBE_STEP = 1.01;
/** Pace decrease on a 429 once pacing: the limit is close, and a pause already paid for the overshoot. */
const PACED_BACKOFF = 0.97;
/**
 * Fewest answers in the second before a 429 from which a pace is learned. Fewer say nothing about a
 * rate limit (the key check's 429, a limit another client spent, a second of timeouts), and a pace
 * learned from them held a run near 1 request/s, climbing 1% every 5 s.
 */
const MIN_ANSWERS_TO_PACE = 5;

/**
 * The pool-wide brake. A 429 pauses every sender until its `Retry-After` has passed, halves the
 * allowed concurrency (then +1 for every `concurrency` successes: additive increase, multiplicative
 * decrease) and, because a fast API can exceed a rate limit with a single connection, starts pacing
 * request starts at a little under the rate that was being achieved, probing upward slowly.
 * A pool of 32 retrying each 429 on its own drew a 429 on 22% of its attempts (FACTS.md); this stays near none.
 */
export class Throttle {
  private pausedUntil = 0;
  /** The `Retry-After` behind the current pause, for the message of a row that cannot wait it out. */
  private pauseRetryAfterMs: number | undefined;
  /** Every sleep listens on it: any number of them (Node would warn on stderr past ten, as at --concurrency 16 in a pause). */
  private readonly stopping = new AbortController();
  private concurrency: number;
  private successesSinceIncrease = 0;
  private ratePerSecond = Infinity;
  private nextStartAt = 0;
  private lastRateChange = 0;
  private readonly successBuckets = new Array<number>(BUCKETS).fill(0);
  private bucketEpoch = 0;
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions) {
    this.concurrency = options.maxConcurrency;
    this.now = options.now ?? Date.now;
    setMaxListeners(0, this.stopping.signal);
  }

  /**
   * Waits until a request may start: after any pause, and at the paced rate once one was learned.
   * Resolves `undefined` when it may start, or, without waiting any longer, a reason why it could
   * not start by `deadline` (ms since the epoch; default: no deadline). After `stop()` it resolves
   * at once and the caller decides.
   */
  async ready(deadline = Infinity): Promise<string | undefined> {
    for (;;) {
      if (this.stopping.signal.aborted) return undefined;
      const now = this.now();
      if (now < this.pausedUntil) {
        if (this.pausedUntil > deadline) return this.pauseReason(now, deadline);
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.ratePerSecond === Infinity) return undefined;
      this.probe(now);
      const startAt = Math.max(now, this.nextStartAt);
      if (startAt > deadline) {
        return `the pace the API's rate limit allows would start it in ${seconds(startAt - now)}, past the ${seconds(Math.max(0, deadline - now))} left of the retry wait (--max-retry-wait)`;
      }
      this.nextStartAt = startAt + 1000 / this.ratePerSecond;
      if (startAt > now) await this.sleep(startAt - now);
      if (this.now() >= this.pausedUntil) return undefined;
    }
  }

  /** Wakes every waiting `ready()` and `sleep()` at once, and makes later ones return at once: the run is stopping. */
  stop(): void {
    this.stopping.abort();
  }

  /**
   * Pauses every sender for `ms` (a 503's `Retry-After`: the service says when it will be back),
   * leaving concurrency and pace as they are.
   */
  pause(ms: number): void {
    this.extendPause(ms, ms);
  }

  /** A request was answered with something other than 429. */
  succeeded(): void {
    this.advanceBuckets(this.now());
    this.successBuckets[this.bucketEpoch % BUCKETS]!++;
    if (this.concurrency < this.options.maxConcurrency && ++this.successesSinceIncrease >= this.concurrency) {
      this.successesSinceIncrease = 0;
      this.setConcurrency(this.concurrency + 1);
    }
  }

  /** A 429 arrived: pause everyone, halve concurrency, pace below the rate that drew it. */
  rateLimited(retryAfterMs: number | undefined): void {
    const now = this.now();
    const alreadyPaused = now < this.pausedUntil;
    this.extendPause(retryAfterMs ?? 1000, retryAfterMs);
    if (alreadyPaused) return; // one burst of 429s is one signal, not many
    this.setConcurrency(Math.max(1, Math.floor(this.concurrency / 2)));
    this.advanceBuckets(now);
    const achieved = this.successBuckets.reduce((sum, count) => sum + count, 0);
    // The first 429 after a busy second learns the pace from what was admitted in it; after a quiet
    // one the pause and the halved concurrency are the only brake. Later ones only trim the pace:
    // that second then includes the pause itself, so it reads low (it took a 100/s limit down to
    // 79/s within 20 s in the bench's rate-limit scenario).
    if (this.ratePerSecond === Infinity) {
      if (achieved < MIN_ANSWERS_TO_PACE) return;
      this.ratePerSecond = achieved * 0.95;
    } else this.ratePerSecond = Math.max(1, this.ratePerSecond * PACED_BACKOFF);
    this.lastRateChange = now;
    this.nextStartAt = this.pausedUntil;
  }

  /** Pauses everyone `ms` from now, unless a longer pause is on; `retryAfterMs` is what the API asked, for messages. */
  private extendPause(ms: number, retryAfterMs: number | undefined): void {
    const until = this.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.pauseRetryAfterMs = retryAfterMs;
  }

  private pauseReason(now: number, deadline: number): string {
    const asked = this.pauseRetryAfterMs === undefined ? 'after a 429 without Retry-After' : `Retry-After: ${seconds(this.pauseRetryAfterMs)}`;
    return `requests are paused for another ${seconds(this.pausedUntil - now)} (${asked}), longer than the ${seconds(Math.max(0, deadline - now))} left of the retry wait (--max-retry-wait)`;
  }

  /** A sleep that `stop()` cuts short (the senders' backoffs sleep here too). */
  sleep(ms: number): Promise<void> {
    return sleep(ms, this.stopping.signal);
  }

  private advanceBuckets(now: number): void {
    const epoch = Math.floor(now / BUCKET_MS);
    if (epoch === this.bucketEpoch) return;
    const stale = Math.min(BUCKETS, epoch - this.bucketEpoch);
    for (let i = 1; i <= stale; i++) this.successBuckets[(this.bucketEpoch + i) % BUCKETS] = 0;
    this.bucketEpoch = epoch;
  }

  private probe(now: number): void {
    if (now - this.lastRateChange >= PROBE_EVERY_MS) {
      this.ratePerSecond *= PROBE_STEP;
      this.lastRateChange = now;
    }
  }

  private setConcurrency(concurrency: number): void {
    if (concurrency === this.concurrency) return;
    this.concurrency = concurrency;
    this.successesSinceIncrease = 0;
    this.options.onConcurrencyChange(concurrency);
  }
}

/** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A duration for a message: `4.2 s`, `30 s`, `3600 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 9.95 ? Math.round(s) : Number(s.toFixed(1))} s`;
}
