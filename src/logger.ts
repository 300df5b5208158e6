import { pino, type BaseLogger, type Logger, type DestinationStream, type LogFn } from 'pino';

export type { Logger } from 'pino';

/** What the engine logs through: any pino logger (a `BaseLogger` such as Fastify's `request.log` too). */
export type EngineLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * A caller's logger, kept from breaking the run: a line its method throws on (a serializer's bug,
 * a destination that throws) is lost, not the import. Thrown through, it rejected a run that had
 * sent and reported every row, or stopped one half-way with its report, journal, input and
 * sockets left open.
 */
export function guardedLogger(logger: EngineLogger): EngineLogger {
  const guard = (level: keyof EngineLogger): LogFn =>
    ((...args: unknown[]) => {
      try {
        (logger[level] as (...line: unknown[]) => void)(...args);
      } catch {
        // the logger is what broke: there is nowhere left to say so
      }
    }) as LogFn;
  return { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
}

/** Options of the one logger factory. */
export interface LoggerOptions {
  /** pino level; default `info`. */
  level?: string;
  /** Human-readable lines instead of JSON (for a terminal). */
  pretty?: boolean;
  /** Where lines go; default stderr (stdout is for what scripts parse). */
  destination?: DestinationStream;
  /** Colors in pretty lines; off when NO_COLOR is set. */
  color?: boolean;
}

/** Paths that may hold the key: censored in every line (pino compiles redaction once). */
const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'options.apiKey',
];

/**
 * A user name and password in a URL (`https://user:pw@host`): never in a message, a log line or the
 * journal. Up to the authority's last `@` (a password may hold one unencoded), with or without the
 * `//` (`http:user:pw@host` and `http:\\user:pw@host` are URLs too).
 */
const URL_CREDENTIALS = /^([a-z][a-z\d+.-]*:[\\/]*)[^\\/?#]*@/i;

/** `url` as messages and the journal show it: credentials in it masked (`https://***@host/v1`). */
export function maskUrlCredentials(url: string): string {
  return url.replace(URL_CREDENTIALS, '$1***@');
}

/**
 * An API URL as messages and the journal show it: as `URL` spells it (host in lower case, no
 * default port), without trailing slashes, credentials masked; as given, masked, if it is none.
 * `https://API.quentli.com:443/v1` and `https://api.quentli.com/v1` are one API, one journal's.
 */
export function shownUrl(url: string): string {
  let canonical = url;
  try {
    canonical = new URL(url).href;
  } catch {
    // not a URL: kept as given
  }
  return maskUrlCredentials(canonical.replace(/\/+$/, ''));
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_COLORS: Record<number, string> = { 20: '\x1b[90m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };

/**
 * The project's logger: JSON lines on stderr for cron and pipes; short readable lines on a
 * terminal. The key and the Authorization header are redacted everywhere.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  const settings = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  if (!options.pretty) return pino(settings, destination);
  return pino(settings, prettyStream(destination, options.color ?? !process.env.NO_COLOR));
}

/**
 * A small formatter for terminals, no worker thread, no extra dependency: `warn  message`. The
 * messages say it all for a person; the structured fields (for cron's JSON) are shown only on
 * debug lines, that is with --verbose.
 */
function prettyStream(destination: DestinationStream, color: boolean): DestinationStream {
  return {
    write(line: string) {
      const { level, msg, time: _time, ...rest } = JSON.parse(line) as Record<string, unknown> & { level: number; msg?: string };
      const name = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
      const extras = (level >= 30 ? [] : Object.entries(rest))
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      const text = `${name} ${msg ?? ''}${extras ? ` ${extras}` : ''}`;
      const tint = color ? LEVEL_COLORS[level] : undefined;
      destination.write(`${tint ? `${tint}${text}\x1b[0m` : text}\n`);
    },
  };
}
