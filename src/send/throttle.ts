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
/** A pace is probed only while it binds: the unpaused part of the last second ran at least this share of it. */
const BINDING = 0.9;
/** Pace decrease on a 429 that a limit explains: the limit is close, and a pause already paid for the overshoot. */
const PACED_BACKOFF = 0.97;
/**
 * Fewest answers in the second before a 429 from which a pace is learned. Fewer say nothing about a
 * rate limit (the key check's 429, a limit another client spent, a second of timeouts), and a pace
 * learned from them held a run near 1 request/s, climbing 1% every 5 s.
 */
const MIN_ANSWERS_TO_PACE = 5;
/**
 * How soon a limit refuses a rate past it. Limits count requests over a second, so one refuses
 * within about a second of the pace rising past it (or of the pool coming back from a pause); half
 * a second more leaves room for latency. A 429 later than that came at a pace that had held.
 */
const SETTLE_MS = 1500;
/** A pause at least this long empties the second a limit counts: what the pool then gets in is what the limit allows. */
const EMPTYING_PAUSE_MS = 900;
/** This many 429s in a row soon after such pauses, at counts this close, are a limit refusing at that count (chance varies). */
const AGREEING_COUNTS = 4;
const AGREEMENT = 1.15;
/** This many 429s answered within one pause: the pool was refused at once, which chance seldom does. */
const BURST_OF_A_LIMIT = 3;
/** After a 429 at a pace that had held, for this long a 429 just after a probe is not taken for a sign of the limit either. */
const CHANCE_MEMORY_MS = 30_000;
/** After a sign of a limit, for this long a 429 at a pace that had held trims the pace instead of dropping it: the limit is near. */
const LIMIT_MEMORY_MS = 60_000;
/** A limit wrongly taken for chance refuses the pool, no longer paced, within this long of the drop (its pause included). */
const AFTER_DROP_MS = 5000;
/**
 * The least pause after the nth 429 in a row that began a pause, no other answer between: none for
 * the first two (a `Retry-After: 0` is taken at its word), then 0.5 s doubling up to 8 s. An API that
 * answered every request 429 with `Retry-After: 0` was asked again 126 times a second for the
 * whole --max-retry-wait (2,500 requests in 20 s); a gateway's random 429s seldom come twice in a row.
 */
function refusalsInARowPause(refusals: number): number {
  return refusals < 3 ? 0 : Math.min(8000, 500 * 2 ** (refusals - 3));
}

/** What the API asked for, as a pause's cause says it. */
function asked(retryAfterMs: number | undefined): string {
  return retryAfterMs === undefined ? 'after a 429 without Retry-After' : `Retry-After: ${seconds(retryAfterMs)}`;
}

/** The second before a 429: successes answered in it, their rate over its unpaused part, and whether a pause fell in it. */
interface LastSecond {
  count: number;
  rate: number;
  paused: boolean;
}

/**
 * The pool-wide brake. A 429 pauses every sender until its `Retry-After` has passed and halves the
 * allowed concurrency (then +1 for every `concurrency` successes: additive increase, multiplicative
 * decrease). Because a fast API can exceed a rate limit with a single connection, it also paces
 * request starts at a little under the rate that drew the first 429, probing upward 1% every 5 s.
 * A pool of 32 retrying each 429 on its own drew a 429 on 22% of its attempts (FACTS.md); this stays near none.
 *
 * Not every 429 is a limit reached: against a gateway answering a random 1% of requests 429, an
 * import whose every 429 trimmed the pace fell from 56 to 13 rows/s in 10 minutes. A limit counted
 * over a second refuses soon after the rate passes it, and at the same count each time; chance
 * refuses at any time. So the pace is trimmed only by a 429 that comes just after a probe raised
 * it, or while signs of a limit are recent (a burst of 429s, 429s after pauses at agreeing counts).
 * Any other 429 came at a pace that had held: it drops the pace, and the next 429 learns it afresh
 * (a burst of 429s at about the dropped pace right after takes the drop back). Such 429s cost their
 * pause and nothing more: an import against 1% of random 429s now holds its rate (45 rows/s over 6
 * minutes, where it fell from 42 to 11), and a 100/s limit is held as before.
 */
export class Throttle {
  private pausedUntil = 0;
  /**
   * What set the current pause (`Retry-After: 30 s`, `after 4 429s in a row`), for the message of a
   * row that cannot wait it out; fixed with the pause, which an answer during it does not end.
   */
  private pauseCause = '';
  /** 429s that began a pause since the last other answer; past two, they lengthen the pause (see refusalsInARowPause). */
  private refusalsInARow = 0;
  /** Every sleep listens on it: any number of them (Node would warn on stderr past ten, as at --concurrency 16 in a pause). */
  private readonly stopping = new AbortController();
  private concurrency: number;
  private successesSinceIncrease = 0;
  /** When the current (or last) pause began. */
  private pauseStartedAt = 0;
  private ratePerSecond = Infinity;
  private nextStartAt = 0;
  private lastRateChange = 0;
  /** When a probe last raised the pace: a 429 within SETTLE_MS of it may be the limit. */
  private lastRaiseAt = -Infinity;
  /** 429s answered within the current pause, the one that began it included, and the successes in the second before that one. */
  private burst = 0;
  private countAtPause = 0;
  /** The first 429 came within the first second of answers: a pace is learned from it only once a burst shows a limit. */
  private paceOnBurst = false;
  /** When the first answer other than a 429 came. */
  private firstAnswerAt = Infinity;
  /** The pace last dropped after a 429 at a pace that had held, and when. */
  private droppedPace = Infinity;
  private droppedAt = -Infinity;
  /** Successes in the second before each of the last 429s that came soon after a pause that emptied a limit's second. */
  private countsAfterPause: number[] = [];
  /** The last sign of a limit (a burst, agreeing counts, a 429 just after a probe), and the last 429 at a pace that had held. */
  private limitSeenAt = -Infinity;
  private chanceSeenAt = -Infinity;
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
    this.extendPause(ms, asked(ms));
  }

  /** A request was answered with something other than 429. */
  succeeded(): void {
    const now = this.now();
    this.refusalsInARow = 0;
    if (this.firstAnswerAt === Infinity) this.firstAnswerAt = now;
    this.advanceBuckets(now);
    this.successBuckets[this.bucketEpoch % BUCKETS]!++;
    if (this.concurrency < this.options.maxConcurrency && ++this.successesSinceIncrease >= this.concurrency) {
      this.successesSinceIncrease = 0;
      this.setConcurrency(this.concurrency + 1);
    }
  }

  /**
   * The pace request starts are held to, in requests per second; undefined while the pool is not
   * paced (no 429 yet, or the last one said nothing about a limit).
   */
  get pace(): number | undefined {
    return this.ratePerSecond === Infinity ? undefined : this.ratePerSecond;
  }

  /** A 429 arrived: pause everyone and halve concurrency, then judge whether a limit was reached and pace for it. */
  rateLimited(retryAfterMs: number | undefined): void {
    const now = this.now();
    if (now < this.pausedUntil) {
      // One burst of 429s is one signal, not many; but a burst of several is a limit.
      this.extendPause(retryAfterMs ?? 1000, asked(retryAfterMs));
      if (++this.burst === BURST_OF_A_LIMIT) {
        this.limitSeen(now);
        if (this.paceOnBurst && this.ratePerSecond === Infinity) this.setPace(now, this.countAtPause * 0.95);
        // Refused at once just after a pace was dropped, at about that pace: the limit was there after all.
        const justDropped = now - this.droppedAt < AFTER_DROP_MS && this.countAtPause >= 0.9 * this.droppedPace;
        if (this.ratePerSecond === Infinity && justDropped) this.setPace(now, this.countAtPause * 0.95);
      }
      return;
    }
    const lastPause = { start: this.pauseStartedAt, end: this.pausedUntil };
    const second = this.lastSecond(now);
    const askedMs = retryAfterMs ?? 1000;
    const least = refusalsInARowPause(++this.refusalsInARow);
    this.extendPause(Math.max(askedMs, least), least > askedMs ? `after ${this.refusalsInARow} 429s in a row` : asked(retryAfterMs));
    this.burst = 1;
    this.paceOnBurst = false;
    this.countAtPause = second.count;
    this.setConcurrency(Math.max(1, Math.floor(this.concurrency / 2)));
    this.judge(now, second, lastPause);
  }

  private judge(now: number, second: LastSecond, lastPause: { start: number; end: number }): void {
    // Soon after a pause that emptied a limit's second, the count is what a limit let in: a limit
    // refuses at about the same count each time, chance at any count.
    const afterPause = lastPause.end - lastPause.start >= EMPTYING_PAUSE_MS && now - lastPause.end < SETTLE_MS;
    if (afterPause) {
      this.countsAfterPause.push(second.count);
      if (this.countsAfterPause.length > AGREEING_COUNTS) this.countsAfterPause.shift();
      const low = Math.min(...this.countsAfterPause);
      const high = Math.max(...this.countsAfterPause);
      if (this.countsAfterPause.length === AGREEING_COUNTS && low >= MIN_ANSWERS_TO_PACE && high <= low * AGREEMENT) {
        this.countsAfterPause = [];
        this.limitSeen(now);
        this.setPace(now, Math.min(this.ratePerSecond * PACED_BACKOFF, high * 0.95));
        return;
      }
    } else this.countsAfterPause = [];
    if (this.ratePerSecond === Infinity) {
      // The first 429 after a busy second learns the pace from what was admitted in it. After a quiet
      // one the pause and the halved concurrency are the only brake; a second with a pause in it
      // reads low, so those teach a pace only through agreeing counts (above).
      if (second.count >= MIN_ANSWERS_TO_PACE && !second.paused) {
        // Within the first second of answers the count is of a part of one: a lone 429 there (a
        // gateway's random 1%) set 5 answers in 45 ms as a pace of 4.75/s, and the run crawled for a
        // minute. A limit refuses the requests in flight with it, in a burst: that burst sets the pace.
        if (Math.floor(this.firstAnswerAt / BUCKET_MS) > this.bucketEpoch - (BUCKETS - 1)) this.paceOnBurst = true;
        else this.setPace(now, second.count * 0.95);
      }
      return;
    }
    if (afterPause) return; // one such count says nothing yet: the next ones agree with it or not
    if (now - this.lastRaiseAt < SETTLE_MS) {
      // Just after a probe, which may have passed the limit; unless 429s came lately at paces that had held.
      if (now - this.chanceSeenAt < CHANCE_MEMORY_MS) return;
      this.limitSeen(now);
      this.setPace(now, this.ratePerSecond * PACED_BACKOFF);
      return;
    }
    // The pace had held, so a limit at it would have refused sooner: chance, or the pool's own jitter
    // bunching requests. Near a limit seen lately keep a margin; otherwise drop the pace, and let the
    // next 429 learn it afresh from what the pool achieves by then. Either way it is remembered, so
    // that 429s just after probes stop renewing the signs of a limit while chance is about.
    this.chanceSeenAt = now;
    if (now - this.limitSeenAt < LIMIT_MEMORY_MS) this.setPace(now, this.ratePerSecond * PACED_BACKOFF);
    else {
      this.droppedPace = this.ratePerSecond;
      this.droppedAt = now;
      this.ratePerSecond = Infinity;
    }
  }

  private limitSeen(now: number): void {
    this.limitSeenAt = now;
    this.chanceSeenAt = -Infinity;
  }

  private setPace(now: number, ratePerSecond: number): void {
    this.ratePerSecond = Math.max(1, ratePerSecond);
    this.lastRateChange = now;
    this.lastRaiseAt = -Infinity;
    this.nextStartAt = this.pausedUntil;
  }

  /** Successes over the last second, and their rate over the part of it that was not paused. */
  private lastSecond(now: number): LastSecond {
    this.advanceBuckets(now);
    const count = this.successBuckets.reduce((sum, n) => sum + n, 0);
    const from = (this.bucketEpoch - BUCKETS + 1) * BUCKET_MS;
    const paused = Math.max(0, Math.min(now, this.pausedUntil) - Math.max(from, this.pauseStartedAt));
    return { count, rate: (count * 1000) / Math.max(BUCKET_MS, now - from - paused), paused: paused > 0 };
  }

  /** Pauses everyone `ms` from now, unless a longer pause is on; `cause` says why, for messages. */
  private extendPause(ms: number, cause: string): void {
    const now = this.now();
    const until = now + ms;
    if (until <= this.pausedUntil) return;
    if (now >= this.pausedUntil) {
      this.pauseStartedAt = now;
      this.burst = 0;
    }
    this.pausedUntil = until;
    this.pauseCause = cause;
  }

  private pauseReason(now: number, deadline: number): string {
    return `requests are paused for another ${seconds(this.pausedUntil - now)} (${this.pauseCause}), longer than the ${seconds(Math.max(0, deadline - now))} left of the retry wait (--max-retry-wait)`;
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
    if (now - this.lastRateChange < PROBE_EVERY_MS) return;
    this.lastRateChange = now;
    // A pace the pool does not reach says nothing when raised, and would drift far above any limit.
    if (this.lastSecond(now).rate < BINDING * this.ratePerSecond) return;
    this.ratePerSecond *= PROBE_STEP;
    this.lastRaiseAt = now;
  }

  private setConcurrency(concurrency: number): void {
    if (concurrency === this.concurrency) return;
    this.concurrency = concurrency;
    this.successesSinceIncrease = 0;
    this.options.onConcurrencyChange(concurrency);
  }
}

/**
 * The longest a Node timer waits (about 24.8 days): a longer one is set to 1 ms, with a
 * TimeoutOverflowWarning on the host's stderr. A retry wait a program gives in ms can exceed it.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` milliseconds, at most `LONGEST_TIMER_MS` (a pause still running then is
 * waited for again by `ready()`), or at once when `signal` aborts (never rejects).
 */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, LONGEST_TIMER_MS));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A duration for a message: `4.2 s`, `30 s`, `3600 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 9.95 ? Math.round(s) : Number(s.toFixed(1))} s`;
}
