import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { markSummaryUnfinished } from '../../src/cli/summary-file.js';

describe('markSummaryUnfinished', () => {
  it('replaces last night\'s summary with the unfinished marker, and returns its path', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qi-summary-'));
    writeFileSync(join(cwd, 'resumen.json'), '{"counts":{"created":300}}');
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', 'resumen.json']), cwd)).toBe(join(cwd, 'resumen.json'));
    expect(JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8'))).toEqual({ error: { code: 'unfinished', message: expect.stringMatching(/^the run started at .* has not finished/) } });
  });

  it('touches nothing for stdout or without a summary, and refuses the input or the run\'s own files', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qi-summary-'));
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', '-']), cwd)).toBeUndefined();
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv']), cwd)).toBeUndefined();
    expect(() => markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', 'alumnos.csv']), cwd)).toThrow(/would overwrite the input file/);
    expect(() => markSummaryUnfinished(parseCliArgs(['lista.xlsx', '--summary-json', 'lista.results.errors.xlsx']), cwd)).toThrow(/would overwrite the run's errors file/);
    expect(() => markSummaryUnfinished(parseCliArgs(['lista.csv', '--report', 'out/r.csv', '--summary-json', 'out/r.lock']), cwd)).toThrow(/would overwrite the run's lock/);
  });
});
