import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MissingNameColumnError, NoDataRowsError } from '../../src/errors/index.js';
import { createRowMapper } from '../../src/map/map-row.js';
import { openMappedTable } from '../../src/pipeline/open-table.js';
import type { SourceRow } from '../../src/read/source-row.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);

function csv(text: string): string {
  const path = join(temporaryFolder('open-table-'), 'alumnos.csv');
  writeFileSync(path, text);
  return path;
}

async function rowsOf(batches: AsyncIterable<SourceRow[]>): Promise<SourceRow[]> {
  const all: SourceRow[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

describe('openMappedTable', () => {
  it('finds a CSV header under a title line, keeping the file\'s row numbers, and says so', async () => {
    const warnings: string[] = [];
    const path = csv('Colegio Miraflores - Lista de alumnos 2025;;\n\nNombre completo;Usuario;Teléfono\nAna Pérez;aperez;55 1234 5678\n');
    const { table, mapping } = await openMappedTable(path, {}, undefined, (message) => warnings.push(message));
    expect(table.headerRow).toBe(3);
    expect(table.details.delimiter).toBe(';');
    expect(mapping.headerOf.name).toBe('Nombre completo');
    expect(warnings).toEqual([expect.stringMatching(/row 3/)]);
    expect(await rowsOf(table.batches)).toEqual([{ row: 4, values: ['Ana Pérez', 'aperez', '55 1234 5678'] }]);
  });

  it('reads column names that take two rows (a label merged over the columns under it) as one header, the data under both', async () => {
    const warnings: string[] = [];
    const { table, mapping } = await openMappedTable(fixture('roster-two-row-header.xlsx'), {}, undefined, (message) => warnings.push(message));
    expect(table.headerRow).toBe(2);
    expect(table.headers).toEqual(['CURP', 'MATRÍCULA', 'PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)', 'GRUPO', 'TELÉFONO MAMÁ', 'TELÉFONO PAPÁ', 'CORREO']);
    expect(mapping.headerOf).toMatchObject({ name: 'NOMBRE(S)', email: 'CORREO' });
    // NOMBRE DEL ALUMNO spans the name's parts: they make the name together, given names first.
    expect(table.nameColumns).toEqual([4, 2, 3]);
    expect(mapping.nameParts).toEqual([4, 2, 3]);
    expect(mapping.warnings.filter((warning) => warning.includes('imported as metadata, not as part of the name'))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/^the column names take two rows, 2 and 3/));
    expect(warnings).toContainEqual(expect.stringMatching(/found on sheet "Lista 1A", rows 2 and 3/));
    const rows = await rowsOf(table.batches);
    expect(rows.map((row) => [row.row, row.values[4]])).toEqual([
      [4, 'JOSÉ'],
      [5, 'MARÍA FERNANDA'],
      [6, 'LUIS ÁNGEL'],
      [7, 'ANA SOFÍA'],
    ]);
  });

  it('reads the columns without a header under a merged name label, holding the rest of the names, as part of the name, as written', async () => {
    const warnings: string[] = [];
    const path = csv('No.,Nombre del alumno,,,Celular,Correo\n1,Ruiz,Peña,Ana Sofía,5512345678,ana@gmail.com\n2,Pérez,,Juan,5512345679,juan@gmail.com\n');
    const { table, mapping } = await openMappedTable(path, {}, undefined, (message) => warnings.push(message));
    expect(table.nameColumns).toEqual([1, 2, 3]);
    expect(mapping.nameParts).toEqual([1, 2, 3]);
    expect(mapping.givenNamesFirst).toBeUndefined(); // the order written: a first surname left empty leaves the rest
    expect(warnings).toEqual([
      'columns C and D have no header and hold the rest of the names beside "Nombre del alumno", as under a label merged over them: read with it as the name, in the order written ("Ruiz Peña Ana Sofía", row 2); if they are not, name the columns in the file',
    ]);
    const mapRow = createRowMapper(mapping, { defaultCountry: 'MX' });
    expect((await rowsOf(table.batches)).map((row) => mapRow(row).draft.name)).toEqual(['Ruiz Peña Ana Sofía', 'Pérez Juan']);
    // A note typed beside some names is no part of them: the column stays one without a header.
    const noted = await openMappedTable(csv('Nombre,,Celular\nAna Ruiz,,5512345678\nLuis Paz,llamar después de las 5,5512345679\nEva Soto,,5512345670\n'), {}, undefined, () => {});
    expect(noted.table.nameColumns).toBeUndefined();
    expect(noted.mapping.columns[1]!.target).toEqual({ kind: 'ignore', reason: 'no header' });
    // In a CSV, nor one column beside one-word names (notes, a city), nor words that are not capitalized as names are.
    const notes = 'Matrícula,Nombre,,Correo\nA001,Ana,becada,ana@gmail.com\nA002,Luis,Monterrey,luis@gmail.com\nA003,Sofía,nuevo ingreso,sofia@gmail.com\n';
    expect((await openMappedTable(csv(notes), {}, undefined, () => {})).table.nameColumns).toBeUndefined();
    const lowerNotes = 'Nombre,,,Correo\nRuiz,becada,pago anual,ana@gmail.com\nPérez,debe septiembre,nuevo ingreso,luis@gmail.com\n';
    expect((await openMappedTable(csv(lowerNotes), {}, undefined, () => {})).table.nameColumns).toBeUndefined();
    // Nor a tutor's name beside whole names.
    const tutors = await openMappedTable(csv('Matrícula,Nombre del alumno,,Celular\nD001,Ana Ruiz Peña,Laura Peña,5512345678\nD002,Luis Pérez Gómez,Marta Gómez,5512345679\nD003,Mateo Díaz Luna,Pedro Díaz,5512345680\n'), {}, undefined, () => {});
    expect(tutors.table.nameColumns).toBeUndefined();
    // Nor is a category that repeats (the sex, a group's letter), nor a yes/no.
    for (const cells of [['Femenino', 'Masculino', 'Femenino', 'Femenino', 'Masculino'], ['A', 'A', 'B', 'A', 'B'], ['Sí', 'No', 'Sí', 'Sí', 'No']]) {
      const text = `Nombre,,Celular\n${cells.map((cell, i) => `Alumno ${String.fromCharCode(65 + i)},${cell},551234567${i}`).join('\n')}\n`;
      expect((await openMappedTable(csv(text), {}, undefined, () => {})).table.nameColumns, cells[0]).toBeUndefined();
    }
  });

  it('reads a CSV saved from such a template the same way, and a mapping file may name the lower labels', async () => {
    const path = csv('No.,Nombre del alumno,,,Celular,Correo\n,Apellido paterno,Apellido materno,Nombre(s),,\n1,Ruiz,Soto,Ana,55 1234 5678,ana@x.mx\n');
    const mappingFile = { columns: { 'Nombre(s)': 'name', 'Apellido paterno': 'name', 'Apellido materno': 'name' }, unmapped: 'metadata' as const };
    const { table, mapping } = await openMappedTable(path, {}, mappingFile, () => {});
    expect(table.headers).toEqual(['No.', 'Apellido paterno', 'Apellido materno', 'Nombre(s)', 'Celular', 'Correo']);
    expect(mapping.nameParts).toEqual([3, 1, 2]);
    expect(await rowsOf(table.batches)).toEqual([{ row: 3, values: ['1', 'Ruiz', 'Soto', 'Ana', '55 1234 5678', 'ana@x.mx'] }]);
  });

  it('reads a two-row header whose merged label reaches the last column, where the label row ends early', async () => {
    // `NOMBRE DEL ALUMNO` merged over B1:D1: C1 and D1 are empty cells, the last with text is B1.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('3A');
    sheet.addRow(['No.', 'NOMBRE DEL ALUMNO']);
    sheet.addRow(['', 'PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)']);
    sheet.addRow([1, 'GARCÍA', 'LÓPEZ', 'JOSÉ ÁNGEL']);
    sheet.mergeCells('B1:D1');
    sheet.mergeCells('A1:A2');
    const path = join(temporaryFolder('open-table-'), 'lista.xlsx');
    await workbook.xlsx.writeFile(path);
    const { table, mapping } = await openMappedTable(path, {}, undefined, () => {});
    expect(table.headers).toEqual(['No.', 'PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)']);
    expect(mapping.nameParts).toEqual([3, 1, 2]);
    expect(await rowsOf(table.batches)).toEqual([{ row: 3, values: ['1', 'GARCÍA', 'LÓPEZ', 'JOSÉ ÁNGEL'] }]);
    // A data row's values past a header that ends with plain text are still under no header.
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet('Hoja1').addRows([['Nombre', 'Correo'], ['Ana Ruiz', 'ana@x.mx', 'nota suelta']]);
    const plainPath = join(temporaryFolder('open-table-'), 'plain.xlsx');
    await plain.xlsx.writeFile(plainPath);
    const opened = await openMappedTable(plainPath, {}, undefined, () => {});
    expect(opened.table.headers).toEqual(['Nombre', 'Correo']);
    expect((await rowsOf(opened.table.batches))[0]!.cellIssues).toEqual([expect.objectContaining({ code: 'malformed_row' })]);
  });

  it('in a workbook, joins into the name the columns its label is merged over, and no others', async () => {
    const write = async (merge: string | undefined, rows: (string | number)[][]) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Lista');
      sheet.addRows(rows);
      if (merge) sheet.mergeCells(merge);
      const path = join(temporaryFolder('open-table-'), 'lista.xlsx');
      await workbook.xlsx.writeFile(path);
      return (await openMappedTable(path, {}, undefined, () => {})).table.nameColumns;
    };
    const names = [['No.', 'Nombre del alumno', '', '', 'Teléfono'], [1, 'Ruiz', 'Peña', 'Ana Sofía', '5512345678'], [2, 'Pérez', 'Gómez', 'Luis', '5512345679']];
    expect(await write('B1:D1', names)).toEqual([1, 2, 3]);
    expect(await write('B1:C1', names)).toEqual([1, 2]); // D stays a column without a header
    // Services beside two-word names, under no merge: not the name.
    expect(await write(undefined, [['Nombre', '', 'Teléfono'], ['Ana Ruiz', 'Transporte', '5512345678'], ['Luis Pérez', 'Comedor', '5512345679'], ['Carlos Díaz', 'Beca deportiva', '5512345681']])).toBeUndefined();
  });

  it('refuses a two-row header with nothing under it', async () => {
    await expect(openMappedTable(csv('Nombre del alumno,,Correo\nApellidos,Nombre(s),\n'), {}, undefined, () => {})).rejects.toThrow(/has no data rows under what was read as its column names \(rows 1 and 2\)/);
  });

  it('refuses an empty template (a title over column names, no student yet) as a header with no data rows, not as a title with no name column', async () => {
    // LibreOffice's CSV of the template: the title, the column names, the template's empty lines.
    const path = csv('Lista de alumnos 2025-2026,,\r\nMatrícula,Nombre del alumno,Teléfono celular\r\n,,\r\n,,\r\n');
    const refusal = openMappedTable(path, {}, undefined, () => {});
    await expect(refusal).rejects.toThrow(NoDataRowsError);
    await expect(refusal).rejects.toThrow(/has no data rows under what was read as its column names \(row 2\)/);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lista');
    sheet.addRow(['Colegio Vista Hermosa — Lista de alumnos']);
    sheet.addRow(['Matrícula', 'Nombre del alumno', 'Correo electrónico']);
    const xlsx = join(temporaryFolder('open-table-'), 'plantilla.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    await expect(openMappedTable(xlsx, {}, undefined, () => {})).rejects.toThrow(/has no data rows under what was read as its column names \(sheet "Lista", row 2\)/);
    // A title over a line that is no roster's header (one field) is still a missing name column.
    await expect(openMappedTable(csv('Lista de alumnos,\r\nGrupo,Ciclo\r\n'), {}, undefined, () => {})).rejects.toThrow(MissingNameColumnError);
  });

  it('says a file has no header row when its first line is a customer\'s data like the line under it (FileMaker\'s CSV, a database dump)', async () => {
    const headerless = openMappedTable(csv('"Ana Ruiz","ana@gmail.com","5512345678","3A"\r"Luis Paz","luis@gmail.com","55 1234 5679","3B"\r'), {}, undefined, () => {});
    await expect(headerless).rejects.toThrow(MissingNameColumnError);
    await expect(headerless).rejects.toThrow(
      'no column holds the customer\'s name: the file has no header row (its first line, row 1, is a customer\'s data, "Ana Ruiz", "ana@gmail.com", "5512345678", "3A", as the line under it is): add a first line with the column names (such as Nombre, Correo, Teléfono) and import it again',
    );
    // A title block's labels and values over lines of another shape keep their own message.
    const titled = openMappedTable(csv('Cliente,Colegio Vista,Tel.,55 5678 1200\nGrupo,Ciclo,Turno,Nivel\n3A,2025,Matutino,Primaria\n'), {}, undefined, () => {});
    await expect(titled).rejects.toThrow(/the line holds labels and their values/);
  });

  it('says once that a file mixes encodings, though the header search opens it more than once', async () => {
    const dir = temporaryFolder('open-table-');
    const path = join(dir, 'mezcla.csv');
    // A title line first: the header is found on the second try, each try decoding the mix again.
    writeFileSync(path, Buffer.concat([Buffer.from('Lista de alumnos\nNombre,Usuario\nJosé,jose\n', 'utf8'), Buffer.from('Ib\xe1\xf1ez,ibanez\n', 'latin1')]));
    const warnings: string[] = [];
    const { table } = await openMappedTable(path, {}, undefined, (message) => warnings.push(message));
    expect(table.headerRow).toBe(2);
    await rowsOf(table.batches);
    expect(warnings.filter((message) => message.includes('mixes UTF-8 and Windows-1252'))).toHaveLength(1);
  });

  it('names the other sheets that hold data when a workbook has one sheet per group, and not with --sheet', async () => {
    const path = join(temporaryFolder('open-table-'), 'grupos.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Instrucciones').addRows([['Llene una hoja por grupo'], ['Nombre', 'Usuario']]);
    for (const [group, name] of [['3° A', 'Ana'], ['3° B', 'Luis'], ['3° C', 'Eva']] as const) {
      workbook.addWorksheet(group).addRows([['Nombre', 'Usuario'], [name, name.toLowerCase()]]);
    }
    workbook.addWorksheet('Vacía');
    await workbook.xlsx.writeFile(path);

    const warnings: string[] = [];
    const { table } = await openMappedTable(path, {}, undefined, (message) => warnings.push(message));
    expect(table.details.sheet).toBe('3° A');
    expect(warnings).toContain('only sheet "3° A" is imported; the workbook\'s other sheets "3° B", "3° C" also hold data: import each with --sheet and its own --report');
    await table.close();

    const chosen: string[] = [];
    const { table: second } = await openMappedTable(path, { sheet: '3° B' }, undefined, (message) => chosen.push(message));
    expect((await rowsOf(second.batches)).map((row) => row.values)).toEqual([['Luis', 'luis']]);
    expect(chosen).toEqual([]);
  });

  it('refuses a small table beside the list (a legend, a count by group) before anything is sent, unless a mapping file names the columns', async () => {
    // Before: imported, its cells were metadata of the first customers ("Clave": "BE", "Significado": "Becado" on Alumno 1).
    const folder = temporaryFolder('open-table-');
    const legend = join(folder, 'leyenda.xlsx');
    const workbook = new ExcelJS.Workbook();
    const meanings = [['BE', 'Becado'], ['RE', 'Reinscrito'], ['NI', 'Nuevo ingreso']];
    workbook.addWorksheet('Alumnos').addRows([
      ['Nombre completo', 'Correo', 'Estatus', null, 'Clave', 'Significado'],
      ...Array.from({ length: 10 }, (_, i) => [`Alumno ${i + 1}`, `alumno${i + 1}@colegio.mx`, 'RE', null, ...(meanings[i] ?? [])]),
    ]);
    await workbook.xlsx.writeFile(legend);
    await expect(openMappedTable(legend, {}, undefined, () => {})).rejects.toThrow(
      /\/leyenda\.xlsx: columns E–F \("Clave", "Significado"\), right of the empty column D, hold values on rows 2–4 only, not along the list: a small table beside the list \(a legend, a count by group\)\? Read as one, its cells would be sent as metadata of the customers on rows 2–4\. Move it to a sheet of its own/,
    );
    const { table } = await openMappedTable(legend, {}, { columns: { Clave: null, Significado: null }, unmapped: 'metadata' }, () => {});
    await table.close();
    // A count by group under the list's own `Grupo`, in a CSV too.
    const counts = csv(['Nombre,Correo,Grupo,,Grupo,Alumnos', 'Ana,ana@x.mx,1A,,1A,2', 'Luis,luis@x.mx,1A,,1B,1', 'Eva,eva@x.mx,1B,,,'].join('\n'));
    await expect(openMappedTable(counts, {}, undefined, () => {})).rejects.toThrow(/columns E–F \("Grupo", "Alumnos"\), right of the empty column D, hold values on rows 2–3 only/);
    // A customer's field set apart by an empty column, filled for the first students only, is the list's own.
    const phones = csv(['Nombre,Correo,,Celular', 'Ana,ana@x.mx,,5512345678', 'Luis,luis@x.mx,,', 'Eva,eva@x.mx,,', 'Iván,ivan@x.mx,,'].join('\n'));
    const { table: own, mapping } = await openMappedTable(phones, {}, undefined, () => {});
    expect(mapping.headerOf.phoneNumber).toBe('Celular');
    await own.close();
  });

  it('finds the roster of a Numbers export past its summary sheet, and does not name the summary as data to import', async () => {
    const warnings: string[] = [];
    const { table } = await openMappedTable(fixture('roster-numbers-export.xlsx'), {}, undefined, (message) => warnings.push(message));
    expect([table.details.sheet, table.headerRow]).toEqual(['Hoja 1 - Tabla 1', 2]);
    expect((await rowsOf(table.batches)).map((row) => row.values[0])).toEqual(['Valeria Soto Ruiz', 'Emilio Vargas León']);
    expect(warnings).toContain('only sheet "Hoja 1 - Tabla 1" is imported; the workbook\'s other sheet "Hoja 1 - Tabla 2" also holds data: import it with --sheet and its own --report');
  });

  it('takes --header-row as given in a CSV', async () => {
    const path = csv('Lista\nNombre,Usuario\nAna,ana\n');
    const { table } = await openMappedTable(path, { headerRow: 2 }, undefined, () => {});
    expect(table.headers).toEqual(['Nombre', 'Usuario']);
    await table.close();
  });

  it('finds a workbook header under a title row without --header-row', async () => {
    const warnings: string[] = [];
    const { table } = await openMappedTable(fixture('roster-title-row.xlsx'), {}, undefined, (message) => warnings.push(message));
    expect(table.headerRow).toBe(3);
    expect((await rowsOf(table.batches)).map((row) => row.row)).toEqual([4, 5, 6]);
    expect(warnings).toHaveLength(1);
  });

  it('passes over a block of labels whose first is a bare `Nombre` (the school\'s), to the column names below', async () => {
    const warnings: string[] = [];
    const path = csv('Nombre;Colegio Vista Hermosa;;\nCiclo escolar;2025-2026;;\nGrupo;3° A;;\n;;;\nMatrícula;Nombre del alumno;Correo;Teléfono\nA001;José Hernández;jose@gmail.com;5512345678\nA002;María Núñez;maria@gmail.com;3387654321\n');
    const { table, mapping } = await openMappedTable(path, {}, undefined, (message) => warnings.push(message));
    expect(table.headerRow).toBe(5);
    expect(mapping.headerOf).toMatchObject({ name: 'Nombre del alumno', email: 'Correo', phoneNumber: 'Teléfono' });
    expect(warnings).toContainEqual(expect.stringMatching(/found on row 5/));
    expect(await rowsOf(table.batches)).toEqual([
      { row: 6, values: ['A001', 'José Hernández', 'jose@gmail.com', '5512345678'] },
      { row: 7, values: ['A002', 'María Núñez', 'maria@gmail.com', '3387654321'] },
    ]);
    // A roster of two columns is one still, also with a second table under it: its second column has a name, not a value.
    const twoColumns = await openMappedTable(csv('Nombre;Grupo\nAna Pérez;3° A\nLuis Gómez;3° B\n'), {}, undefined, () => {});
    expect(twoColumns.table.headerRow).toBe(1);
    expect(await rowsOf(twoColumns.table.batches)).toHaveLength(2);
    const withContacts = await openMappedTable(
      csv('Nombre,Colegiatura 2025\nAna Pérez,2500\nLuis Gómez,2500\nEva Ruiz,2500\n\nContacto de la escuela\nNombre,Correo,Teléfono\nLaura Méndez,pagos@colegio.mx,5512345678\n'),
      {},
      undefined,
      () => {},
    );
    expect(withContacts.table.headerRow).toBe(1);
    // The labels without trailing delimiters, the school's legal name quoted with its comma.
    const legalName = await openMappedTable(csv('Nombre,"Colegio Vista Hermosa, S.C."\nCiclo escolar,2025-2026\nMatrícula,Nombre del alumno,Correo\nA001,Ana López,ana@x.mx\nA002,Luis Ruiz,luis@x.mx\n'), {}, undefined, () => {});
    expect(legalName.table.headerRow).toBe(3);
  });

  it('fails with a hint when no row near the top names a name column', async () => {
    const path = csv('Alumno,Clave\nAna,1\nLuis,2\n');
    await expect(openMappedTable(path, {}, undefined, () => {})).rejects.toThrow(MissingNameColumnError);
    await expect(openMappedTable(path, {}, undefined, () => {})).rejects.toThrow(/row 1; if the names are elsewhere, use --header-row/);
  });

  it('under title lines, says what is wrong with the line that looks like column names, whose advice then works', async () => {
    const path = csv(
      'COLEGIO VISTA HERMOSA S.C.\nReporte de alumnos inscritos - Ciclo 2024-2025\nFecha: 15/08/2024\n' +
        'Matrícula,Alumno,Grado,Nombre del Padre,Tel. Padre,Email Padre\n24001,GARCIA LOPEZ JOSE,3,JOSE GARCIA,5512345678,jgarcia@gmail.com\n',
    );
    const failure = openMappedTable(path, {}, undefined, () => {});
    await expect(failure).rejects.toThrow(MissingNameColumnError);
    await expect(failure).rejects.toThrow(/the headers are: "Matrícula", "Alumno".*\{"columns":\{"Alumno":"name"\}\}.*\(row 4, the first line that looks like column names; if the names are elsewhere, use --header-row\)$/);
    const { table, mapping } = await openMappedTable(path, {}, { columns: { Alumno: 'name' }, unmapped: 'metadata' }, () => {});
    expect([table.headerRow, mapping.headerOf.name]).toEqual([4, 'Alumno']);
    // A line naming two fields comes first: a title line holding the mapped column is no header.
    const titled = csv('LISTA DE ALUMNOS 3° A\nMaestra,Nombre,Laura Méndez\nMatrícula,Nombre,Correo\nA001,Ana Ruiz,ana@gmail.com\n');
    expect((await openMappedTable(titled, {}, { columns: { Nombre: 'name' }, unmapped: 'metadata' }, () => {})).table.headerRow).toBe(3);
  });

  it('passes over an instructions sheet laid out as a table, to the roster sheet', async () => {
    const warnings: string[] = [];
    const { table, mapping } = await openMappedTable(fixture('roster-instructions-table.xlsx'), {}, undefined, (message) => warnings.push(message));
    expect(table.details.sheet).toBe('Alumnos 2025');
    expect(mapping.headerOf.username).toBe('Usuario');
    expect((await rowsOf(table.batches)).map((row) => row.values[1])).toEqual(['jramirez', 'mfortiz']);
    expect(warnings).toEqual([expect.stringMatching(/sheet "Alumnos 2025", row 1/)]);
  });

  it('tells what is wrong with the roster sheet, not with the instructions sheet before it, when no header is found', async () => {
    // xlsxwriter: a one-line "Instrucciones" sheet, then "Alumnos" with its header row missing.
    await expect(openMappedTable(fixture('roster-xlsxwriter-instructions-no-header.xlsx'), {}, undefined, () => {})).rejects.toThrow(
      /no column holds the customer's name: the file has no header row \(its first line, sheet "Alumnos", row 1, is a customer's data/,
    );
    // Instructions of several lines, or a roster with its header and no student yet.
    const dir = temporaryFolder('open-table-');
    const notes = new ExcelJS.Workbook();
    notes.addWorksheet('Instrucciones').addRows([['Instrucciones'], ['1. Llene una fila por alumno.'], ['2. No cambie los encabezados.']]);
    notes.addWorksheet('Alumnos').addRows([['A001', 'Ana Ruiz', 'ana@gmail.com', '55 1234 5601'], ['A002', 'Luis Peña', 'luis@gmail.com', '55 1234 5602']]);
    await notes.xlsx.writeFile(join(dir, 'notas.xlsx'));
    await expect(openMappedTable(join(dir, 'notas.xlsx'), {}, undefined, () => {})).rejects.toThrow(/the file has no header row \(its first line, sheet "Alumnos", row 1,/);
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Instrucciones').addRows([['Llene la hoja Alumnos.']]);
    empty.addWorksheet('Alumnos').addRows([['Matrícula', 'Nombre completo', 'Correo']]);
    await empty.xlsx.writeFile(join(dir, 'plantilla.xlsx'));
    const refusal = openMappedTable(join(dir, 'plantilla.xlsx'), {}, undefined, () => {});
    await expect(refusal).rejects.toThrow(NoDataRowsError);
    await expect(refusal).rejects.toThrow(/has no data rows under what was read as its column names \(sheet "Alumnos", row 1\)/);
  });

  it('looks for the roster on the other sheets of a workbook whose first sheet is a header alone, whatever its name (.csv)', async () => {
    const dir = temporaryFolder('open-table-');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Plantilla').addRows([['Nombre', 'Correo']]);
    workbook.addWorksheet('Alumnos').addRows([['Nombre', 'Correo'], ['Ana Ruiz', 'ana@gmail.com'], ['Luis Peña', 'luis@gmail.com']]);
    // Named .csv, the workbook was read as one (by its content) but the other sheets were not
    // looked at (by its name): "has no data rows under … (sheet "Plantilla", row 1)".
    for (const name of ['alumnos.xlsx', 'alumnos.csv']) {
      await workbook.xlsx.writeFile(join(dir, name));
      const { table } = await openMappedTable(join(dir, name), {}, undefined, () => {});
      expect([name, table.details.sheet]).toEqual([name, 'Alumnos']);
      expect((await rowsOf(table.batches)).map((row) => row.values[0])).toEqual(['Ana Ruiz', 'Luis Peña']);
    }
  });

  it('says that a workbook holds each line in one cell, a CSV opened with another separator than its own and saved', async () => {
    await expect(openMappedTable(fixture('roster-libreoffice-wrong-separator.xlsx'), {}, undefined, () => {})).rejects.toThrow(
      /the column names are all in one cell, "Matrícula;Apellido paterno;Apellido materno;Nombre\(s\);Celular;Correo;Etiquetas", set apart by ";"/,
    );
  });

  it('passes over an "Indicaciones" sheet with the template\'s example customer, to the roster sheet', async () => {
    const { table } = await openMappedTable(fixture('roster-indicaciones-first.xlsx'), {}, undefined, () => {});
    expect(table.details.sheet).toBe('Alumnos');
    expect((await rowsOf(table.batches)).map((row) => row.values[0])).toEqual(['Ana Ruiz Peña', 'Beto Lara Cruz']);
  });

  it('takes --header-row without --sheet on the roster sheet, never on an instructions sheet, and names that sheet when the row is no header', async () => {
    const indicaciones = fixture('roster-indicaciones-first.xlsx');
    // Row 3 of "Indicaciones" heads the template's example customer: it was read as the roster.
    await expect(openMappedTable(indicaciones, { headerRow: 3 }, undefined, () => {})).rejects.toThrow('has no data rows under what was read as its column names (sheet "Alumnos", row 3)');
    // The refusal named "Indicaciones", a sheet no run without --header-row reads.
    await expect(openMappedTable(indicaciones, { headerRow: 50 }, undefined, () => {})).rejects.toThrow('row 50 of sheet "Alumnos" is empty: --header-row must point at the row holding the column names');
    await expect(openMappedTable(indicaciones, { headerRow: 2 }, undefined, () => {})).rejects.toThrow(
      /xlsx: no column holds the customer's name; the headers are: "Ana Ruiz Peña", .* \(sheet "Alumnos", row 2; if the names are elsewhere, use --sheet and --header-row\)$/,
    );
    const warnings: string[] = [];
    const { table } = await openMappedTable(indicaciones, { headerRow: 1 }, undefined, (message) => warnings.push(message));
    expect(table.details.sheet).toBe('Alumnos');
    expect((await rowsOf(table.batches)).map((row) => row.values[1])).toEqual(['aruiz', 'blara']);
    expect(warnings).toEqual([expect.stringMatching(/^the column names were found on sheet "Alumnos", row 1 /)]);

    // The roster first, its instructions after it: row 3 of "Alumnos" is its last student.
    const dir = temporaryFolder('open-table-');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Alumnos').addRows([['Nombre', 'Correo'], ['Ana Ruiz', 'ana@gmail.com'], ['Luis Peña', 'luis@gmail.com']]);
    workbook.addWorksheet('Instrucciones').addRows([['Llene la hoja Alumnos, como en el ejemplo:'], [], ['Nombre', 'Correo'], ['Juan Pérez', 'juan@correo.com']]);
    await workbook.xlsx.writeFile(join(dir, 'plantilla.xlsx'));
    await expect(openMappedTable(join(dir, 'plantilla.xlsx'), { headerRow: 3 }, undefined, () => {})).rejects.toThrow('has no data rows under what was read as its column names (sheet "Alumnos", row 3)');
    // A cover sheet before the roster: the row is taken on the next sheet, as before.
    const covered = new ExcelJS.Workbook();
    covered.addWorksheet('Hoja1').addRows([['Colegio Vista Hermosa']]);
    covered.addWorksheet('Lista').addRows([['Lista de alumnos'], [], ['Nombre', 'Correo'], ['Ana Ruiz', 'ana@gmail.com']]);
    covered.addWorksheet('Ejemplo').addRows([[], [], ['Nombre', 'Correo'], ['Juan Pérez', 'juan@correo.com']]);
    await covered.xlsx.writeFile(join(dir, 'portada.xlsx'));
    const onList = await openMappedTable(join(dir, 'portada.xlsx'), { headerRow: 3 }, undefined, () => {});
    expect([onList.table.details.sheet, onList.table.headerRow]).toEqual(['Lista', 3]);
    await onList.table.close();
  });

  it('names the row --header-row gave, and the sheet --sheet gave, when that row is no header', async () => {
    // Both said only "no column holds the customer's name; the headers are: …", no row, no sheet.
    const path = csv('Nombre,Usuario\nAna Ruiz,ana\nLuis Peña,luis\n');
    await expect(openMappedTable(path, { headerRow: 2 }, undefined, () => {})).rejects.toThrow(
      /alumnos\.csv: no column holds the customer's name; the headers are: "Ana Ruiz", "ana"; .* \(row 2; if the names are elsewhere, use --header-row\)$/,
    );
    await expect(openMappedTable(path, { headerRow: 1 }, { columns: { Alumno: 'name' }, unmapped: 'metadata' }, () => {})).rejects.toThrow(
      /alumnos\.csv: the mapping names "Alumno", not found in the file's headers: "Nombre", "Usuario" \(row 1; if the names are elsewhere, use --header-row\)$/,
    );
    await expect(openMappedTable(fixture('roster-indicaciones-first.xlsx'), { sheet: 'Alumnos', headerRow: 2 }, undefined, () => {})).rejects.toThrow(
      /xlsx: no column holds the customer's name; the headers are: "Ana Ruiz Peña", .* \(sheet "Alumnos", row 2; if the names are elsewhere, use --sheet and --header-row\)$/,
    );
  });

  it('finds the header under a title line when a mapping file names its columns', async () => {
    const path = csv('Colegio Benito Juárez - Lista de alumnos;;\n\nAlumno;Matrícula;Correo\nAna Pérez;A-1;ana@escuela.mx\n');
    const mappingFile = { columns: { Alumno: 'name', 'Matrícula': 'username' }, unmapped: 'metadata' as const };
    const { table, mapping } = await openMappedTable(path, {}, mappingFile, () => {});
    expect(table.headerRow).toBe(3);
    expect(mapping.headerOf).toMatchObject({ name: 'Alumno', username: 'Matrícula', email: 'Correo' });
    await table.close();
  });

  it('does not take a line of text below a title for the header unless it names two fields', async () => {
    const path = csv('Lista de alumnos\nNombre: escriba el nombre completo\nAlumno,Clave\nAna,1\n');
    await expect(openMappedTable(path, {}, undefined, () => {})).rejects.toThrow(/no column holds the customer's name/);
  });
});
