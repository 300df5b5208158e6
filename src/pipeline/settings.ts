import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { ImportError } from '../errors/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../send/sender.js';
import type { ImportOptions } from './options.js';

/** The production API; the sandbox is `https://api.demo.quentli.com/v1`. */
export const DEFAULT_API_URL = 'https://api.quentli.com/v1';

/** Options with defaults applied and checked. */
export interface RunSettings {
  apiUrl: string;
  apiKey: string | undefined;
  defaultCountry: CountryCode;
  concurrency: number;
  dryRun: boolean;
  mode: 'create' | 'upsert';
  timeoutMs: number;
  /** The retry limits given, over the defaults (a limit given as undefined keeps its default). */
  retry: RetryPolicy;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Applies defaults and refuses what cannot work, before anything is read or sent. */
export function resolveSettings(options: ImportOptions): RunSettings {
  const dryRun = options.dryRun === true;
  const apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new ImportError('usage', `--api-url ${JSON.stringify(apiUrl)} is not a URL (expected something like ${DEFAULT_API_URL})`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\./.test(url.hostname)))) {
    throw new ImportError('usage', `--api-url ${apiUrl} is not HTTPS: the key would travel in clear text (plain http is allowed only for localhost)`);
  }
  if (!dryRun && !options.apiKey) {
    throw new ImportError('usage', 'no API key: set QUENTLI_API_KEY (in the environment or a .env file), or use --dry-run');
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new ImportError('usage', `--concurrency must be a whole number from 1 to 256 (got ${JSON.stringify(concurrency)})`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!isPositiveNumber(timeoutMs)) throw new ImportError('usage', `the timeout must be a positive number of milliseconds (got ${JSON.stringify(timeoutMs)})`);
  const country = options.defaultCountry ?? 'MX';
  const defaultCountry = typeof country === 'string' ? country.toUpperCase() : '';
  if (!isSupportedCountry(defaultCountry)) {
    throw new ImportError('usage', `--default-country ${JSON.stringify(options.defaultCountry)} is not a two-letter country code (such as MX or US)`);
  }
  const { maxAttempts, maxRetryWaitMs, baseDelayMs, maxDelayMs } = options.retry ?? {};
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new ImportError('usage', `--max-attempts must be a whole number of at least 1 (got ${JSON.stringify(maxAttempts)})`);
  }
  if (maxRetryWaitMs !== undefined && !isPositiveNumber(maxRetryWaitMs)) {
    throw new ImportError('usage', `the longest retry wait must be a positive number of milliseconds (got ${JSON.stringify(maxRetryWaitMs)})`);
  }
  for (const [name, delay] of [['retry.baseDelayMs', baseDelayMs], ['retry.maxDelayMs', maxDelayMs]] as const) {
    if (delay !== undefined && !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
      throw new ImportError('usage', `${name} must be a number of milliseconds, 0 or more (got ${JSON.stringify(delay)})`);
    }
  }
  const mode = options.mode ?? 'create';
  if (mode !== 'create' && mode !== 'upsert') throw new ImportError('usage', `--mode must be create or upsert (got ${JSON.stringify(mode)})`);
  const retry: RetryPolicy = {
    maxAttempts: maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    maxRetryWaitMs: maxRetryWaitMs ?? DEFAULT_RETRY_POLICY.maxRetryWaitMs,
    baseDelayMs: baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  return { apiUrl, apiKey: options.apiKey, defaultCountry, concurrency, dryRun, mode, timeoutMs, retry };
}

/** A finite number above zero; `"20000"` from an environment variable is not one. */
function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
