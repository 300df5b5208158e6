/**
 * Faults the simulator can inject, and answers the API document leaves open. All faults are off by
 * default.
 */
export interface FaultOptions {
  /**
   * Fixed delay in ms of every answer, counted from the request's arrival: the request's work (a
   * write included) is done on arrival, and no answer leaves sooner. Default 0.
   */
  latencyMs: number;
  /** Spread of the delay: each request waits latencyMs ± up to this many ms (never below 0). Default 0. */
  latencyJitterMs: number;
  /** Share (0..1) of requests answered 500, 502 or 503, decided on arrival: nothing is written. Default 0. */
  errorRate: number;
  /**
   * Requests admitted per second over a sliding 1 s window; the rest get 429 with `Retry-After`
   * and nothing is written. 0 means no limit. Default 0.
   */
  rateLimit: number;
  /**
   * The next this many requests (from the start, or from setting it) are answered 429 with
   * `Retry-After: 1` and nothing is written: a limit another client of the organization has spent. Default 0.
   */
  rateLimitedFirst: number;
  /**
   * Share (0..1) of requests answered 429 at random, whatever the rate, with `Retry-After:
   * random429RetryAfter`; nothing is written. Not a rate limit: a flaky gateway, or a limiter in
   * front of the API counting something else. Default 0.
   */
  random429Rate: number;
  /** `Retry-After` in whole seconds on the 429s of `random429Rate`; 0 sends `Retry-After: 0` (ask again at once). Default 1. */
  random429RetryAfter: number;
  /** Share (0..1) of successful creates whose socket is destroyed after the customer is stored. Default 0. */
  cutAfterCreateRate: number;
  /**
   * Share (0..1) of successful creates answered 500, 502 or 503 after the customer is stored (a
   * gateway or a late step failing after the write). Default 0.
   */
  errorAfterCreateRate: number;
  /** `Retry-After` in whole seconds on the 503s of `errorRate` and `errorAfterCreateRate`; 0 sends none. Default 0. */
  unavailableRetryAfter: number;
  /** Share (0..1) of requests that are never answered (until the client gives up or close()). Default 0. */
  hangRate: number;
  /**
   * Share (0..1) of answers that stop after their headers and half their body (a proxy that
   * stalls): the request's work is done, a create stored; only the client's body timeout ends it. Default 0.
   */
  stallBodyRate: number;
  /**
   * Status of the answer to a create or update whose username is taken: 409, 400 or 422 (the API
   * document promises none). Default 409.
   */
  conflictStatus: number;
  /**
   * Most customers a `GET /customers` page holds, whatever `take` asks (a server capping pages
   * below the documented 100); 0 means `take` decides. Default 0.
   */
  pageSizeCap: number;
}

const CONFLICT_STATUSES: ReadonlySet<number> = new Set([400, 409, 422]);

/** The faults all switched off. */
export const NO_FAULTS: Readonly<FaultOptions> = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  rateLimit: 0,
  rateLimitedFirst: 0,
  random429Rate: 0,
  random429RetryAfter: 1,
  cutAfterCreateRate: 0,
  errorAfterCreateRate: 0,
  unavailableRetryAfter: 0,
  hangRate: 0,
  stallBodyRate: 0,
  conflictStatus: 409,
  pageSizeCap: 0,
});

/** Merge a partial fault setting into the current one, refusing nonsense values. */
export function mergeFaults(current: FaultOptions, change: Partial<FaultOptions>): FaultOptions {
  const next = { ...current };
  for (const [name, value] of Object.entries(change) as [keyof FaultOptions, number | undefined][]) {
    if (value === undefined) continue;
    if (!(name in NO_FAULTS)) throw new TypeError(`unknown fault option "${name}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`fault option ${name} must be a finite number ≥ 0, got ${String(value)}`);
    }
    if (name.endsWith('Rate') && value > 1) throw new RangeError(`fault option ${name} must be within 0..1`);
    if (name === 'conflictStatus' && !CONFLICT_STATUSES.has(value)) {
      throw new RangeError(`fault option conflictStatus must be 400, 409 or 422, got ${value}`);
    }
    next[name] = value;
  }
  return next;
}

/**
 * A sliding-window limiter: at most `limit` admissions within any 1000 ms. A limit with a fraction
 * admits its whole part (at least one) per `1000 × whole / limit` ms, so that 2.5 admits 2 per 800 ms
 * and 0.5 one per 2 s: `limit` a second either way. Keeps the times of the last admissions in a
 * ring: O(1) per check.
 */
export class SlidingWindowLimiter {
  readonly #times: number[];
  readonly #windowMs: number;
  #next = 0;

  constructor(readonly limit: number) {
    const slots = Math.max(1, Math.floor(limit));
    this.#windowMs = (1000 * slots) / limit;
    this.#times = new Array<number>(slots).fill(Number.NEGATIVE_INFINITY);
  }

  /** Admit now, or return the whole seconds (≥ 1) until a slot frees up. */
  tryAdmit(now: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    const oldest = this.#times[this.#next]!;
    if (now - oldest >= this.#windowMs) {
      this.#times[this.#next] = now;
      this.#next = (this.#next + 1) % this.#times.length;
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.#windowMs - now) / 1000)) };
  }
}
