import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { fixture, logMessages, readReport, run as runCli, tempDir } from './cli-harness.js';

// Issue 3 through the real CLI: workbooks import like CSV files, with Excel's row numbers.

let simulator: RunningSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function importWorkbook(file: string, args: string[] = []) {
  simulator = await startSimulator({ port: 0 });
  const cwd = tempDir();
  const run = await runCli([fixture(file), '--api-url', simulator.url, ...args], { cwd, env: { QUENTLI_API_KEY: simulator.apiKey } });
  const stem = file.replace(/\.xlsx$/, '');
  return { run, cwd, sim: simulator, report: () => readReport(join(cwd, `${stem}.results.csv`)) };
}

describe('importing .xlsx rosters', () => {
  it('sends what a person sees in each cell: numbers as digits, E.164 phones, dates in ISO', async () => {
    const { run, sim, report } = await importWorkbook('roster-cell-kinds.xlsx');
    expect(run.code).toBe(1); // two rows carry an Excel error or an uncalculated formula
    const lines = report();
    expect(lines.map((line) => [line.row, line.status])).toEqual([
      ['2', 'invalid'],
      ['3', 'invalid'],
      ['4', 'created'],
      ['5', 'created'],
    ]);
    expect(lines[0]!.error).toMatch(/recalculate/);
    expect(lines[0]!.error).toMatch(/#N\/A/);
    const angel = sim.store.byUsername('agutierrez')!;
    expect(angel.phoneNumber).toBe('+525512349876');
    expect(angel.acceptedServiceAgreement).toBe(true);
    expect(angel.metadata).toContainEqual({ key: 'Matrícula', value: '01029' });
    expect(angel.metadata).toContainEqual({ key: 'Colegiatura', value: '0.0000001' });
    const lucia = sim.store.byUsername('lhernandez')!;
    expect(lucia.phoneNumber).toBe('+525587654321');
    expect(lucia.acceptedServiceAgreement).toBe(false);
    expect(sim.store.size).toBe(2);
  });

  it('sends a date cell as an ISO date-time with no shift, and a time alone as hh:mm', async () => {
    const { run, sim } = await importWorkbook('roster-dates-times.xlsx');
    expect(run.code).toBe(0);
    const renata = sim.store.byUsername('rvazquez')!;
    expect(renata.metadata).toEqual([
      { key: 'Fecha de nacimiento', value: '2014-03-09T00:00:00.000Z' },
      { key: 'Hora de entrada', value: '07:30' },
      { key: 'Última visita', value: '2025-01-15T18:45:00.000Z' },
    ]);
    expect(renata.optedOutWhatsappAt).toBe('2025-02-01T00:00:00.000Z');
    const diego = sim.store.byUsername('dsalinas')!;
    expect(diego.metadata).toContainEqual({ key: 'Hora de entrada', value: '13:15:30' });
    expect(diego.optedOutWhatsappAt).toBeNull(); // the empty cell is left out of the payload
  });

  it('reads Excel\'s "Strict Open XML Spreadsheet" as the same roster saved as .xlsx: dates, a time of day, padded numbers', async () => {
    const { run, sim, report } = await importWorkbook('roster-excel-strict.xlsx');
    expect(run.code, run.stderr).toBe(0);
    expect(report().map((line) => [line.row, line.status])).toEqual([['2', 'created'], ['3', 'created']]);
    expect(sim.store.byUsername('japerez')).toMatchObject({ name: 'José Ángel Pérez Ruiz', email: 'ja.perez@example.mx', phoneNumber: '+525512345678' });
    expect(sim.store.byUsername('japerez')!.metadata).toEqual([
      { key: 'Fecha de ingreso', value: '2025-01-15T00:00:00.000Z' },
      { key: 'Hora de entrada', value: '07:30' },
      { key: 'Matrícula', value: '001234' },
    ]);
    expect(sim.store.byUsername('mnunez')!.metadata).toEqual([
      { key: 'Fecha de ingreso', value: '2024-08-26T00:00:00.000Z' },
      { key: 'Hora de entrada', value: '13:15' },
      { key: 'Matrícula', value: '000056' },
    ]);
  });

  it('reads a Google Sheets download as shown in Sheets: no <dimension>, formats in styles, a 1000-row grid of empty cells', async () => {
    const { run, sim, report } = await importWorkbook('roster-google-sheets.xlsx');
    expect(run.code, run.stderr).toBe(0);
    expect(report().map((line) => [line.row, line.status])).toEqual([['2', 'created'], ['3', 'created']]);
    expect(sim.store.byUsername('sramirez')).toMatchObject({ name: 'Sofía Ramírez Cruz', email: 'sofia.ramirez@example.mx', phoneNumber: '+525512345678' });
    expect(sim.store.byUsername('sramirez')!.metadata).toEqual([
      { key: 'Fecha de nacimiento', value: '2014-01-13T00:00:00.000Z' },
      { key: 'Beca', value: '25%' },
      { key: 'Inscrito', value: 'true' },
    ]);
    expect(sim.store.byUsername('dluna')).toMatchObject({ phoneNumber: '+523312345678', meta: { Beca: '50%', Inscrito: 'false' } });
  });

  it('reads booleans written true and false (DevExtreme\'s grid export) as written: false was sent as true', async () => {
    const { run, sim } = await importWorkbook('roster-devextreme-export.xlsx');
    expect(run.code, run.stderr).toBe(0);
    expect(sim.store.byUsername('xtorres')).toMatchObject({ name: 'Ximena Torres Gil', acceptedServiceAgreement: true, skipTaxInvoice: false });
    expect(sim.store.byUsername('bdiaz')).toMatchObject({ name: 'Bruno Díaz Mora', acceptedServiceAgreement: false, skipTaxInvoice: true });
    expect(sim.store.byUsername('xtorres')!.metadata).toEqual([{ key: 'Fecha de alta', value: '2025-01-15T00:00:00.000Z' }]);
  });

  it('imports the rows a filter hides, and warns which they are', async () => {
    const { run, sim, report } = await importWorkbook('roster-filtered-rows.xlsx');
    expect(run.code).toBe(0);
    expect(report().map((line) => [line.row, line.status])).toEqual([
      ['2', 'created'], ['3', 'created'], ['4', 'created'], ['5', 'created'], ['6', 'created'], ['7', 'created'],
    ]);
    expect(sim.store.size).toBe(6);
    expect(run.stderr).toMatch(/3 rows are hidden \(rows 4, 6, 7\), by a filter or by hand/);
  });

  it('finds the roster sheet after an instructions sheet, and reads it by name or number', async () => {
    const byDefault = await importWorkbook('roster-openpyxl-two-sheets.xlsx');
    expect(byDefault.run.code).toBe(0);
    expect(byDefault.run.stderr).toMatch(/sheet \\?"Alumnos\\?"/);
    expect(byDefault.sim.store.size).toBe(3);
    expect(byDefault.sim.store.byUsername('mfortiz')?.phoneNumber).toBe('+523331234567');
    await simulator!.close();

    const byName = await importWorkbook('roster-libreoffice-booleans-dates.xlsx', ['--sheet', 'Alumnos', '--dry-run']);
    expect(byName.run.code).toBe(0);
    expect(byName.report().map((line) => line.status)).toEqual(['valid', 'valid', 'valid']);
    await simulator!.close();

    const byNumber = await importWorkbook('roster-openpyxl-two-sheets.xlsx', ['--sheet', '2', '--dry-run']);
    expect(byNumber.run.code).toBe(0);
    expect(byNumber.report().length).toBe(3);
  });

  it('takes --sheet 1 for the tab named "1" when there is one, not the first tab', async () => {
    const cwd = tempDir();
    const workbook = new ExcelJS.Workbook();
    for (const tab of ['3', '1', '2']) {
      const sheet = workbook.addWorksheet(tab);
      sheet.addRow(['Nombre completo', 'Usuario']);
      sheet.addRow([`Alumno de la hoja ${tab}`, `hoja${tab}`]);
    }
    await workbook.xlsx.writeFile(join(cwd, 'grados.xlsx'));
    const run = await runCli([join(cwd, 'grados.xlsx'), '--sheet', '1', '--dry-run'], { cwd });
    expect(run.code).toBe(0);
    expect(readReport(join(cwd, 'grados.results.csv')).map((line) => line.username)).toEqual(['hoja1']);
  });

  it('refuses an unknown sheet with the list of sheets', async () => {
    const { run } = await importWorkbook('roster-openpyxl-two-sheets.xlsx', ['--sheet', 'Hoja3', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Instrucciones/);
    expect(run.stderr).toMatch(/Alumnos/);
    expect(run.stderr).not.toContain('    at ');
  });

  it('refuses two groups laid out side by side before anything is sent: group 1B was metadata of 1A, never created', async () => {
    // Before: exit 0, three customers; Ana Sofía (1A) carried Carla's (1B) name, email and phone as
    // metadata, Luis carried Pedro's, and Carla and Pedro were in no line of the report.
    const { run, sim } = await importWorkbook('roster-two-groups-side-by-side.xlsx');
    expect(run.code, run.stderr).toBe(2);
    const lines = logMessages(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/roster-two-groups-side-by-side\.xlsx: the header names "Nombre" again in column E, after the empty column D, with "Correo", "Celular": two lists side by side/);
    expect(lines[0]).toMatch(/Put the second list under the first, or on a sheet of its own/);
    expect(sim.stats.requests).toBe(0);
  });

  it('reads sub-labels under a merged TELÉFONOS as the header: the Celular is the phone', async () => {
    // Before: row 2 (Casa | Celular | Trabajo) refused as a customer without a name, the home phone
    // sent as metadata "TELÉFONOS", the mobile and office numbers not imported, no customer's phone.
    const { run, sim, report } = await importWorkbook('roster-phones-under-merged-label.xlsx');
    expect(run.code, run.stderr).toBe(0);
    expect(report().map((line) => [line.row, line.status])).toEqual([['3', 'created'], ['4', 'created']]);
    const [ana, luis] = sim.store.all();
    expect(ana).toMatchObject({ name: 'Ana Sofía Ruiz Peña', phoneNumber: '+525512345678' });
    expect(ana!.metadata).toEqual([{ key: 'TELÉFONOS Casa', value: '55 5555 1234' }, { key: 'TELÉFONOS Trabajo', value: '55 8888 1234' }]);
    expect(luis).toMatchObject({ name: 'Luis Gómez Soto', phoneNumber: '+525534567890', metadata: [] });
  });

  it('takes the header from --header-row under a title, keeping Excel row numbers', async () => {
    const { run, report } = await importWorkbook('roster-title-row.xlsx', ['--header-row', '3']);
    expect(run.code).toBe(0);
    expect(report().map((line) => line.row)).toEqual(['4', '5', '6']);
  });

  it('takes --header-row without --sheet on the roster sheet, not on the instructions sheet before it, naming it when that row is no header', async () => {
    const cwd = tempDir();
    // It read row 3 of "Indicaciones", the template's example customer (jperez), as the roster: row 4 valid, exit 0.
    const example = await runCli([fixture('roster-indicaciones-first.xlsx'), '--dry-run', '--header-row', '3'], { cwd });
    expect(example.code).toBe(2);
    expect(logMessages(example.stderr).at(-1)).toBe(`quentli-import: ${fixture('roster-indicaciones-first.xlsx')}: has no data rows under what was read as its column names (sheet "Alumnos", row 3): there is nothing to import`);
    // It named "Indicaciones".
    const past = await runCli([fixture('roster-indicaciones-first.xlsx'), '--dry-run', '--header-row', '50'], { cwd });
    expect(past.code).toBe(2);
    expect(logMessages(past.stderr).at(-1)).toBe(
      `quentli-import: ${fixture('roster-indicaciones-first.xlsx')}: row 50 of sheet "Alumnos" is empty: --header-row must point at the row holding the column names`,
    );
    const header = await runCli([fixture('roster-indicaciones-first.xlsx'), '--dry-run', '--header-row', '1'], { cwd });
    expect(header.code, header.stderr).toBe(0);
    expect(readReport(join(cwd, 'roster-indicaciones-first.results.csv')).map((line) => [line.row, line.status])).toEqual([['2', 'valid'], ['3', 'valid']]);
  });

  it('names the sheet and the row when --header-row with --sheet points at a student, as without --sheet', async () => {
    // It said which headers it read ("Ana Ruiz Peña", …) but not where: no sheet, no row.
    const result = await runCli([fixture('roster-indicaciones-first.xlsx'), '--dry-run', '--sheet', 'Alumnos', '--header-row', '2'], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(logMessages(result.stderr).at(-1)).toMatch(
      /^quentli-import: .*roster-indicaciones-first\.xlsx: no column holds the customer's name; the headers are: "Ana Ruiz Peña", .* \(sheet "Alumnos", row 2; if the names are elsewhere, use --sheet and --header-row\)$/,
    );
  });

  it('reads a workbook named .csv as the same workbook named .xlsx: past a first sheet holding a header alone, to the roster', async () => {
    const cwd = tempDir();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Plantilla').addRows([['Nombre', 'Correo']]);
    workbook.addWorksheet('Alumnos').addRows([['Nombre', 'Correo'], ['Ana Ruiz', 'ana@gmail.com'], ['Luis Peña', 'luis@gmail.com']]);
    for (const name of ['alumnos.xlsx', 'alumnos.csv']) {
      await workbook.xlsx.writeFile(join(cwd, name));
      // Named .csv it stopped at the first sheet, exit 2: 'has no data rows under what was read as its column names (sheet "Plantilla", row 1)'.
      const result = await runCli([join(cwd, name), '--dry-run', '--report', `${name}.results.csv`], { cwd });
      expect(result.code, result.stderr).toBe(0);
      expect(logMessages(result.stderr)).toContain('the column names were found on sheet "Alumnos", row 1 (use --sheet and --header-row to choose another place)');
      expect(readReport(join(cwd, `${name}.results.csv`)).map((line) => [line.row, line.status])).toEqual([['2', 'valid'], ['3', 'valid']]);
    }
  });

  it('reads a text file named .xls (a school system\'s "export to Excel": Unicode text, tab-separated) as CSV, saying so', async () => {
    simulator = await startSimulator({ port: 0 });
    const cwd = tempDir();
    copyFileSync(fixture('roster-utf16le-tab.csv'), join(cwd, 'alumnos.xls'));
    const run = await runCli(['alumnos.xls', '--api-url', simulator.url], { cwd, env: { QUENTLI_API_KEY: simulator.apiKey } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/"alumnos\.xls: a text \(CSV\) file named \.xls, as many systems' .*: read as CSV"/);
    expect(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.status)).toEqual(Array(6).fill('created'));
    expect(simulator.store.byUsername('ipena.2025')).toMatchObject({ name: 'Iñaki Peña Solís', phoneNumber: '+529999917829' });
  });

  it.each([
    ['roster-legacy.xls', /\.xls.*save it as \.xlsx or \.csv/],
    ['roster-libreoffice.ods', /OpenDocument/],
    ['roster-binary.xlsb', /Excel Binary Workbook \(\.xlsb\).*save it as \.xlsx/],
    ['roster-password.xlsx', /password/],
    // Was "is password-protected: remove the password", to someone who never set one.
    ['roster-sensitivity-label.xlsx', /is encrypted by Microsoft 365 \(a sensitivity label.*save a copy as \.csv/],
    ['roster-truncated.xlsx', /damaged|incomplete/],
    ['roster-csv-renamed.xlsx', /text \(CSV\) file/],
    ['roster-web-export.xls', /is a web page \(HTML\).*save it as \.xlsx/],
    // Read as CSV, each was "no column holds the customer's name" over "<div>" or "MIME-Version: 1.0".
    ['roster-aspnet-gridview.xls', /is a web page \(HTML\).*save it as \.xlsx/],
    ['roster-single-file-web-page.xls', /is a single-file web page \(MHTML.*save it as \.xlsx/],
    // Was "is a JSON file, not a roster (a mapping file is given with --mapping)".
    ['roster-google-drive-shortcut.gsheet', /is a Google Drive shortcut \(\.gsheet\).*File > Download > Microsoft Excel/],
    // Both were "is a ZIP archive but not an Excel workbook: save the roster as .xlsx or .csv".
    ['roster-apple-numbers.numbers', /is an Apple Numbers spreadsheet.*File > Export To > Excel/],
    ['roster-compressed-folder.zip', /is a ZIP archive \(a compressed folder\) holding spreadsheet or CSV files.*extract it/],
    // Read as CSV, each was "no column holds the customer's name" over its first line; the SYLK named
    // .xls was told to be renamed .csv.
    ['roster-sylk.xls', /is a SYLK spreadsheet.*save it as \.xlsx or \.csv/],
    ['roster-libreoffice.dif', /is a DIF spreadsheet.*save it as \.xlsx or \.csv/],
    ['roster-libreoffice.fods', /flat OpenDocument spreadsheet \(\.fods.*save it as \.xlsx or \.csv/],
  ])('refuses %s with exit 2 and one line, sending nothing', async (file, message) => {
    const { run, sim } = await importWorkbook(file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(sim.stats.requests).toBe(0);
  });
});
