import { parseArgs } from 'node:util';
import { ImportError } from '../errors/index.js';

/** The command line, parsed but not yet resolved against the environment. */
export interface CliArgs {
  file?: string;
  apiUrl?: string;
  mapping?: string;
  defaultCountry?: string;
  concurrency?: number;
  dryRun: boolean;
  report?: string;
  sheet?: string | number;
  headerRow?: number;
  mode?: 'create' | 'upsert';
  timeoutMs?: number;
  maxAttempts?: number;
  maxRetryWaitMs?: number;
  restart: boolean;
  summaryJson?: string;
  quiet: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: quentli-import <file> [options]

Imports customers into Quentli from a CSV or .xlsx roster.

Options:
  --api-url <url>          API base URL, including /v1. Default: $QUENTLI_API_URL, else https://api.quentli.com/v1
  --mapping <file.json>    column mapping: {"columns": {"<header>": "<field>" | "metadata.<key>" | null}, "unmapped": "metadata" | "ignore" | "error"}
  --default-country <CC>   region for phone numbers written without a country code (default MX)
  --concurrency <n>        most requests in flight at once, 1 to 256 (default 8)
  --dry-run                read, map and validate every row; send nothing; report what would happen
  --mode <create|upsert>   create (default): never update; upsert: create new usernames, update changed customers
  --report <file>          results report path; .csv, .xlsx or .json by its extension
                           (default: <input name>.results.csv in the current directory; a --dry-run
                           after an import there writes <input name>.dry-run.csv, keeping its results)
  --sheet <name|number>    workbook sheet to read: its tab name, else its position (default: the first sheet with data)
  --header-row <n>         row holding the column names, as a spreadsheet numbers it (default: the first
                           non-empty row; a title above it is skipped when that row names no name column)
  --timeout <seconds>      longest wait for one API answer (default 30)
  --max-attempts <n>       most attempts per request before a row is failed (default 10; a 429 is none)
  --max-retry-wait <s>     longest a row may take retrying, pauses included (default 300)
  --restart                ignore the journal of an earlier run of the same input and start over
  --summary-json <file>    also write the summary as JSON (- for stdout)
  --quiet                  errors only
  --verbose                debug logs
  --help, --version

The API key is read from $QUENTLI_API_KEY (and the default --api-url from $QUENTLI_API_URL), also from a .env file
in the working directory; the environment wins. Sandbox: --api-url https://api.demo.quentli.com/v1
Behind a proxy: $HTTPS_PROXY (http://user:password@proxy:3128), unless $NO_PROXY names the API's host.
Exit codes: 0 every row succeeded (or is valid, with --dry-run); 1 some rows were refused or failed, or
the file grew or was replaced after it was read; 2 the import could not run; 130 interrupted (run the
same command again to resume).`;

/** Parses argv (without node and the script); a wrong flag or value is a usage error (exit 2). */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'api-url': { type: 'string' },
        mapping: { type: 'string' },
        'default-country': { type: 'string' },
        concurrency: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        mode: { type: 'string' },
        report: { type: 'string' },
        sheet: { type: 'string' },
        'header-row': { type: 'string' },
        timeout: { type: 'string' },
        'max-attempts': { type: 'string' },
        'max-retry-wait': { type: 'string' },
        restart: { type: 'boolean', default: false },
        'summary-json': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new ImportError('usage', `${parseProblem((error as Error).message, argv)} (see --help)`);
  }
  const { values, positionals } = parsed;
  // `--mapping "$MAPPING"` with the variable unset in a crontab: an empty value names no file, URL or
  // country, and taken as the flag left out it imported without the mapping (or to the default URL).
  for (const flag of VALUED_FLAGS) {
    if (values[flag]?.trim() === '') throw new ImportError('usage', `--${flag} was given an empty value (a shell variable that is not set?): give ${VALUE_OF[flag]}, or leave the flag out`);
  }
  // `quentli-import roster.csv -v` in a crontab, meant as verbose, printed a version and imported
  // nothing, with exit 0 every night.
  if (values.version && positionals.length > 0) {
    throw new ImportError('usage', `--version (-v) prints the version and imports nothing: leave it out to import ${positionals[0]} (more log lines: --verbose)`);
  }
  if (positionals.length > 1) throw new ImportError('usage', `one input file at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  if (positionals[0] === '-') throw new ImportError('usage', 'a roster is not read from standard input ("-"): save it to a file and give its path');
  const mode = values.mode;
  if (mode !== undefined && mode !== 'create' && mode !== 'upsert') throw new ImportError('usage', `--mode must be create or upsert (got ${JSON.stringify(mode)})`);
  const sheet = values.sheet;
  const args: CliArgs = {
    dryRun: values['dry-run'],
    restart: values.restart,
    quiet: values.quiet,
    verbose: values.verbose,
    help: values.help,
    version: values.version,
  };
  if (positionals[0] !== undefined) args.file = positionals[0];
  if (values['api-url'] !== undefined) args.apiUrl = values['api-url'];
  if (values.mapping !== undefined) args.mapping = values.mapping;
  if (values['default-country'] !== undefined) args.defaultCountry = values['default-country'];
  if (values.concurrency !== undefined) args.concurrency = wholeNumber('--concurrency', values.concurrency, 1, 256);
  if (mode !== undefined) args.mode = mode;
  if (values.report !== undefined) args.report = values.report;
  // Kept as typed: a tab named "2025" or "1" is found by its name first, then by position.
  if (sheet !== undefined) args.sheet = sheet;
  if (values['header-row'] !== undefined) args.headerRow = wholeNumber('--header-row', values['header-row'], 1);
  if (values.timeout !== undefined) args.timeoutMs = positiveSeconds('--timeout', values.timeout);
  if (values['max-attempts'] !== undefined) args.maxAttempts = wholeNumber('--max-attempts', values['max-attempts'], 1);
  if (values['max-retry-wait'] !== undefined) args.maxRetryWaitMs = positiveSeconds('--max-retry-wait', values['max-retry-wait']);
  if (values['summary-json'] !== undefined) args.summaryJson = values['summary-json'];
  return args;
}

/** Flags whose value names something; their numeric and `--mode` values are checked on their own below. */
const VALUED_FLAGS = ['api-url', 'mapping', 'default-country', 'report', 'sheet', 'summary-json'] as const;

const VALUE_OF: Record<(typeof VALUED_FLAGS)[number], string> = {
  'api-url': 'the API URL',
  mapping: 'the mapping file',
  'default-country': 'a two-letter country code',
  report: 'the report file',
  sheet: "the sheet's name or number",
  'summary-json': 'the file (or - for stdout)',
};

function wholeNumber(flag: string, text: string, min: number, max?: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || (max !== undefined && value > max)) {
    throw new ImportError('usage', `${flag} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`} (got ${JSON.stringify(text)})`);
  }
  return value;
}

function positiveSeconds(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ImportError('usage', `${flag} must be a number of seconds above 0 (got ${JSON.stringify(text)})`);
  // Below a millisecond it rounded to 0, refused later as "the timeout must be a positive number of milliseconds (got 0)".
  if (value < 0.001) throw new ImportError('usage', `${flag} must be at least 0.001 seconds (got ${JSON.stringify(text)})`);
  return Math.round(value * 1000);
}

/**
 * Node's complaint about the command line, in one line that says what to type: its messages run
 * to several lines, and the first alone ("Option '--concurrency' argument is ambiguous.") hid
 * that `--concurrency -1` had taken `-1` for an option.
 */
function parseProblem(message: string, argv: string[]): string {
  const first = message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
  if (ambiguous) {
    const flag = ambiguous[1]!;
    const next = argv[argv.indexOf(flag) + 1];
    if (next !== undefined && /^-\.?\d/.test(next)) return `${flag} needs a value, and ${JSON.stringify(next)} starts with a dash: write ${flag}=${next} if it is the value`;
    if (next !== undefined) return `${flag} needs a value (${next} after it is read as an option)`;
  }
  const missing = /^Option '(--[\w-]+)(?: <value>)?' argument missing/.exec(first);
  if (missing) return `${missing[1]} needs a value`;
  // A file named with a leading dash (`-roster.csv`) is read as a cluster of one-letter flags.
  const unknownLetter = /^Unknown option '-(\S)'/.exec(first);
  const dashedName = unknownLetter && argv.find((arg) => /^-[^-]/.test(arg) && arg.length > 2 && arg.includes(unknownLetter[1]!));
  if (dashedName) return `${first}: ${JSON.stringify(dashedName)} is read as options; a file whose name starts with a dash is given as ./${dashedName}`;
  return first;
}
