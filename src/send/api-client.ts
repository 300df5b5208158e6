import { EventEmitter } from 'node:events';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { isIP } from 'node:net';
import type { buildConnector, Dispatcher } from 'undici';
import { maskUrlCredentials } from '../logger.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { ApiClock } from './api-clock.js';
import type { Customer } from './customer.js';

/** Options of the Quentli API client. */
export interface ApiClientOptions {
  /** Base URL including `/v1`, e.g. `https://api.quentli.com/v1`. */
  baseUrl: string;
  apiKey: string;
  /** Longest wait for one answer, in ms. */
  timeoutMs: number;
  /** Most sockets kept open to the API (the pool's concurrency plus a little). */
  connections: number;
  /** An HTTP proxy to tunnel every request through (CONNECT), and as messages show it; none: a direct connection. */
  proxy?: { url: string; shown: string } | undefined;
}

/** One HTTP answer, whatever its status. */
export interface ApiResponse {
  status: number;
  body: unknown;
  /** `Retry-After` in ms, when the answer carried one. */
  retryAfterMs?: number;
  /** A redirect's `Location` (never followed: the key is not sent on to another address). */
  location?: string;
  /** A 401 or 403 after which the key was asked about again and still accepted: this request alone was refused. */
  keyAccepted?: boolean;
}

/**
 * A request that got no HTTP answer. `reachedServer` is false only when the request provably never
 * left (connection refused, DNS failure, connect timeout): then a create can be resent blindly.
 */
export class TransportError extends Error {
  /** Whether asking again cannot help: a certificate not trusted, a proxy refusing the tunnel for its credentials or its rules. */
  readonly lasting: boolean;
  constructor(
    message: string,
    readonly reachedServer: boolean,
    options?: { cause?: unknown; lasting?: boolean },
  ) {
    super(message, options);
    this.name = 'TransportError';
    this.lasting = options?.lasting === true;
  }
}

/**
 * undici loads with the first client, not with the program: a dry run without a key sends nothing,
 * and loading it is a fifth of a second of every start.
 */
let undiciModule: Promise<typeof import('undici')> | undefined;

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** A whole answer (headers and body) that took longer than the client's `timeoutMs`. */
class AnswerTimeout extends Error {
  readonly code = 'QUENTLI_ANSWER_TIMEOUT';
  constructor() {
    super('the answer took longer than the timeout');
    this.name = 'AnswerTimeout';
  }
}

/** The longest delay setTimeout keeps (about 24.8 days); a longer one fires at once. */
const LONGEST_TIMER_MS = 2_147_483_647;

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'QUENTLI_ANSWER_TIMEOUT']);
/** The server's certificate refused: the TLS handshake failed, so no byte of the request left. */
const UNTRUSTED_CERTIFICATE = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
]);

/** A value inside the `filter` query: qs-encoded as documented, or `raw` for a server that decodes the filter once. */
function filterValue(value: string, encoding: 'qs' | 'raw'): string {
  return encoding === 'qs' ? encodeURIComponent(value) : value;
}

/** The encodings a look-up tries in turn: the raw one only where it differs (see `filterValue`). */
export function filterEncodings(value: string): readonly ('qs' | 'raw')[] {
  return encodeURIComponent(value) === value ? QS_ONLY : QS_THEN_RAW;
}
const QS_ONLY = ['qs'] as const;
const QS_THEN_RAW = ['qs', 'raw'] as const;

/**
 * A thin client for the customers endpoints over undici's `request` (a third of `fetch`'s CPU per
 * call, measured). It makes exactly one attempt per call: retries, pacing and look-ups live in the
 * sender, which knows what a row needs. It counts every request it makes.
 */
export class QuentliClient {
  /** Requests made so far, of every kind. */
  requestCount = 0;
  /** The API's clock against ours, as its answers' `Date` headers tell it (and the sender's look-ups, without them). */
  readonly clock = new ApiClock();
  private destroyed = false;
  private readonly transport: Promise<{ agent: Dispatcher; request: (typeof import('undici'))['request'] }>;
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly jsonHeaders: Record<string, string>;

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    undiciModule ??= import('undici');
    const connectTimeout = Math.min(options.timeoutMs, 10_000);
    const agentOptions = {
      connections: options.connections,
      // Idle sockets are let go before a server's own idle timeout closes them (Node's is 5 s, and
      // a server need not say): a create written into a socket the server closed that moment
      // fails with no way to tell whether it landed, and without a username it cannot be checked.
      keepAliveTimeout: 4_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    };
    const { proxy } = options;
    this.transport = undiciModule.then((undici) => ({
      request: undici.request,
      agent: proxy
        ? // The proxy's own connection gets the connect timeout; a tunnel's sockets are kept alive as direct ones are.
          new undici.ProxyAgent({
            uri: proxy.url,
            ...proxyCredentials(proxy.url),
            ...agentOptions,
            proxyTls: { timeout: connectTimeout },
            clientFactory: (origin, factoryOptions) => proxyPool(undici, origin, factoryOptions),
          })
        : new undici.Agent({ ...agentOptions, connect: { timeout: connectTimeout } }),
    }));
    this.transport.catch(() => {}); // a client never used must not leave an unhandled rejection; callers still see it
    this.headers = {
      authorization: `Bearer ${options.apiKey}`,
      accept: 'application/json',
      'user-agent': 'quentli-import',
    };
    this.jsonHeaders = { ...this.headers, 'content-type': 'application/json' };
  }

  /** `POST /customers` with `{"input": input}`. */
  createCustomer(input: CustomerInput): Promise<ApiResponse> {
    return this.call('POST', '/customers', { input });
  }

  /** `PATCH /customers/{id}` with `{"input": {"data": data}}`. */
  updateCustomer(id: string, data: Record<string, unknown>): Promise<ApiResponse> {
    return this.call('PATCH', `/customers/${encodeURIComponent(id)}`, { input: { data } });
  }

  /**
   * `GET /customers` filtered to one exact username. The documented form qs-encodes the value
   * inside the filter, then URL-encodes the whole filter; `raw` leaves the value un-encoded inside
   * (the same for plain usernames), for a server that decodes the filter only once.
   */
  findByUsername(username: string, valueEncoding: 'qs' | 'raw' = 'qs'): Promise<ApiResponse> {
    const filter = `username[equals]=${filterValue(username, valueEncoding)}`;
    return this.call('GET', `/customers?take=100&filter=${encodeURIComponent(filter)}`);
  }

  /**
   * `GET /customers` whose name contains `name` (the documented `name[contains]` filter), newest
   * first: where a create without a username whose answer was lost would be, if it landed. The
   * value encoded as `findByUsername` encodes it (`raw` for a server that decodes the filter once).
   */
  findNewestByName(name: string, valueEncoding: 'qs' | 'raw' = 'qs'): Promise<ApiResponse> {
    return this.findNewest(`name[contains]=${filterValue(name, valueEncoding)}`);
  }

  /**
   * `GET /customers` with this email or phone (`email[equals]`, `phoneNumber[equals]`: the
   * documented grammar's form for another field), newest first: a lost create found where its name
   * was written otherwise since (`JOSE PEREZ` for `José Pérez`), which `name[contains]` compares as
   * written. An API that ignores the filter lists its newest customers: each is checked all the same.
   */
  findNewestByContact(field: 'email' | 'phoneNumber', value: string): Promise<ApiResponse> {
    return this.findNewest(`${field}[equals]=${filterValue(value, 'qs')}`);
  }

  private findNewest(filter: string): Promise<ApiResponse> {
    return this.call('GET', `/customers?take=100&filter=${encodeURIComponent(filter)}&orderBy=${encodeURIComponent('createdAt=desc')}`);
  }

  /**
   * `GET /customers` one page of every customer, newest first: where a lost create without a
   * username is looked for when the API ignores the filters (see `findNewest`).
   */
  listNewest(skip: number, take: number): Promise<ApiResponse> {
    return this.call('GET', `/customers?skip=${skip}&take=${take}&orderBy=${encodeURIComponent('createdAt=desc')}`);
  }

  /** `GET /customers/{id}`: the customer, or `null` when there is none. */
  getCustomer(id: string): Promise<ApiResponse> {
    return this.call('GET', `/customers/${encodeURIComponent(id)}`);
  }

  /** `GET /customers` one page, oldest first so pages stay stable while others write. */
  listCustomers(skip: number, take: number): Promise<ApiResponse> {
    const orderBy = encodeURIComponent('createdAt=asc');
    return this.call('GET', `/customers?skip=${skip}&take=${take}&orderBy=${orderBy}`);
  }

  /** `GET /customers?take=1`: the cheapest call that proves the URL and the key. */
  probe(): Promise<ApiResponse> {
    return this.call('GET', '/customers?take=1');
  }

  /** Cuts every request in flight (they fail as lost connections) and closes the sockets. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await (await this.transport).agent.destroy();
  }

  /** Closes the kept-alive sockets; nothing left to do after `destroy()` (undici would throw). */
  async close(): Promise<void> {
    if (this.destroyed) return;
    await (await this.transport).agent.close();
  }

  private async call(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<ApiResponse> {
    this.requestCount++;
    const { agent, request } = await this.transport;
    // undici's headers and body timeouts bound each wait, not the whole answer: a server sending a
    // byte every few seconds (a stuck gateway, a slow proxy) held a request, and the run, for ever.
    // An EventEmitter, which undici takes for a signal as it does an AbortSignal: an AbortController's
    // listener cost about 80 µs of CPU a request (measured at concurrency 8), this one a fraction.
    const deadline: EventEmitter & { reason?: Error } = new EventEmitter();
    const timer = setTimeout(
      () => {
        deadline.reason = new AnswerTimeout();
        deadline.emit('abort');
      },
      // Past 2^31 - 1 ms (`--timeout 9999999`), setTimeout fires at once: every request timed out.
      Math.min(this.options.timeoutMs, LONGEST_TIMER_MS),
    );
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      try {
        response = await request(this.base + path, {
          method,
          headers: body === undefined ? this.headers : this.jsonHeaders,
          body: body === undefined ? undefined : JSON.stringify(body),
          dispatcher: agent,
          signal: deadline,
        });
      } catch (error) {
        throw toTransportError(error, method, this.base + path, this.options.proxy);
      }
      try {
        const encoding = response.headers['content-encoding'];
        text = encoding === undefined ? await response.body.text() : decoded(Buffer.from(await response.body.arrayBuffer()), String(encoding));
      } catch (error) {
        throw toTransportError(error, method, this.base + path, this.options.proxy);
      }
    } finally {
      clearTimeout(timer);
    }
    const result: ApiResponse = { status: response.statusCode, body: withoutKey(text, this.options.apiKey) };
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      // Shown in the refusal: a login page's address may carry the key (`?token=sk_…`), maybe URL-encoded.
      const { apiKey } = this.options;
      const where = Array.isArray(location) ? location[0]! : location;
      result.location = apiKey === '' ? where : where.replaceAll(apiKey, KEY_SHOWN).replaceAll(encodeURIComponent(apiKey), KEY_SHOWN);
    }
    const date = response.headers.date;
    let serverNow: number | undefined;
    if (typeof date === 'string') {
      const parsed = parseHttpDate(date);
      if (!Number.isNaN(parsed)) {
        serverNow = parsed;
        this.clock.readDateHeader(parsed);
      }
    }
    const retryAfter = response.headers['retry-after'];
    if (retryAfter !== undefined) {
      // A date is the API's clock: read against its own Date header, a cron machine 10 minutes behind would wait 10 minutes more.
      const ms = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0]! : retryAfter, serverNow);
      if (ms !== undefined) result.retryAfterMs = ms;
    }
    return result;
  }
}

/**
 * A body the server compressed though we asked for no encoding (a gateway that gzips every JSON
 * answer), as text: read raw, it was no JSON, and the key check took the API for something else.
 */
function decoded(bytes: Buffer, encoding: string): string {
  let body = bytes;
  try {
    switch (encoding.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        body = gunzipSync(bytes);
        break;
      case 'deflate':
        body = inflateSync(bytes);
        break;
      case 'br':
        body = brotliDecompressSync(bytes);
        break;
    }
  } catch {
    // Not what the header says: the bytes as they came.
  }
  // As `body.text()` reads it: UTF-8, a byte order mark dropped.
  return UTF8.decode(body);
}
const UTF8 = new TextDecoder();

/** What stands where an answer, or a refusal, quoted the API key. */
export const KEY_SHOWN = '[the API key]';

/**
 * An answer's body (`parseJson`) with every copy of the key replaced by `KEY_SHOWN`. An API that
 * echoes the key ("Invalid API key provided: sk_live_…", a redirect page, a debug dump of the
 * request's headers), whatever the status, would otherwise put it in an error message, the report
 * and the errors file: it never leaves here. Also as JSON escapes spell it (`\u0073k_…`, `\/` for
 * a `/` in the key) and as a web page's entities do (`&amp;`), which the raw text does not show.
 */
function withoutKey(text: string, key: string): unknown {
  if (key === '') return parseJson(text);
  if (text.includes(key)) text = text.replaceAll(key, KEY_SHOWN);
  // Without a backslash, JSON's strings read as written: the text's check was enough (the common, cheap case).
  let body = text.includes('\\') ? parseJson(text, (value) => (value.includes(key) ? value.replaceAll(key, KEY_SHOWN) : value)) : parseJson(text);
  if (typeof body === 'string' && body.includes('&')) {
    const shown = pageText(body);
    if (shown.includes(key)) body = shown.replaceAll(key, KEY_SHOWN);
  }
  return body;
}

/**
 * The answer's text as JSON, else the text itself; `strings`, when given, rewrites each string of
 * the JSON, object keys too (a field named after the key). A JSON too deep to rewrite is kept as
 * text (with the key's plain spellings already replaced).
 */
function parseJson(text: string, strings?: (value: string) => string): unknown {
  if (strings === undefined) return parseJsonText(text);
  if (text === '') return undefined;
  try {
    return JSON.parse(longIdsAsText(text), function (this: unknown, _name: string, value: unknown) {
      if (typeof value === 'string') return strings(value);
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((name) => strings(name) !== name)) {
        return Object.fromEntries(Object.entries(value).map(([name, item]) => [strings(name), item]));
      }
      return value;
    });
  } catch {
    return text;
  }
}

function parseJsonText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(longIdsAsText(text));
  } catch {
    return text;
  }
}

/**
 * Quotes an `"id"` written as a JSON integer of 16 digits or more (a 64-bit key, a snowflake id):
 * read as a number it is rounded past 2^53 (`9007199254740993` becomes `…992`, another customer's
 * id for a PATCH), and an id that stayed a number stopped the run as if the disk had failed. Inside
 * a JSON string every `"` is escaped, so `"id":` followed by digits can only be a key and its value.
 */
function longIdsAsText(text: string): string {
  return text.includes('"id"') ? text.replace(LONG_INTEGER_ID, '$1"$2"') : text;
}
const LONG_INTEGER_ID = /("id"\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g;

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now` (the answer's Date header, where it has one). */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = parseHttpDate(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * An HTTP date in ms since the epoch (NaN when it is none), in any of the three forms HTTP lets a
 * server write (RFC 9110, 5.6.7), all in GMT, or with the numeric zone or `UTC` some servers write
 * instead, or an ISO 8601 date-time with its zone. C's asctime form (`Thu Dec  3 08:49:37 2026`)
 * names no zone, and `Date.parse` reads it in this machine's: in Mexico a 10 s Retry-After so written
 * read as 6 hours, past --max-retry-wait, and stopped the run. Anything else is none, not left to
 * `Date.parse`, which reads `-5`, `Dec 3` or `12/03/2026` as dates long past (a Retry-After of 0 ms
 * instead of the default pause) and a date without a zone in this machine's.
 */
export function parseHttpDate(text: string): number {
  const trimmed = text.trim();
  if (ASCTIME_DATE.test(trimmed)) return Date.parse(`${trimmed} GMT`);
  return ZONED_DATE.some((form) => form.test(trimmed)) ? Date.parse(trimmed) : Number.NaN;
}
// Servers that format it themselves pad the day with one space or none (`Dec 3`, `Dec 03`).
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/;
const ZONED_DATE = [
  /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/i, // IMF-fixdate (RFC 1123)
  /^[A-Za-z]+, \d{1,2}-[A-Za-z]{3}-\d{2,4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/i, // RFC 850
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i, // ISO 8601
];

function toTransportError(error: unknown, method: string, url: string, proxy: ApiClientOptions['proxy']): TransportError {
  const code = errorCode(error);
  const origin = new URL(url).origin;
  const where = proxy === undefined ? `${method} ${origin}` : `${method} ${origin} through the proxy ${proxy.shown}`;
  // The proxy answered its CONNECT with a refusal: no tunnel, so no byte of the request reached the API.
  const tunnelRefused = proxy === undefined ? undefined : PROXY_REFUSAL.exec((error as Error)?.message ?? '')?.[1];
  if (tunnelRefused !== undefined) {
    // What the URL gives tells what to fix: a user alone was said to be a user and password refused.
    const { username, password } = new URL(proxy!.url);
    const why =
      tunnelRefused !== '407'
        ? ''
        : username === '' && password === ''
          ? ': it asks for a user and password, written in its URL as http://user:password@host:port'
          : password === ''
            ? ': it asks for a password, and its URL gives a user without one: write it as http://user:password@host:port'
            : ': it refused the user and password in its URL';
    // A 502 or 504 is the proxy failing to reach the API, which may pass; a 407 or 403 is its rule.
    return new TransportError(`the proxy ${proxy!.shown} refused to connect to ${origin} (HTTP ${tunnelRefused}${why})`, false, { cause: error, lasting: tunnelRefused === '407' || tunnelRefused === '403' });
  }
  if (code && TIMEOUTS.has(code)) return new TransportError(`no answer from ${where} in time`, true, { cause: error });
  if (code && NEVER_SENT.has(code)) {
    // Through a proxy the connection made is to the proxy: the API's host it reaches (or answers its CONNECT with a refusal, above).
    return new TransportError(proxy === undefined ? `cannot connect to ${where} (${code})` : `cannot connect to the proxy ${proxy.shown} (${code}) for ${method} ${origin}`, false, { cause: error });
  }
  // A school's proxy or antivirus that inspects HTTPS signs with its own certificate: said so, and
  // never taken for a request that may have reached Quentli (whose create would be looked up).
  if (code && UNTRUSTED_CERTIFICATE.has(code)) {
    return new TransportError(
      `cannot connect to ${where}: its certificate is not trusted (${code}); behind a proxy or antivirus that inspects HTTPS, give Node its certificate authority with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`,
      false,
      { cause: error, lasting: true },
    );
  }
  const reason = code ?? (error as Error)?.message ?? String(error);
  return new TransportError(`the connection to ${where} was lost before an answer (${reason})`, true, { cause: error });
}

/**
 * The connections to the proxy itself, as undici makes them, but with no TLS server name for an
 * https:// proxy given by its address (`https://10.0.0.5:3129`, `https://[fd00::5]:3129`): undici names
 * it so, and Node then printed a deprecation warning (DEP0123: an IP address as a server name) on
 * stderr, a raw line among the JSON ones a nightly job parses; an IPv6 one, named with its brackets,
 * failed its certificate check. A direct connection to an address sends no name either.
 */
function proxyPool(undici: typeof import('undici'), origin: URL, factoryOptions: object): Dispatcher {
  const { connect } = factoryOptions as { connect: buildConnector.connector };
  return new undici.Pool(origin, {
    ...factoryOptions,
    connect: (options, callback) => {
      const { servername, ...rest } = options;
      connect(typeof servername === 'string' && isIP(servername.replace(/^\[(.*)\]$/, '$1')) !== 0 ? rest : options, callback);
    },
  });
}

/**
 * The proxy's `Proxy-Authorization` from the user and password in its URL. undici sends one only
 * when both are there: a proxy that asks for a user alone (`http://ana@proxy:3128`) refused every
 * tunnel with a 407, the user given.
 */
function proxyCredentials(proxyUrl: string): { token?: string } {
  const { username, password } = new URL(proxyUrl);
  if (username === '' && password === '') return {};
  return { token: `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}` };
}

/** How undici reports a proxy's refusal of a tunnel (`Proxy response (407) !== 200 when HTTP Tunneling`). */
const PROXY_REFUSAL = /^Proxy response \((\d{3})\)/;

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (code === 'UND_ERR_SOCKET') return 'socket closed';
  }
  return undefined;
}

/**
 * The API's own words for a refusal, the most specific first: a `message` (a string, or a list as
 * NestJS writes them), a `detail`, then `errors[]`, then `error` (an object's message, or a string
 * such as "Bad Request"), a `title`; with the fields of an `errors` object after them (see
 * `bodyMessage`); else the start of the body.
 */
export function apiErrorMessage(response: ApiResponse): string {
  // A redirect of a create (a gateway sending POST /customers on to `/customers/` or to https) said
  // only `HTTP 308 (the API gave no reason)` in every row: where it points is what tells the fix.
  if (response.location !== undefined) {
    return `HTTP ${response.status}: a redirect to ${maskUrlCredentials(response.location)}, not followed so that the key goes nowhere else: check --api-url`;
  }
  const reason = apiReason(response);
  // A bare `HTTP 400` in a report reads as the importer's own shorthand: said that the API gave no words.
  const message = `HTTP ${response.status}${reason === undefined ? ` ${NO_REASON}` : `: ${reason}`}`;
  return response.keyAccepted === true ? `${message} ${KEY_ACCEPTED}` : message;
}

/** What `apiErrorMessage` adds to a 401 or 403 whose key was still accepted when asked again. */
const KEY_ACCEPTED = '(the key is still accepted: the API, or a firewall in front of it, refused this request alone)';

/** What `apiErrorMessage` says of an answer whose body gives no message (empty, `{}`, a blank page). */
const NO_REASON = '(the API gave no reason)';

/** The API's own words for a refusal (see `apiErrorMessage`), on one line; undefined when its body gives none. */
export function apiReason(response: ApiResponse): string | undefined {
  const body = response.body as Record<string, unknown> | string | undefined;
  let message: string | undefined;
  if (typeof body === 'string') message = textBodyMessage(body);
  else if (body && typeof body === 'object') message = bodyMessage(body);
  message = message === undefined ? undefined : oneLine(message);
  return message === '' ? undefined : message;
}

/** Longest API message kept: a report cell and a log line stay readable. */
const MESSAGE_CHARS = 300;

/** A message on one line (reports, the errors file and the exit message are one line a row), cut to MESSAGE_CHARS. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_CHARS ? `${line.slice(0, MESSAGE_CHARS - 1)}…` : line;
}

/**
 * What a text body says: a proxy's or a web server's error page (nginx, a load balancer) is HTML,
 * whose title or first heading says it ("502 Bad Gateway"); any other text is taken as it is.
 */
function textBodyMessage(body: string): string | undefined {
  if (!/^\s*</.test(body)) return body;
  const heading = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(body)?.[1];
  // A framework's error page says what was wrong in a paragraph or a <pre> under its heading
  // (`Error` over `Cannot POST /v1/customer`, or the field refused).
  const detail = /<(pre|p)[^>]*>([\s\S]*?)<\/\1>/i.exec(body)?.[2];
  const parts = [heading, detail].map((part) => (part === undefined ? '' : pageText(part))).filter((part) => part !== '');
  if (parts.length === 2 && parts[0] === parts[1]) parts.pop();
  const text = parts.length > 0 ? parts.join(': ') : pageText(body);
  if (text === '') return undefined;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** An HTML fragment's text: tags dropped, the common entities read, spaces collapsed. */
function pageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What a JSON error body says, in the shapes frameworks write: `{message}` (NestJS, Express),
 * `{error: {message}}`, `{errors: [...]}`, zod's `{issues: [{path, message}]}` (maybe under `error`, beside
 * its `code`, the last resort), RFC 9457's `{title, detail}`, FastAPI's `{detail: [{loc, msg}]}`,
 * Rails' and Laravel's `{errors: {field: [messages]}}` (with Laravel's general `message` before them).
 * The field's own words matter: "username has already been taken" is how a taken username is told.
 */
function bodyMessage(body: Record<string, unknown>): string | undefined {
  const error = body.error;
  const nested = error && typeof error === 'object' && !Array.isArray(error) ? (error as Record<string, unknown>) : undefined;
  const message =
    textOf(body.message) ??
    textOf(body.detail) ??
    textOf(body.errors) ??
    textOf(body.issues) ??
    (nested ? (textOf(nested.message) ?? textOf(nested.detail) ?? textOf(nested.errors) ?? textOf(nested.issues)) : undefined) ??
    textOf(body.title) ??
    textOf(error) ??
    (nested ? textOf(nested.code) : undefined);
  const fields = fieldMessages(body.errors) ?? fieldMessages(nested?.errors);
  if (fields === undefined) return message;
  // Laravel repeats the first field's message as `message` (with `(and 1 more error)`): said once.
  return message === undefined || fields.includes(message.replace(MORE_ERRORS, '')) ? fields : `${message} (${fields})`;
}

/** Laravel's count of the errors after the first, at the end of its `message`. */
const MORE_ERRORS = /\s*\(and \d+ more errors?\)$/;

/** A message as text: a string, or the non-empty list of them (items may be `{message}` objects) joined with "; ". */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map(itemText).join('; ');
}

/** `{username: ['has already been taken']}`: each field with its messages, joined with "; ". */
function fieldMessages(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const [field, messages] of Object.entries(value)) {
    const text = textOf(messages);
    if (text !== undefined) parts.push(`${field}: ${text}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** One item of an error list: its message (`message`, FastAPI's `msg`, JSON:API's `detail` or `title`), after the field it is about. */
function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!item || typeof item !== 'object') return jsonText(item);
  const record = item as Record<string, unknown>;
  const text = [record.message, record.msg, record.detail, record.title].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  if (text === undefined) return jsonText(item);
  const field = fieldOf(record);
  const last = field?.slice(field.lastIndexOf('.') + 1).toLowerCase();
  return field !== undefined && !text.toLowerCase().includes(last!) ? `${field}: ${text}` : text;
}

/**
 * An item as JSON, or what it is when it cannot be written (nested deeper than the stack goes: an
 * answer of 100,000 `[`s threw a RangeError out of the message, a stack trace in the log, and a
 * refused key was reported as an "unexpected error").
 */
function jsonText(item: unknown): string {
  try {
    return JSON.stringify(item);
  } catch {
    return '(a value nested too deep to show)';
  }
}

/**
 * The field an error item is about, from FastAPI's `loc`, zod's `path`, a `field`, or JSON:API's
 * `source.pointer`, without the envelope's steps (`body`, `input`, `data`, `attributes`):
 * `["body", "input", "username"]` is `username`, `["input", "metadata", 0, "value"]` is `metadata.0.value`.
 */
function fieldOf(record: Record<string, unknown>): string | undefined {
  const path = record.loc ?? record.path ?? record.field ?? (record.source as Record<string, unknown> | undefined)?.pointer;
  const steps = Array.isArray(path) ? path : typeof path === 'string' ? path.split(/[./]/) : [];
  let start = 0;
  while (start < steps.length && (steps[start] === '' || ENVELOPE_STEPS.has(String(steps[start])))) start++;
  const field = steps.slice(start).filter((step) => typeof step === 'string' || typeof step === 'number').join('.');
  return field === '' || typeof steps[steps.length - 1] !== 'string' ? undefined : field;
}
const ENVELOPE_STEPS: ReadonlySet<string> = new Set(['body', 'input', 'data', 'attributes']);

/** The customers in a `GET /customers` answer (a bare array), tolerating a `{data: [...]}` wrapper. */
export function customerList(response: ApiResponse): Customer[] {
  return listIn(response.body) ?? [];
}

/** Whether a `GET /customers` answer holds a list of customers at all (a web page answering 200 does not). */
export function isCustomerList(response: ApiResponse): boolean {
  return listIn(response.body) !== undefined;
}

function listIn(body: unknown): Customer[] | undefined {
  let list: unknown[] | undefined;
  if (Array.isArray(body)) list = body;
  else if (body && typeof body === 'object') {
    for (const key of ['data', 'customers', 'items']) {
      const items = (body as Record<string, unknown>)[key];
      if (Array.isArray(items)) {
        list = items;
        break;
      }
    }
  }
  for (const item of list ?? []) idAsText(item);
  return list as Customer[] | undefined;
}

/**
 * Gives a customer whose id came as a JSON number (`100001`: an API backed by an integer key; the
 * document's ids are text) its id as text, in place; returns whether it has one. Kept a number, it
 * reached the report writer, and the run stopped as if the disk had failed.
 */
function idAsText(customer: unknown): customer is Customer {
  if (!customer || typeof customer !== 'object') return false;
  const record = customer as { id?: unknown };
  if (typeof record.id === 'number' && Number.isSafeInteger(record.id)) record.id = String(record.id);
  return typeof record.id === 'string';
}

/**
 * The customer in a create or update answer (`{"customer": {...}}`), tolerating a bare customer and
 * one wrapped as `{"data": {...}}` (as a list may be): read as no customer, each create so answered
 * cost a look-up, and a row without a username an "outcome unknown" where the look-up cannot tell.
 */
export function customerOf(response: ApiResponse): Customer | undefined {
  const body = response.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return undefined;
  for (const customer of [body.customer, body, body.data]) {
    if (idAsText(customer)) return customer;
  }
  return undefined;
}
