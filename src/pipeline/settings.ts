import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { ImportError } from '../errors/index.js';
import { shownUrl } from '../logger.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../send/sender.js';
import type { ImportOptions } from './options.js';

/** The production API; the sandbox is `https://api.demo.quentli.com/v1`. */
export const DEFAULT_API_URL = 'https://api.quentli.com/v1';

/** Options with defaults applied and checked. */
export interface RunSettings {
  apiUrl: string;
  /** `apiUrl` as messages and the journal show it: credentials in it (`https://user:pw@host`) masked. */
  shownApiUrl: string;
  apiKey: string | undefined;
  /** The proxy the API requests go through (see `checkProxyUrl`), and as messages show it; undefined: a direct connection. */
  proxy: { url: string; shown: string } | undefined;
  defaultCountry: CountryCode;
  concurrency: number;
  dryRun: boolean;
  mode: 'create' | 'upsert';
  timeoutMs: number;
  /** The retry limits given, over the defaults (a limit given as undefined keeps its default). */
  retry: RetryPolicy;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const isString = (value: unknown) => typeof value === 'string';
/** An empty path (`process.env.ROSTER ?? ''`, a form left blank) names no file: refused as the CLI refuses `--report ""`. */
const isPath = (value: unknown) => isString(value) && value !== '';
const isNumber = (value: unknown) => typeof value === 'number';
const isBoolean = (value: unknown) => typeof value === 'boolean';
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What each option must be, for a program that calls the engine from JavaScript (or with data from
 * a form): `dryRun: "true"` taken as false would import for real where a preview was asked for.
 */
const OPTION_TYPES: Record<keyof ImportOptions, [check: (value: unknown) => boolean, expected: string]> = {
  file: [isPath, 'a file path'],
  apiUrl: [isString, 'a URL'],
  apiKey: [isString, 'a string'],
  proxy: [isString, 'a proxy URL'],
  mapping: [(value) => isPath(value) || isObject(value), 'a mapping file path or a mapping object'],
  defaultCountry: [isString, 'a two-letter country code'],
  concurrency: [isNumber, 'a number'],
  dryRun: [isBoolean, 'true or false'],
  mode: [isString, '"create" or "upsert"'],
  reportPath: [isPath, 'a file path'],
  sheet: [(value) => isString(value) || isNumber(value), "a sheet's name or number"],
  headerRow: [isNumber, 'a row number'],
  timeoutMs: [isNumber, 'a number of milliseconds'],
  retry: [isObject, 'an object of retry limits'],
  restart: [isBoolean, 'true or false'],
  signal: [(value) => value instanceof AbortSignal, 'an AbortSignal'],
  logger: [(value) => isObject(value) && ['debug', 'info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function'), 'a pino logger'],
  onEvent: [(value) => typeof value === 'function', 'a function'],
};

const RETRY_LIMITS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_RETRY_POLICY));

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Refuses options of the wrong type, unknown ones (a typo such as `report` would be ignored) and a missing `file`. */
function checkOptionTypes(options: unknown): asserts options is ImportOptions {
  if (!isObject(options)) throw new ImportError('usage', `importCustomers takes an options object (got ${describe(options)})`);
  for (const [name, value] of Object.entries(options as Record<string, unknown>)) {
    // Own names only: `__proto__` (JSON.parse makes it an own key) or `constructor` would find Object's.
    const rule = Object.hasOwn(OPTION_TYPES, name) ? OPTION_TYPES[name as keyof ImportOptions] : undefined;
    if (!rule) throw new ImportError('usage', `unknown option ${JSON.stringify(name)} (the options are ${Object.keys(OPTION_TYPES).join(', ')})`);
    // The key's value is never quoted, whatever it is.
    if (value !== undefined && !rule[0](value)) throw new ImportError('usage', `the option ${name} must be ${rule[1]} (got ${name === 'apiKey' ? typeName(value) : describe(value)})`);
  }
  for (const name of Object.keys((options as ImportOptions).retry ?? {})) {
    if (!RETRY_LIMITS.has(name)) throw new ImportError('usage', `unknown retry limit ${JSON.stringify(name)} (the limits are ${[...RETRY_LIMITS].join(', ')})`);
  }
  if ((options as ImportOptions).file === undefined) throw new ImportError('usage', 'the option file is required: the path of the roster to import');
}

/**
 * The options as they are now, in an object of the run's own: the engine reads some of them long
 * after the call (the file once the mapping is loaded, the report once the file is open), and a
 * program that reuses one options object for its next job (`Object.assign(options, school)` in a
 * loop) would otherwise have this run import the next school's file with this school's key.
 */
export function snapshotOptions(given: ImportOptions): ImportOptions {
  checkOptionTypes(given);
  const options: Record<string, unknown> = {};
  for (const name of Object.keys(OPTION_TYPES)) {
    const value = (given as unknown as Record<string, unknown>)[name];
    if (value !== undefined) options[name] = value;
  }
  if (given.retry) options.retry = { ...given.retry };
  return options as unknown as ImportOptions;
}

/**
 * A value as a message quotes it: a number, boolean or short text as JSON (`"true"`, `8080`), else
 * only its kind (`a Buffer`, `an object`): a key read into a Buffer, or a URL with credentials,
 * must not reach the message.
 */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'a long text';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  const kind = (value as object).constructor?.name;
  return kind && kind !== 'Object' ? `a ${kind}` : 'an object';
}

/** Applies defaults and refuses what cannot work, before anything is read or sent. */
export function resolveSettings(options: ImportOptions): RunSettings {
  checkOptionTypes(options);
  const dryRun = options.dryRun === true;
  // Blank is unset, as for the CLI's QUENTLI_API_URL: `apiUrl: process.env.QUENTLI_API_URL` with the
  // variable set empty (`QUENTLI_API_URL=` in a .env) was refused as "not a URL".
  const { apiUrl, shownApiUrl } = checkApiUrl(options.apiUrl?.trim() || DEFAULT_API_URL, 'the option apiUrl');
  // A key read from a secrets file keeps its line break; one with a character no key has would fail
  // every request as a broken connection, and the run would report an unreachable API.
  const apiKey = options.apiKey?.trim() || undefined;
  // `docker --env-file` and systemd's `Environment=` keep quotes as part of the value; no key has them.
  if (apiKey !== undefined && /^(["']).*\1$/.test(apiKey)) {
    throw new ImportError('usage', 'the API key is wrapped in quotes, which are then part of it (docker --env-file and systemd keep them): give it without the quotes');
  }
  // Copied with the scheme from an HTTP example (`Authorization: Bearer sk_…`): the client adds it.
  if (apiKey !== undefined && /^bearer\s/i.test(apiKey)) {
    throw new ImportError('usage', 'the API key starts with "Bearer ", which the import adds itself: give the key alone');
  }
  if (apiKey !== undefined && !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ImportError('usage', 'the API key holds a character no key has (a space, a line break or a letter outside ASCII inside it): copy it again from Quentli');
  }
  if (!dryRun && !apiKey) {
    throw new ImportError('usage', 'no API key: pass the option apiKey (the organization\'s key, sk_…), or dryRun: true');
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new ImportError('usage', `the option concurrency must be a whole number from 1 to 256 (got ${describe(concurrency)})`);
  }
  const givenTimeout = options.timeoutMs ?? 30_000;
  // undici takes whole milliseconds only: 1.1 * 1000 (1100.0000000000002) would fail every request
  // as a lost connection, and the run would report an unreachable API.
  const timeoutMs = isPositiveNumber(givenTimeout) ? Math.max(1, Math.round(givenTimeout)) : givenTimeout;
  if (!isPositiveNumber(timeoutMs)) throw new ImportError('usage', `the option timeoutMs must be a positive number of milliseconds (got ${describe(timeoutMs)})`);
  const defaultCountry = checkCountry(options.defaultCountry ?? 'MX', 'the option defaultCountry');
  const { maxAttempts, maxRetryWaitMs, baseDelayMs, maxDelayMs } = options.retry ?? {};
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new ImportError('usage', `the option retry.maxAttempts must be a whole number of at least 1 (got ${describe(maxAttempts)})`);
  }
  if (maxRetryWaitMs !== undefined && !isPositiveNumber(maxRetryWaitMs)) {
    throw new ImportError('usage', `the option retry.maxRetryWaitMs must be a positive number of milliseconds (got ${describe(maxRetryWaitMs)})`);
  }
  for (const [name, delay] of [['retry.baseDelayMs', baseDelayMs], ['retry.maxDelayMs', maxDelayMs]] as const) {
    if (delay !== undefined && !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
      throw new ImportError('usage', `the option ${name} must be a number of milliseconds, 0 or more (got ${describe(delay)})`);
    }
  }
  // A sheet's position counts from 1; 0, -1 or 1.5 was refused only once the workbook was open, as
  // a file problem (`input_file`), and on a CSV not at all; an empty name names no sheet.
  const { sheet } = options;
  if (typeof sheet === 'number' && !(Number.isInteger(sheet) && sheet >= 1)) {
    throw new ImportError('usage', `the option sheet must be a sheet's name or its position, 1 or more (got ${describe(sheet)})`);
  }
  if (sheet === '') throw new ImportError('usage', 'the option sheet must be a sheet\'s name or its position, 1 or more (got "")');
  const mode = options.mode ?? 'create';
  if (mode !== 'create' && mode !== 'upsert') throw new ImportError('usage', `the option mode must be "create" or "upsert" (got ${describe(mode)})`);
  const retry: RetryPolicy = {
    maxAttempts: maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    maxRetryWaitMs: maxRetryWaitMs ?? DEFAULT_RETRY_POLICY.maxRetryWaitMs,
    baseDelayMs: baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  const proxy = options.proxy?.trim() ? checkProxyUrl(options.proxy, 'the option proxy') : undefined;
  return { apiUrl, shownApiUrl, apiKey, proxy, defaultCountry, concurrency, dryRun, mode, timeoutMs, retry };
}

/**
 * Refuses a proxy URL the client cannot use; `name` is the option or variable as the caller gave it.
 * Written without a scheme (`proxy.escuela.mx:3128`, as curl and most programs take it), it is
 * `http://`. The URL, and as messages show it (a user and password in it masked).
 */
export function checkProxyUrl(given: string, name: string): { url: string; shown: string } {
  const trimmed = given.trim();
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const shown = shownUrl(withScheme);
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    // said below
  }
  // A password holding `/`, `?` or `#` as typed ends the URL's user part there: the rest was read as
  // the host or a path, and quoted whole in the message. A proxy URL has no `@` past its host.
  if (withScheme.includes('@') && (url === undefined || `${url.pathname}${url.search}${url.hash}`.includes('@'))) {
    const masked = withScheme.replace(/^([a-z][a-z\d+.-]*:\/\/).*@/i, '$1***@');
    throw new ImportError('usage', `${name} ${masked} is not a proxy URL: a "/", "?" or "#" in its user or password is written %2F, %3F or %23`);
  }
  if (url === undefined) {
    throw new ImportError('usage', `${name} ${JSON.stringify(shown)} is not a proxy URL (expected something like http://proxy.example.com:3128)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ImportError('usage', `${name} ${shown} is a ${url.protocol.slice(0, -1)} proxy: only HTTP proxies (http:// or https://) are supported`);
  }
  // The user and password are sent decoded: a password `p%ss` as typed ended the run as an
  // unexpected error, `URI malformed`, when the first request was made.
  if (!decodes(url.username) || !decodes(url.password)) {
    throw new ImportError('usage', `${name} ${shown} is not a proxy URL: a "%" in its user or password is written %25 (a "%" starts an escape such as %40 for "@")`);
  }
  return { url: url.href, shown };
}

/** Whether a URL's percent-encoded part decodes (every `%` followed by two hex digits, together UTF-8). */
function decodes(encoded: string): boolean {
  try {
    decodeURIComponent(encoded);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses an API URL that is not one, or that would send the key in clear text; `name` is the option
 * as the caller gave it (`the option apiUrl`, `--api-url`, `QUENTLI_API_URL`). The URL without its
 * trailing slashes, and as messages and the journal show it (credentials masked; the host in lower
 * case and without a default port, so `https://API.quentli.com:443/v1` is the journal's
 * `https://api.quentli.com/v1`, whose customers created without a username it knows).
 */
export function checkApiUrl(given: string, name: string): { apiUrl: string; shownApiUrl: string } {
  let apiUrl = given.replace(/\/+$/, '');
  let shownApiUrl = shownUrl(apiUrl);
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new ImportError('usage', `${name} ${JSON.stringify(shownApiUrl)} is not a URL (expected something like ${DEFAULT_API_URL})`);
  }
  // `http://host//v1` (a base and a path joined in a script): asked for //v1/customers, the API
  // answered 404, and the run was told the URL "should end in /v1", which it did.
  if (url.pathname.includes('//')) {
    url.pathname = url.pathname.replace(/\/{2,}/g, '/');
    apiUrl = url.href.replace(/\/+$/, '');
    shownApiUrl = shownUrl(apiUrl);
  }
  // `localhost:4010/v1` parses as a URL of the scheme "localhost:", and was told it "is not HTTPS
  // (plain http is allowed only for localhost)"; `ftp://` was told the same.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ImportError('usage', `${name} ${JSON.stringify(shownApiUrl)} does not start with https:// (expected something like ${DEFAULT_API_URL}; http:// only for localhost)`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\./.test(url.hostname)))) {
    throw new ImportError('usage', `${name} ${shownApiUrl} is not HTTPS: the key would travel in clear text (plain http is allowed only for localhost)`);
  }
  // The paths are appended to the base as text: `/v1?api_key=…` asked for `/v1?api_key=…/customers`,
  // answered 404 ("check --api-url"), with the query (a token, often) quoted in the message.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(apiUrl)) {
    const base = shownUrl(apiUrl.replace(/[?#][\s\S]*$/, ''));
    throw new ImportError('usage', `${name} ${base} has a query or a fragment after it (?… or #…, not shown): give the API's base URL alone, ending in /v1 (such as ${DEFAULT_API_URL}); the key goes in QUENTLI_API_KEY`);
  }
  // The endpoint pasted for the base: the key check asked for /customers/customers, and an API that
  // answered it 400 passed the check, then refused every create (405), every row failed.
  if (/\/customers$/i.test(url.pathname.replace(/\/+$/, ''))) {
    throw new ImportError('usage', `${name} ${shownApiUrl} ends in /customers: give the API's base URL, ending in /v1 (such as ${DEFAULT_API_URL})`);
  }
  return { apiUrl, shownApiUrl };
}

/** The region for phones without a country code, upper-cased; `name` is the option as the caller gave it. */
export function checkCountry(given: unknown, name: string): CountryCode {
  const country = typeof given === 'string' ? given.toUpperCase() : '';
  if (!isSupportedCountry(country)) throw new ImportError('usage', `${name} ${JSON.stringify(given)} is not a two-letter country code (such as MX or US)`);
  return country;
}

/** A finite number above zero; `"20000"` from an environment variable is not one. */
function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
