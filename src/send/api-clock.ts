import type { Customer } from './customer.js';
import { apiInstant } from './customer-diff.js';

/**
 * How far the API's clock may run behind ours, beyond what its `Date` header shows, when its
 * `createdAt` is compared with when our request left: a customer created earlier than that was
 * there before this run's attempt.
 */
export const CLOCK_SKEW_MS = 2_000;

/** Far past any disagreement of clocks, and well short of a nightly run's day (see `createdLongBefore`). */
const CREATED_LONG_BEFORE_MS = 10 * 60_000;
/** An ISO date-time's zone at its end: `Z` or an offset. */
const ZONED_TIME = /(?:Z|[+-]\d{2}:?\d{2})$/i;
/** Digits of a Unix time, seconds (10) or milliseconds (13), maybe with a fraction. */
const UNIX_TIME = /^(?:\d{10}|\d{13})(?:\.\d+)?$/;

/**
 * When the API says it did something (a `createdAt`, an `updatedAt`), on its own clock, in ms; NaN
 * when it does not say. An ISO 8601 text, or a Unix time (seconds or milliseconds, a number or its
 * digits): the document gives `createdAt` no format, and one unread made a create that landed read
 * "likely not created".
 */
export function apiTime(value: unknown): number {
  const epoch = typeof value === 'number' ? value : typeof value === 'string' && UNIX_TIME.test(value) ? Number(value) : undefined;
  if (epoch === undefined) return typeof value === 'string' ? apiInstant(value) : Number.NaN;
  // Seconds or milliseconds of this era (2001 to 2286) only: `202412011230` (a date without its
  // separators) or microseconds are no time read right, and unread is safer than misread.
  if (epoch >= 1e9 && epoch < 1e10) return epoch * 1000;
  if (epoch >= 1e12 && epoch < 1e13) return epoch;
  return Number.NaN;
}

/**
 * The API's clock set against ours, for telling a customer a try of ours created from one that was
 * there before it. Read, best first, from:
 * - the `Date` header of the API's last answer that had one (`readDateHeader`);
 * - while none has, the customers this run created (`noteCreated`): the offset those put the API's
 *   clock at, at least;
 * - for a try sent after it, the newest customer the API held before this run's first create
 *   (`noteNewest`): created after it, a customer is this run's, both read on the API's own clock.
 * Until one of these is read our own clock stands in, which tells a customer's age only when it says
 * "created since": against an API without a `Date` header minutes off, a try's own customer was
 * dated before the try.
 */
export class ApiClock {
  /** How far the API's clock runs ahead of ours (negative: behind), in ms; 0 while nothing tells. */
  private offsetMs = 0;
  /** Whether an answer has carried a `Date` header, so that `offsetMs` is measured, not assumed. */
  private headerRead = false;
  /** Whether `offsetMs` was set by `noteCreated`. */
  private fromCreates = false;
  /** The newest customer's `createdAt` (API's clock) before this run's first create, asked at `takenAt` (ours). */
  private newest: { createdAt: number | undefined; takenAt: number } | undefined;

  /** Whether an answer has carried a `Date` header. */
  get dateHeaderRead(): boolean {
    return this.headerRead;
  }

  /** How far the API's clock runs ahead of ours, in ms, as far as it is known (0 while nothing tells). */
  get aheadMs(): number {
    return this.offsetMs;
  }

  /**
   * Reads an answer's `Date` header (`serverNow`, ms, whole seconds) against our clock at `now`. The
   * API's clock is somewhere in the second it names, read as its middle: read as its start, a
   * customer created up to 3 s before our first try (not 2) counted as our own create.
   */
  readDateHeader(serverNow: number, now = Date.now()): void {
    this.offsetMs = serverNow + 500 - now;
    this.headerRead = true;
  }

  /**
   * Reads the API's clock from a customer it has just created (a 201), while no answer has carried a
   * `Date` header: written before its answer reached us at `answeredAt`, it puts the API's clock at
   * least that far ahead of ours. The highest such bound is kept (a slow answer only lowers one),
   * within the answer's travel time of the truth. Without it, a server with no Date header running
   * 10 minutes behind had each create whose answer was lost, and that landed, read as a customer
   * there before the try: `exists`, not `created`.
   */
  noteCreated(customer: Customer, answeredAt: number): void {
    const createdAt = apiTime(customer.createdAt);
    if (this.headerRead || Number.isNaN(createdAt)) return;
    const offset = createdAt - answeredAt;
    this.offsetMs = this.fromCreates ? Math.max(this.offsetMs, offset) : offset;
    this.fromCreates = true;
  }

  /**
   * Keeps the newest customers the API held before this run's first create, asked at `takenAt` (our
   * clock), newest first; none kept when they are not (an API that ignores the order) or a
   * `createdAt` cannot be read. Whether they were.
   */
  noteNewest(customers: readonly Customer[], takenAt: number): boolean {
    const times = customers.map((customer) => apiTime(customer.createdAt));
    if (times.some((time, i) => Number.isNaN(time) || (i > 0 && time > times[i - 1]!))) return false;
    this.newest = { createdAt: times[0], takenAt };
    return true;
  }

  /** When the API says it did something (see `apiTime`), on our clock; NaN when it does not say. */
  ours(value: unknown): number {
    return apiTime(value) - this.offsetMs;
  }

  /**
   * Whether the API created `customer` at or after `since` (ms on our clock), allowing CLOCK_SKEW_MS;
   * undefined when its `createdAt` cannot be read. Read on our clock as the API's clock is set against
   * it: a cron machine's may be off by minutes.
   */
  createdSince(customer: Customer, since: number): boolean | undefined {
    const createdAt = this.ours(customer.createdAt);
    return Number.isNaN(createdAt) ? undefined : createdAt >= since - CLOCK_SKEW_MS;
  }

  /**
   * Whether the API created `customer` at or after a try sent at `since` (see `createdSince`). Against
   * an API without a `Date` header, for a try sent after `noteNewest`'s look: whether it was created
   * after the newest customer the API held before this run's first create, both on the API's own
   * clock. Read against ours, a server 10 minutes behind had every lost create that landed before the
   * run's first 201 (which sets its clock) read as a customer there before: `exists`.
   */
  createdSinceTry(customer: Customer, since: number): boolean | undefined {
    const newest = this.newest;
    if (this.headerRead || newest === undefined || since < newest.takenAt) return this.createdSince(customer, since);
    const createdAt = apiTime(customer.createdAt);
    if (Number.isNaN(createdAt)) return undefined;
    return newest.createdAt === undefined || createdAt > newest.createdAt;
  }

  /**
   * Whether a clock that is read (a `Date` header, or the newest customers for a try sent after they
   * were read) tells `customer` was created before a try sent at `since`. Our own clock standing in
   * tells nothing.
   */
  knownCreatedBefore(customer: Customer, since: number): boolean {
    const read = this.headerRead || (this.newest !== undefined && since >= this.newest.takenAt);
    return read && this.createdSinceTry(customer, since) === false;
  }

  /**
   * Whether the API surely created `customer` after `since` (ms on our clock): later by more than the
   * clock allowance. False when its `createdAt` cannot be read.
   */
  createdAfter(customer: Customer, since: number): boolean {
    return this.createdSince(customer, since + 2 * CLOCK_SKEW_MS) === true;
  }

  /**
   * Whether the API's `Date` header is read and the customer's `createdAt` (with its zone, or a Unix
   * time) puts its creation more than 10 minutes before `since` (ms on our clock): far past any
   * disagreement of clocks. Only by the API's own clock, and only long before: an API answering every
   * create 200 would otherwise have its new customers `exists` whenever its clocks disagree (a server
   * without a Date header running behind, a database 3 s behind its gateway, a createdAt without its
   * zone read as UTC).
   */
  createdLongBefore(customer: Customer, since: number | undefined): boolean {
    const written = customer.createdAt as unknown;
    if (!this.headerRead || since === undefined || (typeof written === 'string' && !UNIX_TIME.test(written) && !ZONED_TIME.test(written.trim()))) return false;
    return this.ours(written) < since - CREATED_LONG_BEFORE_MS;
  }
}
