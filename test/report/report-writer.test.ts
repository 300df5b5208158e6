import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatOfPath } from '../../src/report/formats/table-writer.js';
import type { ReportEntry } from '../../src/report/report-entry.js';
import { ReportWriter } from '../../src/report/report-writer.js';
import { SummaryBuilder, type ImportSummary } from '../../src/report/summary.js';
import { temporaryFolder } from '../temporary-folder.js';

const HEADERS = ['Nombre', 'Usuario', 'Teléfono', 'Correo'];

const ENTRIES: ReportEntry[] = [
  { row: 2, status: 'created', customerId: 'cus_1', username: 'ana', name: 'Ana', values: ['Ana', 'ana', '+525512345678', 'ana@example.com'] },
  {
    row: 3,
    status: 'invalid',
    username: '-pepe',
    name: '=HYPERLINK("http://evil","x")',
    error: 'row 3, "Correo": "pedro@" is not a valid email',
    values: ['=HYPERLINK("http://evil","x")', '-pepe', '+52 55 1234 5678', 'pedro@'],
  },
  { row: 5, status: 'failed', username: 'luis', name: 'Luis; Ñúñez', error: 'HTTP 400: bad', values: ['Luis; Ñúñez', 'luis', '+525512345678', '@x'] },
  { row: 6, status: 'not_attempted', username: 'eva', name: 'Eva', values: ['Eva', 'eva', '', ''] },
];

function summaryOf(entries: ReportEntry[], paths: { reportPath: string; errorsPath: string }): ImportSummary {
  const builder = new SummaryBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.build({ file: 'roster.csv', mode: 'create', dryRun: false, interrupted: true, requests: 3, requestFailures: { rateLimited: 0, serverError: 0, noAnswer: 0 }, elapsedMs: 1000, startedAt: '2026-11-30T03:00:00.000Z', finishedAt: '2026-11-30T03:00:01.000Z', ...paths });
}

/** Files entries out of order, as the pool finishes them. */
async function writeReport(reportPath: string, errorsPath: string, delimiter = ','): Promise<ImportSummary> {
  const writer = new ReportWriter({ reportPath, errorsPath, sourceHeaders: HEADERS, delimiter });
  const order = [2, 0, 3, 1];
  await Promise.all(order.map((seq) => writer.add(seq, ENTRIES[seq]!)));
  const summary = summaryOf(ENTRIES, { reportPath, errorsPath });
  await writer.close(summary);
  return summary;
}

let dir: string;
beforeEach(() => {
  dir = temporaryFolder('report-writer-');
});

describe('formatOfPath', () => {
  it('picks the format by extension, CSV by default', () => {
    expect(formatOfPath('a.xlsx')).toBe('xlsx');
    expect(formatOfPath('a.XLSX')).toBe('xlsx');
    expect(formatOfPath('a.json')).toBe('json');
    expect(formatOfPath('a.csv')).toBe('csv');
    expect(formatOfPath('a.txt')).toBe('csv');
    expect(formatOfPath('report')).toBe('csv');
  });
});

describe('CSV report', () => {
  it('writes rows in input order and neutralizes formulas, leaving E.164 phones readable', async () => {
    const reportPath = join(dir, 'r.results.csv');
    const errorsPath = join(dir, 'r.errors.csv');
    await writeReport(reportPath, errorsPath, ';');
    const lines = readFileSync(reportPath, 'utf8').split('\r\n');
    expect(lines[0]).toBe('row,status,customerId,username,error,name');
    expect(lines.slice(1, 5).map((line) => line.split(',')[0])).toEqual(['2', '3', '5', '6']);
    expect(lines[2]).toBe(`3,invalid,,'-pepe,"row 3, ""Correo"": ""pedro@"" is not a valid email","'=HYPERLINK(""http://evil"",""x"")"`);

    const errors = readFileSync(errorsPath, 'utf8');
    expect(errors.startsWith('\uFEFFNombre;Usuario;Teléfono;Correo;error\r\n')).toBe(true);
    const errorLines = errors.slice(1).split('\r\n');
    expect(errorLines).toHaveLength(4); // header, two refused rows, final empty
    expect(errorLines[1]).toBe(`"'=HYPERLINK(""http://evil"",""x"")";'-pepe;'+52 55 1234 5678;pedro@;"row 3, ""Correo"": ""pedro@"" is not a valid email"`);
    expect(errorLines[2]).toBe(`"Luis; Ñúñez";luis;+525512345678;'@x;HTTP 400: bad`);
  });

  it('leaves out of the errors file a row without a username that repeats an earlier row, keeping a repeated username', async () => {
    const reportPath = join(dir, 'r.results.csv');
    const errorsPath = join(dir, 'r.errors.csv');
    const writer = new ReportWriter({ reportPath, errorsPath, sourceHeaders: HEADERS, delimiter: ',' });
    const repeat = (row: number, code: 'duplicate_customer' | 'duplicate_username', values: string[]): ReportEntry => ({
      row,
      status: 'duplicate',
      name: values[0],
      error: `row ${row}: repeats row 2`,
      issues: [{ row, code, rule: 'repeats row 2' }],
      values,
    });
    const entries: ReportEntry[] = [
      { row: 2, status: 'created', customerId: 'cus_1', name: 'Zoe Uno', values: ['Zoe Uno', '', '5511112222', 'zoe@gmail.com'] },
      repeat(3, 'duplicate_customer', ['Zoe Uno', '', '5511112222', 'zoe@gmail.com']),
      repeat(4, 'duplicate_username', ['Max Dos', 'ana', '5511113333', 'max@gmail.com']),
    ];
    entries.forEach((entry, i) => writer.add(i, entry));
    await writer.close(summaryOf(entries, { reportPath, errorsPath }));
    expect(readFileSync(reportPath, 'utf8').split('\r\n').slice(1, 4).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['2,created', '3,duplicate', '4,duplicate']);
    const errorLines = readFileSync(errorsPath, 'utf8').slice(1).split('\r\n');
    expect(errorLines.slice(1, -1)).toEqual(['Max Dos,ana,5511113333,max@gmail.com,row 4: repeats row 2']);
  });

  it('writes in the errors file the digits a spreadsheet would change as ="…", the results report as they are', async () => {
    // Opened by double-click in Excel or LibreOffice, `00104` became 104 and was saved so: imported
    // again, a second customer with the username 104. `="00104"` is shown, and saved back, as 00104.
    const reportPath = join(dir, 'ids.csv');
    const errorsPath = join(dir, 'ids.errors.csv');
    const writer = new ReportWriter({ reportPath, errorsPath, sourceHeaders: HEADERS, delimiter: ';' });
    await writer.add(0, { row: 2, status: 'invalid', username: '00104', name: 'Ana', error: 'bad', values: ['Ana', '00104', '525512345678', 'ana@'] });
    await writer.add(1, { row: 3, status: 'failed', username: '24001', name: 'Eva', error: 'bad', values: ['Eva', '24001', '5512345678', '0'] });
    await writer.close();
    expect(readFileSync(errorsPath, 'utf8')).toBe(
      '\uFEFFNombre;Usuario;Teléfono;Correo;error\r\nAna;"=""00104""";"=""525512345678""";ana@;bad\r\nEva;24001;5512345678;0;bad\r\n',
    );
    expect(readFileSync(reportPath, 'utf8').split('\r\n')[1]).toBe('2,invalid,,00104,bad,Ana');
  });

  it('creates the files readable by the owner only, also when they existed with wider permissions', async () => {
    const reportPath = join(dir, 'r.results.csv');
    const errorsPath = join(dir, 'r.errors.csv');
    writeFileSync(reportPath, 'old');
    chmodSync(reportPath, 0o644);
    writeFileSync(errorsPath, 'old');
    chmodSync(errorsPath, 0o666);
    await writeReport(reportPath, errorsPath);
    expect(statSync(reportPath).mode & 0o777).toBe(0o600);
    expect(statSync(errorsPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(reportPath, 'utf8').startsWith('row,status')).toBe(true);
  });

  it('fails the run clearly when the report cannot be written', async () => {
    const writer = new ReportWriter({ reportPath: join(dir, 'missing', 'r.csv'), errorsPath: join(dir, 'missing', 'r.errors.csv'), sourceHeaders: HEADERS, delimiter: ',' });
    writer.add(0, ENTRIES[0]!); // lines are written in batches: the failure surfaces at the next write or at close
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });
});

describe('JSON report', () => {
  it('is valid JSON with one object per row in input order and the summary', async () => {
    const reportPath = join(dir, 'r.json');
    const summary = await writeReport(reportPath, join(dir, 'r.errors.csv'));
    const parsed = JSON.parse(readFileSync(reportPath, 'utf8')) as { rows: Array<Record<string, unknown>>; summary: ImportSummary };
    expect(Object.keys(parsed)).toEqual(['summary', 'rows']);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]); // the rows' scratch file is gone
    expect(parsed.rows.map((row) => row.row)).toEqual([2, 3, 5, 6]);
    expect(Object.keys(parsed.rows[0]!)).toEqual(['row', 'status', 'customerId', 'username', 'error', 'name']);
    // JSON is not opened as a sheet: values stay as they are.
    expect(parsed.rows[1]).toMatchObject({ status: 'invalid', username: '-pepe', name: '=HYPERLINK("http://evil","x")' });
    expect(parsed.summary).toEqual(summary);
    expect(parsed.summary.counts.not_attempted).toBe(1);
    expect(statSync(reportPath).mode & 0o777).toBe(0o600);
  });

  it('stays valid with no rows and no summary (a run that failed)', async () => {
    const reportPath = join(dir, 'empty.json');
    const writer = new ReportWriter({ reportPath, errorsPath: join(dir, 'empty.errors.csv'), sourceHeaders: HEADERS, delimiter: ',' });
    await writer.close();
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toEqual({ rows: [], summary: null });
  });
});

describe('XLSX report', () => {
  it('has a bold, frozen, filtered header, numeric rows, tinted refusals and neutralized text', async () => {
    const reportPath = join(dir, 'r.xlsx');
    await writeReport(reportPath, join(dir, 'r.errors.csv'));
    expect(statSync(reportPath).mode & 0o777).toBe(0o600);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(reportPath);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'row', 'status', 'customerId', 'username', 'error', 'name']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // The filter spans the rows, and the workbook names its range as LibreOffice needs to show it
    // (it was the header row alone, without the name: LibreOffice showed no filter at all).
    expect(sheet.autoFilter).toBe('A1:F5');
    expect(workbook.definedNames.model).toEqual([{ name: '_xlnm._FilterDatabase', ranges: ['Results!$A$1:$F$5'] }]);
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(2).getCell(1).value).toBe(2);
    expect(sheet.getRow(3).getCell(4).value).toBe("'-pepe");
    expect(sheet.getRow(3).getCell(6).value).toBe(`'=HYPERLINK("http://evil","x")`);
    // The message column wide enough to read, a customer id whole (it was 12 characters: the
    // header's length decided it, whatever the cells held).
    expect([1, 2, 3, 4, 5, 6].map((column) => sheet.getColumn(column).width)).toEqual([8, 14, 28, 18, 60, 36]);
    const fillOf = (row: number) => (sheet.getRow(row).getCell(2).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    expect(fillOf(2)).toBeUndefined();
    expect(fillOf(3)).toBe('FFFDE2E2');
    expect(fillOf(4)).toBe('FFFDE2E2');
    expect(fillOf(5)).toBe('FFFFF4CC');
    expect(sheet.getRow(3).getCell(2).font?.bold).toBe(true);
  });

  it('writes an .xlsx errors file with the input columns plus error', async () => {
    const errorsPath = join(dir, 'r.errors.xlsx');
    await writeReport(join(dir, 'r.results.csv'), errorsPath);
    expect(statSync(errorsPath).mode & 0o777).toBe(0o600);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(errorsPath);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS, 'error']);
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      `'=HYPERLINK("http://evil","x")`,
      "'-pepe",
      "'+52 55 1234 5678",
      'pedro@',
      'row 3, "Correo": "pedro@" is not a valid email',
    ]);
    expect(sheet.getRow(3).getCell(3).value).toBe('+525512345678');
    expect(sheet.getRow(3).getCell(4).value).toBe("'@x");
    expect(sheet.getColumn(5).width).toBe(60);
    expect(sheet.autoFilter).toBe('A1:E3');
  });

  it('reuses an existing error column instead of adding a second', async () => {
    const errorsPath = join(dir, 'again.errors.xlsx');
    const writer = new ReportWriter({ reportPath: join(dir, 'again.csv'), errorsPath, sourceHeaders: ['Nombre', 'error'], delimiter: ',' });
    await writer.add(0, { row: 2, status: 'invalid', error: 'new problem', values: ['Ana', 'old problem'] });
    await writer.close();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(errorsPath);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([undefined, 'Nombre', 'error']);
    expect(workbook.worksheets[0]!.getRow(2).values).toEqual([undefined, 'Ana', 'new problem']);
  });

  it('keeps an `error` column the mapping imports as data, and adds its message as `import error`', async () => {
    // `{"columns": {"error": "metadata.error"}}`: the school's own column was overwritten by the
    // message, and the fixed errors file then sent the message as the customer's metadata.
    const errorsPath = join(dir, 'own-error.errors.csv');
    const writer = new ReportWriter({ reportPath: join(dir, 'own-error.csv'), errorsPath, sourceHeaders: ['Nombre', 'error'], errorColumn: -1, delimiter: ',' });
    await writer.add(0, { row: 2, status: 'invalid', error: 'the problem', values: ['Ana', 'dato de la escuela'] });
    await writer.close();
    expect(readFileSync(errorsPath, 'utf8')).toBe('\uFEFFNombre,error,import error\r\nAna,dato de la escuela,the problem\r\n');
  });
});
