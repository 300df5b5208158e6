import { ApiKeyError, ImportError } from '../errors/index.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { comparableName, isSameName } from '../map/normalize.js';
import { composed } from '../read/composed.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { apiTime, CLOCK_SKEW_MS, type ApiClock } from './api-clock.js';
import { apiErrorMessage, apiReason, customerList, customerOf, filterEncodings, QuentliClient, TransportError, type ApiResponse } from './api-client.js';
import type { Customer } from './customer.js';
import { comparablePhone, nonEmpty, normalizeEmail } from './customer-diff.js';
import { seconds, Throttle } from './throttle.js';
import { UsernameSpellings } from './username-spellings.js';

/** What became of one row at the API. */
export type SendStatus = 'created' | 'exists' | 'updated' | 'unchanged' | 'failed';

/** The outcome of sending one row. */
export interface SendOutcome {
  status: SendStatus;
  customerId?: string;
  /** Why a row failed, or a note on an unusual success. */
  error?: string;
  /** The customer as a look-up answered it, when one was made (`exists`), so no one asks twice; an update's answer (`updated`). */
  customer?: Customer;
  /** The matched customer's `archivedAt`, when Quentli holds it archived. */
  archivedAt?: string;
}

/** Between the notes of one row in its report's `error` column. */
export const NOTE_SEPARATOR = '; ';

/** The notes a row was given, in order, as its `error` column holds them (the absent ones left out). */
export function joinNotes(...notes: (string | undefined)[]): string {
  return notes.filter((note) => note !== undefined && note !== '').join(NOTE_SEPARATOR);
}

/** How hard the sender tries before a row is `failed`. */
export interface RetryPolicy {
  /** Most attempts per request, the first included; a 429 counts as none. Default 10. */
  maxAttempts: number;
  /**
   * Longest a row may take from its first request to its outcome, waits included (backoff, the
   * pool's pauses, look-ups), in ms. A `Retry-After` longer than what is left fails the row. Default 300 000.
   */
  maxRetryWaitMs: number;
  /** First backoff ceiling, doubled each attempt (full jitter). Default 250. */
  baseDelayMs: number;
  /** Highest backoff ceiling. Default 30 000. */
  maxDelayMs: number;
}

/** Requests answered 429 (too fast for the API), answered 5xx, or never answered (a timeout, a connection cut or refused). */
export interface RequestFailures {
  rateLimited: number;
  serverError: number;
  noAnswer: number;
}

// 10 tries: against 30% of answers failing at random, a row is failed once in 170,000 (6 tries
// failed one row of 200 in about one run of seven).
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, maxRetryWaitMs: 300_000, baseDelayMs: 250, maxDelayMs: 30_000 };

/** Tries of the key check at most: a wrong --api-url or an API that is down is said in seconds, not after a row's patience (49 s with 10). */
const KEY_CHECK_ATTEMPTS = 6;

/** Why a row without a username whose create may have landed is not sent again. */
export const OUTCOME_UNKNOWN = (reason: string): string =>
  `outcome unknown: ${reason}; it may have been created, and without a username it cannot be checked: look for it in Quentli before importing this row again`;

/**
 * Whether the phone the API holds is the one a row sent (E.164, or undefined for none): the spaces,
 * dashes, dots and parentheses of a formatted one (`+52 55 1234-5678`) aside, and, as the document
 * does not say how the API answers a phone, one answered otherwise (`525512345678` without its `+`,
 * `5512345678` without the country code) read as a row's phone is, in the sent number's country.
 * Unread, a lost create that landed was reported "likely not created", and imported again, made twice.
 */
function isHeldPhone(value: unknown, sent: string | undefined): boolean {
  if (!nonEmpty(value)) return sent === undefined;
  if (sent === undefined) return false;
  if (value.replace(/[\s\-.()]/g, '') === sent) return true;
  const country = parsePhoneNumberFromString(sent)?.country;
  return country !== undefined && comparablePhone(value, country) === sent;
}

/**
 * 408: the server (nginx's client_body_timeout, Node's requestTimeout, a load balancer's client
 * timeout) gave up waiting for the request, or closed an idle connection saying so as a request
 * crossed it: it handled nothing, and may be asked again (RFC 9110, 15.5.9), a create without a
 * username too. Taken for a refusal, the row failed with nothing wrong in it.
 */
const REQUEST_TIMEOUT = 408;
/** 504: a gateway gave up waiting for the service, which may still have written the customer after. */
const GATEWAY_TIMEOUT = 504;

/** Statuses a taken username may come back with (the API document promises none of them). */
const MAYBE_TAKEN: ReadonlySet<number> = new Set([400, 409, 422]);
/**
 * A 400 or 422 whose message says the username is taken (`username already exists`, `usuario ya
 * registrado`): a conflict, as a 409 is. Both words are needed: "assigneeId does not exist" or
 * "email must be unique" is another refusal, and must not match a customer spelled in another case.
 */
// Not `\b`: a constraint's name (`Customer_username_key`) joins words with underscores.
const USERNAME_WORD = /(?:^|[^a-z])(?:user(?:_?name)?|usuario|login)(?![a-z])/i;
const TAKEN_WORD = /already|exist|taken|unique|duplicat|duplicad|in use|en uso|registrad|ocupad/i;
/** `must exist`, `does not exist`: a reference to something missing, not a name taken. */
const MISSING_WORD = /(?:(?<!\p{L})(?:must|not|no)|n't)\s+(?:yet\s+)?exist/iu;
/** Both words in one of the message's parts (an API's list of field errors joined with "; "): `email: has already been taken; username: is invalid` is no taken username. */
const isTakenMessage = (reason: string): boolean =>
  reason.split('; ').some((part) => USERNAME_WORD.test(part) && TAKEN_WORD.test(part) && !MISSING_WORD.test(part));
/** Listings of every customer a run may try (see findIgnoringCase). */
const LISTING_TRIES = 3;
/** Customers one `GET /customers` page holds when the whole list is read. */
const PAGE_SIZE = 100;
/**
 * Customers listed before that a listing read again starts with (see `readListing`): up to this
 * many customers deleted meanwhile shift nothing past it, and one of them on its first page shows
 * the order held.
 */
const TAIL_OVERLAP = 10;
/**
 * Pages of the newest customers a lost create without a username is looked for in when the API
 * ignores the filter (see `newestSince`): 1,000 customers created since its try. Beyond, its outcome is unknown.
 */
const NEWEST_PAGES = 10;

/**
 * The customers' usernames as a listing of every customer read them (see `Sender.listingSince`):
 * `seen` the ids listed and `end` where the listing ended, for the next read to start near there;
 * both undefined for one handed over by upsert, read again from the start.
 */
interface Listing {
  spellings: UsernameSpellings;
  seen: Set<string> | undefined;
  end: number | undefined;
  /** The longest page the API answered the listing: a shorter one ends the list. */
  longest?: number;
}

/** Thrown into every sender once the run is stopping: no new request starts. */
export class SendStoppedError extends Error {
  constructor() {
    super('the run is stopping');
    this.name = 'SendStoppedError';
  }
}

type Attempt =
  | { kind: 'answer'; response: ApiResponse }
  | { kind: 'lost'; error: TransportError }
  /** Not sent: the throttle could not let it start before the row's deadline. */
  | { kind: 'late'; reason: string };

/**
 * Sends rows the safe way: retries what may succeed later (429, 5xx, lost connections, timeouts)
 * with full-jitter backoff, never what cannot (other 4xx), and makes a create idempotent without
 * an idempotency key by looking the username up before resending anything whose first try may
 * have landed. A refused key stops every sender at once, and so does an API that has given no
 * useful answer (only lost connections, timeouts and 5xx) for as long as a row may retry.
 */
/** Said of a row with a username that a try may have created: a re-run finds it instead of creating it again. */
const MAY_EXIST = '; it may have been created: running the same command again checks, by its username';

export class Sender {
  private stopped: ImportError | SendStoppedError | undefined;
  /**
   * When the first request failed (lost, timed out, 5xx) since the API last answered with anything
   * else (a 429 is an answer: the API is there); undefined while the last request was answered.
   */
  private failingSince: number | undefined;
  /** When the last request failed so. */
  private lastFailureAt = 0;
  /** When the first 429 came since the API last answered anything else. */
  private limitedSince: number | undefined;
  /** Requests sent and not yet answered or lost. */
  private inFlight = 0;
  /** The API's usernames, listed on first need (or handed over by upsert), and when that listing started: it holds no customer created after. */
  private listed: { listing: Listing; startedAt: number } | undefined;
  /** The listing being read (a first one, or the listed one read again), and when it started. */
  private reading: { promise: Promise<Listing>; startedAt: number } | undefined;
  private listingFailures = 0;
  /** The key check passed (`checkAccess`): a later 401/403 is checked against the key before it stops the run. */
  private keyAccepted = false;
  /** The key asked about again after a 401/403 (see `keyStillAccepted`), while that is in flight. */
  private keyProbe: Promise<boolean> | undefined;
  private listingError: unknown;
  /**
   * The API answered a `username[equals]` look-up with customers of other usernames: it ignores
   * the filter (or does not read it), so usernames are looked for in the listing from then on.
   */
  private usernameFilterIgnored = false;
  /** The same of the `name[contains]`, `email[equals]` and `phoneNumber[equals]` look-ups of a lost create without a username. */
  private searchFilterIgnored = false;
  /** Requests so far that got no useful answer, by kind. */
  readonly requestFailures: RequestFailures = { rateLimited: 0, serverError: 0, noAnswer: 0 };
  /**
   * Customers this run (or the run it resumes) gave to a row without a username that may have rows
   * alike (`create`'s `alike`): a lost answer's look-up gives none of them to another row. Two
   * rows of one name alone are both created, and the first one's look-up found the second one's customer.
   */
  private readonly given = new Set<string>();
  /** Creates without a username in flight, by the row's name, email and phone: a customer found meanwhile may be theirs. */
  private readonly alikeInFlight = new Map<string, number>();
  /** Customers an earlier run under this report name confirmed (see `knowEarlier`). */
  private earlier: { has(customerId: string): boolean } = new Set<string>();
  /** `onRequestFailure` hears of each request that got no useful answer: a 429, a 5xx, none at all. */
  constructor(
    private readonly client: QuentliClient,
    private readonly throttle: Throttle,
    private readonly policy: RetryPolicy,
    private readonly onRequestFailure: (reason: string) => void = () => {},
  ) {}

  /** The API's clock against ours: the client's, which its `Date` headers set, told more by the look-ups here. */
  private get clock(): ApiClock {
    return this.client.clock;
  }

  /** A customer a row of the run this one resumes was confirmed with: no other row is given it. */
  claim(customerId: string): void {
    this.given.add(customerId);
  }

  /**
   * The customers an earlier run under this report name confirmed in this organization (its
   * journal's ids): they were there before this run, so a create answered 2xx with one of them
   * created nothing and is `exists`, whatever the clocks say. Against an API answering a taken
   * username 200 with its holder, a second run within minutes of the first was otherwise all `created`.
   */
  knowEarlier(customerIds: { has(customerId: string): boolean }): void {
    this.earlier = customerIds;
  }

  /**
   * A customer found by username after our own create may have landed (this run's, or a crashed
   * run's as its journal dates it): `exists` when an earlier run of this report confirmed it (see
   * `knowEarlier`: there before, whatever the clocks say), else `created` when the API created it
   * after that create left (`firstSentAt`), `exists` when it was there before (a second run of the
   * same file, whose first create was answered 500 and retried, or which was killed and resumed, is
   * not creating anything). Without `firstSentAt` (a journal of an older version, undated), the
   * earlier attempt is taken as ours.
   */
  private ownCreateOrExisting(found: Customer, firstSentAt: number | undefined): 'created' | 'exists' {
    if (this.earlier.has(String(found.id))) return 'exists';
    return firstSentAt === undefined || this.clock.createdSinceTry(found, firstSentAt) !== false ? 'created' : 'exists';
  }

  /**
   * Reads the API's clock, after the key check and before any create, when its answer carried no
   * `Date` header: the newest customers (`orderBy=createdAt=desc`, 10), for `ApiClock.noteNewest`.
   */
  private async readNewest(): Promise<void> {
    const takenAt = Date.now();
    let response: ApiResponse;
    try {
      response = await this.retrying('GET /customers', () => this.client.listNewest(0, 10), undefined, KEY_CHECK_ATTEMPTS);
    } catch (error) {
      if (error instanceof LookupError) return;
      throw error;
    }
    if (response.status === 200) this.clock.noteNewest(customerList(response), takenAt);
  }

  /** Makes every later attempt throw `reason` (or a SendStoppedError). */
  stop(reason?: ImportError): void {
    this.stopped ??= reason ?? new SendStoppedError();
    // Wake whoever sleeps in a backoff or a pool-wide pause: a long Retry-After must not hold the stop.
    this.throttle.stop();
  }

  /**
   * Creates one customer. `mayExist` says an earlier attempt (this run's or a crashed run's) may
   * have created it already, so the username is looked up first; `earlierAttemptAt` is when a crashed
   * run first sent it, if its journal says. `beforeSend` runs before each POST, and `nothingWritten`
   * after one answered without writing (a 429, a refusal, a refused key) or that never reached the
   * server: so far the row is no doubt, and a resumed run may send it again. `alike` says other rows
   * of the file may have its name, email and phone (not refused as repeats: a name alone, given
   * names only): without a username, its customer is then kept from their look-ups.
   * `earlierServerError` says the earlier attempt of a row without a username was answered 5xx (see
   * `JournalRecord.serverError`), and `serverError` runs when this run's is: see `lostWithoutUsername`.
   */
  async create(
    input: CustomerInput,
    options: {
      mayExist?: boolean;
      earlierAttemptAt?: number | undefined;
      earlierServerError?: boolean;
      alike?: boolean;
      beforeSend?: () => void;
      nothingWritten?: () => void;
      serverError?: (status: number) => void;
    } = {},
  ): Promise<SendOutcome> {
    const username = input.username;
    let uncertain = options.mayExist === true;
    if (uncertain && username === undefined) {
      // An earlier run sent it and never learned the outcome (stopped before the answer, or the answer lost in a finished run): found among the customers created since, it is that run's.
      const earlier =
        options.earlierServerError === true
          ? await this.lostWithoutUsername(input, options.earlierAttemptAt, 'an earlier run sent it and was answered with a server error', { serverError: true, earlier: true, alike: options.alike === true })
          : await this.lostWithoutUsername(input, options.earlierAttemptAt, 'an earlier run sent it and did not learn whether it was created (its answer was lost, or was a server error)');
      if (earlier !== undefined) return earlier;
      // Answered 5xx, and Quentli holds no customer created since with its name, its email or its
      // phone: that try wrote nothing this row could be doubled with, so it is sent again.
      uncertain = false;
    }
    let lastReason = '';
    let firstSentAt: number | undefined = options.earlierAttemptAt;
    // When the latest try that may have landed was known to (a lost answer, a 5xx): a look-up in a
    // listing of every customer reads one started after it (an earlier run's, any listing of this one).
    let doubtAt = options.earlierAttemptAt ?? 0;
    const alike = username === undefined && options.alike === true ? alikeKey(input) : undefined;
    let inFlight = false;
    const sending = () => {
      firstSentAt ??= Date.now();
      options.beforeSend?.();
      if (alike !== undefined) {
        this.alikeInFlight.set(alike, (this.alikeInFlight.get(alike) ?? 0) + 1);
        inFlight = true;
      }
    };
    const answered = () => {
      if (!inFlight) return;
      inFlight = false;
      const left = this.alikeInFlight.get(alike!)! - 1;
      if (left === 0) this.alikeInFlight.delete(alike!);
      else this.alikeInFlight.set(alike!, left);
    };
    // Once a try may have landed (a 5xx, a lost answer), a failure says the customer may exist:
    // the next run finds it by its username, or someone would create it by hand.
    const failed = (error: string): SendOutcome => ({ status: 'failed', error: uncertain ? `${error}${MAY_EXIST}` : error });
    const deadline = Date.now() + this.policy.maxRetryWaitMs;
    // A 429 is no failed try: the API did nothing, and asks for a slower pace. Only the row's time
    // (--max-retry-wait) bounds those, so a low rate limit slows the run instead of failing rows.
    let rateLimited = 0;
    for (let attempt = 1; attempt <= this.policy.maxAttempts + rateLimited; attempt++) {
      if (attempt > 1 && !(await this.backoff(attempt - rateLimited, deadline))) break;
      if (uncertain && username !== undefined) {
        let found: Customer | undefined;
        try {
          found = await this.findByUsername(username, { deadline, since: doubtAt });
        } catch (error) {
          if (error instanceof LookupError) return failed(error.message);
          throw error;
        }
        if (found) return { status: this.ownCreateOrExisting(found, firstSentAt), customerId: found.id, customer: found };
      }
      // Not journaled as attempted before the throttle lets it go: a row that never left is no doubt.
      let result: Attempt;
      try {
        result = await this.attempt(() => this.client.createCustomer(input), deadline, sending, uncertain ? undefined : options.nothingWritten);
      } finally {
        answered();
      }
      const answeredAt = Date.now();
      if (result.kind === 'late') return failed(`not sent${uncertain ? ' again' : ''}: ${result.reason}`);
      if (result.kind === 'lost') {
        lastReason = result.error.message;
        if (!result.error.reachedServer) continue;
        if (username === undefined) return this.lostWithoutUsername(input, firstSentAt, lastReason);
        uncertain = true;
        doubtAt = Date.now();
        continue;
      }
      const { response } = result;
      if (response.status >= 200 && response.status < 300) {
        const customer = customerOf(response);
        // A 201 is a customer just created: its createdAt reads the API's clock when no Date header does.
        if (customer && response.status === 201) this.clock.noteCreated(customer, answeredAt);
        if (customer) {
          // The document gives no status for a taken username: an API may answer it with the customer
          // holding it, 200 as for a create. One created long before the first try is no create of ours
          // (a 201 says it was): reported `created`, a second run of a file was all `created`, and a
          // row's other name, phone or email in Quentli went unsaid. Only by the API's clock (its Date
          // header), and only long before: an API answering every create 200 would otherwise have its
          // new customers `exists` whenever its clocks disagree (a server without a Date header running
          // behind, a database 3 s behind its gateway, a createdAt without its zone read as UTC).
          // Nor one an earlier run of this report confirmed (its journal's ids): a second run minutes after the first.
          if (
            username !== undefined &&
            response.status !== 201 &&
            (this.earlier.has(String(customer.id)) || this.clock.createdLongBefore(customer, firstSentAt))
          ) {
            return { status: 'exists', customerId: customer.id, customer };
          }
          if (alike !== undefined) this.given.add(customer.id);
          return { status: 'created', customerId: customer.id };
        }
        // A success without a customer (a proxy's page, a cut body): whether one was created is only
        // known by looking, as after a lost answer. Reported `created` unlooked, a gateway answering
        // 200 to every POST made a whole roster "created" with nothing in Quentli.
        return this.answeredWithoutCustomer(input, username, response.status, firstSentAt, deadline);
      }
      lastReason = apiErrorMessage(response);
      if (MAYBE_TAKEN.has(response.status) && username !== undefined) {
        return this.refusedWithUsername(username, response.status, lastReason, uncertain ? firstSentAt : undefined, firstSentAt ?? Date.now(), deadline);
      }
      if (response.status >= 500) {
        // The service (or a gateway in front of it) may have failed after the customer was written.
        if (username === undefined) {
          // A 504 is a gateway that gave up waiting for the service: an answer lost, not the service's own.
          const serverError = response.status !== GATEWAY_TIMEOUT;
          if (serverError) options.serverError?.(response.status);
          return this.lostWithoutUsername(input, firstSentAt, lastReason, { serverError, earlier: false, alike: alike !== undefined });
        }
        uncertain = true;
        doubtAt = Date.now();
      }
      if (response.status === 429 || response.status >= 500) {
        const late = waitPastDeadline(response, deadline);
        if (late) return failed(late);
        if (response.status === 429) rateLimited++;
        continue;
      }
      if (response.status === REQUEST_TIMEOUT) continue;
      return { status: 'failed', error: lastReason };
    }
    return failed(`gave up after retries: ${lastReason}`);
  }

  /**
   * A create answered 2xx without a customer in the answer. With a username, the customer holding it
   * and created since the first try is ours (`created`), one created before it is `exists`, none is a
   * failure that says nothing was created; without one, it is looked for as a lost answer's is.
   */
  private async answeredWithoutCustomer(input: CustomerInput, username: string | undefined, status: number, firstSentAt: number | undefined, deadline: number): Promise<SendOutcome> {
    const reason = `the API answered HTTP ${status} without the customer`;
    if (username === undefined) return this.lostWithoutUsername(input, firstSentAt, reason);
    let found: Customer | undefined;
    try {
      found = await this.findByUsername(username, { deadline, since: Date.now() });
    } catch (error) {
      if (error instanceof LookupError) return { status: 'failed', error: `${reason}${MAY_EXIST}; ${error.message}` };
      throw error;
    }
    if (found) return { status: this.ownCreateOrExisting(found, firstSentAt), customerId: found.id, customer: found };
    return { status: 'failed', error: `${reason}, and no customer has the username ${JSON.stringify(username)}: it was not created` };
  }

  /**
   * A create refused with 400, 409 or 422: the API documents no status for a taken username, so
   * the username is looked up. Found: `exists`, or, when an earlier try that left at `mayBeOursSince`
   * may have landed, `created` if that try created it (see `ownCreateOrExisting`).
   * After a conflict (a 409, or a 400/422 whose message says the name is taken), a match differing
   * in case counts when it is the only one: found by the username as written, then in lower case
   * (an API that stores usernames so refused `Fam.Perez1` as taken every night), then in a listing
   * of every customer (one that holds `ANA.UNO`, refuses `ana.uno` and whose `equals` compares case).
   * After any other 400 or 422, only when the API's own `equals` filter returned it and nothing else,
   * or, after a try that may have landed, the one held in lower case when it was created since that try.
   */
  private async refusedWithUsername(username: string, status: number, reason: string, mayBeOursSince: number | undefined, sentAt: number, deadline: number): Promise<SendOutcome> {
    const conflict = status === 409 || isTakenMessage(reason);
    // The customer holding it was there when the API refused it: a listing must have started since.
    const refusedAt = Date.now();
    let found: Customer | undefined;
    try {
      found = await this.findByUsername(username, { caseMatch: conflict ? 'unique' : 'sole', deadline, since: refusedAt });
      const lower = username.toLowerCase();
      if (!found && lower !== username && (conflict || mayBeOursSince !== undefined)) {
        found = await this.findByUsername(lower, { deadline, since: refusedAt });
        // After a try that may have landed, a refusal in other words (a bare `Unprocessable Entity`)
        // may be of the customer that try created, held in lower case: only one created since counts.
        // A customer whose creation date cannot be read is not known to be ours: taken, it may be someone else's.
        if (found && !conflict && this.clock.createdSinceTry(found, mayBeOursSince!) !== true) found = undefined;
      }
      if (!found && conflict) found = await this.findIgnoringCase(username, Math.max(sentAt, refusedAt), deadline);
    } catch (error) {
      if (error instanceof LookupError) return { status: 'failed', error: `${reason}; ${error.message}` };
      throw error;
    }
    if (found) return { status: mayBeOursSince === undefined ? 'exists' : this.ownCreateOrExisting(found, mayBeOursSince), customerId: found.id, customer: found };
    return { status: 'failed', error: conflict ? `${reason}; no customer with username ${JSON.stringify(username)} was found` : reason };
  }

  /**
   * The one customer whose username is `username` but for case, from a listing of every customer
   * (see `listingSince`; read again when it started before `since`, once for all the rows refused
   * meanwhile, or the row whose customer this run created is failed), then fetched by id.
   */
  private async findIgnoringCase(username: string, since: number, deadline: number): Promise<Customer | undefined> {
    const id = await this.listedId((spellings) => spellings.find(username)?.id, since, deadline);
    return id === undefined ? undefined : this.heldCustomer(id, (spelling) => spelling.toLowerCase() === username.toLowerCase(), deadline);
  }

  /**
   * The id `pick` finds in the listing of every customer: in the one read already, else in one
   * started at `since` or after, read again if need be (a customer found needs no fresher listing).
   */
  private async listedId(pick: (spellings: UsernameSpellings) => string | undefined, since: number, deadline: number): Promise<string | undefined> {
    const { listing, startedAt } = await this.listingSince(0, deadline);
    const id = pick(listing.spellings);
    if (id !== undefined || startedAt >= since) return id;
    return pick((await this.listingSince(since, deadline)).listing.spellings);
  }

  /** The customer `id` (`GET /customers/{id}`) when its username is still one `isOurs` accepts; undefined when Quentli no longer holds it so. */
  private async heldCustomer(id: string, isOurs: (username: string) => boolean, deadline: number): Promise<Customer | undefined> {
    const response = await this.retrying(`GET /customers/${id}`, () => this.client.getCustomer(id), deadline);
    if (response.status === 404 || response.status === 410) return undefined;
    if (response.status !== 200) throw new LookupError(`looking up customer ${id}: ${apiErrorMessage(response)}`);
    const customer = customerOf(response);
    return typeof customer?.username === 'string' && isOurs(customer.username) ? customer : undefined;
  }

  /**
   * The listing of every customer's username, read on first need (or handed over by upsert) and
   * read again when it started before `since` (ms on our clock): a customer created after it
   * started (this run's own lost create, a username taken meanwhile) may be missing from it. One
   * read serves every row waiting meanwhile whose `since` it started after; a later row needing a
   * later one reads it again, from near where it ended (see `readListing`): a re-run of 20,000 rows
   * against an API that ignores the filter lists the organization once, not once a row. A listing
   * that fails (the API failing a while, a row's wait run out) fails the rows waiting for it, and may
   * be tried again by a later row, a few times a run: not once a row, which against an API refusing a
   * large `skip` would list from the start for every row.
   */
  private async listingSince(since: number, deadline: number): Promise<{ listing: Listing; startedAt: number }> {
    for (;;) {
      if (this.listed && this.listed.startedAt >= since) return this.listed;
      const reading = this.reading;
      if (reading) {
        try {
          await reading.promise;
        } catch (error) {
          if (reading.startedAt >= since) throw error;
        }
        continue; // read; or one that started too early, now done: read again
      }
      if (this.listingFailures >= LISTING_TRIES) throw this.listingError;
      const startedAt = Date.now();
      const read = { startedAt, promise: this.readListing(this.listed?.listing, deadline) };
      this.reading = read;
      read.promise.then(
        (listing) => {
          this.listed = { listing, startedAt };
          if (this.reading === read) this.reading = undefined;
        },
        (error: unknown) => {
          this.listingError = error;
          this.listingFailures++;
          if (this.reading === read) this.reading = undefined;
        },
      );
    }
  }

  /**
   * The usernames an upsert listing already read, so no second listing is needed; `startedAt`, when
   * it holds every customer created before then only (one stopped before its end, see `loadCustomerIndex`). Default now.
   */
  knowCustomers(spellings: UsernameSpellings, startedAt = Date.now()): void {
    this.listed = { listing: { spellings, seen: undefined, end: undefined }, startedAt };
  }

  /**
   * Whether the API surely created `customer` after `since` (ms on our clock, read against the API's
   * clock as its `Date` header sets them apart): later by more than the clock allowance (2 s). False
   * when its `createdAt` cannot be read.
   */
  createdAfter(customer: Customer, since: number): boolean {
    return this.clock.createdAfter(customer, since);
  }

  /**
   * Every customer's username, oldest first. With an earlier listing whose end is known, read again
   * from TAIL_OVERLAP customers before its end (customers created since land after it, so a page or
   * two, one when none was created), into the same listing; from the start when that first page
   * holds none listed before (more customers deleted meanwhile, or the order moved), and for one handed over by upsert.
   */
  private async readListing(previous: Listing | undefined, deadline: number): Promise<Listing> {
    if (previous?.seen !== undefined && previous.end !== undefined) {
      const tail = await this.listFrom(previous, Math.max(0, previous.end - TAIL_OVERLAP), deadline, previous.end > 0);
      if (tail) return tail;
    }
    return (await this.listFrom({ spellings: new UsernameSpellings(), seen: new Set(), end: undefined }, 0, deadline, false))!;
  }

  /**
   * Pages of customers from `skip` into `listing`, until an empty page or a page of customers all
   * listed before (a server that ignores `skip` answers the same ones again, in any order) that
   * reaches past the listing's old end, or is shorter than a page answered before: an anchored
   * read's pages within the TAIL_OVERLAP customers before that end are all listed before by design.
   * Taken for the list's end, a server capping its pages at 10 customers or fewer ended every read
   * of the tail on its first page, and every username created since the first listing was "not
   * found" (a lost create failed, its customer created).
   * `anchored`: the first page must hold a customer listed before, else undefined (read from the start).
   */
  private async listFrom(listing: Listing, skip: number, deadline: number, anchored: boolean): Promise<Listing | undefined> {
    const seen = listing.seen ?? new Set<string>();
    const oldEnd = anchored ? (listing.end ?? 0) : 0;
    let longest = listing.longest ?? 0;
    try {
      for (let first = true; ; first = false) {
        if (Date.now() > deadline) throw new LookupError(`listing the customers to find a username took longer than a row may wait (${seconds(this.policy.maxRetryWaitMs)}, --max-retry-wait)`);
        const page = await this.listPage(skip, PAGE_SIZE, deadline);
        // Told before any is kept: a first page of none listed before leaves the listing as it was.
        if (first && anchored && !page.some((customer) => seen.has(String(customer.id)))) return undefined;
        let fresh = 0;
        for (const customer of page) {
          const id = String(customer.id);
          if (seen.has(id)) continue;
          seen.add(id);
          fresh++;
          if (typeof customer.username === 'string' && customer.username !== '' && typeof customer.id === 'string') listing.spellings.add(customer.username, customer.id);
        }
        const short = page.length < longest;
        longest = Math.max(longest, page.length);
        if (fresh === 0 && (page.length === 0 || short || skip + page.length > oldEnd)) return { spellings: listing.spellings, seen, end: skip + page.length, longest };
        skip += page.length;
      }
    } catch (error) {
      // A read of its tail failed part-way: the listing holds the pages before `skip`, and the next
      // read starts near there. From its old end, it read a page of customers all listed now, took
      // it for the list's end, and missed every one past the page that failed.
      if (listing.end !== undefined) listing.end = skip;
      listing.longest = longest;
      throw error;
    }
  }

  /** Updates one customer with `data` (only the fields that differ). A PATCH of the same data is safe to repeat. */
  async update(id: string, data: Record<string, unknown>): Promise<SendOutcome> {
    let response: ApiResponse;
    try {
      response = await this.retrying(`PATCH /customers/${id}`, () => this.client.updateCustomer(id, data));
    } catch (error) {
      // Out of retries: the customer still exists, so the row keeps its id.
      if (error instanceof LookupError) return { status: 'failed', customerId: id, error: error.message };
      throw error;
    }
    if (response.status >= 200 && response.status < 300) {
      const customer = customerOf(response);
      return customer ? { status: 'updated', customerId: id, customer } : { status: 'updated', customerId: id };
    }
    return { status: 'failed', customerId: id, error: apiErrorMessage(response) };
  }

  /** The customer `id` as `GET /customers/{id}` answers it; undefined when none is answered (`null`, 404, a look-up that failed). */
  async customer(id: string): Promise<Customer | undefined> {
    const response = await this.customerById(id);
    return response?.status === 200 ? customerOf(response) : undefined;
  }

  /**
   * Whether Quentli still holds the customer `id` (`GET /customers/{id}`): false when it answers
   * `null`, 404 or 410 (deleted, or another Quentli: a sandbox reset, a new test organization),
   * undefined when it could not be asked (the API failing past the row's wait).
   */
  async stillHeld(id: string): Promise<boolean | undefined> {
    const response = await this.customerById(id);
    if (response === undefined) return undefined;
    if (response.status === 404 || response.status === 410) return false;
    if (response.status !== 200) return undefined;
    // Only the documented `null` says none: a customer shaped otherwise is still one, not to be made twice.
    const body = response.body as { customer?: unknown } | null | undefined;
    return !(body === null || (typeof body === 'object' && body !== null && 'customer' in body && body.customer === null));
  }

  /** `GET /customers/{id}`, retried as any read; undefined when it could not be asked (a `LookupError`). */
  private async customerById(id: string): Promise<ApiResponse | undefined> {
    try {
      return await this.retrying(`GET /customers/${id}`, () => this.client.getCustomer(id));
    } catch (error) {
      if (error instanceof LookupError) return undefined;
      throw error;
    }
  }

  /**
   * What a crashed run's write, journaled as attempted at `attemptedAt`, did to the customer `id`,
   * which now holds the row's data: `created` when the API created it after that write left,
   * `updated` when it changed it after, else undefined (it was so before, or the API's answer does
   * not tell); never `created` when every such write was an update (`updateOnly`). Only a label is
   * at stake, so a failed look-up is undefined too.
   */
  async earlierWrite(id: string, attemptedAt: number, updateOnly = false): Promise<'created' | 'updated' | undefined> {
    const customer = await this.customer(id);
    if (!customer) return undefined;
    const since = attemptedAt - CLOCK_SKEW_MS;
    // An update creates nothing: a customer made just before it (within the clock allowance) was there already.
    if (!updateOnly && this.clock.createdSince(customer, attemptedAt) === true) return 'created';
    if (this.clock.ours(customer.updatedAt) >= since) return 'updated';
    return undefined;
  }

  /**
   * The customer holding this username, if any: an exact match or, as `caseMatch` allows, one that
   * differs only in case: `unique` takes the one such match among the results, `sole` only when it is
   * the sole result. A username with characters
   * that URL encoding changes (`@`, `+`, spaces) is looked up a second time with its value left
   * un-encoded inside the filter before it counts as absent, since the filter grammar is not
   * documented beyond its example. The answer is always checked here, so a loose filter cannot
   * produce a wrong match. An answer holding customers of other usernames (in any case) shows the
   * API ignores the filter, or does not read it: its first page says nothing of the customers past
   * it, so the username is looked for in the listing of every customer (see `listingSince`), read
   * once a run, and again when it started before `since` (when the customer must be there: a try
   * that may have landed, a refusal); every later look-up of the run goes there straight. In the
   * listing only an exact match counts, and a conflict's (`unique`) one differing in case; found, the
   * customer is fetched by id (one request a row, as the filter's would be). `deadline` (ms since the
   * epoch) is the row's, when the look-up is part of sending one; by default the policy's `maxRetryWaitMs` from now.
   */
  async findByUsername(username: string, options: { caseMatch?: CaseMatch; deadline?: number; since?: number } = {}): Promise<Customer | undefined> {
    const deadline = options.deadline ?? Date.now() + this.policy.maxRetryWaitMs;
    const caseMatch = options.caseMatch ?? 'exact';
    if (!this.usernameFilterIgnored) {
      for (const form of filterEncodings(username)) {
        const response = await this.retrying('GET /customers', () => this.client.findByUsername(username, form), deadline);
        // The raw form is a guess at a looser server: one that refuses it (`&` or `=` in a username
        // split the filter) has answered the documented form already, so its refusal means not found.
        if (response.status !== 200 && form === 'raw') break;
        if (response.status !== 200) throw new LookupError(`looking up ${JSON.stringify(username)}: ${apiErrorMessage(response)}`);
        const customers = customerList(response);
        // Only the documented form's answer tells: the raw one is a guess that may be read as another username (`a+b` as `a b`).
        if (form === 'qs' && customers.some((customer) => !isUsernameInAnyCase(customer, username))) {
          this.usernameFilterIgnored = true;
          const exact = customers.find((customer) => customer.username === username);
          if (exact) return exact;
          break;
        }
        const found = matchUsername(customers, username, caseMatch);
        if (found) return found;
      }
      if (!this.usernameFilterIgnored) return undefined;
    }
    const id = await this.listedId((spellings) => spellings.exact(username) ?? (caseMatch === 'unique' ? spellings.find(username)?.id : undefined), options.since ?? 0, deadline);
    if (id === undefined) return undefined;
    return this.heldCustomer(id, (held) => held === username || (caseMatch === 'unique' && held.toLowerCase() === username.toLowerCase()), deadline);
  }

  /** Whether the API ignores the `username[equals]` filter, as its answers have shown (see `findByUsername`). */
  get ignoresUsernameFilter(): boolean {
    return this.usernameFilterIgnored;
  }

  /**
   * A create without a username that may have landed (its answer lost, a 5xx, a run stopped before
   * the answer), sent first at `since`: `created` when exactly one customer with its name, email and
   * phone and no username was created since then (one look-up, newest first), else failed with its
   * outcome unknown, never sent again. Reported failed, such a row went to the errors file, and
   * importing that file created the customer a second time.
   * Except (`rule.earlier`: an earlier run's try, answered 5xx, of a row with an email or a phone that
   * no other row may share): undefined, to send it again, when the look-ups by its name, its email
   * and its phone find no customer at all created since it was sent (of any username, and none the
   * journal's run or this one gave another row). A customer that try made and someone changed since
   * (renamed, given a username, another phone) still holds one of the three, and keeps it failed.
   * A lost answer never (the request may have been written after); nor a row of a name alone, which
   * a rename alone hides.
   */
  private async lostWithoutUsername(input: CustomerInput, since: number | undefined, reason: string, rule: LostRule & { earlier: true }): Promise<SendOutcome | undefined>;
  private async lostWithoutUsername(input: CustomerInput, since: number | undefined, reason: string, rule?: LostRule & { earlier: false }): Promise<SendOutcome>;
  private async lostWithoutUsername(input: CustomerInput, since: number | undefined, reason: string, rule?: LostRule): Promise<SendOutcome | undefined> {
    const unknown: SendOutcome = { status: 'failed', error: OUTCOME_UNKNOWN(reason) };
    if (since === undefined || this.stopped) return unknown;
    const email = input.email === undefined ? undefined : normalizeEmail(input.email);
    // A field the customer lacks may come back null, absent or "" (the API document gives no types):
    // a row without an email or a phone is matched by a customer holding "" there, or its create
    // that landed was reported likely not created, and importing it again made it twice.
    const ours = (customer: Customer) =>
      !nonEmpty(customer.username) &&
      typeof customer.name === 'string' &&
      isSameName(customer.name, input.name) &&
      (nonEmpty(customer.email) ? normalizeEmail(customer.email) : undefined) === email &&
      isHeldPhone(customer.phoneNumber, input.phoneNumber) &&
      this.clock.createdSinceTry(customer, since) === true;
    // Sent again only by an earlier run's 5xx, for a row its email or phone tells apart from a renamed customer.
    const resendable = rule?.serverError === true && !rule.alike && (email !== undefined || input.phoneNumber !== undefined);
    /**
     * Customers created since (or when, unknown) holding its name, its email or its phone, not given
     * to another row: the one its try made may be among them, changed since.
     */
    const near = new Map<string, Customer>();
    /** Whether every look-up the rule needs was answered whole (fewer than a page: none past it). */
    let whole = true;
    const noteNear = (customers: Customer[], complete = customers.length < PAGE_SIZE) => {
      if (!resendable) return;
      if (!complete) whole = false;
      for (const customer of customers) {
        const id = String(customer.id);
        if (this.given.has(id) || this.earlier.has(id) || this.clock.knownCreatedBefore(customer, since)) continue;
        const holds =
          (typeof customer.name === 'string' && isSameName(customer.name, input.name)) ||
          (email !== undefined && holdsContact(customer, 'email', email)) ||
          (input.phoneNumber !== undefined && holdsContact(customer, 'phoneNumber', input.phoneNumber));
        if (holds) near.set(id, customer);
      }
    };
    // The raw form is a guess at a looser server (see `findByUsername`): asked only when the documented one finds none.
    let landed: Customer[] = [];
    // An answer holding customers of other names (an API that ignores the filter) is only its newest
    // page: the row's customer may be past it, so none found there says nothing (see `newestSince`).
    let unfiltered = this.searchFilterIgnored;
    let nameAnswered = false;
    for (const form of unfiltered ? [] : filterEncodings(input.name)) {
      let response: ApiResponse;
      try {
        response = await this.retrying('GET /customers', () => this.client.findNewestByName(input.name, form));
      } catch (error) {
        if (error instanceof LookupError) return unknown;
        throw error;
      }
      if (response.status !== 200) break;
      const customers = customerList(response);
      if (form === 'qs' && customers.some((customer) => !nameContains(customer, input.name))) {
        unfiltered = true;
        break;
      }
      nameAnswered = true;
      noteNear(customers);
      landed = customers.filter(ours);
      if (landed.length > 0) break;
    }
    // The name as written now may not be as it was sent (`JOSE PEREZ`, `José Pérez`), and the
    // filter compares it as written: asked once more by the email (or phone), if the API takes that;
    // by both when the row may be sent again, for a customer renamed and given another of the two.
    const contacts: { field: 'email' | 'phoneNumber'; value: string }[] = [
      ...(input.email !== undefined ? [{ field: 'email' as const, value: input.email }] : []),
      ...(input.phoneNumber !== undefined ? [{ field: 'phoneNumber' as const, value: input.phoneNumber }] : []),
    ];
    for (const contact of resendable ? contacts : contacts.slice(0, 1)) {
      if (unfiltered || landed.length > 0 || this.stopped) break;
      let answered = false;
      try {
        const response = await this.retrying('GET /customers', () => this.client.findNewestByContact(contact.field, contact.value));
        if (response.status === 200) {
          const customers = customerList(response);
          answered = true;
          if (customers.some((customer) => !holdsContact(customer, contact.field, contact.value))) unfiltered = true;
          else {
            noteNear(customers);
            landed = customers.filter(ours);
          }
        }
      } catch (error) {
        if (!(error instanceof LookupError)) throw error;
      }
      if (!answered) whole = false;
    }
    if (unfiltered) {
      this.searchFilterIgnored = true;
      // Stopping: the page read says nothing of the customers past it.
      if (this.stopped) return unknown;
      let newest: Customer[] | undefined;
      try {
        newest = await this.newestSince(since);
      } catch (error) {
        if (error instanceof LookupError) return unknown;
        throw error;
      }
      if (newest === undefined) {
        return {
          status: 'failed',
          error: OUTCOME_UNKNOWN(
            `${reason}; the API answers its look-up with customers of any name (it ignores the filter), and the customers created since it was sent could not all be read (more than ${NEWEST_PAGES * PAGE_SIZE}, or not listed newest first)`,
          ),
        };
      }
      // Every customer created since: the look-ups by name and contact are all answered by it.
      near.clear();
      whole = true;
      nameAnswered = true;
      noteNear(newest, true);
      landed = newest.filter(ours);
    }
    // Another row alike may own what was found: one given it, or one whose create is still unanswered.
    const found = landed.length;
    landed = landed.filter((customer) => !this.given.has(customer.id));
    const rival = landed.length > 0 && this.alikeInFlight.size > 0 && this.alikeInFlight.has(alikeKey(input));
    if (landed.length === 1 && !rival) {
      this.given.add(landed[0]!.id);
      return { status: 'created', customerId: landed[0]!.id };
    }
    const none = landed.length === 0 && found === 0;
    if (rule?.earlier && none && resendable && whole && nameAnswered && near.size === 0 && !this.stopped) return undefined;
    // Said as it stands after the look-up: a check the office is told to make was just made.
    const said =
      landed.length === 0
        ? `no customer with its name, email and phone was created since it was sent${found > 0 ? ' but those of other rows alike' : ''}, so it was likely not created`
        : rival
          ? 'a customer with its name, email and phone was created since it was sent while another row alike was being sent, and which row it is cannot be told'
          : `${landed.length} customers with its name, email and phone were created since it was sent, and which is this row's cannot be told`;
    if (none && near.size > 0) {
      // The customer that try made may be one of these, changed in Quentli since: sent again, it would be there twice.
      const ids = [...near.keys()];
      const shown = `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''}`;
      return {
        status: 'failed',
        error: `outcome unknown: ${reason}; no customer with its name, email and phone was created since it was sent, but ${ids.length === 1 ? 'one' : ids.length} created since ${ids.length === 1 ? 'holds' : 'hold'} its name, its email or its phone (${shown}) and may be it, changed in Quentli since: if it is, make it hold this row's name, email and phone and no username in Quentli, or give this row its username (the next run under this report name then finds it); if not, import this row in a file of its own under another --report`,
      };
    }
    // A 5xx of this run: the next run looks again, and sends it if nothing is found then either.
    const next =
      none && resendable && !rule.earlier
        ? 'the next run under this report name sends it again if Quentli then holds no customer created since with its name, its email or its phone'
        : 'check in Quentli, then import this row in a file of its own under another --report if it is missing';
    return { status: 'failed', error: `outcome unknown: ${reason}; ${said}, but without a username that is not certain: ${next}` };
  }

  /**
   * Every customer created since `since` (ms on our clock, allowing CLOCK_SKEW_MS), read newest
   * first page by page until one created before it: where a lost create without a username is, when
   * the API ignores the filter. Undefined when that cannot be read whole: more than NEWEST_PAGES
   * pages, or an answer not newest first (an API that ignores `orderBy` too), or a creation date
   * that cannot be read, so the end cannot be told. The reading stops at a customer created before
   * only as a clock that is read tells it (see `ApiClock.knownCreatedBefore`): against an API without a `Date` header,
   * ten minutes behind, the customer a try had written was dated before it, the reading stopped
   * short of it, and the row was sent again by the next run, a second customer.
   */
  private async newestSince(since: number): Promise<Customer[] | undefined> {
    const deadline = Date.now() + this.policy.maxRetryWaitMs;
    const found = new Map<string, Customer>();
    let previous = Number.POSITIVE_INFINITY;
    /** The longest page answered: the API's page size is at least that. */
    let longest = 0;
    for (let skip = 0, pages = 0; pages < NEWEST_PAGES; pages++) {
      const response = await this.retrying('GET /customers', () => this.client.listNewest(skip, PAGE_SIZE), deadline);
      if (response.status !== 200) return undefined;
      const page = customerList(response);
      if (page.length === 0) return [...found.values()];
      // Shorter than a page answered before: the list ends here. In an organization whose every
      // customer was created since (a first import), the customers this run creates meanwhile push
      // the oldest down into a page of its own, again and again: read on, the pages ran out.
      const ends = page.length < longest;
      longest = Math.max(longest, page.length);
      for (const customer of page) {
        // Customers created while the pages are read push the older ones down: seen twice, never missed.
        if (found.has(String(customer.id))) continue;
        // The order on the API's clock: our reading of it moves with each answer's Date header.
        const createdAt = apiTime(customer.createdAt);
        if (Number.isNaN(createdAt) || createdAt > previous) return undefined;
        previous = createdAt;
        if (this.clock.knownCreatedBefore(customer, since)) return [...found.values()];
        found.set(String(customer.id), customer);
      }
      if (ends) return [...found.values()];
      skip += page.length;
    }
    return undefined;
  }

  /** One page of customers, oldest first. */
  async listPage(skip: number, take: number, deadline?: number): Promise<Customer[]> {
    const response = await this.retrying('GET /customers', () => this.client.listCustomers(skip, take), deadline);
    if (response.status !== 200) throw new LookupError(`listing customers: ${apiErrorMessage(response)}`);
    return customerList(response);
  }

  /**
   * The answer to one cheap listing (a refused key throws `ApiKeyError`); retried like any read. An
   * answer without a `Date` header has the API's clock read next, before any create (see `readNewest`).
   */
  async checkAccess(): Promise<ApiResponse> {
    const response = await this.retrying('GET /customers', () => this.client.probe(), undefined, Math.min(this.policy.maxAttempts, KEY_CHECK_ATTEMPTS));
    this.keyAccepted = true;
    if (response.status === 200 && !this.clock.dateHeaderRead) await this.readNewest();
    return response;
  }

  /**
   * Whether the key is still accepted, after a 401 or 403 answered one request of a run whose key
   * check passed: one `GET /customers?take=1` (shared by every request refused meanwhile) says.
   * Never rejects (see `askKeyAgain`).
   */
  private keyStillAccepted(): Promise<boolean> {
    this.keyProbe ??= this.askKeyAgain().catch(() => false);
    const probe = this.keyProbe;
    void probe.finally(() => {
      if (this.keyProbe === probe) this.keyProbe = undefined;
    });
    return probe;
  }

  /**
   * The key asked about again, as the key check asks (KEY_CHECK_ATTEMPTS tries, through the
   * throttle's pause and pace): a 429, a 408, a 5xx or no answer says nothing of the key, and is
   * asked again; any other answer below 400 is the key accepted, and a 401/403 (or anything else,
   * or no answer in time) the key refused. Asked once past the throttle, a run at its rate limit
   * got a 429 here, and a row a firewall refused stopped the run, saying to check the key.
   */
  private async askKeyAgain(): Promise<boolean> {
    const deadline = Date.now() + this.policy.maxRetryWaitMs;
    for (let attempt = 1; attempt <= KEY_CHECK_ATTEMPTS; attempt++) {
      if (attempt > 1 && !(await this.backoff(attempt, deadline))) return false;
      if ((await this.throttle.ready(deadline)) !== undefined || this.stopped) return false;
      let response: ApiResponse;
      try {
        response = await this.client.probe();
      } catch (error) {
        if (error instanceof TransportError) continue;
        throw error;
      }
      if (response.status === 429) {
        this.throttle.rateLimited(response.retryAfterMs);
        continue;
      }
      if (response.status === REQUEST_TIMEOUT || response.status >= 500) continue;
      return response.status < 400;
    }
    return false;
  }

  /** A request safe to repeat, retried until it gets an answer that is not 408, 429 or 5xx. */
  private async retrying(what: string, call: () => Promise<ApiResponse>, deadline = Date.now() + this.policy.maxRetryWaitMs, maxAttempts = this.policy.maxAttempts): Promise<ApiResponse> {
    let lastReason = '';
    let answered = false;
    let lastStatus: number | undefined;
    let rateLimited = 0; // 429s are no failed tries (see `create`)
    for (let attempt = 1; attempt <= maxAttempts + rateLimited; attempt++) {
      if (attempt > 1 && !(await this.backoff(attempt - rateLimited, deadline))) break;
      const result = await this.attempt(call, deadline);
      if (result.kind === 'late') {
        // The last answer (a 429, a 503) is what stopped it; the pause it left is why it was not asked again.
        throw new LookupError(lastReason === '' ? `${what} not sent: ${result.reason}` : `${what}: ${lastReason}; not asked again: ${result.reason}`, true, lastStatus);
      }
      if (result.kind === 'lost') {
        // An untrusted certificate or a proxy's refusal: five more tries cost 8 s of backoff to say the same.
        if (result.error.lasting) throw new LookupError(`${what}: ${result.error.message}`, false);
        lastReason = result.error.message;
        answered = false;
        lastStatus = undefined;
        continue;
      }
      if (result.response.status === REQUEST_TIMEOUT || result.response.status === 429 || result.response.status >= 500) {
        lastReason = apiErrorMessage(result.response);
        answered = true;
        lastStatus = result.response.status;
        const late = waitPastDeadline(result.response, deadline);
        if (late) throw new LookupError(`${what}: ${late}`, true, lastStatus);
        if (lastStatus === 429) rateLimited++;
        continue;
      }
      return result.response;
    }
    throw new LookupError(`${what} gave up after retries: ${lastReason}`, answered, lastStatus);
  }

  /**
   * One request through the throttle, unless it could not start before `deadline`; `beforeSend`
   * runs just before it leaves, `nothingWritten` once it is known to have written nothing (it never
   * reached the server, or a 4xx came back). A refused key stops everyone.
   */
  private async attempt(call: () => Promise<ApiResponse>, deadline: number, beforeSend?: () => void, nothingWritten?: () => void): Promise<Attempt> {
    if (this.stopped) throw this.stopped;
    const late = await this.throttle.ready(deadline);
    if (this.stopped) throw this.stopped;
    if (late !== undefined) return { kind: 'late', reason: late };
    beforeSend?.();
    // A stretch with nothing in flight, longer than any backoff, since the last failure (rows refused
    // or already done, a row that gave up without asking again): failures after it start a new count.
    if (this.failingSince !== undefined && this.inFlight === 0 && Date.now() - this.lastFailureAt > Math.min(this.policy.maxDelayMs, this.policy.maxRetryWaitMs)) {
      this.failingSince = undefined;
    }
    let response: ApiResponse;
    this.inFlight++;
    try {
      response = await call();
    } catch (error) {
      if (error instanceof TransportError) {
        if (!error.reachedServer) nothingWritten?.();
        // One our own stop cut (an interruption's grace period over) is no failure of the API's.
        if (!this.stopped) {
          this.requestFailures.noAnswer++;
          this.onRequestFailure(error.message);
        }
        this.checkOutage(error.message);
        return { kind: 'lost', error };
      }
      throw error;
    } finally {
      this.inFlight--;
    }
    if (response.status >= 500) {
      const reason = apiErrorMessage(response);
      this.requestFailures.serverError++;
      this.onRequestFailure(reason);
      this.checkOutage(reason);
    } else this.failingSince = undefined;
    if (response.status >= 400 && response.status < 500) nothingWritten?.();
    if (response.status === 401 || response.status === 403) {
      // A firewall in front of the API (Cloudflare's "Attention Required", AWS WAF) refuses a request
      // whose content it dislikes with a 403: taken for a refused key, one row's name stopped a
      // nightly run at the same row every night, saying to check the key. Once the key check has
      // passed, the key is asked about again: still accepted, only this request was refused.
      const accepted = this.keyAccepted && (await this.keyStillAccepted());
      if (this.stopped) throw this.stopped;
      if (!accepted) {
        const error = new ApiKeyError(response.status, apiReason(response) ?? '');
        this.stop(error);
        throw error;
      }
      response = { ...response, keyAccepted: true };
    }
    if (response.status === 429) {
      this.requestFailures.rateLimited++;
      this.onRequestFailure(apiErrorMessage(response));
      this.checkRateLimit(response);
      this.throttle.rateLimited(response.retryAfterMs);
    } else {
      this.limitedSince = undefined;
      // A 503's Retry-After says when the service will be back: no one asks before then. The wait
      // is part of the failure, not a quiet stretch that would start the outage count again.
      if (response.status === 503 && response.retryAfterMs !== undefined) {
        this.checkRetryAfter(response.retryAfterMs, 503);
        this.throttle.pause(response.retryAfterMs);
        this.lastFailureAt = Math.max(this.lastFailureAt, Date.now() + response.retryAfterMs);
      }
      this.throttle.succeeded();
    }
    return { kind: 'answer', response };
  }

  /**
   * Stops the run when every request has failed for as long as a row may retry, counted from the
   * first failure after the last useful answer or after a quiet stretch (see `attempt`): each row
   * of a nightly file would otherwise spend its own retries on an API that is down (hours for a
   * large file, the next night's run refused meanwhile). Exit 2, and the same command resumes.
   */
  private checkOutage(reason: string): void {
    // Our own stop cuts the requests in flight: that is no outage.
    if (this.stopped) return;
    const now = Date.now();
    this.lastFailureAt = now;
    this.failingSince ??= now;
    const silentMs = now - this.failingSince;
    if (silentMs <= this.policy.maxRetryWaitMs) return;
    const outage = new ImportError(
      'api_unreachable',
      `every request to the API has failed for ${Math.round(silentMs / 1000)} s (lost connections, timeouts or server errors; the last: ${reason}): the run stops here; run the same command again once it is back, to resume`,
    );
    this.stop(outage);
    throw outage;
  }

  /**
   * Stops the run when the API asks for a pause longer than a row may wait, or has answered only
   * 429 for that long: every row left would fail, one by one, for as long as it lasts (an API
   * answering only 429 kept a run going for days), where stopping leaves them `not_attempted` for
   * the next run to resume.
   */
  private checkRateLimit(response: ApiResponse): void {
    if (this.stopped) return;
    if (response.retryAfterMs !== undefined) this.checkRetryAfter(response.retryAfterMs, 429);
    const now = Date.now();
    this.limitedSince ??= now;
    const limitedMs = now - this.limitedSince;
    if (limitedMs <= this.policy.maxRetryWaitMs) return;
    const error = new ImportError(
      'rate_limited',
      `the API has answered only 429 (too many requests) for ${Math.round(limitedMs / 1000)} s: the run stops here; run the same command again later (or with a lower --concurrency), to resume`,
    );
    this.stop(error);
    throw error;
  }

  /** Stops the run at a `Retry-After` longer than any row may wait (see checkRateLimit). */
  private checkRetryAfter(retryAfterMs: number, status: 429 | 503): void {
    if (this.stopped || retryAfterMs <= this.policy.maxRetryWaitMs) return;
    const answer = status === 429 ? 'answered 429 (too many requests)' : 'is unavailable (503)';
    const error = new ImportError(
      status === 429 ? 'rate_limited' : 'api_unreachable',
      `the API ${answer} and asks to wait ${seconds(retryAfterMs)} (Retry-After), longer than a row may wait (${seconds(this.policy.maxRetryWaitMs)}, --max-retry-wait): the run stops here; run the same command again after that, to resume`,
    );
    this.stop(error);
    throw error;
  }

  /** Sleeps a full-jitter backoff before attempt `attempt`; false when that would pass the deadline. */
  private async backoff(attempt: number, deadline: number): Promise<boolean> {
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 2));
    const delay = Math.random() * ceiling;
    if (Date.now() + delay > deadline) return false;
    await this.throttle.sleep(delay);
    if (this.stopped) throw this.stopped;
    return true;
  }
}

/** A look-up that could not be answered: the row's fate cannot be decided, so it fails with this reason. */
export class LookupError extends Error {
  /**
   * `answered`: the API did answer (429, 5xx, or a pause it asked for ran out the time), so it was
   * reached; `lastStatus`: its last answer's status (429: it was rate limiting).
   */
  constructor(
    message: string,
    readonly answered = false,
    readonly lastStatus?: number,
  ) {
    super(message);
    this.name = 'LookupError';
  }
}

/**
 * Why a row cannot wait for this answer's `Retry-After` (429 or 503): it reaches past the row's
 * deadline. Undefined when it can, or when there is none.
 */
function waitPastDeadline(response: ApiResponse, deadline: number): string | undefined {
  const wait = response.retryAfterMs;
  if (wait === undefined || (response.status !== 429 && response.status !== 503)) return undefined;
  const left = deadline - Date.now();
  if (wait <= left) return undefined;
  return `${apiErrorMessage(response)}; its Retry-After (${seconds(wait)}) is longer than the ${seconds(Math.max(0, left))} left of the retry wait (--max-retry-wait)`;
}

/** A row without a username as its lost answer's look-up compares customers: name (case, accents, spacing aside), email and phone. */
function alikeKey(input: CustomerInput): string {
  return `${comparableName(input.name)}\u0000${input.email === undefined ? '' : normalizeEmail(input.email)}\u0000${input.phoneNumber ?? ''}`;
}

/** Whether a customer a `name[contains]` look-up answered holds the name (case, accents and spacing aside): one that does not shows the filter was ignored. */
function nameContains(customer: Customer, name: string): boolean {
  return typeof customer.name === 'string' && comparableName(customer.name).includes(comparableName(name));
}

/** Whether a customer an `email[equals]` or `phoneNumber[equals]` look-up answered holds that email (in any case) or phone (in any format). */
function holdsContact(customer: Customer, field: 'email' | 'phoneNumber', value: string): boolean {
  if (field === 'phoneNumber') return isHeldPhone(customer.phoneNumber, value);
  return nonEmpty(customer.email) && normalizeEmail(customer.email) === normalizeEmail(value);
}

/**
 * What a lost create without a username may do (see `Sender.lostWithoutUsername`): `serverError`,
 * its try was answered 5xx (not a 504); `earlier`, that try was an earlier run's, so the row may be
 * sent again; `alike`, other rows of the file may share its name, email and phone.
 */
interface LostRule {
  serverError: boolean;
  earlier: boolean;
  alike: boolean;
}

/** Which look-up answer may differ from the username in case (see `findByUsername`). */
type CaseMatch = 'exact' | 'unique' | 'sole';

/**
 * Whether a customer an `equals` look-up answered holds `username` in some case, its accents composed
 * or not (an API that composes what it compares, asked for `josé` as a Mac writes it): one that
 * does not shows the filter was ignored.
 */
function isUsernameInAnyCase(customer: Customer, username: string): boolean {
  return typeof customer.username === 'string' && composed(customer.username).toLowerCase() === composed(username).toLowerCase();
}

function matchUsername(customers: Customer[], username: string, caseMatch: CaseMatch): Customer | undefined {
  const exact = customers.find((customer) => customer.username === username);
  if (exact || caseMatch === 'exact' || (caseMatch === 'sole' && customers.length !== 1)) return exact;
  const lower = username.toLowerCase();
  const loose = customers.filter((customer) => typeof customer.username === 'string' && customer.username.toLowerCase() === lower);
  return loose.length === 1 ? loose[0] : undefined;
}
