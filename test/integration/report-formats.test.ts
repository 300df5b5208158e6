import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import type { ImportSummary } from '../../src/report/summary.js';
import { KEY, readCsvRecords, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// Issue 6: report formats by extension, the errors file of a workbook, formula neutralizing,
// owner-only files and --summary-json, through the real CLI against the simulator.

const HEADERS = ['Nombre', 'Usuario', 'Correo electrónico', 'Teléfono'];
const ROWS = [
  ['Ana López', 'ana', 'ana@example.com', '+525512345678'],
  ['+HYPERLINK("http://evil.example","clic")', 'formula', 'f@example.com', '55 1234 5679'],
  ['Pedro Ruiz', 'pedro', 'pedro@', '5512345680'],
  ['-Luis', 'luis', 'luis@example.com', ''],
  ['Eva Ñúñez', 'eva', 'eva@', '+52 55 1234 5681'],
];

function writeCsv(dir: string, name = 'alumnos.csv'): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  writeFileSync(join(dir, name), [HEADERS, ...ROWS].map((row) => row.map(quote).join(',')).join('\n') + '\n');
  return join(dir, name);
}

async function writeXlsx(dir: string, name = 'alumnos.xlsx'): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Alumnos');
  sheet.addRow(HEADERS);
  for (const row of ROWS) sheet.addRow(row);
  await workbook.xlsx.writeFile(join(dir, name));
  return join(dir, name);
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

let sim: RunningSimulator | undefined;
beforeAll(() => requireBuild());
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('report formats through the CLI', () => {
  it('writes a JSON report ending with the same summary as --summary-json, every file 0600', async () => {
    sim = await simulator();
    const cwd = tempDir();
    const input = writeCsv(cwd);
    // Files left by an earlier run with wider permissions are narrowed, not kept.
    for (const name of ['out.json', 'out.errors.csv', 'out.journal', 'summary.json']) {
      writeFileSync(join(cwd, name), 'old');
      chmodSync(join(cwd, name), 0o644);
    }
    const result = await run([input, '--api-url', sim.url, '--report', 'out.json', '--summary-json', 'summary.json', '--restart'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(1);
    for (const name of ['out.json', 'out.errors.csv', 'out.journal', 'summary.json']) expect(modeOf(join(cwd, name)), name).toBe(0o600);

    const report = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')) as { rows: Array<Record<string, unknown>>; summary: ImportSummary };
    const { exitCode, ...summary } = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as ImportSummary & { exitCode: number };
    expect(exitCode).toBe(1);
    expect(report.summary).toEqual(summary);
    expect(summary.counts).toMatchObject({ created: 3, invalid: 2 });
    expect(summary.requests).toBeGreaterThanOrEqual(4);
    expect(summary.refusals).toEqual([{ reason: '"Correo electrónico" is not a valid email', count: 2, rows: [4, 6] }]);
    expect(report.rows.map((row) => [row.row, row.status])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'invalid'],
      [5, 'created'],
      [6, 'invalid'],
    ]);
    expect(Object.keys(report.rows[0]!).slice(0, 5)).toEqual(['row', 'status', 'customerId', 'username', 'error']);
  });

  it('neutralizes formulas in the CSV report and errors file, never in what is sent', async () => {
    sim = await simulator();
    const cwd = tempDir();
    const input = writeCsv(cwd);
    const result = await run([input, '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(1);
    // Sent as written.
    expect(sim.store.byUsername('formula')?.name).toBe('+HYPERLINK("http://evil.example","clic")');
    expect(sim.store.byUsername('luis')?.name).toBe('-Luis');
    const { records } = readCsvRecords(join(cwd, 'alumnos.results.csv'));
    expect(records.find((record) => record.username === 'formula')?.name).toBe(`'+HYPERLINK("http://evil.example","clic")`);
    expect(records.find((record) => record.username === 'luis')?.name).toBe(`'-Luis`);
    expect(modeOf(join(cwd, 'alumnos.results.csv'))).toBe(0o600);

    const errors = readFileSync(join(cwd, 'alumnos.results.errors.csv'), 'utf8');
    expect(errors.startsWith('\uFEFF')).toBe(true);
    const { fields, records: refused } = readCsvRecords(join(cwd, 'alumnos.results.errors.csv'));
    expect(fields).toEqual([...HEADERS, 'error']);
    expect(refused.map((record) => record['Teléfono'])).toEqual(['5512345680', `'+52 55 1234 5681`]);
  });

  it('writes an XLSX report with a frozen bold header and the refused rows tinted', async () => {
    sim = await simulator();
    const cwd = tempDir();
    const input = writeCsv(cwd);
    const result = await run([input, '--api-url', sim.url, '--report', 'resultados.xlsx'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(1);
    expect(existsSync(join(cwd, 'resultados.errors.csv'))).toBe(true); // a CSV input keeps a CSV errors file
    expect(modeOf(join(cwd, 'resultados.xlsx'))).toBe(0o600);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(cwd, 'resultados.xlsx'));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(4).getCell(2).value).toBe('invalid');
    expect((sheet.getRow(4).getCell(2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFDE2E2');
    expect(sheet.getRow(3).getCell(6).value).toBe(`'+HYPERLINK("http://evil.example","clic")`);
  });

  it('writes an error cell back as it showed (#N/A) in the .xlsx errors file: imported unchanged, the row is refused again', async () => {
    const cwd = tempDir();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(HEADERS);
    sheet.addRow(['Ana López', 'ana', { error: '#N/A' }, '+525512345678']);
    sheet.addRow(['Luis Soto', 'luis', 'luis@example.com', '']);
    const input = join(cwd, 'alumnos.xlsx');
    await workbook.xlsx.writeFile(input);
    expect((await run([input, '--dry-run'], { cwd })).code).toBe(1);
    const errorsPath = join(cwd, 'alumnos.results.errors.xlsx');
    const errors = new ExcelJS.Workbook();
    await errors.xlsx.readFile(errorsPath);
    expect(errors.worksheets[0]!.getRow(2).getCell(3).value).toBe('#N/A');
    const again = await run([errorsPath, '--dry-run'], { cwd });
    expect(again.code).toBe(1);
    const { records } = readCsvRecords(join(cwd, 'alumnos.results.errors.results.csv'));
    expect(records.map((record) => [record.row, record.status])).toEqual([['2', 'invalid']]);
  });

  it("writes a CSV errors file whose ids a spreadsheet keeps (=\"00104\"), read back as the same username", async () => {
    // Opened by double-click, `00104` came back as 104 and a 16-digit account as 1.23456789012346E+15:
    // the fixed file, imported, created a second customer under the username 104.
    sim = await simulator();
    const cwd = tempDir();
    writeFileSync(join(cwd, 'ids.csv'), 'Nombre;Usuario;Correo;Cuenta\r\nAna;00104;ana@;1234567890123456\r\nEva;00105;eva@example.com;\r\n');
    const first = await run([join(cwd, 'ids.csv'), '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(first.code, first.stderr).toBe(1);
    const errorsPath = join(cwd, 'ids.results.errors.csv');
    const errors = readFileSync(errorsPath, 'utf8');
    expect(errors.split('\r\n')[1]).toBe('Ana;"=""00104""";ana@;"=""1234567890123456""";"row 2, ""Correo"": ""ana@"" is not a valid email"');

    writeFileSync(errorsPath, errors.replace(';ana@;', ';ana@example.com;'));
    const second = await run([errorsPath, '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(second.code, second.stderr).toBe(0);
    expect(sim.store.size).toBe(2);
    expect(sim.store.byUsername('00104')).toMatchObject({ email: 'ana@example.com', metadata: [{ key: 'Cuenta', value: '1234567890123456' }] });
  });

  it("keys a fixed errors file's metadata as the roster did when a header starts like a formula (@Instagram)", async () => {
    // The errors file writes the header `'@Instagram`; imported again, its values were stored
    // under the key `'@Instagram`, beside the roster's `@Instagram` on the other customers.
    sim = await simulator();
    const cwd = tempDir();
    writeFileSync(join(cwd, 'redes.csv'), 'Nombre,Usuario,Correo,@Instagram\nAna,ana,ana@,@ana.mx\nEva,eva,eva@example.com,@eva.mx\n');
    const first = await run([join(cwd, 'redes.csv'), '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(first.code, first.stderr).toBe(1);
    const errorsPath = join(cwd, 'redes.results.errors.csv');
    const errors = readFileSync(errorsPath, 'utf8');
    expect(errors.split('\r\n')[0]).toBe("\uFEFFNombre,Usuario,Correo,'@Instagram,error");

    writeFileSync(errorsPath, errors.replace(',ana@,', ',ana@example.com,'));
    const second = await run([errorsPath, '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(second.code, second.stderr).toBe(0);
    expect(sim.store.byUsername('eva')?.metadata).toEqual([{ key: '@Instagram', value: '@eva.mx' }]);
    expect(sim.store.byUsername('ana')?.metadata).toEqual([{ key: '@Instagram', value: '@ana.mx' }]);
  });

  it('keeps the cells a row had past the header in its errors file: imported unchanged, the row is refused again', async () => {
    // `Lun; Mie` unquoted pushed `16:00` and `3A` one column right. Cut to the header's width, the
    // errors file lost `3A`, and imported as it was, it created Ana with Horario `Mie` and Grupo `16:00`.
    const cwd = tempDir();
    writeFileSync(join(cwd, 'horarios.csv'), 'Nombre;Usuario;Días;Horario;Grupo\r\nAna Ruiz;ana;Lun; Mie;16:00;3A\r\nEva Paz;eva;Mar;17:00;3B\r\n');
    expect((await run([join(cwd, 'horarios.csv'), '--dry-run'], { cwd })).code).toBe(1);
    const errorsPath = join(cwd, 'horarios.results.errors.csv');
    const { fields, records } = readCsvRecords(errorsPath, ';');
    expect(fields).toEqual(['Nombre', 'Usuario', 'Días', 'Horario', 'Grupo', 'error']);
    expect(readFileSync(errorsPath, 'utf8').split('\r\n')[1]).toMatch(/^Ana Ruiz;ana;Lun;" Mie";16:00;"row 2, has 6 cells .*";3A$/);
    expect(records).toHaveLength(1);
    const again = await run([errorsPath, '--dry-run'], { cwd });
    expect(again.code, again.stderr).toBe(1);
    const { records: reported } = readCsvRecords(join(cwd, 'horarios.results.errors.results.csv'));
    expect(reported.map((record) => [record.row, record.status, record.error])).toEqual([['2', 'invalid', expect.stringContaining('(extra: "3A")')]]);

    // A workbook's value in a column with no header, likewise.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre', 'Usuario', 'Grupo']);
    sheet.addRow(['Luis Mora', 'luis', '3A', 'revisar']);
    sheet.addRow(['Eva Paz', 'eva', '3B']);
    await workbook.xlsx.writeFile(join(cwd, 'grupos.xlsx'));
    expect((await run([join(cwd, 'grupos.xlsx'), '--dry-run'], { cwd })).code).toBe(1);
    const errors = new ExcelJS.Workbook();
    await errors.xlsx.readFile(join(cwd, 'grupos.results.errors.xlsx'));
    expect(errors.worksheets[0]!.getRow(2).getCell(5).value).toBe('revisar');
    const workbookAgain = await run([join(cwd, 'grupos.results.errors.xlsx'), '--dry-run'], { cwd });
    expect(workbookAgain.code, workbookAgain.stderr).toBe(1);
  });

  it('gives a workbook input an .xlsx errors file that imports again once fixed, with no mapping change', async () => {
    sim = await simulator();
    const cwd = tempDir();
    const input = await writeXlsx(cwd);
    const first = await run([input, '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(first.code, first.stderr).toBe(1);
    const errorsPath = join(cwd, 'alumnos.results.errors.xlsx');
    expect(existsSync(errorsPath)).toBe(true);
    expect(existsSync(join(cwd, 'alumnos.results.errors.csv'))).toBe(false);
    expect(modeOf(errorsPath)).toBe(0o600);

    // A person fixes the two emails in Excel and saves.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(errorsPath);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS, 'error']);
    expect(sheet.rowCount).toBe(3);
    for (const row of [2, 3]) {
      const cell = sheet.getRow(row).getCell(3);
      cell.value = `${String(cell.value)}example.com`;
    }
    await workbook.xlsx.writeFile(errorsPath);

    const second = await run([errorsPath, '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(second.code, second.stderr).toBe(0);
    expect(sim.store.size).toBe(5);
    expect(sim.store.byUsername('pedro')?.email).toBe('pedro@example.com');
    expect(sim.store.byUsername('eva')?.phoneNumber).toBe('+525512345681');
    const { records } = readCsvRecords(join(cwd, 'alumnos.results.errors.results.csv'));
    expect(records.map((record) => [record.row, record.status])).toEqual([
      ['2', 'created'],
      ['3', 'created'],
    ]);
  });
});
