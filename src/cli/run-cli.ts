import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { ImportError } from '../errors/index.js';
import { createLogger, type Logger } from '../logger.js';
import { importCustomers } from '../pipeline/run.js';
import { ARCHIVED_NOTE, DIFFERS_NOTE, EARLIER_CUSTOMER_NOTE } from '../pipeline/row-notes.js';
import { checkReportOption, sameFileAt } from '../pipeline/paths.js';
import { checkApiUrl, checkCountry, checkProxyUrl, DEFAULT_API_URL } from '../pipeline/settings.js';
import { KEY_SHOWN } from '../send/api-client.js';
import { NOTE_SEPARATOR } from '../send/sender.js';
import { isCaseMatchNote } from '../send/delivery.js';
import { CHANGED_FIELDS } from '../send/upsert.js';
import type { ImportEvent, ImportOptions } from '../pipeline/options.js';
import type { ImportSummary } from '../report/summary.js';
import { formatIssue } from '../validate/row-issue.js';
import { parseCliArgs, USAGE, type CliArgs } from './args.js';
import { isCutAtHash, loadEnvironment } from './env.js';
import { EXIT, exitCodeOf } from './exit-code.js';
import { SHOWN_REASONS, summaryLines } from './summary-text.js';
import { markSummaryUnfinished, regularOrAbsent } from './summary-file.js';
import { colorAllowed, isHumanTerminal, ProgressDisplay, progressMode } from './progress.js';
import { writePrivateFile } from '../report/file-sink.js';
import { columnLetters } from '../read/column-letters.js';
import { isExcelPlaceholderMetadata } from '../map/resolve-mapping.js';
import { proxyFromEnvironment } from './proxy.js';

/** What the CLI talks to; tests and the demo pass their own. */
export interface CliContext {
  /** The working folder; undefined when it is gone (deleted since the command started in it). */
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on the first Ctrl-C or SIGTERM. */
  signal?: AbortSignal;
  /** The --summary-json file the program already marked unfinished before this module loaded (`markSummaryUnfinished`). */
  summaryMarked?: string;
}

/** Refused rows listed one by one on stderr before the summary groups the rest. */
const LISTED_REFUSALS = 20;

/** Runs the command line and resolves to its exit code; never throws and never exits the process. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  // Short text lines on a terminal; JSON lines on a pipe, and under CI (env `CI`) even on a terminal,
  // as the progress lines are: a CI log is parsed like cron's.
  const pretty = isHumanTerminal(context.stderr, context.env);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    // Like every other refusal: one JSON line on a pipe, one plain line on a terminal.
    return fail(createLogger({ pretty, destination: { write: (line: string) => void context.stderr.write(line) } }), pretty, context, error);
  }
  if (args.help) {
    context.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.version) {
    context.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  // Log lines go through the progress display, which clears its live line before each one.
  const progress = new ProgressDisplay({
    mode: progressMode(context.stderr, context.env, args.quiet === true),
    stream: context.stderr,
    color: colorAllowed(context.env),
    dryRun: args.dryRun === true,
  });
  const log = createLogger({
    level: args.quiet ? 'error' : args.verbose ? 'debug' : 'info',
    pretty,
    color: colorAllowed(context.env),
    destination: { write: (line: string) => progress.writeAbove(line) },
  });
  progress.useLogger(log);
  if (!args.file) {
    return fail(log, pretty, context, new ImportError('usage', 'no input file given (usage: quentli-import <file> [options]; see --help)'));
  }
  // A release folder a deploy replaced, a night's folder a clean-up removed while cron was in it:
  // no relative path, .env or default report can be found, and Node itself stops at its first look.
  const { cwd } = context;
  if (cwd === undefined) {
    const failure = new ImportError('usage', 'the working folder is gone (deleted or replaced since this command started in it): cd to a folder that exists and run the command again');
    const code = fail(log, pretty, context, failure);
    // A --summary-json named by its full path (or stdout) says so: last night's, left in place,
    // was read as tonight's by the script waiting for it. A relative one was in the folder that is gone.
    const summaryPath = args.summaryJson === '-' ? undefined : args.summaryJson;
    const writable = summaryPath === undefined || (isAbsolute(summaryPath) && regularOrAbsent(summaryPath) && !(isAbsolute(args.file) && sameFileAt(summaryPath, args.file)));
    if (args.summaryJson && writable) writeSummaryFailure(summaryPath, context, failure);
    return code;
  }

  // Checked before anything is read or sent, like the report: a path that cannot be written
  // would otherwise be found only once every row had been sent.
  let summaryPath: string | undefined;
  try {
    summaryPath = context.summaryMarked ?? markSummaryUnfinished(args, cwd);
  } catch (error) {
    return fail(log, pretty, context, error);
  }
  let env: NodeJS.ProcessEnv;
  try {
    env = loadEnvironment(cwd, context.env);
  } catch (error) {
    // A .env that went unreadable fails tonight's run like a refused key does, and says so in the summary.
    const failure = new ImportError('usage', `.env cannot be read: ${(error as Error).message}`);
    const code = fail(log, pretty, context, failure);
    if (args.summaryJson) writeSummaryFailure(summaryPath, context, failure);
    return code;
  }
  let options: ImportOptions;
  try {
    options = importOptions(args, env, log, context.signal, (name) => isCutAtHash(cwd, context.env, name));
  } catch (error) {
    const code = fail(log, pretty, context, error);
    if (args.summaryJson) writeSummaryFailure(summaryPath, context, error);
    return code;
  }
  let refusalsListed = 0;
  options.onEvent = (event: ImportEvent) => {
    switch (event.type) {
      case 'start':
        progress.start(event.progress);
        if (args.dryRun) logMapping(log, event);
        log.debug({ ...event.details, headerRow: event.headerRow }, 'reading');
        break;
      case 'warning':
        log.warn(event.message);
        break;
      case 'resume':
        log.info(
          { journal: event.journalPath, confirmedRows: event.confirmedRows, unconfirmedRows: event.unconfirmedRows },
          `resuming: ${event.confirmedRows} rows already confirmed are not sent again`,
        );
        break;
      case 'stopping':
        log.warn(event.reason);
        break;
      case 'row': {
        const { entry } = event;
        // Refusals, failures, and successes that carry a note (a username held under another name),
        // but for routine notes: a customer an earlier run created without a username, an update's
        // changed fields, an archived customer, a username matched in another case, a contact field
        // create mode leaves as it is (one warning at the end names those).
        const worthSaying =
          entry.status === 'invalid' || entry.status === 'duplicate' || entry.status === 'failed' || (entry.error !== undefined && !isRoutineNote(entry.error, entry.status));
        if (worthSaying && refusalsListed < LISTED_REFUSALS) {
          refusalsListed++;
          const text = entry.issues ? entry.issues.map(formatIssue).join('; ') : `row ${entry.row}: ${entry.error ?? entry.status}`;
          log.warn({ row: entry.row, status: entry.status }, entry.status === 'duplicate' ? entry.error ?? text : text);
        }
        break;
      }
      case 'end':
        break;
    }
  };

  let summary: ImportSummary;
  try {
    summary = await importCustomers(options);
  } catch (error) {
    progress.stop();
    // A run stopped part-way (the API gone, a full disk): what it did before is tonight's news too.
    const partial = error instanceof ImportError ? error.summary : undefined;
    // A file that cannot be read past a row fails again the same way: the error line says what to do, not "run it again".
    if (partial && !args.quiet) reportSummary(log, pretty, context, partial, { resumable: (error as ImportError).code !== 'input_file' });
    const code = fail(log, pretty, context, error);
    // A script reading the file after the run must not take last night's summary for tonight's.
    if (args.summaryJson) writeSummaryFailure(summaryPath, context, error);
    return code;
  }
  progress.stop(); // the summary starts on a clean line
  if (!args.quiet) reportSummary(log, pretty, context, summary);
  if (args.summaryJson) {
    try {
      // The exit code too: a log watcher reading the file sees what cron saw.
      const written = { exitCode: exitCodeOf(summary), ...summary };
      if (summaryPath === undefined) await writeAll(context.stdout, `${JSON.stringify(written, null, 2)}\n`);
      else writeSummaryJson(summaryPath, context, written);
    } catch (error) {
      // The rows are done (the report says how), but a script waiting for this file must not
      // read an old one as tonight's: exit 2 with one line.
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const failure = new ImportError('output', `the import finished (report: ${summary.reportPath}), but the --summary-json ${summaryPath === undefined ? 'on stdout' : `file ${summaryPath}`} could not be written (${reason})`);
      // The summary cut short by a full disk is no JSON; the short failure fits where it did. Not
      // into a pipe whose reader left: opening it again would wait for a reader forever.
      if (summaryPath !== undefined && regularOrAbsent(summaryPath)) writeSummaryFailure(summaryPath, context, failure);
      return fail(log, pretty, context, failure);
    }
  }
  return exitCodeOf(summary);
}

/**
 * The engine's options from the command line and the environment. The values the arguments do not
 * check are checked here, so that a refusal names the flag (or variable), not the engine's option.
 * `cutAtHash`: whether a variable's value is the `.env`'s cut short at a `#` (see `isCutAtHash`).
 */
function importOptions(args: CliArgs, env: NodeJS.ProcessEnv, log: Logger, signal: AbortSignal | undefined, cutAtHash: (name: string) => boolean): ImportOptions {
  const options: ImportOptions = { file: args.file!, dryRun: args.dryRun, logger: log, restart: args.restart };
  const apiUrl = args.apiUrl ?? env.QUENTLI_API_URL;
  if (apiUrl) options.apiUrl = checkApiUrl(apiUrl, args.apiUrl === undefined ? 'QUENTLI_API_URL' : '--api-url').apiUrl;
  if (env.QUENTLI_API_KEY) options.apiKey = env.QUENTLI_API_KEY.trim();
  // As curl follows them: a network that lets nothing out but through its proxy.
  const proxy = proxyFromEnvironment(options.apiUrl ?? DEFAULT_API_URL, env);
  if (proxy && (!args.dryRun || options.apiKey)) {
    // What is left (`http://ana:s3c`) was refused quoting the password's start, or taken for a proxy named `ana`.
    if (cutAtHash(proxy.variable)) {
      throw new ImportError('usage', `${proxy.variable} in .env is cut at a "#" in the proxy's user or password (unquoted, a "#" starts a comment in .env, and the rest was lost): write the "#" as %23, as in http://user:pa%23ss@proxy:3128`);
    }
    options.proxy = checkProxyUrl(proxy.value, proxy.variable).url;
  }
  if (!args.dryRun && !options.apiKey) {
    throw new ImportError('usage', 'no API key: set QUENTLI_API_KEY in the environment or in a .env file in the folder the command runs in, or use --dry-run');
  }
  if (args.mapping) options.mapping = args.mapping;
  if (args.defaultCountry) options.defaultCountry = checkCountry(args.defaultCountry, '--default-country');
  if (args.concurrency !== undefined) options.concurrency = args.concurrency;
  if (args.mode) options.mode = args.mode;
  checkReportOption(args.report, '--report');
  if (args.report) options.reportPath = args.report;
  if (args.sheet !== undefined) options.sheet = args.sheet;
  if (args.headerRow !== undefined) options.headerRow = args.headerRow;
  if (args.timeoutMs !== undefined) options.timeoutMs = args.timeoutMs;
  const retry: NonNullable<ImportOptions['retry']> = {};
  if (args.maxAttempts !== undefined) retry.maxAttempts = args.maxAttempts;
  if (args.maxRetryWaitMs !== undefined) retry.maxRetryWaitMs = args.maxRetryWaitMs;
  options.retry = retry;
  if (signal) options.signal = signal;
  return options;
}

function logMapping(log: Logger, event: Extract<ImportEvent, { type: 'start' }>): void {
  log.info({ format: event.format, ...event.details, headerRow: event.headerRow }, 'mapping (header → field):');
  const { nameParts } = event.mapping;
  // Google Contacts' phones: which fills the phone is each row's labels' to say.
  const byLabel = new Set(event.mapping.labelled?.flatMap((group) => (group.prefer === 'mobile' ? group.pairs.map((pair) => pair.value) : [])));
  // A header written twice (`Correo | Correo`) or none at all is told apart by its column's letter.
  const headers = event.mapping.columns.map((column) => column.header);
  const label = (index: number) => {
    const header = headers[index] ?? '';
    if (header === '') return `column ${columnLetters(index + 1)} (no header)`;
    return headers.indexOf(header) === headers.lastIndexOf(header) ? JSON.stringify(header) : `${JSON.stringify(header)} (column ${columnLetters(index + 1)})`;
  };
  const filledFrom = (field: keyof typeof event.mapping.headerOf) => {
    const index = event.mapping.columns.find((column) => column.target.kind === 'field' && column.target.field === field)?.index;
    return index === undefined ? JSON.stringify(event.mapping.headerOf[field]) : label(index);
  };
  for (const column of event.mapping.columns) {
    const part = nameParts?.indexOf(column.index) ?? -1;
    const target =
      column.target.kind === 'field'
        ? part === -1
          ? byLabel.has(column.index)
            ? `${column.target.field} (each row's phones by their labels: one labelled as a mobile comes first, whichever its column)`
            : column.target.field
          : `${column.target.field} (part ${part + 1} of ${nameParts!.length})`
        : column.target.kind === 'metadata'
          ? isExcelPlaceholderMetadata(column)
            ? `metadata "${column.target.key}" where a row holds a value (the name Excel gives a table's column nobody named: empty, it makes no key; holding values, a warning names them once the file is read)`
            : `metadata "${column.target.key}"${column.target.fills ? ` (and ${column.target.fills} where ${filledFrom(column.target.fills)} is empty)` : ''}`
          : `ignored (${column.target.reason.replace(/^ignored /, '')})`;
    log.info({ header: column.header, target }, `  ${label(column.index)} → ${target}`);
  }
}

function reportSummary(log: Logger, pretty: boolean, context: CliContext, summary: ImportSummary, options: { resumable?: boolean } = {}): void {
  const lines = summaryLines(summary, options);
  if (pretty) {
    context.stderr.write(`${lines.join('\n')}\n`);
    return;
  }
  // Under cron the summary is one JSON line like every other log line, with the text as its message,
  // and the groups that text lists (--summary-json has them all): a line of every group was megabytes.
  const unlisted = summary.refusals.length - SHOWN_REASONS;
  const logged = unlisted > 0 ? { ...summary, refusals: summary.refusals.slice(0, SHOWN_REASONS), refusalsNotListed: unlisted } : summary;
  log.info({ summary: logged }, lines.join('\n'));
}

/**
 * The --summary-json of a run that could not happen: `{"exitCode": 2, "error": {"code", "message"}}`, with
 * `"summary"` (the counts so far) when it stopped part-way; a path that cannot be written is left
 * as it is (the exit code says it all).
 */
function writeSummaryFailure(summaryPath: string | undefined, context: CliContext, error: unknown): void {
  const failure = { code: error instanceof ImportError ? error.code : 'unexpected', message: withoutKey((error as Error)?.message ?? String(error), context) };
  const partial = error instanceof ImportError ? error.summary : undefined;
  try {
    writeSummaryJson(summaryPath, context, partial ? { exitCode: EXIT.couldNotRun, error: failure, summary: partial } : { exitCode: EXIT.couldNotRun, error: failure });
  } catch {
    // checked writable before the run; the failure line is already out
  }
}

/** Writes text to a stream and resolves once it is written; rejects when it cannot be (a full disk, a closed pipe). */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      stream.write(text, (error?: Error | null) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error as Error); // a file's synchronous stream throws
    }
  });
}

/** The --summary-json content: to its file (owner-only), or to stdout for `-` (no path). */
function writeSummaryJson(summaryPath: string | undefined, context: CliContext, value: unknown): void {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  if (summaryPath === undefined) context.stdout.write(json);
  else writePrivateFile(summaryPath, json);
}

function fail(log: Logger, pretty: boolean, context: CliContext, error: unknown): number {
  const message = withoutKey(error instanceof ImportError ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`, context);
  if (pretty) context.stderr.write(`quentli-import: ${message}\n`);
  else log.error({ code: error instanceof ImportError ? error.code : 'unexpected' }, `quentli-import: ${message}`);
  return EXIT.couldNotRun;
}

/** Shorter keys are not looked for: no Quentli key is, and a short one would blank out words of the message. */
const SHORTEST_KEY = 8;

/**
 * A refusal's text without the API key. A key given by mistake where a value goes (`--api-url
 * "$QUENTLI_API_KEY"`, as the input file, a mapping's column) is quoted by the refusal that names
 * the value, and cron keeps that line in its log.
 */
function withoutKey(text: string, context: CliContext): string {
  let key: string | undefined;
  try {
    key = (context.cwd === undefined ? context.env : loadEnvironment(context.cwd, context.env)).QUENTLI_API_KEY?.trim();
  } catch {
    key = context.env.QUENTLI_API_KEY?.trim(); // the .env's own failure is said by the caller
  }
  return key !== undefined && key.length >= SHORTEST_KEY && text.includes(key) ? text.replaceAll(key, KEY_SHOWN) : text;
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** Notes a nightly sync gives every night, each part routine: no warning a row (the report has them). */
function isRoutineNote(note: string, status: string): boolean {
  return note
    .split(NOTE_SEPARATOR)
    .every(
      (part) =>
        part === EARLIER_CUSTOMER_NOTE ||
        (status === 'updated' && part.startsWith(CHANGED_FIELDS)) ||
        part.startsWith(`${ARCHIVED_NOTE} since `) ||
        isCaseMatchNote(part) ||
        (status === 'exists' && part.startsWith(`${DIFFERS_NOTE} `)),
    );
}
