import { linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { markSummaryUnfinished } from '../../src/cli/summary-file.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('markSummaryUnfinished', () => {
  it('replaces last night\'s summary with the unfinished marker, and returns its path', () => {
    const cwd = temporaryFolder('qi-summary-');
    writeFileSync(join(cwd, 'resumen.json'), '{"counts":{"created":300}}');
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', 'resumen.json']), cwd)).toBe(join(cwd, 'resumen.json'));
    expect(JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8'))).toEqual({ error: { code: 'unfinished', message: expect.stringMatching(/^the run started at .* has not finished/) } });
  });

  it('touches nothing for stdout or without a summary, and refuses the input or the run\'s own files', () => {
    const cwd = temporaryFolder('qi-summary-');
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', '-']), cwd)).toBeUndefined();
    expect(markSummaryUnfinished(parseCliArgs(['alumnos.csv']), cwd)).toBeUndefined();
    expect(() => markSummaryUnfinished(parseCliArgs(['alumnos.csv', '--summary-json', 'alumnos.csv']), cwd)).toThrow(/would overwrite the input file/);
    expect(() => markSummaryUnfinished(parseCliArgs(['lista.xlsx', '--summary-json', 'lista.results.errors.xlsx']), cwd)).toThrow(/would overwrite the run's errors file/);
    expect(() => markSummaryUnfinished(parseCliArgs(['lista.csv', '--report', 'out/r.csv', '--summary-json', 'out/r.lock']), cwd)).toThrow(/would overwrite the run's lock/);
  });

  it('refuses a link to the input or to the run\'s own report, which writing the marker would overwrite', () => {
    const cwd = temporaryFolder('qi-summary-');
    writeFileSync(join(cwd, 'export.csv'), 'Nombre,Usuario\nAna,ana.uno\n');
    writeFileSync(join(cwd, 'export.results.csv'), 'row,status\n');
    symlinkSync(join(cwd, 'export.csv'), join(cwd, 'resumen.json'));
    linkSync(join(cwd, 'export.results.csv'), join(cwd, 'otro.json'));
    expect(() => markSummaryUnfinished(parseCliArgs(['export.csv', '--summary-json', 'resumen.json']), cwd)).toThrow(/would overwrite the input file .*export\.csv \(.*resumen\.json is a link to it\)/);
    expect(() => markSummaryUnfinished(parseCliArgs(['export.csv', '--summary-json', 'otro.json']), cwd)).toThrow(/would overwrite the run's report/);
    expect(readFileSync(join(cwd, 'export.csv'), 'utf8')).toBe('Nombre,Usuario\nAna,ana.uno\n');
  });
});
