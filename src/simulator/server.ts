import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mergeFaults, NO_FAULTS, SlidingWindowLimiter } from './faults.js';
import type { FaultOptions } from './faults.js';
import { mulberry32 } from './prng.js';
import { parseListQuery } from './query.js';
import { createBodySchema, describeIssues, updateBodySchema } from './schemas.js';
import { CustomerStore, type Customer } from './store.js';

/** The routes the simulator counts requests by; `other` is anything unknown or with a wrong method. */
export type RouteKey = 'POST /customers' | 'GET /customers' | 'GET /customers/:id' | 'PATCH /customers/:id' | 'other';

/** One handled request, for `onRequest` (the CLI's `--verbose`). */
export interface RequestEvent {
  method: string;
  url: string;
  /** The HTTP status answered, `cut` (socket destroyed after a create), `hang` (never answered) or `stall` (the body stopped half-way). */
  outcome: number | 'cut' | 'hang' | 'stall';
  durationMs: number;
}

/** How the simulator behaves: the API keys, the organization, the random seed and the faults. */
export interface SimulatorOptions extends Partial<FaultOptions> {
  /** Accepted API keys; each must start with `sk_`. Default `['sk_test_simulator']`. */
  apiKeys?: string[];
  /** `organizationId` of every customer. Default `org_simulator`. */
  organizationId?: string;
  /** Seed of every random choice (faults, jitter, ids). Default: a random one (see `RunningSimulator.seed`). */
  seed?: number;
  /** Customers to pre-load, validated like POST inputs. Default none. */
  customers?: readonly unknown[];
  /**
   * A username is taken by any spelling of it in another case, each kept as written, while the
   * `username[equals]` filter still compares case. Default false: usernames compare exactly.
   */
  usernamesIgnoreCase?: boolean;
  /**
   * Phones are answered without their `+` (`525512345678`), stored and filtered as sent: the
   * document does not say how the API writes a phone back. Default false: as sent (E.164).
   */
  phonesWithoutPlus?: boolean;
  /**
   * `GET /customers` answers as if no `filter` were given (every customer, paged by `skip` and
   * `take`, in `orderBy`'s order): an API that ignores the filter, or does not understand the
   * documented grammar, which the document does not rule out. A filter it cannot parse (an unknown
   * field) is still refused 400. Default false: the filter is applied.
   */
  ignoreFilter?: boolean;
  /**
   * A taken username is refused (with `conflictStatus`) with an empty body: no message says why.
   * Default false: `{"error": {"code": "conflict", "message": "username already exists"}}`.
   */
  conflictWithoutReason?: boolean;
  /**
   * A create whose username is taken is answered 200 with the customer holding it, as a create
   * would be (a create that finds before it creates: the document gives no status for a taken
   * username). An update to a taken username is still refused with `conflictStatus`. Default false.
   */
  answerTakenWithHolder?: boolean;
  /**
   * How far the simulator's clock runs ahead of this machine's, in ms (negative: behind), as a
   * server's may: `createdAt`, `updatedAt` and the `Date` header are written by it. Default 0.
   */
  clockOffsetMs?: number;
  /** Answers carry no `Date` header (the document promises none), so a client cannot read the API's clock from them. Default false. */
  withoutDateHeader?: boolean;
  /** Called once per request after it is answered, cut, or hung. Keep it cheap. */
  onRequest?: (event: RequestEvent) => void;
}

/** A phone without its leading `+` (`phonesWithoutPlus`). */
function withoutPlus(phone: string | null): string | null {
  return phone?.startsWith('+') ? phone.slice(1) : phone;
}

/** Largest request body accepted; a larger one is answered 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** `StartSimulatorOptions`' own names, besides the faults'. */
const START_OPTIONS: ReadonlySet<string> = new Set(['apiKeys', 'organizationId', 'seed', 'customers', 'usernamesIgnoreCase', 'phonesWithoutPlus', 'ignoreFilter', 'conflictWithoutReason', 'answerTakenWithHolder', 'clockOffsetMs', 'withoutDateHeader', 'onRequest', 'port', 'host']);

/** Where the simulator listens. */
export interface StartSimulatorOptions extends SimulatorOptions {
  /** Port to listen on. Default 0 (an ephemeral port). */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
}

/** Live counters; the object is updated in place, so a reference stays current. */
export interface SimulatorStats {
  /** Every request received, whatever happened to it. */
  requests: number;
  byRoute: Record<RouteKey, number>;
  /** Answers sent, by HTTP status (cut and hung requests are not here). */
  byStatus: Record<number, number>;
  /** Creates plus updates that were stored (including cut creates). */
  writes: number;
  creates: number;
  updates: number;
  /** Requests received and not yet answered (or abandoned by the client). */
  inFlight: number;
  /** The highest `inFlight` seen since start or the last `resetStats()`. */
  maxInFlight: number;
  /** Creates stored whose socket was then destroyed. */
  cuts: number;
  /** Requests answered 429 (by `rateLimit`, `rateLimitedFirst` or `random429Rate`). */
  rateLimited: number;
  /** Requests answered 500/502/503 by `errorRate`. */
  injectedErrors: number;
  /** Creates stored, then answered 500/502/503 by `errorAfterCreateRate`. */
  errorsAfterCreate: number;
  /** Requests left unanswered by `hangRate`. */
  hangs: number;
  /** Answers stopped half-way through their body by `stallBodyRate`. */
  stalls: number;
}

/** A started simulator. */
export interface RunningSimulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:43123/v1`. */
  url: string;
  /** The first accepted API key. */
  apiKey: string;
  /** The seed in use, to reproduce a run. */
  seed: number;
  /** The customers, for tests to read or pre-load (`store.seed`). */
  store: CustomerStore;
  stats: SimulatorStats;
  /** The faults now in force. */
  readonly faults: Readonly<FaultOptions>;
  /** Change faults while running; omitted ones stay as they are. */
  setFaults(faults: Partial<FaultOptions>): void;
  /** Zero every counter (`maxInFlight` restarts from the requests now in flight). */
  resetStats(): void;
  /** Stop listening and destroy every open socket, including keep-alive and hung ones. */
  close(): Promise<void>;
}

const DEFAULT_API_KEY = 'sk_test_simulator';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
/** Refuses bytes that are not UTF-8 rather than storing U+FFFD in their place; a BOM is kept, so still refused as JSON. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const INJECTED_STATUSES = [500, 502, 503] as const;
const INJECTED_CODES: Record<number, string> = { 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable' };

type Route =
  | { key: 'POST /customers' }
  | { key: 'GET /customers' }
  | { key: 'GET /customers/:id'; id: string }
  | { key: 'PATCH /customers/:id'; id: string }
  | { key: 'other'; status: 404 | 405; allow?: string };

type Fault = { kind: 'none' } | { kind: 'rate'; retryAfterSeconds: number } | { kind: 'error'; status: number };

interface Answer {
  status: number;
  body: string;
  headers?: OutgoingHttpHeaders;
  /** A stored create that `cutAfterCreateRate` may cut or `errorAfterCreateRate` answer with a 5xx. */
  created?: boolean;
}

function newStats(): SimulatorStats {
  return {
    requests: 0,
    byRoute: { 'POST /customers': 0, 'GET /customers': 0, 'GET /customers/:id': 0, 'PATCH /customers/:id': 0, other: 0 },
    byStatus: {},
    writes: 0,
    creates: 0,
    updates: 0,
    inFlight: 0,
    maxInFlight: 0,
    cuts: 0,
    rateLimited: 0,
    injectedErrors: 0,
    errorsAfterCreate: 0,
    hangs: 0,
    stalls: 0,
  };
}

function errorBody(code: string, message: string, extra?: Record<string, unknown>): string {
  return JSON.stringify({ error: { code, message, ...extra } });
}

function errorAnswer(status: number, code: string, message: string, extra?: Record<string, unknown>): Answer {
  return { status, body: errorBody(code, message, extra) };
}

function matchRoute(method: string, path: string): Route {
  if (path === '/v1/customers') {
    if (method === 'POST') return { key: 'POST /customers' };
    if (method === 'GET') return { key: 'GET /customers' };
    return { key: 'other', status: 405, allow: 'GET, POST' };
  }
  if (path.startsWith('/v1/customers/')) {
    const raw = path.slice('/v1/customers/'.length);
    if (raw !== '' && !raw.includes('/')) {
      let id: string;
      try {
        id = decodeURIComponent(raw);
      } catch {
        return { key: 'other', status: 404 };
      }
      if (method === 'GET') return { key: 'GET /customers/:id', id };
      if (method === 'PATCH') return { key: 'PATCH /customers/:id', id };
      return { key: 'other', status: 405, allow: 'GET, PATCH' };
    }
  }
  return { key: 'other', status: 404 };
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * Start the Quentli API simulator: a real HTTP server on loopback implementing the four customer
 * endpoints strictly over an in-memory store, with optional fault injection.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  // A misspelt option (`latency` for `latencyMs`) would start a simulator without the fault a test relies on.
  const unknown = Object.keys(options).filter((name) => !START_OPTIONS.has(name) && !(name in NO_FAULTS));
  if (unknown.length > 0) throw new TypeError(`unknown simulator option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_API_KEY];
  for (const key of apiKeys) {
    if (!key.startsWith('sk_')) throw new TypeError(`API keys start with "sk_"; refusing "${key.slice(0, 3)}…"`);
  }
  const acceptedKeys = new Set(apiKeys);
  const seed = options.seed ?? randomInt(2 ** 31);
  const faultRandom = mulberry32(seed);
  const latencyRandom = mulberry32(seed ^ 0x5bd1e995);
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  if (!Number.isFinite(clockOffsetMs)) throw new RangeError(`clockOffsetMs must be a finite number of ms, got ${String(clockOffsetMs)}`);
  const now = () => Date.now() + clockOffsetMs;
  const store = new CustomerStore(options.organizationId ?? 'org_simulator', mulberry32(seed ^ 0x9e3779b9), { usernamesIgnoreCase: options.usernamesIgnoreCase === true, now });
  if (options.customers) store.seed(options.customers);
  const phonesWithoutPlus = options.phonesWithoutPlus === true;
  /** A customer as answered: as stored, or with its phones without their `+` (`phonesWithoutPlus`). */
  const shown = (customer: Customer): Customer =>
    phonesWithoutPlus ? { ...customer, phoneNumber: withoutPlus(customer.phoneNumber), secondaryPhoneNumber: withoutPlus(customer.secondaryPhoneNumber) } : customer;
  const ignoreFilter = options.ignoreFilter === true;
  /** The refusal of a taken username: the usual message, or an empty body (`conflictWithoutReason`). */
  const conflictAnswer = (): Answer =>
    options.conflictWithoutReason === true ? { status: faults.conflictStatus, body: '' } : errorAnswer(faults.conflictStatus, 'conflict', 'username already exists');
  const shownOrNull = (customer: Customer | undefined): Customer | null => (customer === undefined ? null : shown(customer));
  const onRequest = options.onRequest;

  // Every fault option given, by the names NO_FAULTS lists: a new fault needs no line here.
  const givenFaults = Object.fromEntries(Object.keys(NO_FAULTS).map((name) => [name, options[name as keyof FaultOptions]]));
  let faults = mergeFaults({ ...NO_FAULTS }, givenFaults);
  let limiter = faults.rateLimit > 0 ? new SlidingWindowLimiter(faults.rateLimit) : undefined;
  let spentLimitLeft = faults.rateLimitedFirst;
  const stats = newStats();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function decideFault(): Fault | 'hang' {
    if (faults.hangRate > 0 && faultRandom() < faults.hangRate) return 'hang';
    if (spentLimitLeft > 0) {
      spentLimitLeft--;
      return { kind: 'rate', retryAfterSeconds: 1 };
    }
    if (faults.random429Rate > 0 && faultRandom() < faults.random429Rate) {
      return { kind: 'rate', retryAfterSeconds: Math.ceil(faults.random429RetryAfter) };
    }
    if (limiter) {
      const decision = limiter.tryAdmit(Date.now());
      if (!decision.admitted) return { kind: 'rate', retryAfterSeconds: decision.retryAfterSeconds };
    }
    if (faults.errorRate > 0 && faultRandom() < faults.errorRate) {
      return { kind: 'error', status: injectedStatus() };
    }
    return { kind: 'none' };
  }

  function injectedStatus(): number {
    return INJECTED_STATUSES[Math.floor(faultRandom() * INJECTED_STATUSES.length)] ?? 500;
  }

  /** A 500, 502 or 503 as `errorRate` and `errorAfterCreateRate` send them. */
  function failureAnswer(status: number, message: string): Answer {
    const result = errorAnswer(status, INJECTED_CODES[status] ?? 'internal_error', message);
    if (status === 503 && faults.unavailableRetryAfter > 0) result.headers = { 'retry-after': String(Math.ceil(faults.unavailableRetryAfter)) };
    return result;
  }

  function latency(): number {
    const { latencyMs, latencyJitterMs } = faults;
    if (latencyJitterMs <= 0) return latencyMs;
    return Math.max(0, latencyMs + (latencyRandom() * 2 - 1) * latencyJitterMs);
  }

  /** Everything after the faults: auth, routing, payload, store. */
  function answer(req: IncomingMessage, route: Route, search: string, body: Buffer | undefined): Answer {
    const authorization = req.headers.authorization;
    if (authorization === undefined) return errorAnswer(401, 'unauthorized', 'missing Authorization header (Bearer <API key>)');
    // The scheme in any case (`bearer sk_…`: RFC 9110, 11.1; the API document does not say otherwise).
    // A header in another form (the bare key, Basic) is refused saying so, not called missing: the client did send one.
    const bearer = /^bearer +(.*)$/i.exec(authorization);
    if (!bearer) return errorAnswer(401, 'unauthorized', 'Authorization must be "Bearer <API key>"');
    if (!acceptedKeys.has(bearer[1]!.trim())) return errorAnswer(401, 'unauthorized', 'invalid API key');
    if (route.key === 'other') {
      if (route.status === 405) {
        return { ...errorAnswer(405, 'method_not_allowed', `${req.method} not allowed here`), headers: { allow: route.allow } };
      }
      return errorAnswer(404, 'not_found', `no route ${req.method} ${req.url}`);
    }
    if (route.key === 'GET /customers') {
      const parsed = parseListQuery(search);
      if (!parsed.ok) return errorAnswer(400, 'invalid_query', parsed.message);
      const { conditions, order, skip, take } = parsed.query;
      const size = faults.pageSizeCap > 0 ? Math.min(take, Math.floor(faults.pageSizeCap)) : take;
      return { status: 200, body: JSON.stringify(store.list(ignoreFilter ? [] : conditions, order, skip, size).map(shown)) };
    }
    if (route.key === 'GET /customers/:id') {
      return { status: 200, body: JSON.stringify(shownOrNull(store.byId(route.id))) };
    }

    // POST and PATCH carry a JSON body.
    if (body === undefined) return errorAnswer(413, 'payload_too_large', `body larger than ${MAX_BODY_BYTES} bytes`);
    if (!isJsonContentType(req.headers['content-type'])) {
      return errorAnswer(415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    // JSON travels as UTF-8 (RFC 8259). Decoded leniently, a client's Latin-1 `José` was stored
    // as `Jos\uFFFD` and answered 201: its data corrupted without a word.
    let text: string;
    try {
      text = STRICT_UTF8.decode(body);
    } catch {
      return errorAnswer(400, 'invalid_json', 'body is not UTF-8 text (JSON is sent as UTF-8)');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return errorAnswer(400, 'invalid_json', body.length === 0 ? 'a JSON body is required' : 'body is not valid JSON');
    }

    if (route.key === 'POST /customers') {
      const parsed = createBodySchema.safeParse(json);
      if (!parsed.success) {
        const { message, issues } = describeIssues(parsed.error);
        return errorAnswer(400, 'validation_error', message, { issues });
      }
      const result = store.create(parsed.data.input);
      if (!result.ok) {
        return options.answerTakenWithHolder === true && result.holder ? { status: 200, body: JSON.stringify({ customer: shown(result.holder) }) } : conflictAnswer();
      }
      stats.creates++;
      stats.writes++;
      return { status: 201, body: JSON.stringify({ customer: shown(result.customer) }), created: true };
    }

    // route.key is 'PATCH /customers/:id' from here on.
    const parsed = updateBodySchema.safeParse(json);
    if (!parsed.success) {
      const { message, issues } = describeIssues(parsed.error);
      return errorAnswer(400, 'validation_error', message, { issues });
    }
    const data = parsed.data.input.data;
    if (data.meta !== undefined && data.metadata !== undefined) {
      return errorAnswer(400, 'validation_error', 'input.data: give metadata or meta, not both', {
        issues: [{ path: ['input', 'data'], code: 'custom', message: 'give metadata or meta, not both' }],
      });
    }
    const result = store.update(route.id, data);
    if (!result.ok) {
      return result.reason === 'not_found'
        ? errorAnswer(404, 'not_found', `customer ${route.id} not found`)
        : conflictAnswer();
    }
    stats.updates++;
    stats.writes++;
    return { status: 200, body: JSON.stringify({ customer: shown(result.customer) }) };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const startedAt = performance.now();
    stats.requests++;
    stats.inFlight++;
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
    let open = true;
    const settle = () => {
      if (!open) return;
      open = false;
      stats.inFlight--;
    };
    res.once('close', settle);

    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const question = url.indexOf('?');
    const path = question < 0 ? url : url.slice(0, question);
    const search = question < 0 ? '' : url.slice(question + 1);
    const route = matchRoute(method, path);
    stats.byRoute[route.key]++;

    const report = (outcome: RequestEvent['outcome']) =>
      onRequest?.({ method, url, outcome, durationMs: performance.now() - startedAt });

    const fault = decideFault();
    if (fault === 'hang') {
      // Never answer: the client times out, or close() destroys the socket.
      stats.hangs++;
      req.resume();
      report('hang');
      return;
    }

    const send = (result: Answer) => {
      if (!open) return; // the client is gone; the work (and any write) is done regardless
      // Node writes the Date header by this machine's clock: the simulator's own is written instead, or none.
      res.sendDate = false;
      const date = options.withoutDateHeader === true ? {} : { date: new Date(now()).toUTCString() };
      res.writeHead(result.status, { ...JSON_HEADERS, ...date, 'content-length': Buffer.byteLength(result.body), ...result.headers });
      if (faults.stallBodyRate > 0 && faultRandom() < faults.stallBodyRate) {
        // Left open until the client gives up or close() destroys the socket.
        res.write(result.body.slice(0, Math.floor(result.body.length / 2)));
        stats.stalls++;
        report('stall');
        return;
      }
      res.end(result.body);
      stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
      settle();
      report(result.status);
    };

    const cut = () => {
      req.socket.destroy();
      settle();
      report('cut');
    };

    /** Does the request's work (the store changes now, as a real server's would) and returns how its answer leaves. */
    const work = (body: Buffer | undefined): (() => void) => {
      if (fault.kind === 'rate') {
        stats.rateLimited++;
        const answer429 = {
          ...errorAnswer(429, 'rate_limited', `too many requests; retry after ${fault.retryAfterSeconds} s`),
          headers: { 'retry-after': String(fault.retryAfterSeconds) },
        };
        return () => send(answer429);
      }
      if (fault.kind === 'error') {
        stats.injectedErrors++;
        const failure = failureAnswer(fault.status, 'simulated server failure');
        return () => send(failure);
      }
      const result = answer(req, route, search, body);
      if (result.created && faults.cutAfterCreateRate > 0 && faultRandom() < faults.cutAfterCreateRate) {
        stats.cuts++;
        return cut;
      }
      if (result.created && faults.errorAfterCreateRate > 0 && faultRandom() < faults.errorAfterCreateRate) {
        stats.errorsAfterCreate++;
        const failure = failureAnswer(injectedStatus(), 'simulated server failure after the write');
        return () => send(failure);
      }
      return () => send(result);
    };

    // Read the whole body first (also for faults, so keep-alive connections stay in step).
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('error', () => {
      // The client went away mid-body: 'close' on res already took it out of flight.
    });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('end', () => {
      const body = size > MAX_BODY_BYTES ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      // The work is done on arrival and only the answer waits: done after the wait, it added its
      // time to every answer (0.4 ms at concurrency 1 and 1.7 ms at 32 on the 2-core VM, where
      // answers due together queued behind each other's work).
      const leave = work(body);
      const delay = latency();
      if (delay <= 0) {
        leave();
        return;
      }
      // The latency counts from the request's arrival, and no answer leaves before it has passed.
      // Node fires a timer by its loop clock, in whole ms as read when the loop last woke, which
      // runs up to a millisecond or more behind: a plain setTimeout(delay) answered up to 0.8 ms
      // early (337 of 5,120 requests at concurrency 32). Hence the check against performance.now()
      // that waits again when it fires early. No margin on top: a spare millisecond on every answer
      // held them 1.5 ms late on average, 7% of a 20 ms latency. Whole ms only: Node keeps one timer
      // list per duration, and a fractional duration per request (a list each) cut the throughput
      // at concurrency 32 by a third.
      const dueAt = startedAt + delay;
      const wait = () => {
        const left = dueAt - performance.now();
        if (left <= 0) {
          leave();
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          wait();
        }, Math.ceil(left));
        timers.add(timer);
      };
      wait();
    });
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // A bug in the simulator: answer 500 rather than crash the test run.
      if (!res.headersSent) {
        res.writeHead(500, JSON_HEADERS);
        res.end(errorBody('simulator_bug', error instanceof Error ? error.message : String(error)));
      }
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/v1`,
    apiKey: apiKeys[0]!,
    seed,
    store,
    stats,
    get faults() {
      return faults;
    },
    setFaults(change) {
      const next = mergeFaults(faults, change);
      if (next.rateLimit !== faults.rateLimit) {
        limiter = next.rateLimit > 0 ? new SlidingWindowLimiter(next.rateLimit) : undefined;
      }
      if (change.rateLimitedFirst !== undefined) spentLimitLeft = next.rateLimitedFirst;
      faults = next;
    },
    resetStats() {
      const inFlight = stats.inFlight;
      Object.assign(stats, newStats(), { inFlight, maxInFlight: inFlight });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
