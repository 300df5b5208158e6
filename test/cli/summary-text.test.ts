import { describe, expect, it } from 'vitest';
import { summaryLines } from '../../src/cli/summary-text.js';
import type { ReportEntry } from '../../src/report/report-entry.js';
import { SummaryBuilder } from '../../src/report/summary.js';

function summaryOf(entries: ReportEntry[], interrupted = false, requestFailures = { rateLimited: 0, serverError: 0, noAnswer: 0 }) {
  const builder = new SummaryBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.build({
    file: 'alumnos.csv',
    mode: 'create',
    dryRun: false,
    interrupted,
    requests: 42,
    requestFailures,
    elapsedMs: 2000,
    startedAt: '2026-11-30T03:00:00.000Z',
    finishedAt: '2026-11-30T03:00:02.000Z',
    reportPath: '/tmp/alumnos.results.csv',
    errorsPath: '/tmp/alumnos.errors.csv',
  });
}

const badEmail = (row: number): ReportEntry => ({
  row,
  status: 'invalid',
  values: [],
  issues: [{ row, column: 'Correo electrónico', code: 'invalid_email', value: 'x@', rule: 'is not a valid email' } as never],
});

describe('summaryLines', () => {
  it('gives counts per status, elapsed, rate, requests, and refusals grouped with their first rows', () => {
    const entries: ReportEntry[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ row: 20 + i, status: 'created' as const, values: [] })),
      ...[5, 9, 14, 15, 16, 17, 18, 19, 30, 31, 32, 33].map(badEmail),
      { row: 40, status: 'duplicate', username: 'ana.ruiz', values: [] },
      { row: 41, status: 'duplicate', values: [] },
    ];
    const lines = summaryLines(summaryOf(entries));
    expect(lines[0]).toBe('Imported 22 rows of alumnos.csv in 2.0 s (11 rows/s)');
    expect(lines[1]).toBe('  created 8, invalid 12, duplicate 2');
    expect(lines).toContain('  requests made: 42');
    expect(lines).toContain('Refused or failed:');
    expect(lines).toContain('  12 rows: "Correo electrónico" is not a valid email (rows 5, 9, 14, 15, 16, …)');
    expect(lines).toContain('  1 row: the username repeats an earlier row (row 40)');
    // A row without a username repeating an earlier row's name and email or phone.
    expect(lines).toContain('  1 row: the name and email or phone repeat an earlier row (no username) (row 41)');
    expect(lines.slice(-2)).toEqual(['Report: /tmp/alumnos.results.csv', 'Errors: /tmp/alumnos.errors.csv']);
  });

  it('lists the 10 largest reasons and counts the rest (an API message quoting each row made a group a row)', () => {
    const failed = (row: number): ReportEntry => ({ row, status: 'failed', values: [], error: `HTTP 400: the email alumno${row}@escuela.mx belongs to another organization` });
    const entries = [...[3, 4, 5].map(badEmail), ...Array.from({ length: 25 }, (_, i) => failed(10 + i))];
    const lines = summaryLines(summaryOf(entries));
    expect(lines).toContain('  3 rows: "Correo electrónico" is not a valid email (rows 3, 4, 5)');
    expect(lines.filter((line) => line.includes('belongs to another organization'))).toHaveLength(9);
    expect(lines).toContain('  and 16 more reasons: the report and the errors file give each row\'s');
    expect(summaryLines(summaryOf(entries.slice(0, 13)))).not.toContain(expect.stringMatching(/more reason/));
  });

  it('counts the emails refused for different slips as one reason, as issue 6 shows it', () => {
    const slipped = (row: number, rule: string): ReportEntry => ({
      row,
      status: 'invalid',
      values: [],
      issues: [{ row, column: 'Correo electrónico', code: 'invalid_email', value: 'x', rule } as never],
    });
    const entries = [badEmail(5), slipped(9, 'is not a valid email: it has more than one @'), slipped(14, 'is not a valid email: the domain after the @ has no ending (such as .com or .mx)')];
    const lines = summaryLines(summaryOf(entries));
    expect(lines).toContain('  3 rows: "Correo electrónico" is not a valid email (rows 5, 9, 14)');
    expect(lines.filter((line) => line.includes('valid email'))).toHaveLength(1);
  });

  it('says why the requests were more than the rows: 429s, 5xx, no answer', () => {
    const created = [{ row: 2, status: 'created' as const, values: [] }];
    expect(summaryLines(summaryOf(created, false, { rateLimited: 12, serverError: 3, noAnswer: 0 }))).toContain('  requests made: 42, of them 12 rate-limited (429), 3 server errors (5xx)');
    expect(summaryLines(summaryOf(created, false, { rateLimited: 0, serverError: 0, noAnswer: 7 }))).toContain('  requests made: 42, of them 7 without an answer (a timeout or a lost connection)');
  });

  it('says how to resume after an interruption', () => {
    const lines = summaryLines(summaryOf([{ row: 2, status: 'created', values: [] }, { row: 3, status: 'not_attempted', values: [] }], true));
    expect(lines[0]).toMatch(/^Stopped 2 rows/);
    expect(lines[1]).toBe('  created 1, not_attempted 1');
    expect(lines.at(-1)).toBe('Interrupted: run the same command again to resume where it stopped.');
  });

  it('says the rows written after the end was read were not read (an export still being written)', () => {
    const lines = summaryLines({ ...summaryOf([{ row: 2, status: 'created', values: [] }]), unreadInput: 'appended' });
    expect(lines[1]).toBe('  created 1');
    expect(lines.at(-1)).toBe('Not read: alumnos.csv grew after its end was read (an export still being written?): run the same command again once it is complete.');
    const replaced = summaryLines({ ...summaryOf([{ row: 2, status: 'created', values: [] }]), unreadInput: 'replaced' });
    expect(replaced.at(-1)).toBe('Not read: alumnos.csv was replaced while it was read (another export renamed or written over it?): run the same command again to import it.');
  });

  it('does not say to run it again when that would stop at the same place (resumable: false)', () => {
    const lines = summaryLines(summaryOf([{ row: 2, status: 'created', values: [] }, { row: 3, status: 'not_attempted', values: [] }], true), { resumable: false });
    expect(lines[0]).toMatch(/^Stopped 2 rows/);
    expect(lines.at(-1)).toBe('Errors: none (/tmp/alumnos.errors.csv holds the header only)');
  });
});
