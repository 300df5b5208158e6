import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from '../../src/cli/args.js';
import { ImportError } from '../../src/errors/index.js';

describe('parseCliArgs', () => {
  it('refuses a flag given an empty value (an unset shell variable) instead of taking it as left out', () => {
    for (const flag of ['--api-url', '--mapping', '--default-country', '--report', '--sheet', '--summary-json']) {
      for (const value of ['', ' ']) {
        expect(() => parseCliArgs(['alumnos.csv', flag, value]), `${flag} ${JSON.stringify(value)}`).toThrow(
          expect.objectContaining({ code: 'usage', message: expect.stringMatching(new RegExp(`^${flag} was given an empty value .*leave the flag out$`)) }),
        );
      }
    }
  });

  it('refuses -v beside an input file (verbose meant: it printed a version and imported nothing, exit 0), not alone', () => {
    for (const flag of ['-v', '--version']) {
      expect(() => parseCliArgs(['alumnos.csv', flag])).toThrow(
        expect.objectContaining({ code: 'usage', message: '--version (-v) prints the version and imports nothing: leave it out to import alumnos.csv (more log lines: --verbose)' }),
      );
      expect(parseCliArgs([flag]).version).toBe(true);
    }
  });

  it('takes the same flags with a value as given', () => {
    const args = parseCliArgs(['alumnos.csv', '--api-url', 'http://127.0.0.1:4010/v1', '--mapping', 'm.json', '--default-country', 'us', '--report', 'r.json', '--sheet', '2', '--summary-json', '-']);
    expect(args).toMatchObject({ file: 'alumnos.csv', apiUrl: 'http://127.0.0.1:4010/v1', mapping: 'm.json', defaultCountry: 'us', report: 'r.json', sheet: '2', summaryJson: '-' });
  });
});

describe('USAGE', () => {
  it('says where a dry run after an import writes its report, since it is not the default path then', () => {
    expect(USAGE).toMatch(/default: <input name>\.results\.csv in the current directory; a --dry-run\s+after an import there writes <input name>\.dry-run\.csv/);
  });

  it('--help says that a .env file may hold the API URL too, and how to point at the sandbox', () => {
    expect(USAGE).toMatch(/\$QUENTLI_API_KEY \(and the default --api-url from \$QUENTLI_API_URL\), also from a \.env file/);
    expect(USAGE).toContain('--api-url https://api.demo.quentli.com/v1');
  });
});

/** The usage refusal of a command line, as the one line the CLI prints after `quentli-import: `. */
function refusal(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).code).toBe('usage');
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('parseCliArgs refusals say what to type', () => {
  it('a value starting with a dash, or a value missing, is said so (not "argument is ambiguous")', () => {
    expect(refusal(['alumnos.csv', '--concurrency', '-1'])).toBe('--concurrency needs a value, and "-1" starts with a dash: write --concurrency=-1 if it is the value (see --help)');
    expect(refusal(['alumnos.csv', '--timeout', '-5', '--dry-run'])).toBe('--timeout needs a value, and "-5" starts with a dash: write --timeout=-5 if it is the value (see --help)');
    expect(refusal(['alumnos.csv', '--report', '--dry-run'])).toBe('--report needs a value (--dry-run after it is read as an option) (see --help)');
    expect(refusal(['alumnos.csv', '--report'])).toBe('--report needs a value (see --help)');
    // Written as told, the value is checked as any other.
    expect(refusal(['alumnos.csv', '--concurrency=-1'])).toBe('--concurrency must be a whole number from 1 to 256 (got "-1")');
    expect(refusal(['alumnos.csv', '--frobnicate'])).toBe("Unknown option '--frobnicate' (see --help)");
  });

  it('a file whose name starts with a dash: the refusal says how to give it (./)', () => {
    expect(refusal(['-roster ñ.csv', '--dry-run'])).toBe('Unknown option \'-r\': "-roster ñ.csv" is read as options; a file whose name starts with a dash is given as ./-roster ñ.csv (see --help)');
    // -h is --help: the first letter parseArgs does not know is the o.
    expect(refusal(['-hola.csv'])).toBe('Unknown option \'-o\': "-hola.csv" is read as options; a file whose name starts with a dash is given as ./-hola.csv (see --help)');
    expect(parseCliArgs(['./-roster ñ.csv', '--dry-run']).file).toBe('./-roster ñ.csv');
  });

  it('--concurrency takes every value from 1 to 256, as --help says, and nothing past them', () => {
    expect(parseCliArgs(['alumnos.csv', '--concurrency', '1']).concurrency).toBe(1);
    expect(parseCliArgs(['alumnos.csv', '--concurrency', '256']).concurrency).toBe(256);
    expect(refusal(['alumnos.csv', '--concurrency', '0'])).toBe('--concurrency must be a whole number from 1 to 256 (got "0")');
    expect(refusal(['alumnos.csv', '--concurrency', '257'])).toBe('--concurrency must be a whole number from 1 to 256 (got "257")');
  });

  it('a zero timeout or retry wait is refused as not above 0', () => {
    expect(refusal(['alumnos.csv', '--timeout', '0'])).toBe('--timeout must be a number of seconds above 0 (got "0")');
    expect(refusal(['alumnos.csv', '--max-retry-wait', '0'])).toBe('--max-retry-wait must be a number of seconds above 0 (got "0")');
  });

  it('seconds below a millisecond are refused in the flag\'s own words', () => {
    expect(refusal(['alumnos.csv', '--timeout', '0.0001'])).toBe('--timeout must be at least 0.001 seconds (got "0.0001")');
    expect(refusal(['alumnos.csv', '--max-retry-wait', '1e-5'])).toBe('--max-retry-wait must be at least 0.001 seconds (got "1e-5")');
    expect(parseCliArgs(['alumnos.csv', '--timeout', '0.001']).timeoutMs).toBe(1);
  });

  it('"-" for standard input is said to be unsupported (it was "-: does not exist")', () => {
    expect(refusal(['-', '--dry-run'])).toBe('a roster is not read from standard input ("-"): save it to a file and give its path');
  });
});
