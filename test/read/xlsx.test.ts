import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/errors/index.js';
import type { SourceRow, SourceTable } from '../../src/read/source-row.js';
import { listSheets, readXlsx } from '../../src/read/xlsx.js';
import { LISTA_PACKAGE, listaRels, zipOf } from './zip-of.js';
import { ZipDirectory } from '../../src/read/xlsx-zip.js';
import { inFileOf, withDamagedPart } from './damaged-part.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { cellText, decimalsText, elapsedText, excelSerialToIso, formatNumber, timeOfDay } from '../../src/read/xlsx-cells.js';
import { elapsedFormat, fixedDecimals, isDateFormatCode, isTimeOfDayFormatCode, paddedFormat, percentFormat } from '../../src/read/xlsx-workbook.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);

async function rowsOf(table: SourceTable): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const batch of table.batches) for (const row of batch) rows.push(row);
  return rows;
}

async function readAll(name: string, options?: Parameters<typeof readXlsx>[1]) {
  const table = await readXlsx(fixture(name), options);
  return { table, rows: await rowsOf(table) };
}

const STUDENT_HEADERS = [
  'Nombre completo', 'Usuario', 'Correo electrónico', 'Teléfono', 'Acepta contrato', 'Etiquetas', 'Matrícula', 'Grado',
];
const STUDENTS = [
  ['José Ramírez Núñez', 'jramirez', 'jose.ramirez@example.mx', '5512345678', 'true', 'primaria;beca', '00123', '3'],
  ['María Fernanda Ortiz', 'mfortiz', 'mafer.ortiz@example.mx', '3331234567', 'false', 'secundaria', '00456', '1'],
  ['Ángel Gutiérrez Peña', 'agutierrez', 'angel.gp@example.mx', '55 1234 9876', 'true', '', '01029', '2'],
];

describe('readXlsx: hidden rows (openpyxl, an AutoFilter and a row hidden by hand)', () => {
  it('reads hidden rows like the others and, once the sheet is read, names them in one warning', async () => {
    const warnings: string[] = [];
    const table = await readXlsx(fixture('roster-filtered-rows.xlsx'), { onWarning: (message) => warnings.push(message) });
    const rows: SourceRow[] = [];
    for await (const batch of table.batches) {
      expect(warnings).toEqual([]); // said once the hidden rows are counted, not before
      rows.push(...batch);
    }
    expect(rows.map((r) => [r.row, r.values[1]])).toEqual([
      [2, 'lherrera'], [3, 'msalgado'], [4, 'vochoa'], [5, 'ecastaneda'], [6, 'rsoto'], [7, 'imaldonado'],
    ]);
    expect(warnings).toEqual([
      `${fixture('roster-filtered-rows.xlsx')}: in sheet "Alumnos", 3 rows are hidden (rows 4, 6, 7), by a filter or by hand; hidden rows are imported like the others: delete them from the sheet if they should not be`,
    ]);
  });

  it('names the first five hidden rows and counts the rest; says nothing of a sheet without hidden rows', async () => {
    const dir = temporaryFolder('hidden-');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lista');
    sheet.addRow(['Nombre', 'Usuario']);
    for (let i = 1; i <= 12; i++) sheet.addRow([`Alumno ${i}`, `alumno${i}`]);
    for (let excelRow = 4; excelRow <= 11; excelRow++) sheet.getRow(excelRow).hidden = true;
    const path = join(dir, 'lista.xlsx');
    await workbook.xlsx.writeFile(path);
    const warnings: string[] = [];
    const rows = await rowsOf(await readXlsx(path, { onWarning: (message) => warnings.push(message) }));
    expect(rows).toHaveLength(12);
    expect(warnings).toEqual([expect.stringContaining('8 rows are hidden (rows 4, 5, 6, 7, 8 and 3 more)')]);

    const none: string[] = [];
    await rowsOf(await readXlsx(fixture('roster-cell-kinds.xlsx'), { onWarning: (message) => none.push(message) }));
    // No hidden rows there; its merged H4:H5 is said once.
    expect(none).toEqual([expect.stringContaining('merged cells cover several rows (H4:H5 ("2"))')]);
  });
});

describe('readXlsx: cell kinds (openpyxl)', () => {
  it('gives what a person sees in each cell, with Excel row numbers', async () => {
    const { table, rows } = await readAll('roster-cell-kinds.xlsx');
    expect(table.format).toBe('xlsx');
    expect(table.headerRow).toBe(1);
    expect(table.details).toEqual({ sheet: 'Alumnos' });
    expect(table.headers).toEqual([
      ...STUDENT_HEADERS, 'Fecha de nacimiento', 'Colegiatura', 'Saldo', 'Observaciones',
    ]);
    // Rows 6-11 are filled but empty: never yielded.
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    const [jose, maria, angel, lucia] = rows;
    expect(jose?.values).toEqual([
      'José Ramírez Núñez', 'jramirez', 'jose.ramirez@example.mx', '5512345678', 'true', 'primaria;beca', '00123', '3',
      '2025-01-15T00:00:00.000Z', '2500.5', '', '',
    ]);
    // A user name typed as a number, a 13-digit number, a date-time, a float.
    expect(maria?.values).toEqual([
      'María Fernanda Ortiz', '1029', 'mafer.ortiz@example.mx', '5512345678901', 'false', 'secundaria', '00456', '1',
      '2010-06-30T14:30:00.000Z', '0.3', '', '',
    ]);
    // Merged H4:H5: the value is the top-left cell's only (row 4); row 5 says it is under the merge. Spaces inside a text are kept.
    expect(angel?.values[7]).toBe('2');
    expect(lucia?.values[7]).toBe('');
    expect(lucia?.mergedColumns).toEqual([7]);
    expect(angel?.values[3]).toBe('55 1234 9876');
    expect(angel?.values[9]).toBe('0.0000001');
    expect(angel?.values[11]).toBe('  con espacios  ');
    expect(lucia?.values[9]).toBe('-1234.5678');
  });

  it('reports an uncalculated formula and error cells as cell issues with empty values', async () => {
    const { rows } = await readAll('roster-cell-kinds.xlsx');
    expect(rows[0]?.cellIssues).toEqual([
      { column: 10, code: 'formula_uncalculated', message: 'is a formula with no calculated value: open the file in Excel, let it recalculate, and save it again', value: '=J2*2' },
      { column: 11, code: 'cell_error', message: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file", value: '#N/A', shown: '#N/A' },
    ]);
    expect(rows[1]?.cellIssues).toEqual([
      { column: 11, code: 'cell_error', message: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file", value: '#REF!', shown: '#REF!' },
    ]);
    expect(rows[2]?.cellIssues).toBeUndefined();
  });

  it('reports progress up to the file size', async () => {
    const table = await readXlsx(fixture('roster-cell-kinds.xlsx'));
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(fixture('roster-cell-kinds.xlsx')));
    await rowsOf(table);
    expect(table.progress()).toEqual({ bytesRead: size, totalBytes: size });
  });
});

describe('readXlsx: merged cells over data rows (openpyxl)', () => {
  it("gives a merged cell's value to its top-left cell only (issue 3), marks the rows under it, and says so once", async () => {
    const warnings: string[] = [];
    const { rows } = await readAll('roster-merged-cells.xlsx', { onWarning: (message) => warnings.push(message) });
    // Grupo merged A2:A4 and A5:A6, the Ruiz family's email and phone over both siblings, the fee down each group.
    expect(rows.map((row) => [row.row, row.values[0], row.values[3], row.values[4], row.values[5]])).toEqual([
      [2, '3° A', 'familia.ruiz@example.mx', '55 1111 2222', '2500'],
      [3, '', '', '', ''],
      [4, '', 'beto.lara@example.mx', '55 3333 4444', ''],
      [5, '3° B', 'caro.gil@example.mx', '55 5555 6666', '2700'],
      [6, '', 'dani.soto@example.mx', '55 7777 8888', ''],
      [7, '3° B', 'mama.luna@example.mx', '55 9999 0000', '2700'],
      [8, '', 'papa.luna@example.mx', '55 9999 0001', ''],
    ]);
    expect(rows[0]!.mergedColumns).toBeUndefined();
    expect(rows[1]!.mergedColumns).toEqual([0, 3, 4, 5]);
    expect(rows[5]!.values[1]).toBe('Eva Luna Ríos');
    expect(rows[6]!.values[1]).toBe('');
    expect(rows[6]!.mergedColumns).toEqual([1, 2, 5]);
    expect(warnings).toEqual([expect.stringMatching(/merged cells cover several rows \(A2:A4 \("3° A"\), .* and \d+ more\): a merged cell's value belongs to its top row only, as Excel keeps it, so the rows under it are read without it/)]);
  });
});

describe('readXlsx: an Excel table with its Total Row', () => {
  it('passes over the Total Row (the label, a count and a sum) and names it in one warning (openpyxl, absolute target)', async () => {
    const warnings: string[] = [];
    const { rows } = await readAll('roster-table-totals.xlsx', { onWarning: (message) => warnings.push(message) });
    expect(rows.map((row) => [row.row, row.values[1]])).toEqual([[2, 'aruiz'], [3, 'blara'], [4, 'cgil'], [5, 'dsoto']]);
    expect(warnings).toEqual([
      `${fixture('roster-table-totals.xlsx')}: in sheet "Alumnos", row 6 (table "Tabla1") is the Total Row of an Excel table: sums and counts, no customer, so not read`,
    ]);
  });

  it('refuses a workbook whose table part is damaged instead of reading its Total Row as a customer', async () => {
    const { bytes } = await withDamagedPart(fixture('roster-table-totals.xlsx'), 'xl/tables/table1.xml');
    await inFileOf('tabla.xlsx', bytes, async (path) => {
      await expect(readXlsx(path).then(rowsOf)).rejects.toThrow(/tabla\.xlsx: the workbook is damaged .*table1\.xml is damaged/);
    });
  });

  it('finds the table through a relative target (exceljs, as Excel writes it), under a title; a table without a Total Row keeps every row', async () => {
    const dir = temporaryFolder('table-totals-');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cuotas');
    sheet.getCell('A1').value = 'Colegio Juárez: cuotas 2025';
    const rows = [['Ana Ruiz', 'aruiz', 2500], ['Beto Lara', 'blara', 2700]];
    sheet.addTable({ name: 'Cuotas', ref: 'A3', totalsRow: true, columns: [{ name: 'Nombre', totalsRowLabel: 'Total' }, { name: 'Usuario', totalsRowFunction: 'count' }, { name: 'Cuota', totalsRowFunction: 'sum' }], rows });
    const withTotals = join(dir, 'con-totales.xlsx');
    await workbook.xlsx.writeFile(withTotals);
    const warnings: string[] = [];
    const read = await rowsOf(await readXlsx(withTotals, { headerRow: 3, onWarning: (message) => warnings.push(message) }));
    expect(read.map((row) => [row.row, row.values[1]])).toEqual([[4, 'aruiz'], [5, 'blara']]);
    expect(warnings).toEqual([expect.stringContaining('row 6 (table "Cuotas") is the Total Row of an Excel table')]);

    // A summary table beside the roster: its Total Row shares row 4 with a student, who is read.
    const side = new ExcelJS.Workbook();
    const roster = side.addWorksheet('Lista');
    roster.addRow(['Nombre', 'Usuario']);
    roster.addRow(['Ana Ruiz', 'aruiz']);
    roster.addRow(['Beto Lara', 'blara']);
    roster.addRow(['Eva Luna', 'eluna']);
    roster.addTable({ name: 'Resumen', ref: 'E1', totalsRow: true, columns: [{ name: 'Grupo', totalsRowLabel: 'Total' }, { name: 'Alumnos', totalsRowFunction: 'sum' }], rows: [['3A', 2], ['3B', 1]] });
    const besides = join(dir, 'resumen-al-lado.xlsx');
    await side.xlsx.writeFile(besides);
    const sideWarnings: string[] = [];
    const sideRows = await rowsOf(await readXlsx(besides, { onWarning: (message) => sideWarnings.push(message) }));
    expect(sideRows.map((row) => [row.row, row.values[0]])).toEqual([[2, 'Ana Ruiz'], [3, 'Beto Lara'], [4, 'Eva Luna']]);
    expect(sideWarnings.filter((message) => message.includes('Total Row'))).toEqual([]);

    const plain = new ExcelJS.Workbook();
    plain.addWorksheet('Cuotas').addTable({ name: 'Cuotas', ref: 'A1', columns: [{ name: 'Nombre' }, { name: 'Usuario' }], rows: [['Ana Ruiz', 'aruiz'], ['Total', '1']] });
    const withoutTotals = join(dir, 'sin-totales.xlsx');
    await plain.xlsx.writeFile(withoutTotals);
    expect((await rowsOf(await readXlsx(withoutTotals))).map((row) => row.values)).toEqual([['Ana Ruiz', 'aruiz'], ['Total', '1']]);
  });
});

describe('readXlsx: formulas, rich text and hyperlinks (exceljs writer, shared strings)', () => {
  it('reads shared strings whatever their namespace prefix (the .NET OpenXML SDK writes x:si), without phonetic guides', async () => {
    const { table, rows } = await readAll('roster-openxml-sdk-prefixed.xlsx');
    expect(table.headers).toEqual(['Nombre completo', 'Usuario', 'Teléfono']);
    expect(rows.map((r) => r.values)).toEqual([
      ['Elena Ibáñez Ruiz', 'eibanez', '5512340002'],
      ['Raúl Núñez', 'rnunez', '5512340003'],
      ['山田 花子', 'hyamada', '5512340004'], // its guide ヤマダ is not the name
    ]);
  });

  it('finds parts named in another case (xl/SharedStrings.xml, Sheet1.xml, Workbook.xml), as Excel does, before or after the sheet', async () => {
    // The content types and relationships say sharedStrings.xml and sheet1.xml; a third-party
    // system wrote the zip's names in its own case. Before, such a workbook was refused as damaged.
    for (const name of ['roster-part-name-case.xlsx', 'roster-part-name-case-sheet-first.xlsx']) {
      expect(await listSheets(fixture(name), { withData: true })).toEqual(['Clientes']);
      const { table, rows } = await readAll(name);
      expect(table.headers).toEqual(['Nombre', 'Usuario', 'Correo']);
      expect(rows.map((r) => r.values)).toEqual([
        ['Lucía Méndez Ortiz', 'lmendez', 'lucia.mendez@correo.mx'],
        ['Íñigo Salas', 'isalas', 'inigo.salas@correo.mx'],
      ]);
    }
  });

  it('hands out the rows before a character XML may not hold, then names the row where reading stopped', async () => {
    const table = await readXlsx(fixture('roster-control-char.xlsx'));
    const read: number[] = [];
    const reading = (async () => {
      for await (const batch of table.batches) for (const row of batch) read.push(row.row);
    })();
    await expect(reading).rejects.toThrow(
      /roster-control-char\.xlsx: could not be read past row 2 \(the rows up to it were read\): row 3 holds XML that cannot be read \(disallowed character\.\).*save it again/,
    );
    expect(read).toEqual([2]);
  });

  it('refuses the 0 that xlsxwriter saves for every formula (the workbook asks to be recalculated on open) and reads the rest as shown', async () => {
    const { rows } = await readAll('roster-xlsxwriter-formulas.xlsx');
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(rows[0]?.values).toEqual(['Karla', 'Vega Ruiz', '', 'kvega', 'kvega@colegio-ejemplo.edu.mx', '5512345672', '1700']);
    for (const [i, row] of rows.slice(0, 3).entries()) {
      expect(row.cellIssues).toEqual([
        { column: 2, code: 'formula_uncalculated', message: 'is a formula with no calculated value: open the file in Excel, let it recalculate, and save it again', value: `=A${i + 2}&" "&B${i + 2}` },
      ]);
    }
    expect(rows[3]?.values.slice(0, 4)).toEqual(['Ana', 'Ruiz', 'Ana Ruiz Soto', 'aruiz']);
    expect(rows[3]?.cellIssues).toBeUndefined();
  });

  it('reads cached results by type, rich text as plain text and a mailto link as its address', async () => {
    const { table, rows } = await readAll('roster-exceljs-formulas.xlsx');
    expect(table.headers).toEqual([
      'Nombre completo', 'Correo electrónico', 'Teléfono', 'Acepta contrato', 'Fecha de inscripción',
      'Colegiatura', 'Descuento', 'Grupo', 'Adeudo', 'Clave', 'Promedio',
    ]);
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(rows[0]?.values).toEqual([
      'José Ramírez Núñez', // rich text: "José " in bold + "Ramírez Núñez"
      'jose.ramirez@example.mx', // hyperlink mailto:jose.ramirez@example.mx
      '5512345678',
      'true',
      '2025-01-15T00:00:00.000Z', // =DATE(2025,1,15) in a date format
      '0', // a formula whose cached result is 0 (exceljs's own reader loses it)
      '0.3', // 0.30000000000000004 in the file
      '3-b', // string result
      'false', // boolean result 0 (t="b")
      '5512345678',
      '',
    ]);
    expect(rows[0]?.cellIssues).toEqual([
      { column: 10, code: 'cell_error', message: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file", value: '#N/A', shown: '#N/A' },
    ]);
    expect(rows[1]?.values).toEqual([
      'María Fernanda Ortiz', 'mafer.ortiz@example.mx', '5512345678901', 'false', '2024-08-26T00:00:00.000Z',
      '2500', '', '', 'true', '00123', '',
    ]);
    expect(rows[1]?.cellIssues?.map((i) => [i.column, i.code])).toEqual([
      [6, 'formula_uncalculated'],
      [10, 'cell_error'],
    ]);
    expect(rows[1]?.cellIssues?.[1]?.value).toContain('#DIV/0!');
  });
});

describe('readXlsx: LibreOffice workbook with booleans and dates', () => {
  it('reads TRUE()/FALSE() formulas as true/false and dates without a day shift', async () => {
    const { table, rows } = await readAll('roster-libreoffice-booleans-dates.xlsx', { sheet: 'Alumnos' });
    expect(table.details).toEqual({ sheet: 'Alumnos' });
    expect(table.headers).toEqual([
      'Nombre completo', 'Correo electrónico', 'Teléfono', 'Acepta contrato', 'Fecha de inscripción', 'Matrícula',
      'Grado', 'Grado siguiente',
    ]);
    expect(rows).toEqual([
      { row: 2, values: ['José Ramírez Núñez', 'jose.ramirez@example.mx', '5512345678', 'true', '2025-01-15T00:00:00.000Z', '00123', '3', '4'] },
      { row: 3, values: ['María Fernanda Ortiz', 'mafer.ortiz@example.mx', '3331234567', 'false', '2024-08-26T00:00:00.000Z', '00456', '1', '2'] },
      { row: 4, values: ['Ángel Gutiérrez Peña', 'angel.gp@example.mx', '5598765432', 'true', '2024-12-31T00:00:00.000Z', '01029', '6', '7'] },
    ]);
  });

  it('picks sheets by name and number; by default the first sheet with data', async () => {
    const byDefault = await readAll('roster-libreoffice-booleans-dates.xlsx');
    expect(byDefault.table.details).toEqual({ sheet: 'Instrucciones' });
    expect(byDefault.table.headers).toEqual(['Instrucciones para llenar la lista de alumnos']);
    expect(byDefault.rows).toEqual([{ row: 2, values: ['Escriba un alumno por renglón en la hoja «Alumnos».'] }]);
    const second = await readAll('roster-libreoffice-booleans-dates.xlsx', { sheet: 2 });
    expect(second.table.details).toEqual({ sheet: 'Alumnos' });
    expect(second.rows).toHaveLength(3);
    const first = await readXlsx(fixture('roster-libreoffice-booleans-dates.xlsx'), { sheet: '1' });
    expect(first.details).toEqual({ sheet: 'Instrucciones' });
  });
});

describe('readXlsx: sheet selection (openpyxl writes absolute sheet targets)', () => {
  it('finds "Alumnos" by name, by number, and ignoring case', async () => {
    for (const sheet of ['Alumnos', 2, '2', ' alumnos ']) {
      const { table, rows } = await readAll('roster-openpyxl-two-sheets.xlsx', { sheet });
      expect(table.details).toEqual({ sheet: 'Alumnos' });
      expect(table.headers).toEqual(STUDENT_HEADERS);
      expect(rows.map((r) => r.values)).toEqual(STUDENTS);
      expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
    }
    const first = await readXlsx(fixture('roster-openpyxl-two-sheets.xlsx'), { sheet: 'Instrucciones' });
    expect(first.headers).toEqual(['Instrucciones para llenar la lista de alumnos']);
  });

  it('finds a sheet whose name the file writes with its accents decomposed (NFD, a Mac) by the name typed composed, and the other way round', async () => {
    const dir = temporaryFolder('nfd-sheet-');
    const decomposed = 'Inscripción 3° A'.normalize('NFD');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Portada').addRow(['Lista 2025']);
    const sheet = workbook.addWorksheet(decomposed);
    sheet.addRow(['Nombre', 'Correo']);
    sheet.addRow(['Ana Ruiz', 'ana@example.mx']);
    const other = workbook.addWorksheet('Inscripción 2° B');
    other.addRow(['Nombre']);
    other.addRow(['Luis Paz']);
    const path = join(dir, 'lista.xlsx');
    await workbook.xlsx.writeFile(path);
    for (const wanted of ['Inscripción 3° A', ' inscripción 3° a', decomposed]) {
      const table = await readXlsx(path, { sheet: wanted });
      expect(table.details, wanted).toEqual({ sheet: decomposed });
      expect((await rowsOf(table)).map((r) => r.values)).toEqual([['Ana Ruiz', 'ana@example.mx']]);
    }
    const composedName = await readXlsx(path, { sheet: 'Inscripción 2° B'.normalize('NFD') });
    expect(composedName.details).toEqual({ sheet: 'Inscripción 2° B' });
    await composedName.close();
  });

  it('follows the tab order, not the part numbers, when tabs were reordered', async () => {
    // "Alumnos" is the first tab but is stored as sheet2.xml.
    const byDefault = await readAll('roster-reordered-sheets.xlsx');
    expect(byDefault.table.details).toEqual({ sheet: 'Alumnos' });
    expect(byDefault.rows.map((r) => r.values)).toEqual(STUDENTS);
    const second = await readXlsx(fixture('roster-reordered-sheets.xlsx'), { sheet: 2 });
    expect(second.details).toEqual({ sheet: 'Instrucciones' });
    expect(second.headers).toEqual(['Instrucciones para llenar la lista de alumnos']);
  });

  it('refuses a workbook whose first tab is damaged, never reading the next tab in its place', async () => {
    // "Alumnos" (sheet2.xml) lies after "Instrucciones" in the zip: the stream never meets its damage.
    const { bytes, entries } = await withDamagedPart(fixture('roster-reordered-sheets.xlsx'), 'xl/worksheets/sheet2.xml');
    expect(entries.get('xl/worksheets/sheet2.xml')!.index).toBeGreaterThan(entries.get('xl/worksheets/sheet1.xml')!.index);
    await inFileOf('dañado.xlsx', bytes, async (path) => {
      const read = readXlsx(path).then(rowsOf);
      await expect(read).rejects.toThrow(InputFileError);
      await expect(read).rejects.toThrow(/damaged .*invalid block type/);
    });
  });

  it('refuses a workbook whose first tab has no part in the zip, never reading the next tab in its place', async () => {
    const bytes = await readFile(fixture('roster-reordered-sheets.xlsx'));
    // "Alumnos" is sheet2.xml: its name in the zip's directory (the last mention) no longer says so.
    const name = bytes.lastIndexOf('xl/worksheets/sheet2.xml');
    expect(bytes.readUInt32LE(name - 46)).toBe(0x02014b50);
    bytes.write('7', name + 'xl/worksheets/sheet'.length, 'latin1');
    await inFileOf('incompleto.xlsx', bytes, async (path) => {
      await expect(readXlsx(path).then(rowsOf)).rejects.toThrow(`${path}: the workbook is damaged or incomplete (a download or copy cut short?): save or download it again (sheet "Alumnos" has no part in the file)`);
    });
  });

  it('skips a first sheet that has only formatting', async () => {
    const { table, rows } = await readAll('roster-empty-first-sheet.xlsx');
    expect(table.details).toEqual({ sheet: 'Alumnos' });
    expect(rows.map((r) => r.values)).toEqual(STUDENTS);
  });

  it('names the sheets when the one asked for does not exist', async () => {
    await expect(readXlsx(fixture('roster-openpyxl-two-sheets.xlsx'), { sheet: 'Hoja3' })).rejects.toThrow(
      new InputFileError(fixture('roster-openpyxl-two-sheets.xlsx'), 'has no sheet "Hoja3"; its sheets are 1 "Instrucciones", 2 "Alumnos"'),
    );
    await expect(readXlsx(fixture('roster-libreoffice-booleans-dates.xlsx'), { sheet: 3 })).rejects.toThrow(
      'has no sheet number 3; its sheets are 1 "Instrucciones", 2 "Alumnos"',
    );
    await expect(readXlsx(fixture('roster-empty-first-sheet.xlsx'), { sheet: 'Portada' })).rejects.toThrow(
      'sheet "Portada" is empty: there is no header row to read',
    );
  });
});

describe('readXlsx: header row', () => {
  it('takes the first non-empty row by default, so a title row needs --header-row', async () => {
    const table = await readXlsx(fixture('roster-title-row.xlsx'));
    expect(table.headers).toEqual(['Colegio Miraflores · Ciclo escolar 2024–2025']);
    expect(table.headerRow).toBe(1);
  });

  it('reads the header from the given row and data below it, with Excel row numbers', async () => {
    const { table, rows } = await readAll('roster-title-row.xlsx', { headerRow: 3 });
    expect(table.headers).toEqual(STUDENT_HEADERS);
    expect(table.headerRow).toBe(3);
    expect(rows.map((r) => r.row)).toEqual([4, 5, 6]);
    expect(rows.map((r) => r.values)).toEqual(STUDENTS);
  });

  it('refuses a header row that is empty', async () => {
    await expect(readXlsx(fixture('roster-title-row.xlsx'), { headerRow: 2 })).rejects.toThrow(
      'row 2 of sheet "Alumnos" is empty: --header-row must point at the row holding the column names',
    );
    await expect(readXlsx(fixture('roster-title-row.xlsx'), { headerRow: 0 })).rejects.toThrow('the option headerRow must be a row number (1 or more), not 0');
  });
});

describe('readXlsx: files that are not what they claim', () => {
  const cases: Array<[string, RegExp]> = [
    ['roster-legacy.xls', /roster-legacy\.xls: is an old Excel 97-2003 workbook \(\.xls\).*save it as \.xlsx or \.csv$/],
    ['roster-libreoffice.ods', /is an OpenDocument spreadsheet \(\.ods\).*save it as \.xlsx or \.csv$/],
    // Not "damaged or incomplete ... download it again", which it was called when taken for an .xlsx.
    ['roster-binary.xlsb', /roster-binary\.xlsb: is an Excel Binary Workbook \(\.xlsb\).*save it as \.xlsx \(Excel Workbook\) or \.csv$/],
    ['roster-password.xlsx', /roster-password\.xlsx: is password-protected: remove the password in Excel .*and save again$/],
    ['roster-truncated.xlsx', /is damaged or incomplete .*save or download it again/],
    ['roster-csv-renamed.xlsx', /is a text file \(a CSV\?\) named like an Excel workbook/],
  ];
  for (const [name, message] of cases) {
    it(`${name} → one clear InputFileError`, async () => {
      const error = await readXlsx(fixture(name)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as InputFileError).code).toBe('input_file');
      expect((error as InputFileError).message).toMatch(message);
      expect((error as InputFileError).message).not.toContain('\n');
    });
  }

  it('says when the file is missing or a folder', async () => {
    await expect(readXlsx(fixture('no-such-roster.xlsx'))).rejects.toThrow(/no-such-roster\.xlsx: does not exist$/);
    await expect(readXlsx(join(import.meta.dirname, '../../fixtures'))).rejects.toThrow(/is a folder, not a file$/);
  });
});

describe('readXlsx: generated workbooks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = temporaryFolder('quentli-xlsx-');
  });

  it('keeps accents intact across stream chunks (many shared strings) and stops at the last row', async () => {
    const path = join(dir, 'many.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const sheet = writer.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Teléfono']).commit();
    // Names made mostly of two-byte letters, so that chunk boundaries fall inside one.
    const name = (i: number) => `Ñoño Íñiguez Ñúñez ${'ñá'.repeat(20)} ${i}`;
    const count = 5000;
    for (let i = 0; i < count; i++) sheet.addRow([name(i), 5500000000 + i]).commit();
    sheet.commit();
    await writer.commit();
    const table = await readXlsx(path);
    let n = 0;
    for await (const batch of table.batches) for (const row of batch) {
      expect(row.values).toEqual([name(n), String(5500000000 + n)]);
      expect(row.row).toBe(n + 2);
      n++;
    }
    expect(n).toBe(count);
  });

  it('reads decomposed accents (a Mac export) composed, in shared and inline strings', async () => {
    for (const useSharedStrings of [true, false]) {
      const path = join(dir, `nfd-${useSharedStrings}.xlsx`);
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings });
      const sheet = writer.addWorksheet('Alumnos');
      sheet.addRow(['Nombre completo', 'Usuario']).commit();
      sheet.addRow(['Jose\u0301 Pen\u0303a', 'jose\u0301']).commit();
      sheet.commit();
      await writer.commit();
      const table = await readXlsx(path);
      const rows = [];
      for await (const batch of table.batches) for (const row of batch) rows.push(row.values);
      expect(rows, `shared strings: ${useSharedStrings}`).toEqual([['José Peña', 'josé']]);
    }
  });

  it('reads an ID shown through a format with text around its zeros as shown: "A"0000000 is A2024001, not 2024001', async () => {
    const path = join(dir, 'id-formats.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Usuario', 'Matrícula', 'Colegiatura']);
    sheet.addRow(['Carla Soto', 2024001, 123, 1500]);
    sheet.getCell('B2').numFmt = '"A"0000000';
    sheet.getCell('C2').numFmt = '"ALU-"0000';
    sheet.getCell('D2').numFmt = '"$"#,##0.00'; // currency: still the number (not an ID format)
    await workbook.xlsx.writeFile(path);
    const rows = await rowsOf(await readXlsx(path));
    expect(rows[0]?.values).toEqual(['Carla Soto', 'A2024001', 'ALU-0123', '1500']);
  });

  it('skips a row whose cells hold only unseen characters (a zero-width space pasted from a chat), as a blank row', async () => {
    const path = join(dir, 'zero-width-row.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Usuario']);
    sheet.addRow(['Ana Uno', 'auno']);
    sheet.addRow(['\u200b', '\u200e\u00a0']);
    sheet.addRow(['Beto Dos', 'bdos']);
    await workbook.xlsx.writeFile(path);
    const rows = await rowsOf(await readXlsx(path));
    expect(rows.map((row) => [row.row, row.values[0]])).toEqual([
      [2, 'Ana Uno'],
      [4, 'Beto Dos'],
    ]);
  });

  it('refuses a workbook whose every sheet is empty, naming them and saying what to do', async () => {
    const path = join(dir, 'vacio.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Hoja1');
    workbook.addWorksheet('Hoja2');
    await workbook.xlsx.writeFile(path);
    await expect(readXlsx(path)).rejects.toThrow(`${path}: has no data: every sheet is empty (1 "Hoja1", 2 "Hoja2"); open it in Excel to check it is the roster, and save it again`);
  });

  it('says so when the only data is on a hidden sheet, naming it, instead of calling every sheet empty', async () => {
    const path = join(dir, 'only-hidden.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Portada');
    const hidden = workbook.addWorksheet('Alumnos', { state: 'hidden' });
    hidden.addRow(['Nombre completo', 'Usuario']);
    hidden.addRow(['Ana Uno', 'auno']);
    await workbook.xlsx.writeFile(path);
    await expect(readXlsx(path)).rejects.toThrow(/only-hidden\.xlsx: has no data on its visible sheets; sheet "Alumnos" is hidden and holds data: to import it, use --sheet "Alumnos"/);
    expect((await rowsOf(await readXlsx(path, { sheet: 'Alumnos' })))[0]?.values).toEqual(['Ana Uno', 'auno']);
  });

  it('warns once the sheet is read of hidden columns that have a header: they are imported like the others', async () => {
    const path = join(dir, 'hidden-column.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Usuario', 'Notas internas (no compartir)', 'Grado']);
    sheet.addRow(['Ana Uno', 'auno', 'beca en revisión', '3° A']);
    sheet.getColumn(3).hidden = true;
    sheet.getColumn(6).hidden = true; // no header: nothing to say
    await workbook.xlsx.writeFile(path);
    const warnings: string[] = [];
    const rows = await rowsOf(await readXlsx(path, { onWarning: (message) => warnings.push(message) }));
    expect(rows[0]?.values).toEqual(['Ana Uno', 'auno', 'beca en revisión', '3° A']);
    expect(warnings).toEqual([
      `${path}: in sheet "Alumnos", column C ("Notas internas (no compartir)") is hidden; hidden columns are imported like the others unless a mapping file maps them to null: if they should not reach Quentli, delete them from the sheet or map them to null`,
    ]);
  });

  it('finds --sheet by its name first, then by position: tabs named with digits (grades, years) are found by name', async () => {
    const path = join(dir, 'numbered-tabs.xlsx');
    const workbook = new ExcelJS.Workbook();
    for (const tab of ['3', '1', '2', '2025']) {
      const sheet = workbook.addWorksheet(tab);
      sheet.addRow(['Nombre completo', 'Usuario']);
      sheet.addRow([`Alumno de la hoja ${tab}`, `hoja${tab}`]);
    }
    await workbook.xlsx.writeFile(path);
    const usernameOn = async (sheet: string | number) => (await rowsOf(await readXlsx(path, { sheet })))[0]?.values[1];
    expect(await usernameOn('1')).toBe('hoja1');
    expect(await usernameOn('2025')).toBe('hoja2025');
    expect(await usernameOn('4')).toBe('hoja2025'); // no tab named "4": the fourth
    expect(await usernameOn(1)).toBe('hoja3'); // a number from a program is a position
    await expect(readXlsx(path, { sheet: '7' })).rejects.toThrow(/has no sheet named "7" nor a sheet number 7; its sheets are 1 "3", 2 "1", 3 "2", 4 "2025"/);
  });

  it('refuses a sheet with a header and no data rows, like a CSV', async () => {
    const path = join(dir, 'header-only.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Alumnos').addRow(['Nombre completo', 'Correo']);
    await workbook.xlsx.writeFile(path);
    await expect(readXlsx(path)).rejects.toThrow(/header-only\.xlsx: has no data rows under what was read as its column names \(sheet "Alumnos", row 1\)/);
  });

  it('flags values in columns without a header instead of dropping them silently', async () => {
    const path = join(dir, 'stray.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Usuario']);
    sheet.addRow(['Ana López', 'alopez']);
    sheet.addRow(['Luis Mora', 'lmora', '', 'revisar']);
    await workbook.xlsx.writeFile(path);
    const { rows } = { rows: await rowsOf(await readXlsx(path)) };
    expect(rows[0]).toEqual({ row: 2, values: ['Ana López', 'alopez'] });
    expect(rows[1]).toEqual({
      row: 3,
      values: ['Luis Mora', 'lmora', '', 'revisar'], // kept past the header for the errors file
      cellIssues: [{ code: 'malformed_row', message: 'has values in column D, which has no header: give it a header (a column without a field\'s name is imported as metadata), or delete the values' }],
    });
  });

  it('keeps the leading zeros a zero-padding format shows (IDs typed as numbers, formatted 000000)', async () => {
    const path = join(dir, 'padded.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Alumnos');
    sheet.addRow(['Nombre completo', 'Usuario', 'Matrícula', 'Colegiatura']);
    sheet.addRow(['Ana López', 123, 1234, 2500]);
    sheet.addRow(['Luis Mora', 45, 987654, 1250.5]);
    sheet.getColumn(2).numFmt = '00000';
    sheet.getColumn(3).numFmt = '000000';
    sheet.getColumn(4).numFmt = '0.00';
    await workbook.xlsx.writeFile(path);
    const rows = await rowsOf(await readXlsx(path));
    expect(rows.map((r) => r.values)).toEqual([
      ['Ana López', '00123', '001234', '2500'],
      ['Luis Mora', '00045', '987654', '1250.5'],
    ]);
  });

  it('keeps the leading zeros of a format LibreOffice saved with a locale tag ([$-80A]000000, a cell in Spanish (Mexico))', async () => {
    const { rows } = await readAll('roster-libreoffice-locale-formats.xlsx');
    expect(rows.map((r) => r.values)).toEqual([
      ['José Ángel García', 'jose.garcia@example.mx', '001234', 'A2024001', '06700', '2500'],
      ['María Peña López', 'maria.pena@example.mx', '000056', 'A2024015', '44100', '3100.5'],
    ]);
  });

  it('reads a duration as its elapsed-time format shows it, not as a date in 1899 (openpyxl timedelta, [h]:mm)', async () => {
    const { rows } = await readAll('roster-openpyxl-durations.xlsx');
    expect(rows.map((r) => r.values)).toEqual([
      ['Renata Vázquez Núñez', 'rvazquez', '01:30:00', '36:00'],
      ['Diego Salinas Ruiz', 'dsalinas', '00:25:30', '120:30'],
    ]);
  });

  it('reads a formula that is only a text ("000123", as openpyxl saves an export\'s ="000123") as the text, and refuses a real formula without a value', async () => {
    const { rows } = await readAll('roster-openpyxl-text-formulas.xlsx');
    expect(rows.map((r) => r.values)).toEqual([
      ['Renata Vázquez Núñez', '000123', 'renata.vazquez@example.mx', '5512345678', '01000', 'La "Güera"'],
      ['Diego Salinas Ruiz', '000124', 'diego.salinas@example.mx', '3312345678', '', ''],
    ]);
    expect(rows[0]?.cellIssues).toBeUndefined();
    expect(rows[1]?.cellIssues).toEqual([
      { column: 4, code: 'formula_uncalculated', message: 'is a formula with no calculated value: open the file in Excel, let it recalculate, and save it again', value: '=A3&" "&B3' },
    ]);
  });

  it('reads xlsxwriter\'s 0 saved for a formula that is only a text as that text', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [], date1904: false, recalculateOnOpen: true };
    expect(cellText({ col: 1, type: 'n', style: 0, value: '0', formula: '"00123"', inline: undefined }, ctx)).toEqual({ text: '00123' });
    expect(cellText({ col: 1, type: 'n', style: 0, value: '0', formula: 'A2&"x"', inline: undefined }, ctx).issue?.code).toBe('formula_uncalculated');
  });

  it('stops reading when the consumer stops early', async () => {
    const table = await readXlsx(fixture('roster-openpyxl-two-sheets.xlsx'), { sheet: 'Alumnos' });
    for await (const batch of table.batches) {
      expect(batch[0]!.row).toBe(2);
      break;
    }
  });

  it('refuses a workbook whose directory places a sheet where no part starts, in one line naming the file', async () => {
    // The sheet is looked at (its cells, its merges) by the directory's offset before the read.
    const bytes = await readFile(fixture('roster-merged-cells.xlsx'));
    const central = bytes.lastIndexOf('xl/worksheets/sheet1.xml') - 46;
    expect(bytes.readUInt32LE(central)).toBe(0x02014b50);
    bytes.writeUInt32LE(1, central + 42); // the local header's offset
    const path = join(dir, 'offset.xlsx');
    await writeFile(path, bytes);
    for (const read of [() => readXlsx(path), () => readXlsx(path, { sheet: 1 }), () => listSheets(path, { withData: true })]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as Error).message).toBe(`${path}: the workbook is damaged or incomplete (a download or copy cut short?): save or download it again (the part xl/worksheets/sheet1.xml is damaged)`);
    }
  });

  it('reports a zip that is damaged after its directory was read', async () => {
    const bytes = await readFile(fixture('roster-libreoffice-booleans-dates.xlsx'));
    // Corrupt the compressed bytes of the first entries but keep the central directory intact.
    for (let i = 100; i < 2500; i++) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
    const path = join(dir, 'corrupt.xlsx');
    await writeFile(path, bytes);
    const error = await readXlsx(path, { sheet: 'Alumnos' }).then(rowsOf).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toMatch(/damaged/);
  });
});

describe('cell text helpers', () => {
  it('formats numbers as a person sees them, never in scientific notation', () => {
    expect(formatNumber(5512345678)).toBe('5512345678');
    expect(formatNumber(5512345678901)).toBe('5512345678901');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(1.5e21)).toBe('1500000000000000000000');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(2500.5)).toBe('2500.5');
  });

  it('tells ID formats (zeros, with text around them) from other number formats', () => {
    expect(paddedFormat('00000')).toEqual({ digits: 5, prefix: '', suffix: '' });
    expect(paddedFormat('000000;-000000')).toEqual({ digits: 6, prefix: '', suffix: '' });
    expect(paddedFormat('"A"0000000')).toEqual({ digits: 7, prefix: 'A', suffix: '' });
    expect(paddedFormat('"ALU-"0000')).toEqual({ digits: 4, prefix: 'ALU-', suffix: '' });
    expect(paddedFormat('"ID "0')).toEqual({ digits: 1, prefix: 'ID ', suffix: '' });
    expect(paddedFormat('\\A\\-000"/B"')).toEqual({ digits: 3, prefix: 'A-', suffix: '/B' });
    expect(paddedFormat('"A" 0000')).toEqual({ digits: 4, prefix: 'A ', suffix: '' });
    expect(paddedFormat('00000 ')).toEqual({ digits: 5, prefix: '', suffix: ' ' }); // the cell is trimmed after
    // LibreOffice tags a format of a cell in a set language with its locale, and writes colors in capitals.
    expect(paddedFormat('[$-80A]000000')).toEqual({ digits: 6, prefix: '', suffix: '' });
    expect(paddedFormat('[$-80A]\\A0000000')).toEqual({ digits: 7, prefix: 'A', suffix: '' });
    expect(paddedFormat('[RED][$-80A]00000')).toEqual({ digits: 5, prefix: '', suffix: '' });
    expect(paddedFormat('[Red]0000')).toEqual({ digits: 4, prefix: '', suffix: '' });
    expect(paddedFormat('[$-es-MX]00000;[$-es-MX]-00000')).toEqual({ digits: 5, prefix: '', suffix: '' });
    const others = ['0', '0.00', '#,##0', 'General', '@', '0%', 'dd/mm/yyyy', '"$"#,##0.00', '"$"0', '\\$0', '0" €"', '000-0000', '"A"00"B"00', '"unclosed0000', ' 0 ',
      '[$-80A]0', '[$$-80A]0000', '[$MXN]0000', '[<=9999999]0000000', '[h]00', '[$-80A0000', '00[Red]00'];
    for (const code of others) expect(paddedFormat(code), code).toBeUndefined();
  });

  it('tells elapsed-time formats and shows durations in them', () => {
    expect(elapsedFormat('[h]:mm:ss')).toEqual({ unit: 'h', digits: 1, seconds: true });
    expect(elapsedFormat('[hh]:mm')).toEqual({ unit: 'h', digits: 2, seconds: false });
    expect(elapsedFormat('[mm]:ss')).toEqual({ unit: 'm', digits: 2, seconds: true });
    expect(elapsedFormat('[$-80A][h]:mm')).toEqual({ unit: 'h', digits: 1, seconds: false });
    for (const code of ['hh:mm', 'dd/mm/yyyy', '[Red]0', '"[h]"0', 'General']) expect(elapsedFormat(code), code).toBeUndefined();
    expect(elapsedText(1.5, { unit: 'h', digits: 1, seconds: true })).toBe('36:00:00');
    expect(elapsedText(0.0625, { unit: 'h', digits: 2, seconds: false })).toBe('01:30');
    expect(elapsedText(0.0625, { unit: 'h', digits: 1, seconds: false })).toBe('1:30');
    expect(elapsedText(0.0625, { unit: 'm', digits: 2, seconds: true })).toBe('90:00');
    expect(elapsedText(0.0625, { unit: 's', digits: 1, seconds: true })).toBe('5400');
    expect(elapsedText(0, { unit: 'h', digits: 1, seconds: false })).toBe('0:00');
    expect(elapsedText(-0.5, { unit: 'h', digits: 1, seconds: false })).toBeUndefined();
    // The built-in [h]:mm:ss (46), which a workbook names by number.
    const ctx = { sharedStrings: undefined, numberFormats: [{ kind: 'elapsed', unit: 'h', digits: 1, seconds: true }] as const, date1904: false, recalculateOnOpen: false };
    expect(cellText({ col: 1, type: 'n', style: 0, value: '2.25', formula: undefined, inline: undefined }, ctx).text).toBe('54:00:00');
  });

  it('turns serials into ISO date-times without a time-zone shift', () => {
    expect(excelSerialToIso(45672, false)).toBe('2025-01-15T00:00:00.000Z');
    expect(excelSerialToIso(45672.75, false)).toBe('2025-01-15T18:00:00.000Z');
    expect(excelSerialToIso(44210, true)).toBe('2025-01-15T00:00:00.000Z');
    expect(excelSerialToIso(0.5, true)).toBe('1904-01-01T12:00:00.000Z'); // a real date in the 1904 system
    expect(excelSerialToIso(1, false)).toBe('1900-01-01T00:00:00.000Z');
    expect(excelSerialToIso(61, false)).toBe('1900-03-01T00:00:00.000Z');
    expect(excelSerialToIso(-1, false)).toBeUndefined();
  });

  it('reads a time-of-day format as hh:mm, and any date format as an ISO date-time', () => {
    expect(timeOfDay(0.3125 * 86_400_000)).toBe('07:30');
    expect(timeOfDay(0.5 * 86_400_000 + 30_000)).toBe('12:00:30');
    expect(timeOfDay(0)).toBe('00:00');
    expect(timeOfDay(0.99999999 * 86_400_000)).toBe('23:59:59');
    const ctx = { sharedStrings: undefined, numberFormats: [{ kind: 'time' }, { kind: 'date' }] as const, date1904: false, recalculateOnOpen: false };
    const text = (value: string, style: number) => cellText({ col: 1, type: 'n', style, value, formula: undefined, inline: undefined }, ctx).text;
    expect(text('0.3125', 0)).toBe('07:30');
    expect(text('45672.75', 0)).toBe('2025-01-15T18:00:00.000Z'); // a date-time shown as its time: the date is kept
    expect(text('0', 1)).toBe('1899-12-30T00:00:00.000Z'); // a date format: a date, however odd
    for (const code of ['hh:mm', 'h:mm AM/PM', 'HH:MM:SS', 'mm:ss', '[$-80A]h:mm']) expect(isTimeOfDayFormatCode(code), code).toBe(true);
    for (const code of ['DD/MM/YYYY', 'dd/mm/yyyy hh:mm', '[h]:mm:ss', 'General', '0.00', 'mmm']) expect(isTimeOfDayFormatCode(code), code).toBe(false);
  });

  it('refuses a number of 16 digits or more whose digits the file does not hold (Excel keeps 15), and reads one it holds whole', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [undefined, { kind: 'date' }] as const, date1904: false, recalculateOnOpen: false };
    const cell = (value: string, style = 0) => cellText({ col: 3, type: 'n', style, value, formula: undefined, inline: undefined }, ctx);
    // How Excel saves a CLABE typed as a number, and how openpyxl and JavaScript writers save long numbers.
    for (const saved of ['1.23456789012345E+17', '1.234567890123457e+18', '1234567890123456800', '-1.2345678901234E+16', '2.02400123456789e+19']) {
      const read = cell(saved);
      expect(read.text, saved).toBe('');
      expect(read.issue?.code, saved).toBe('invalid_value');
      expect(read.issue?.message, saved).toMatch(/^is a number of more than 15 digits as saved/);
      expect(read.issue?.value, saved).toBe(saved);
    }
    expect(cell('1.23456789012345E+17').issue?.message).toBe(
      'is a number of more than 15 digits as saved: a spreadsheet keeps 15 and the rest were lost when it was typed or saved; format the column as Text and type the numbers again (or leave the column out with --mapping)',
    );
    expect(cell('1234567890123456')).toEqual({ text: '1234567890123456' }); // pandas' int64 id, whole in the file
    // Excel and LibreOffice write a 16-digit number typed in them out whole, its 16th digit a 0.
    for (const saved of ['4152313456789010', '1234567890123460', '9007199254740990', '1000000000000000']) {
      expect(cell(saved).issue?.code, saved).toBe('invalid_value');
      expect(cell(saved).text, saved).toBe('');
    }
    expect(cell('123456789012345')).toEqual({ text: '123456789012345' });
    expect(cell('5512345678')).toEqual({ text: '5512345678' });
    expect(cell('1.5E+15', 1).issue).toBeUndefined(); // a date format's serial is no id (out of range: shown as a number)
  });

  it('reads a percent format as the sheet shows it, with its decimals', () => {
    const plain = (decimals: number) => ({ kind: 'percent', decimals, grouped: false, spaced: false }) as const;
    const ctx = { sharedStrings: undefined, numberFormats: [plain(0), plain(2), undefined, { kind: 'percent', decimals: 1, grouped: true, spaced: true }] as const, date1904: false, recalculateOnOpen: false };
    const text = (value: string, style: number) => cellText({ col: 1, type: 'n', style, value, formula: undefined, inline: undefined }, ctx).text;
    expect(text('0.15', 0)).toBe('15%');
    expect(text('0.145', 0)).toBe('15%'); // 14.499999999999998 before Excel's 15 digits
    expect(text('1', 0)).toBe('100%');
    expect(text('0.1234', 1)).toBe('12.34%');
    expect(text('0.5', 1)).toBe('50.00%');
    expect(text('0.15', 2)).toBe('0.15');
    expect(text('0.01005', 1)).toBe('1.01%'); // Excel rounds the decimal, not the binary 1.00499…
    expect(text('-0.01005', 1)).toBe('-1.01%');
    expect(text('-0.00001', 0)).toBe('0%');
    expect(text('1234.5', 3)).toBe('123,450.0 %');
    expect(text('1e30', 0)).toBe('100000000000000000000000000000000%');
    expect(percentFormat('0%')).toEqual({ decimals: 0, grouped: false, spaced: false });
    expect(percentFormat('#,##0.00 %')).toEqual({ decimals: 2, grouped: true, spaced: true });
    expect(percentFormat('0.0%;[Red]-0.0%')).toEqual({ decimals: 1, grouped: false, spaced: false });
    for (const code of ['0.00', '"%" 0', '0\\%x', 'General']) expect(percentFormat(code), code).toBeUndefined();
  });

  it('reads percent cells of a workbook as they are shown (exceljs writer, built-in and custom formats)', async () => {
    const dir = temporaryFolder('percent-');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Becas');
    sheet.addRow(['Nombre', 'Beca', 'Descuento']);
    sheet.addRow(['Ana Ruiz', 0.5, 0.125]);
    sheet.getColumn(2).numFmt = '0%';
    sheet.getColumn(3).numFmt = '0.0%';
    const path = join(dir, 'becas.xlsx');
    await workbook.xlsx.writeFile(path);
    const rows = await rowsOf(await readXlsx(path));
    expect(rows[0]!.values).toEqual(['Ana Ruiz', '50%', '12.5%']);
  });

  it('reads a calculated amount with the decimals its format shows, padding zeros left out (no change for 2500 or 12.5)', async () => {
    expect([833.333333333333, 2131.935, 2500, 12.5, 0.125, -1.005, 2.999, 1e-7].map((n) => decimalsText(n, 2))).toEqual(['833.33', '2131.94', '2500', '12.5', '0.13', '-1.01', '3', '0']);
    expect(['#,##0.00', '"$"#,##0.00', '0.0', '[$$-80A]#,##0.00;[Red]-[$$-80A]#,##0.00', '_("$"* #,##0.00_)', '0.0#', '#,##0.00##'].map(fixedDecimals)).toEqual([2, 2, 1, 2, 2, 2, 4]);
    for (const code of ['0', '#,##0', '0.00E+00', 'General', '@']) expect(fixedDecimals(code), code).toBeUndefined();
    const dir = temporaryFolder('amounts-');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pagos');
    sheet.addRow(['Nombre', 'Mensualidad', 'Saldo', 'Promedio']);
    sheet.addRow(['Ana Ruiz', 2500 / 3, 2500, 8.666666666666666]);
    sheet.getColumn(2).numFmt = '"$"#,##0.00';
    sheet.getColumn(3).numFmt = '#,##0.00';
    sheet.getColumn(4).numFmt = '0.0';
    const path = join(dir, 'pagos.xlsx');
    await workbook.xlsx.writeFile(path);
    expect((await rowsOf(await readXlsx(path)))[0]!.values).toEqual(['Ana Ruiz', '833.33', '2500', '8.7']);
  });

  it('normalises an ISO date cell (t="d") to an ISO date-time', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [], date1904: false, recalculateOnOpen: false };
    const text = (value: string) => cellText({ col: 1, type: 'd', style: 0, value, formula: undefined, inline: undefined }, ctx).text;
    expect(text('2025-01-15')).toBe('2025-01-15T00:00:00.000Z');
    expect(text('2025-01-15T18:45:00')).toBe('2025-01-15T18:45:00.000Z');
    expect(text('2025-01-15T18:45:00-06:00')).toBe('2025-01-16T00:45:00.000Z'); // a zone given is honoured
    expect(text('not a date')).toBe('not a date');
  });

  it('reads a boolean cell written 0/1 (Excel) or false/true in any case (xsd:boolean: DevExtreme, .NET writers)', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [], date1904: false, recalculateOnOpen: false };
    const text = (value: string) => cellText({ col: 1, type: 'b', style: 0, value, formula: undefined, inline: undefined }, ctx).text;
    expect(['0', '1', 'false', 'true', 'False', 'TRUE', ' false '].map(text)).toEqual(['false', 'true', 'false', 'true', 'false', 'true', 'false']);
    expect(text('')).toBe('');
    // Not xsd:boolean: read as written, for the field to judge: `no` stays no (it was read as true), `2` is refused where a yes/no is due.
    expect(['no', 'Sí', 'f', '2'].map(text)).toEqual(['no', 'Sí', 'f', '2']);
  });

  it('reads a time of day in a t="d" cell as the same cell saved as a serial reads (07:30), not as a date-time in 1899 or as typed', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [undefined, { kind: 'time' }, { kind: 'date' }] as const, date1904: false, recalculateOnOpen: false };
    const text = (value: string, style: number) => cellText({ col: 1, type: 'd', style, value, formula: undefined, inline: undefined }, ctx).text;
    expect(text('07:30:00', 1)).toBe('07:30');
    expect(text('13:15:30', 0)).toBe('13:15:30');
    expect(text('T07:30:00', 1)).toBe('07:30');
    expect(text('1899-12-31T07:30:00', 1)).toBe('07:30');
    expect(text('1899-12-30T07:30:00', 1)).toBe('07:30');
    // A date-time shown as its time keeps its date, and a date format its day 0, as serials do.
    expect(text('2025-01-15T18:00:00', 1)).toBe('2025-01-15T18:00:00.000Z');
    expect(text('1899-12-31T07:30:00', 2)).toBe('1899-12-31T07:30:00.000Z');
  });

  it('reads a time of day in a t="d" cell of a 1904 workbook (Excel for Mac\'s) on its day 0, 1904-01-01, as its serial reads', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [undefined, { kind: 'time' }, { kind: 'date' }] as const, date1904: true, recalculateOnOpen: false };
    const text = (value: string, style: number) => cellText({ col: 1, type: 'd', style, value, formula: undefined, inline: undefined }, ctx).text;
    const serial = (value: string, style: number) => cellText({ col: 1, type: 'n', style, value, formula: undefined, inline: undefined }, ctx).text;
    expect(serial('0.3125', 1)).toBe('07:30');
    expect(text('1904-01-01T07:30:00', 1)).toBe('07:30');
    expect(text('1904-01-01T07:30:00', 2)).toBe('1904-01-01T07:30:00.000Z'); // a date format: a date, as its serial reads
    expect(serial('0.3125', 2)).toBe('1904-01-01T07:30:00.000Z');
  });

  it('keeps a t="d" time that is no time of day as written, not read as 23:59:59', () => {
    const ctx = { sharedStrings: undefined, numberFormats: [undefined, { kind: 'time' }] as const, date1904: false, recalculateOnOpen: false };
    const text = (value: string, style: number) => cellText({ col: 1, type: 'd', style, value, formula: undefined, inline: undefined }, ctx).text;
    for (const written of ['25:00', '07:75', '07:30:60', '99:99:99']) expect(text(written, 1), written).toBe(written);
    expect(text('23:59:59', 1)).toBe('23:59:59');
  });

  it('tells date formats from number formats', () => {
    for (const code of ['DD/MM/YYYY', 'd-mmm-yy', 'yyyy-mm-dd hh:mm', '[h]:mm:ss', '[$-80A]dddd, d "de" mmmm "de" yyyy']) {
      expect(isDateFormatCode(code), code).toBe(true);
    }
    for (const code of ['General', '0.00', '#,##0', '"$"#,##0.00_);[Red]("$"#,##0.00)', '0.00E+00', '@', '"días" 0']) {
      expect(isDateFormatCode(code), code).toBe(false);
    }
  });
});

describe('a sheet stored before the shared strings (Excel and LibreOffice order)', () => {
  it('streams from where it lies in the zip, with no temporary copy of the sheet', async () => {
    const dir = temporaryFolder('xlsx-no-copy-');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir; // where exceljs would copy the sheet
    try {
      const table = await readXlsx(fixture('roster-libreoffice-booleans-dates.xlsx'));
      const seen = new Set<string>();
      let rows = 0;
      for await (const batch of table.batches) for (const row of batch) {
        rows++;
        void row;
        for (const name of await readdir(dir)) seen.add(name);
      }
      expect(rows).toBeGreaterThan(0);
      expect([...seen]).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('refuses a workbook whose shared strings part is damaged, saying so in one line', async () => {
    const bytes = await readFile(fixture('roster-libreoffice-booleans-dates.xlsx'));
    // The first mention of the part's name is in its local header, 30 bytes after the signature.
    const header = bytes.indexOf('xl/sharedStrings.xml') - 30;
    expect(bytes.readUInt32LE(header)).toBe(0x04034b50);
    bytes.writeUInt32LE(0, header);
    await inFileOf('dañado.xlsx', bytes, async (path) => {
      await expect(readXlsx(path)).rejects.toThrow(InputFileError);
      await expect(readXlsx(path)).rejects.toThrow(/damaged/);
    });
  });

  it('refuses a workbook whose shared strings cannot be inflated, without an uncaught error', async () => {
    // Read ahead of the sheet, the part is opened before it is read: its inflate error came with
    // no one listening, and stopped the process with a stack trace (vitest: an unhandled error).
    const { bytes, entries } = await withDamagedPart(fixture('roster-libreoffice-booleans-dates.xlsx'), 'xl/sharedStrings.xml');
    expect(entries.get('xl/sharedStrings.xml')!.index).toBeGreaterThan(entries.get('xl/worksheets/sheet1.xml')!.index);
    await inFileOf('dañado.xlsx', bytes, async (path) => {
      await expect(readXlsx(path)).rejects.toThrow(/damaged .*invalid block type/);
      await sleep(50); // an uncaught error would land here, in this test
    });
  });
});

describe('readXlsx: a file that fails to be read during the sheet', () => {
  it('says the disk failed (EIO), not that the workbook is damaged, and how far it was read', async () => {
    // A network share that fails mid-file: every part streams from its own range of the file, in
    // reads of 64 KiB (the merges' scan in 1 MiB). The stream reads ahead of the rows parsed, so
    // the rows read before the failure may be none.
    const fs = createRequire(import.meta.url)('node:fs') as { read: (...args: unknown[]) => void };
    const dir = temporaryFolder('xlsx-eio-');
    const read = fs.read;
    try {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Alumnos');
      sheet.addRow(['Nombre', 'Correo']);
      for (let i = 1; i <= 20_000; i++) sheet.addRow([`Alumna ${i} ${(i * 7919).toString(36)}`, `alumna.${i}@example.mx`]);
      const path = join(dir, 'grande.xlsx');
      await workbook.xlsx.writeFile(path);
      // Where the sheet's stored bytes start: its local header, its name and extra field.
      const zip = await ZipDirectory.open(path);
      const entry = zip.part('xl/worksheets/sheet1.xml')!;
      await zip.close();
      const header = (await readFile(path)).subarray(entry.localHeaderOffset);
      const sheetStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      expect(entry.compressedSize).toBeGreaterThan(2 * 65_536);
      // Every read of the sheet's second 64 KiB fails (the look for its first cell reads there too).
      let failed = false;
      fs.read = (...args: unknown[]) => {
        if (args[4] === sheetStart + 65_536) {
          failed = true;
          const done = args.at(-1) as (error: Error) => void;
          process.nextTick(done, Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' }));
          return;
        }
        read(...args);
      };
      const rows = readXlsx(path).then(rowsOf);
      await expect(rows).rejects.toThrow(/grande\.xlsx: cannot be read: the disk or network share answered with an error \(EIO\)( past row \d+ \(the rows up to it were read\))?$/);
      expect(failed).toBe(true);
    } finally {
      fs.read = read;
    }
  });
});

describe('readXlsx: a file that fails to be read while its merges are looked for', () => {
  it('fails the read instead of reading the sheet without its merges', async () => {
    // EIO on a network share, EMFILE: the merges are scanned from a stream of their own, opened first with --sheet.
    const fs = createRequire(import.meta.url)('node:fs') as { open: (...args: unknown[]) => void };
    const path = fixture('roster-merged-cells.xlsx');
    const open = fs.open;
    let failed = false;
    fs.open = (file: unknown, ...rest: unknown[]) => {
      if (file !== path || failed) return open(file, ...rest);
      failed = true;
      const done = rest.at(-1) as (error: Error) => void;
      process.nextTick(done, Object.assign(new Error(`EIO: i/o error, open '${path}'`), { code: 'EIO', syscall: 'open', path }));
    };
    try {
      await expect(readXlsx(path, { sheet: 1 }).then(rowsOf)).rejects.toThrow(`${path}: cannot be read: the disk or network share answered with an error (EIO)`);
      expect(failed).toBe(true);
    } finally {
      fs.open = open;
    }
  });
});

describe('readXlsx: a cell that refers to a shared string the workbook does not hold', () => {
  it('fails the read as damaged instead of dropping the row as blank', async () => {
    const dir = temporaryFolder('xlsx-short-strings-');
    const path = join(dir, 'short.xlsx');
    const strings = ['Nombre', 'Correo', 'Ana Ruiz', 'ana@x.mx'].map((text) => `<si><t>${text}</t></si>`).join('');
    const row = (r: number, first: number) => `<row r="${r}"><c r="A${r}" t="s"><v>${first}</v></c><c r="B${r}" t="s"><v>${first + 1}</v></c></row>`;
    await writeFile(
      path,
      zipOf([
        ...LISTA_PACKAGE,
        listaRels('worksheets/sheet1.xml'),
        ['xl/sharedStrings.xml', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings}</sst>`, 'deflate'],
        // Row 3's strings (4 and 5) are not in the table: the part lost them.
        ['xl/worksheets/sheet1.xml', `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row(1, 0)}${row(2, 2)}${row(3, 4)}</sheetData></worksheet>`, 'deflate'],
      ]),
    );
    const read = readXlsx(path).then(rowsOf);
    await expect(read).rejects.toThrow(InputFileError);
    await expect(read).rejects.toThrow(/could not be read past row 2 .*damaged .*a cell refers to shared string 5, and the workbook holds 4/);
  });
});

describe('readXlsx: a sheet stored under a part name of its own', () => {
  it('is read from where the zip places it, and the file is closed once read', async () => {
    const dir = temporaryFolder('xlsx-part-name-');
    const path = join(dir, 'data-part.xlsx');
    // Shared strings after the sheet and too many for a stream's buffers to hold.
    const strings = Array.from({ length: 100_000 }, (_, i) => `<si><t>Persona ${i} p${i}@x.mx</t></si>`).join('');
    await writeFile(
      path,
      zipOf([
        ...LISTA_PACKAGE,
        ['xl/worksheets/data.xml', '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>99999</v></c></row></sheetData></worksheet>', 'deflate'],
        listaRels('worksheets/data.xml'),
        ['xl/sharedStrings.xml', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings}</sst>`, 'deflate'],
      ]),
    );
    const table = await readXlsx(path);
    expect(table.headers).toEqual(['Persona 0 p0@x.mx']);
    expect((await rowsOf(table)).map((row) => row.values)).toEqual([['Persona 99999 p99999@x.mx']]);
    await sleep(100);
    const openOnIt = (await readdir('/proc/self/fd')).filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // closed meanwhile
      }
    });
    expect(openOnIt).toEqual([]);
  });
});

describe('readXlsx: a value a covered cell of a merge holds hidden (LibreOffice can keep one)', () => {
  let dir: string;
  beforeAll(() => (dir = temporaryFolder('qi-merge-hidden-')));

  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const row = (r: number, cells: string[]) => `<row r="${r}">${cells.join('')}</row>`;

  it('is not read, whether the cell is in the merge\'s top row, under it, or beside its top-left cell in a one-row merge', async () => {
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      row(1, [cell('A1', 'Nombre'), cell('B1', 'Apellidos'), cell('C1', 'Grupo')]) +
      row(2, [cell('A2', 'Ana'), cell('B2', 'López'), cell('C2', '1A'), cell('D2', 'oculto')]) +
      row(3, [cell('A3', 'Luis'), cell('B3', 'Gil'), cell('C3', 'oculto')]) +
      row(4, [cell('A4', 'Eva Soto'), cell('B4', 'Vega')]) +
      '</sheetData><mergeCells count="2"><mergeCell ref="C2:D3"/><mergeCell ref="A4:B4"/></mergeCells></worksheet>';
    const rows = await rowsOf(await readXlsx(await workbookOf('hidden.xlsx', sheet)));
    expect(rows.map((r) => [r.row, ...r.values])).toEqual([
      [2, 'Ana', 'López', '1A'],
      [3, 'Luis', 'Gil', ''],
      [4, 'Eva Soto', '', ''],
    ]);
    expect(rows.map((r) => r.mergedColumns)).toEqual([undefined, [2], undefined]);
    // D2, covered by C2:D3 past the header's last column: no value under no header either.
    expect(rows.map((r) => r.cellIssues)).toEqual([undefined, undefined, undefined]);
  });

  it('is not read under a header cell merged down into the data rows, nor taken for a value merged from above', async () => {
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      row(1, [cell('A1', 'Nombre'), cell('B1', 'Notas')]) +
      row(2, [cell('A2', 'Ana López'), cell('B2', 'oculto')]) +
      row(3, [cell('A3', 'Luis Gil'), '<c r="B3" t="e"><v>#N/A</v></c>']) +
      row(4, [cell('A4', 'Eva Soto'), cell('B4', 'visible')]) +
      '</sheetData><mergeCells count="1"><mergeCell ref="B1:B3"/></mergeCells></worksheet>';
    const rows = await rowsOf(await readXlsx(await workbookOf('header-merge.xlsx', sheet)));
    expect(rows).toEqual([
      { row: 2, values: ['Ana López', ''] },
      { row: 3, values: ['Luis Gil', ''] },
      { row: 4, values: ['Eva Soto', 'visible'] },
    ]);
  });

  it('a sheet written without row and cell references (some generators write one): its rows are numbered in order, each its own', async () => {
    // The spec makes `r` optional: a row without one is the row after the last; a cell without one, the column after the last.
    const bare = (cells: string[]) => `<row>${cells.map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`;
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      bare(['Nombre', 'Usuario']) +
      bare(['Ana López', 'ana.lopez']) +
      bare(['Luis Gil', 'luis.gil']) +
      row(5, [cell('A5', 'Eva Soto'), cell('B5', 'eva.soto')]) +
      bare(['Raúl Paz', 'raul.paz']) +
      '</sheetData></worksheet>';
    const rows = await rowsOf(await readXlsx(await workbookOf('no-references.xlsx', sheet)));
    expect(rows).toEqual([
      { row: 2, values: ['Ana López', 'ana.lopez'] },
      { row: 3, values: ['Luis Gil', 'luis.gil'] },
      { row: 5, values: ['Eva Soto', 'eva.soto'] },
      { row: 6, values: ['Raúl Paz', 'raul.paz'] },
    ]);
  });

  async function workbookOf(name: string, sheet: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(
      file,
      zipOf([
        ['[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>', 'deflate'],
        ['_rels/.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>', 'deflate'],
        ['xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Lista" sheetId="1" r:id="rId1"/></sheets></workbook>', 'deflate'],
        ['xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>', 'deflate'],
        ['xl/worksheets/sheet1.xml', sheet, 'deflate'],
      ]),
    );
    return file;
  }
});
