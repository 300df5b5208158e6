import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from '../../src/cli/args.js';

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
});
