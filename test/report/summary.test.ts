import { describe, expect, it } from 'vitest';
import type { ReportEntry } from '../../src/report/report-entry.js';
import { SummaryBuilder, type ImportSummary } from '../../src/report/summary.js';

function built(builder: SummaryBuilder): ImportSummary {
  return builder.build({
    file: 'alumnos.csv',
    mode: 'create',
    dryRun: false,
    interrupted: false,
    requests: 0,
    requestFailures: { rateLimited: 0, serverError: 0, noAnswer: 0 },
    elapsedMs: 1000,
    startedAt: '2026-11-30T03:00:00.000Z',
    finishedAt: '2026-11-30T03:00:01.000Z',
    reportPath: '/tmp/alumnos.results.csv',
    errorsPath: '/tmp/alumnos.errors.csv',
  });
}

const failed = (row: number, error: string): ReportEntry => ({ row, status: 'failed', error, values: [] });

describe('SummaryBuilder refusals', () => {
  it('keeps the ten lowest rows of a reason, in order, however out of order the rows finish', () => {
    const builder = new SummaryBuilder();
    // The pool finishes rows out of order: 14 rows, the lowest ones last.
    for (const row of [30, 2, 17, 40, 9, 25, 12, 33, 5, 21, 8, 3, 50, 4]) builder.add(failed(row, 'HTTP 400: bad'));
    const [group] = built(builder).refusals;
    expect(group).toEqual({ reason: 'HTTP 400: bad', count: 14, rows: [2, 3, 4, 5, 8, 9, 12, 17, 21, 25] });
  });
});
