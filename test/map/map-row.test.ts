import { describe, expect, it } from 'vitest';
import { createRowMapper } from '../../src/map/map-row.js';
import { mappingFileSchema } from '../../src/map/mapping-file.js';
import { resolveMapping } from '../../src/map/resolve-mapping.js';
import type { SourceRow } from '../../src/read/source-row.js';

const HEADERS = ['Nombre completo', 'Usuario', 'Correo electrónico', 'Teléfono', 'Otro teléfono', 'Acepta contrato', 'Sin factura', 'Baja WhatsApp', 'Etiquetas', 'Matrícula', 'Grado', 'Tutor'];
const mapDemo = createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' });
const row = (values: string[], number = 2): SourceRow => ({ row: number, values });

describe('createRowMapper', () => {
  it('maps a full demo row to the payload draft', () => {
    const mapped = mapDemo(
      row(['José  Hernández   Peña', 'jhernandez.2025', 'guadalupe.hernandez@gmail.com', '55 7494 1037', '+52 1 55 7095 8740', 'Sí', 'No', '15/01/2025', 'Primaria, Colegiatura, Primaria', 'A-1001', '1° A', 'Pérez; Ana, Ibáñez; Luis']),
    );
    expect(mapped).toEqual({
      row: 2,
      issues: [],
      draft: {
        name: 'José Hernández Peña',
        username: 'jhernandez.2025',
        email: 'guadalupe.hernandez@gmail.com',
        phoneNumber: '+525574941037',
        secondaryPhoneNumber: '+525570958740',
        acceptedServiceAgreement: true,
        skipTaxInvoice: false,
        optedOutWhatsappAt: '2025-01-15T00:00:00.000Z',
        tags: ['Primaria', 'Colegiatura'],
        metadata: [
          { key: 'Matrícula', value: 'A-1001' },
          { key: 'Grado', value: '1° A' },
          { key: 'Tutor', value: 'Pérez; Ana, Ibáñez; Luis' },
        ],
      },
    });
  });

  it('refuses a totals line under the roster, and nothing else that starts with the word', () => {
    for (const [label, count] of [['Total de alumnos: 60', ''], ['TOTAL', '60'], ['Totales', ' 60 '], ['total: 60', ''], ['Total (60)', '']]) {
      const mapped = mapDemo(row([label!, '', '', '', '', '', '', '', '', count!], 63));
      expect(mapped.issues, label).toEqual([
        {
          row: 63,
          column: 'Nombre completo',
          code: 'totals_row',
          value: label,
          rule: 'looks like a totals line, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)',
        },
      ]);
    }
    // A word that only starts like it, a name without a count, or a customer with a way to reach it, is a customer.
    expect(mapDemo(row(['Totalmente Sano SA de CV 2'])).issues).toEqual([]);
    expect(mapDemo(row(['TOTAL GENERAL'])).issues).toEqual([]);
    expect(mapDemo(row(['Total Play', '', '', '', '', '', '', '', '', 'A-1001'])).issues).toEqual([]);
    expect(mapDemo(row(['Total 2', '', '', '', '55 1234 5678'])).issues).toEqual([]); // a second phone
    expect(mapDemo(row(['Total Play 1', '', 'pagos@totalplay.example'])).issues).toEqual([]);
    expect(mapDemo(row(['Total Play 1', 'totalplay'])).issues).toEqual([]);
    expect(mapDemo(row(['Total Play 1', '', '', '55 1234 5678'])).issues).toEqual([]);
    expect(mapDemo(row(['Ana Total'])).issues).toEqual([]);
  });

  it('refuses the other labels of a totals line: Gran total, Subtotal, Suma, or the label alone', () => {
    for (const [label, count] of [['Gran total', '5000'], ['Subtotal 3° A', ''], ['SUMA', '5000'], ['Suma total:', ''], ['Suma: 45', ''], ['Suma $60,500', ''], ['Total:', ''], ['Totales', ''], ['Subtotal', ''], ['TOTAL GENERAL', '45,300.00'], ['Total general:', '$12,000.00'], ['Total', '-1,250.5'], ['Total adeudo', '$46,500.00'], ['Total a pagar', '46500.00']]) {
      const mapped = mapDemo(row([label!, '', '', '', '', '', '', '', '', count!], 40));
      expect(mapped.issues.map((issue) => issue.code), label).toEqual(['totals_row']);
    }
    // Names that only start like a label, or a label with a way to reach it.
    for (const name of ['Sumaya López', 'Sumano Ruiz', 'Grant Total']) expect(mapDemo(row([name])).issues, name).toEqual([]);
    // A business named Total with its balance: an amount is a totals line's only under a label that says so.
    expect(mapDemo(row(['Total Gas SA de CV', '', '', '', '', '', '', '', '', '$12,500.00'])).issues).toEqual([]);
    // A count beside a legal form, or beside an RFC, is a customer's figure.
    expect(mapDemo(row(['Total Gas SA de CV', '', '', '', '', '', '', '', '', '100'])).issues).toEqual([]);
    expect(mapDemo(row(['Total Home', '', '', '', '', '', '', '', 'Puebla', '100', 'THO900101XY1'])).issues).toEqual([]);
    // Beside a group or a shift (a merged Grupo cell read into every row, the footer too) it is still a count.
    expect(mapDemo(row(['Total alumnos', '', '', '', '', '', '', '', '', '2', '3A'])).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    expect(mapDemo(row(['TOTAL DE ALUMNOS: 2', '', '', '', '', '', '', '', '', '', '3A', 'Matutino'])).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    // Suma is a given name and a surname: after it, any name is a customer, whatever digits the row holds (Grado 3).
    expect(mapDemo(row(['Suma Patel', '', '', '', '', '', '', '', '', 'A-1001', '3'])).issues).toEqual([]);
    expect(mapDemo(row(['Suma', 'suma.ana'])).issues).toEqual([]);
  });

  it('refuses a totals line whose count sits under the username, or under the names with its label in another column', () => {
    for (const [label, count] of [['TOTAL ALUMNOS', '4'], ['Subtotal 5° A', '2']]) {
      expect(mapDemo(row([label!, count!], 12)).issues.map((issue) => issue.code), label).toEqual(['totals_row']);
    }
    expect(mapDemo(row(['TOTAL ALUMNOS', '4'], 12)).issues[0]!.rule).toBe('looks like a totals line, not a customer, its username a count: delete the line (or, if it is a customer, give it an email or phone, or a username other than a short number)');
    // An Excel table's Total Row saved as CSV: the label, a count under the username and a sum further on.
    expect(mapDemo(row(['Total', '4', '', '', '', '', '', '', '', '10400'], 6)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    // "TOTAL" in the ID column, the count under the names.
    const counted = mapDemo(row(['6', '', '', '', '', '', '', '', '', 'TOTAL'], 11));
    expect(counted.issues).toEqual([
      { row: 11, column: 'Nombre completo', code: 'totals_row', value: '6', rule: 'looks like a totals line, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)' },
    ]);
    expect(mapDemo(row(['5', '', '', '', '', '', '', '', '', 'TOTAL DE ALUMNOS'], 12)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    expect(mapDemo(row(['5', '', '', '', '', '', '', '', '', 'Grupo A'], 12)).issues.map((issue) => issue.code)).toEqual(['invalid_value']);
    // A login made of digits is a student number, not a count; a short one too when the row holds more.
    expect(mapDemo(row(['Total Play 1', '20230145'])).issues).toEqual([]);
    expect(mapDemo(row(['Total Ramírez', '1024', '', '', '', '', '', '', '', '1'])).issues).toEqual([]);
  });

  it('refuses a spreadsheet\'s error saved as text (a CSV export), in a field or a metadata column, as a workbook\'s error cell is', () => {
    for (const error of ['#N/A', '#VALUE!', '#¡VALOR!', '#¿NOMBRE?', '#DIV/0!', 'Err:502', '#n/a']) {
      expect(mapDemo(row(['Ana Ruiz', 'ana', '', error], 7)).issues, error).toEqual([
        { row: 7, column: 'Teléfono', code: 'cell_error', value: error, rule: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file" },
      ]);
      expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', error], 7)).issues.map((issue) => [issue.column, issue.code]), error).toEqual([['Grado', 'cell_error']]);
    }
    // In a column joined into the name, too: the name is not sent with it.
    const joined = createRowMapper(resolveMapping(['Nombre(s)', 'Paterno', 'Materno'], undefined, { nameColumns: [0, 1, 2] }), { defaultCountry: 'MX' });
    expect(joined(row(['Ana', 'Ruiz', '#N/A'], 9))).toMatchObject({ draft: { name: 'Ana Ruiz' }, issues: [{ row: 9, column: 'Materno', code: 'cell_error', value: '#N/A' }] });
  });

  it('refuses a formula saved as its text (a CSV saved with its formulas), in a field, a metadata column or a name part, and reads text after = as text', () => {
    const rule = 'is a formula, not its value: the file was saved with its formulas (LibreOffice\'s "Save cell formulas instead of calculated values"): save it again with the calculated values';
    for (const formula of ['=A2&" "&B2', '=CONCATENAR(A2;" ";B2)', '=Hoja1!B2', "='Hoja 1'!$B$2", '=b2*2', '= SUMA(C2:C4)', '=AA10', '=AÑO(B2)', '=DÍAS(C2;B2)']) {
      expect(mapDemo(row([formula, 'ana'], 7)).issues, formula).toEqual([{ row: 7, column: 'Nombre completo', code: 'formula_uncalculated', value: formula, rule }]);
      expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', formula], 7)).issues.map((issue) => [issue.column, issue.code]), formula).toEqual([['Grado', 'formula_uncalculated']]);
    }
    // Text after an equals sign that calls nothing and starts with no cell reference is a value.
    // A word and a parenthesis after a space is a note: no spreadsheet writes a call so.
    for (const text of ['= pagado', '=)', '=A', '=ABCD1', '==', '= pagado (parcial)', '=Beca (50%)']) {
      expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', text], 7)).issues, text).toEqual([]);
    }
    // Excel's text formula keeps its zeros: the text inside, as before.
    expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', '="00123"'], 7)).issues).toEqual([]);
    const joined = createRowMapper(resolveMapping(['Nombre(s)', 'Paterno', 'Materno'], undefined, { nameColumns: [0, 1, 2] }), { defaultCountry: 'MX' });
    expect(joined(row(['Ana', 'Ruiz', '=C5'], 9))).toMatchObject({ draft: { name: 'Ana Ruiz' }, issues: [{ row: 9, column: 'Materno', code: 'formula_uncalculated', value: '=C5' }] });
  });

  it('joins a name split over columns, and does not add the surnames to a first column that already ends with them', () => {
    const map = createRowMapper(resolveMapping(['Nombre(s)', 'Apellido paterno', 'Apellido materno']), { defaultCountry: 'MX' });
    const name = (cells: string[]) => map(row(cells)).draft.name;
    expect(name(['Ana Sofía', 'Ruiz', 'Peña'])).toBe('Ana Sofía Ruiz Peña');
    expect(name(['María', 'López', 'López'])).toBe('María López López');
    expect(name(['Luis', '', 'Pérez'])).toBe('Luis Pérez');
    // The whole name under Nombre(s) as well, either way round and whatever the accents: not `José García López García López`.
    expect(name(['José García López', 'García', 'lópez'])).toBe('José García López');
    expect(name(['Jose Garcia Lopez', 'García', 'López'])).toBe('Jose Garcia Lopez');
    expect(name(['GARCÍA LÓPEZ JOSÉ', 'GARCÍA', 'LÓPEZ'])).toBe('GARCÍA LÓPEZ JOSÉ');
    // Its end the surnames' start: the rest only (`Juan Pérez` beside `Pérez | López`). A given name
    // equal to the paternal surname reads the same way: the rarer case, it loses that word.
    expect(name(['Juan Pérez', 'Pérez', 'López'])).toBe('Juan Pérez López');
    expect(name(['José Martín', 'Martín', 'Ruiz'])).toBe('José Martín Ruiz');
    // All the surnames inside it: the cell as written.
    expect(name(['Luis Pérez López', 'Pérez', ''])).toBe('Luis Pérez López');
    // One surname at the end of the name: the whole name under Nombre(s), as such lists hold it.
    expect(name(['Ana Cruz', 'Cruz', ''])).toBe('Ana Cruz');
    expect(name(['Juan Pérez', '', 'Pérez'])).toBe('Juan Pérez');
  });

  it('refuses a row whose name, or a part of it, is under a merged cell from a row above (a student over the rows of two tutors), not one whose other cells are', () => {
    const map = createRowMapper(resolveMapping(['Grupo', 'Nombre completo', 'Correo del tutor']), { defaultCountry: 'MX' });
    const tutorRow: SourceRow = { row: 8, values: ['', '', 'papa.luna@example.mx'], mergedColumns: [0, 1] };
    expect(map(tutorRow).issues).toEqual([{ row: 8, column: 'Nombre completo', code: 'invalid_value', rule: expect.stringMatching(/^is under a merged cell, whose value belongs to the row above it only/) }]);
    const sibling: SourceRow = { row: 3, values: ['', 'Luis Ruiz Peña', ''], mergedColumns: [0, 2] };
    expect(map(sibling).issues).toEqual([]);
    // Siblings' surnames merged down: the second sibling's name would be cut to the given names.
    const parts = createRowMapper(resolveMapping(['Nombre(s)', 'Apellido paterno', 'Apellido materno', 'Correo']), { defaultCountry: 'MX' });
    expect(parts({ row: 3, values: ['Luis', '', '', 'luis@example.mx'], mergedColumns: [1, 2] }).issues).toEqual([
      { row: 3, column: 'Apellido paterno', code: 'invalid_value', rule: expect.stringMatching(/^is under a merged cell/) },
    ]);
  });

  it('reads a local phone with the area code of a Lada column beside it, and any other phone as written', () => {
    const mapping = resolveMapping(['Nombre completo', 'Lada', 'Teléfono', 'Celular']);
    expect(mapping.areaCode).toBe(1);
    const map = createRowMapper(mapping, { defaultCountry: 'MX' });
    const phone = (lada: string, local: string) => map(row(['Ana Ruiz', lada, local, ''])).draft.phoneNumber;
    expect(phone('55', '1234 5678')).toBe('+525512345678');
    expect(phone('(222)', '234-5678')).toBe('+522222345678');
    expect(phone('01 33', '3615 2040')).toBe('+523336152040'); // the old long-distance 01
    expect(phone('55', '55 8765 4321')).toBe('+525587654321'); // ten digits already
    expect(phone('52', '1234 5678')).toBeUndefined(); // the country code, no area's: still refused
    expect(map(row(['Ana Ruiz', '', '1234 5678', ''])).issues).toEqual([expect.objectContaining({ column: 'Teléfono', code: 'invalid_phone' })]);
    // The area code stays metadata too; without a phone column there is nothing to complete.
    expect(map(row(['Ana Ruiz', '55', '1234 5678', ''])).draft.metadata).toEqual([{ key: 'Lada', value: '55' }]);
    expect(resolveMapping(['Nombre completo', 'Lada']).areaCode).toBeUndefined();
  });

  it('gives no surnames a name where the given names are empty: a group heading, a note or a count in a surname column is no customer', () => {
    const mapping = resolveMapping(['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)', 'TELÉFONO']);
    const map = createRowMapper(mapping, { defaultCountry: 'MX' });
    expect(map(row(['GRUPO: 3° A', '', '', ''])).draft.name).toBeUndefined();
    expect(map(row(['NOTA: LOS ALUMNOS CON ASTERISCO SON DE NUEVO INGRESO', '', '', ''])).draft.name).toBeUndefined();
    expect(map(row(['GARCÍA', 'LÓPEZ', '', '55 1234 5678'])).draft.name).toBeUndefined();
    // Such a line alone in its surname column is said to be what it holds, as under any other column;
    // a student whose given names are missing gets the plain 'required'.
    expect(map(row(['Total: 35 alumnos', '', '', ''], 41)).issues).toEqual([
      { row: 41, column: 'NOMBRE(S)', code: 'required', rule: 'is empty: every customer needs a name (the line holds only "Total: 35 alumnos", under "PRIMER APELLIDO": a heading or a note? delete the line)' },
    ]);
    expect(map(row(['', 'Elaboró: Secretaría', '', ''], 42)).issues).toEqual([expect.objectContaining({ rule: expect.stringContaining('"Elaboró: Secretaría", under "SEGUNDO APELLIDO"') })]);
    expect(map(row(['GARCÍA', 'LÓPEZ', '', '55 1234 5678'], 43)).issues).toEqual([{ row: 43, column: 'NOMBRE(S)', code: 'required', rule: 'is empty: every customer needs a name' }]);
    // A count under the given names is judged alone, as a totals line.
    expect(map(row(['TOTAL', '', '35', ''], 40)).issues).toEqual([expect.objectContaining({ row: 40, code: 'totals_row' })]);
    // A SEP list's total split over the surname columns is said to be one, not only a student without a name.
    expect(map(row(['TOTAL', '2', '', ''], 44)).issues).toEqual([
      { row: 44, column: 'NOMBRE(S)', code: 'totals_row', rule: 'is empty, and the line holds only "TOTAL" under "PRIMER APELLIDO" and "2" under "SEGUNDO APELLIDO": a totals line, not a customer: delete the line' },
    ]);
    expect(map(row(['Total de alumnos:', '35', '', ''], 45)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    expect(map(row(['HOMBRES', '12', '', ''], 46)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    // So is one under any columns of a list whose name's cell is empty; a surname and a number are a student's.
    const list = createRowMapper(resolveMapping(['No.', 'Nombre completo', 'Correo', 'Grupo']), { defaultCountry: 'MX' });
    expect(list(row(['TOTAL', '', '', '2'], 47)).issues).toEqual([
      { row: 47, column: 'Nombre completo', code: 'totals_row', rule: 'is empty, and the line holds only "TOTAL" under "No." and "2" under "Grupo": a totals line, not a customer: delete the line' },
    ]);
    expect(map(row(['García', '', '', '55 1234 5678'], 48)).issues.map((issue) => issue.code)).toEqual(['required']);
    expect(list(row(['3', '', '', '2'], 49)).issues).toEqual([]);
    // A student's own value right of the name, beside a figure, is no totals label: the name was left out by a slip, not a line to delete.
    const english = createRowMapper(resolveMapping(['Student Name', 'Gender', 'Grade', 'Email']), { defaultCountry: 'MX' });
    expect(english(row(['', 'Female', '3', ''], 50)).issues).toEqual([]);
    const becas = createRowMapper(resolveMapping(['Nombre', 'Sexo', 'Beca', 'Porcentaje', 'Celular']), { defaultCountry: 'MX' });
    expect(becas(row(['', '', 'Total', '100', '5512345671'], 51)).issues).toEqual([]);
    // A mapping file's own join takes the parts it is given.
    const joined = createRowMapper(resolveMapping(['Apellidos', 'Nombre'], mappingFileSchema.parse({ columns: { Apellidos: 'name', Nombre: 'name' } })), { defaultCountry: 'MX' });
    expect(joined(row(['Ruiz', ''])).draft.name).toBe('Ruiz');
    // Text that only starts like one is a value.
    expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', '#1 del grupo'])).issues).toEqual([]);
    expect(mapDemo(row(['Ana Ruiz', 'ana', '', '', '', '', '', '', '', '', 'Err: falta pago'])).issues).toEqual([]);
  });

  it('refuses a yes/no value where the name should be: a yes/no column taken for the names', () => {
    const map = createRowMapper(resolveMapping(['Estudiante', 'Teléfono']), { defaultCountry: 'MX' });
    for (const value of ['Sí', 'no', 'YES', 'false']) {
      expect(map(row([value, '55 1234 5678'], 4)).issues, value).toEqual([
        { row: 4, column: 'Estudiante', code: 'invalid_value', value, rule: "is a yes/no value, not a name: check that this column holds the customers' names (map the right one with --mapping)" },
      ]);
    }
    expect(map(row(['Noé Ruiz', '55 1234 5678'])).issues).toEqual([]);
    expect(map(row(['Simón', '55 1234 5678'])).issues).toEqual([]);
  });

  it("refuses a date where the name should be, as a workbook's date cell reads, whatever else the row holds", () => {
    const map = createRowMapper(resolveMapping(['Nombre', 'Usuario', 'Teléfono']), { defaultCountry: 'MX' });
    expect(map(row(['2025-01-15T00:00:00.000Z', 'a-001', '55 1234 5678'], 4)).issues).toEqual([
      { row: 4, column: 'Nombre', code: 'invalid_value', value: '2025-01-15T00:00:00.000Z', rule: "is a date, not a name: check that this column holds the customers' names (map the right one with --mapping)" },
    ]);
    // A name that only holds digits and dashes somewhere is a name.
    expect(map(row(['Ana Ruiz 2025-01-15', 'a-002'])).issues).toEqual([]);
  });

  it('fills the phone from a second phone column where the first is empty, keeping it as metadata; a value it refuses fills nothing', () => {
    const mapping = resolveMapping(['Nombre', 'Teléfono', 'Celular', 'Email']);
    expect(mapping.columns[2]!.target).toEqual({ kind: 'metadata', key: 'Celular', fills: 'phoneNumber' });
    expect(mapping.warnings).toContain('"Celular" also names phoneNumber, already filled from "Teléfono": it fills phoneNumber in the rows where "Teléfono" is empty, and is kept as metadata');
    const map = createRowMapper(mapping, { defaultCountry: 'MX' });
    expect(map(row(['Laura Gómez', '', '55 8765 4321', ''])).draft).toEqual({ name: 'Laura Gómez', phoneNumber: '+525587654321', metadata: [{ key: 'Celular', value: '55 8765 4321' }] });
    expect(map(row(['Beto Ruiz', '33 1234 5678', '55 8765 4321', ''])).draft.phoneNumber).toBe('+523312345678');
    expect(map(row(['Carla Soto', '', 'no tiene', '']))).toMatchObject({ draft: { name: 'Carla Soto', metadata: [{ key: 'Celular', value: 'no tiene' }] }, issues: [] });
    expect(map(row(['Carla Soto', '', 'no tiene', ''])).draft.phoneNumber).toBeUndefined();
    // The same for a second email column; never with a mapping file that keeps unmapped columns out.
    const emails = createRowMapper(resolveMapping(['Nombre', 'Correo', 'E-mail']), { defaultCountry: 'MX' });
    expect(emails(row(['Ana Ruiz', '', 'ana@x.mx'])).draft.email).toBe('ana@x.mx');
    // A placeholder in the first column only says it holds none: the second fills the field, and the row is not refused.
    expect(map(row(['Ana Ruiz', 'N/A', '55 8765 4321', '']))).toMatchObject({ draft: { phoneNumber: '+525587654321' }, issues: [] });
    expect(emails(row(['Luis Peña', 'sin correo', 'luis@x.mx']))).toMatchObject({ draft: { email: 'luis@x.mx' }, issues: [] });
    expect(map(row(['Juan Soto', '-', '-', ''], 5)).issues.map((issue) => [issue.column, issue.code])).toEqual([['Teléfono', 'invalid_phone']]);
    expect(map(row(['Eva Luna', 'N/A', '123', ''], 6)).issues.map((issue) => [issue.column, issue.code])).toEqual([['Teléfono', 'invalid_phone']]);
    expect(resolveMapping(['Nombre', 'Teléfono', 'Celular'], { columns: {}, unmapped: 'ignore' }).columns[2]!.target).toEqual({ kind: 'ignore', reason: 'not mapped' });
  });

  it('refuses the signatures under a roster, each alone on its line, and the names under them; a roster row ends them', () => {
    const map = createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' });
    const codes = (values: string[], number: number) => map(row(values, number)).issues.map((issue) => issue.code);
    expect(codes(['Ana Ruiz', 'ana.ruiz'], 2)).toEqual([]);
    for (const [number, line] of [[4, 'ATENTAMENTE'], [5, 'PROFRA. MARÍA GUADALUPE LÓPEZ'], [6, 'Directora General'], [8, 'Elaboró: Secretaría Escolar'], [9, 'Fecha de impresión: 15/08/2024'], [10, 'Vo. Bo.']] as const) {
      expect(codes([line], number), line).toEqual(['signature_row']);
    }
    // A school system's footer (each was a customer): who made the list and when, as the English `Prepared by`, `Printed on`.
    for (const line of ['Impreso el 15/08/2024', 'Generado el 15/08/2024', 'Reporte generado el 15/08/2024 10:32', 'Generado por SAE el 15/08/2024 10:32', 'Elaborado por: Control Escolar', 'Revisado por Mtra. Ana Ruiz', 'Fecha de corte: 15/08/2024']) {
      const fresh = createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' });
      expect(fresh(row([line], 30)).issues.map((issue) => issue.code), line).toEqual(['signature_row']);
    }
    // A label in the name's column and its value in the next cell, as a footer is typed in a grid;
    // and who taught the group. Each was a customer named `Elaboró:`, `Fecha:`, `Maestra:`.
    const footer = createRowMapper(resolveMapping(['Nombre completo', 'Grado', 'Matrícula', 'Correo']), { defaultCountry: 'MX' });
    for (const line of [['Elaboró:', 'Prof. Ramírez'], ['Vo. Bo.:', 'Lic. Pérez'], ['Atte.:'], ['Fecha:', '15/08/2024'], ['Impreso el:', '15/08/2024'], ['Directora:', 'Mtra. Laura Méndez'], ['Maestra:', 'Laura Méndez'], ['Firma:', '______'], ['Maestra titular: Laura Méndez'], ['Profesora: Ana Ruiz'], ['Docente:']]) {
      expect(footer(row(line, 30)).issues.map((issue) => issue.code), line.join('|')).toEqual(['signature_row']);
    }
    // The value in the username's column (`Nombre | Usuario | …`): the label's value, no login. Each was a customer named `Elaboró:`.
    for (const line of [['Elaboró:', 'Prof. Ramírez'], ['Revisó:', 'Lic. Pérez'], ['Fecha de impresión:', '15/08/2024'], ['Maestra:', 'Laura Méndez']]) {
      const fresh = createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' });
      expect(fresh(row(line, 30)).issues, line.join('|')).toEqual([
        { row: 30, column: 'Nombre completo', code: 'signature_row', value: line[0], rule: 'looks like a signature or a note under the roster, its value under the username, not a customer: delete the line (or, if it is a customer, give it an email or phone, and its own username)' },
      ]);
    }
    expect(createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' })(row(['GRUPO:', '2° A'], 30)).issues.map((issue) => issue.code)).toEqual(['heading_row']);
    // A login beside a name ending in a colon by a slip, or beside anything more, is a customer's.
    for (const line of [['Ana Ruiz:', 'ana.ruiz'], ['Elaboró:', 'prof.ramirez', '', '', '', '', '', '', '', '', '3A']]) {
      expect(createRowMapper(resolveMapping(HEADERS), { defaultCountry: 'MX' })(row(line, 30)).issues, line.join('|')).toEqual([]);
    }
    // A legend's lines, a heading of two labels and the signature lines of a Mexican list, each alone under the roster: each was a customer.
    for (const line of ['Clave: BE = Becado', 'BE = Becado', 'B = Beca, R = Reinscrito', '* = de nuevo ingreso', 'Claves: BE Becado, RE Reinscrito', 'Grupo: 1A   Maestra: Laura Méndez', 'Turno: Matutino   Ciclo: 2025-2026', 'Nombre y firma del director', 'Nombre, firma y sello', 'Firma y sello de la dirección']) {
      const fresh = createRowMapper(resolveMapping(['Nombre completo', 'Grado', 'Matrícula', 'Correo']), { defaultCountry: 'MX' });
      expect(fresh(row([line], 30)).issues.map((issue) => issue.code), line).toEqual(['signature_row']);
    }
    for (const line of [['Sra. Ana: Ruiz'], ['Nombre Firma SA de CV'], ['Clavería López Ana'], ['BE = Becado', '3A']]) {
      const fresh = createRowMapper(resolveMapping(['Nombre completo', 'Grado', 'Matrícula', 'Correo']), { defaultCountry: 'MX' });
      expect(fresh(row(line, 30)).issues, line.join('|')).toEqual([]);
    }
    // The teacher's line may head a group's students, as a note does: the names under it are customers.
    const group = createRowMapper(resolveMapping(['Nombre completo', 'Grado', 'Matrícula', 'Correo']), { defaultCountry: 'MX' });
    expect(group(row(['Maestra: Laura Méndez'], 40)).issues.map((issue) => issue.code)).toEqual(['signature_row']);
    expect(group(row(['Ana Ruiz'], 41)).issues).toEqual([]);
    // Without the colon, or with a way to reach someone, or a name ending in one by a slip: customers.
    for (const line of [['Vo. Bo.', 'Director'], ['Ana Ruiz:', '3A', '24001'], ['Fecha Soto', '3A'], ['Docente Ruiz'], ['Profesora Laura Méndez', '3A'], ['Maestra:', '', '', 'maestra@colegio.example']]) {
      const fresh = createRowMapper(resolveMapping(['Nombre completo', 'Grado', 'Matrícula', 'Correo']), { defaultCountry: 'MX' });
      expect(fresh(row(line, 30)).issues.map((issue) => issue.code), line.join('|')).toEqual([]);
    }
    expect(map(row(['Vo. Bo.'], 11)).issues).toEqual([
      { row: 11, column: 'Nombre completo', code: 'signature_row', value: 'Vo. Bo.', rule: 'looks like a signature or a note under the roster, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)' },
    ]);
    // A second list under the signatures: its rows are customers again, and so is a name alone after them.
    expect(codes(['Luis Soto', 'luis.soto'], 12)).toEqual([]);
    expect(codes(['Ximena Díaz'], 13)).toEqual([]);
    // A signature's word with a way to reach the customer, or in a business's name, is a customer.
    expect(codes(['Directora', '', 'directora@colegio.example'], 14)).toEqual([]);
    for (const name of ['Sello Rojo SA', 'Sello de Oro SA de CV', 'Sellos del Norte SA', 'Firma de Abogados Ruiz', 'Atenea López', 'Prof. Juan Pérez', 'Mtra. Ana Ruiz', 'Papelería Soto', 'Juan Soto', 'Impresos del Norte', 'Fin de Semana Tours']) {
      expect(codes([name], 15), name).toEqual([]);
    }
    // Only the few lines under a signature are its own: a list of names alone after them is customers.
    expect(codes(['Sello de la escuela'], 20)).toEqual(['signature_row']);
    expect([21, 22, 23, 24, 25].map((number) => codes([`Cliente ${number}`], number))).toEqual([['signature_row'], ['signature_row'], ['signature_row'], [], []]);
    // A file of names alone: every line holds one cell, none is a signature by that.
    const names = createRowMapper(resolveMapping(['Nombre']), { defaultCountry: 'MX' });
    expect(names(row(['Directora'], 2)).issues).toEqual([]);
  });

  it('refuses another table under the roster: lines that reach no one below a blank line, under customers who all do', () => {
    const mapping = resolveMapping(['Nombre', 'Apellidos', 'Correo', 'Teléfono', 'Grupo']);
    const lines = (rows: [number, string[]][]) => {
      const map = createRowMapper(mapping, { defaultCountry: 'MX' });
      return rows.map(([number, values]) => map(row(values, number)).issues.map((issue) => issue.code));
    };
    const roster: [number, string[]][] = [
      [3, ['José María', 'Gómez Núñez', 'jm.gomez@me.com', '+52 (55) 1234 5678', '2B']],
      [4, ['Sofía', 'Ramírez', 'sofia.r@icloud.com', '', '2B']],
      [5, ['Iñaki', 'Martínez Peña', '', '442 123 4567', '2B']],
    ];
    const summary: [number, string[]][] = [[7, ['Resumen por grupo']], [8, ['Grupo', 'Alumnos']], [9, ['2B', '3']]];
    expect(lines([...roster, ...summary])).toEqual([[], [], [], ['invalid_value'], ['invalid_value'], ['invalid_value']]);
    const map = createRowMapper(mapping, { defaultCountry: 'MX' });
    for (const [number, values] of roster) map(row(values, number));
    expect(map(row(['Pagos'], 8)).issues).toEqual([
      { row: 8, column: 'Nombre', code: 'invalid_value', value: 'Pagos', rule: 'reaches no one (no email, phone or username) and sits below a blank line, under customers who all do: another table under the roster? Delete it (or, if it is a customer, give it an email, phone or username)' },
    ]);
    // A line that reaches someone ends it: the next group of the roster, after its own blank line.
    expect(map(row(['Luis', 'Soto', 'luis@x.mx', '', '2C'], 10)).issues).toEqual([]);
    expect(map(row(['Eva', 'Luna', '', '', '2C'], 11)).issues).toEqual([]);
    // Not without the blank line, nor where a customer above reaches no one, nor under a single customer.
    expect(lines([...roster, [6, ['Ana', 'Ruiz', '', '', '2B']]])).toEqual([[], [], [], []]);
    expect(lines([[2, ['Ana', 'Ruiz', '', '', '2B']], ...roster, ...summary])).toEqual([[], [], [], [], [], [], []]);
    expect(lines([roster[0]!, ...summary])).toEqual([[], [], [], []]);
    // A file of names and contacts alone: a student with a name alone is no title to tell apart.
    const contactsOnly = createRowMapper(resolveMapping(['Nombre completo', 'Celular']), { defaultCountry: 'MX' });
    for (const [number, values] of [[2, ['Pedro Soto', '55 1234 5678']], [3, ['Ana Ruiz', '55 8765 4321']], [5, ['María López']]] as const) {
      expect(contactsOnly(row([...values], number)).issues, values[0]).toEqual([]);
    }
    // A company's name, and the signature lines under a roster keep their own word.
    expect(lines([...roster, [7, ['Papelería Soto SA de CV']]])).toEqual([[], [], [], []]);
    expect(lines([...roster, [7, ['ATENTAMENTE']]])).toEqual([[], [], [], ['signature_row']]);
  });

  it("keeps the roster's next group below a blank line as customers, where its first line holds more than a name", () => {
    const lines = (headers: string[], rows: [number, string[]][]) => {
      const map = createRowMapper(resolveMapping(headers), { defaultCountry: 'MX' });
      return rows.map(([number, values]) => map(row(values, number)).issues.map((issue) => issue.code));
    };
    // Groups separated by a blank line, the second without emails: its group beside each name.
    expect(
      lines(['Nombre', 'Correo', 'Grupo'], [
        [2, ['Ana López Pérez', 'ana.lopez@gmail.com', '1A']],
        [3, ['Luis García Ruiz', 'luis.garcia@hotmail.com', '1A']],
        [5, ['Pedro Hernández Díaz', '', '2B']],
        [6, ['María Torres Vega', '', '2B']],
      ]),
    ).toEqual([[], [], [], []]);
    // A template's numbered line skipped as empty, then students without an email, still numbered.
    expect(
      lines(['No.', 'Nombre', 'Correo'], [
        [2, ['1', 'Ana López Pérez', 'ana.lopez@gmail.com']],
        [3, ['2', 'Luis García Ruiz', 'luis.garcia@hotmail.com']],
        [5, ['4', 'Pedro Hernández Díaz', '']],
      ]),
    ).toEqual([[], [], []]);
    // A typo in the first phone of the next group: that cell refused, the group's other students kept.
    expect(
      lines(['Nombre', 'Celular', 'Grupo'], [
        [2, ['Ana López Pérez', '5512345678', '1A']],
        [3, ['Luis García Ruiz', '5523456789', '1A']],
        [5, ['Pedro Hernández Díaz', '55 1234 567', '2B']],
        [6, ['María Torres Vega', '', '2B']],
      ]),
    ).toEqual([[], [], ['invalid_phone'], []]);
    // A business's clients below a blank line, with their RFC and no email.
    expect(
      lines(['Razón social', 'RFC', 'Correo'], [
        [2, ['Comercializadora Azteca', 'CAZ010101AB1', 'pagos@azteca.mx']],
        [3, ['Ferretería López', 'FLO020202CD2', 'ventas@flopez.mx']],
        [5, ['Abarrotes Doña Mary', 'AMA030303EF3', '']],
      ]),
    ).toEqual([[], [], []]);
  });

  it('reads the lines of its own errors file imported again without the error column\'s message: a heading, a signature or the header again is still refused as such', () => {
    for (const error of ['error', 'Motivo del error']) {
      const map = createRowMapper(resolveMapping(['No.', 'Nombre del alumno', 'Correo', 'Grupo', error]), { defaultCountry: 'MX' });
      const codes = (values: string[]) => map(row(values, 2)).issues.map((issue) => issue.code);
      expect(codes(['', 'GRUPO: 1° A', '', '', 'row 5, "Nombre del alumno": "GRUPO: 1° A" looks like a group\'s or a grade\'s heading, not a customer: delete the line'])).toEqual(['heading_row']);
      expect(codes(['', 'ATENTAMENTE', '', '', 'row 14, "Nombre del alumno": "ATENTAMENTE" looks like a signature or a note under the roster, not a customer: delete the line'])).toEqual(['signature_row']);
      expect(codes(['No.', 'Nombre del alumno', 'Correo', 'Grupo', 'row 9, "No. | Nombre del alumno | Correo | Grupo" repeats the header row (two lists joined into one file?): delete the line'])).toEqual(['header_row']);
      expect(codes(['', 'TOTAL: 5 ALUMNOS', '', '', 'row 20, "Nombre del alumno": "TOTAL: 5 ALUMNOS" looks like a totals line'])).toEqual(['totals_row']);
      expect(map(row(['3', 'Ana Ruiz', 'ana@gmail.com', '1° A', 'row 7, "Correo": "ana@gmail" is not a valid email'])).issues).toEqual([]);
    }
  });

  it('refuses the notes, group headings, counts and placeholders a school\'s list holds, each reaching no one', () => {
    const map = createRowMapper(resolveMapping(['No.', 'Nombre del alumno', 'Usuario', 'Correo', 'Celular', 'Beca']), { defaultCountry: 'MX' });
    const codes = (values: string[]) => map(row(values, 9)).issues.map((issue) => issue.code);
    for (const note of ['Nota: los alumnos con beca deben entregar su constancia.', 'NOTA IMPORTANTE', 'Observaciones: faltan 2 alumnos', '* Alumnos de nuevo ingreso', 'Página 1 de 1', 'Alumnos dados de baja', 'Lista actualizada al 15 de agosto', 'Recuerde: la colegiatura vence el día 10', 'Bajas', 'Fin del reporte', '*** FIN DEL REPORTE ***', 'Fin de la lista']) {
      expect(codes(['', note]), note).toEqual(['signature_row']);
    }
    // A note's or a group's label with its text in the next cell.
    expect(codes(['', 'Nota:', '', '', '', 'Favor de revisar los correos'])).toEqual(['signature_row']);
    expect(codes(['', 'GRUPO:', '', '', '', '2° A'])).toEqual(['heading_row']);
    for (const heading of ['PRIMERO A', 'Grupo 3B', 'GRUPO: 2° A', '3° B', 'SEGUNDO GRADO', 'Segundo grado de primaria "A"', 'Primaria', 'Turno matutino', 'Ciclo escolar 2024-2025']) {
      expect(codes(['', heading]), heading).toEqual(['heading_row']);
    }
    expect(map(row(['', '3° B'], 9)).issues[0]!.rule).toBe("looks like a group's or a grade's heading, not a customer: delete the line (the group can go in a column of its own, imported as metadata)");
    // A school system's footer of counts, a count maybe under the username or beside the label.
    for (const counts of [['', 'Alumnos inscritos', '3'], ['', 'Hombres', '1'], ['', 'Alumnos con beca:', '2'], ['', 'Promedio de beca', '', '', '', '25%'], ['HOMBRES: 2', 'MUJERES: 2', 'TOTAL: 4'], ['', 'Promedio', '', '', '', '85%'], ['', 'Promedio', '', '', '', '8.5'], ['', 'Promedio: 9.1']]) {
      expect(codes(counts), counts.join('|')).toEqual(['totals_row']);
    }
    for (const placeholder of ['Pendiente', 'Sin datos', 'Ninguno', 'Vacante', 'N/A']) {
      expect(map(row(['', placeholder], 9)).issues, placeholder).toEqual([
        { row: 9, column: 'Nombre del alumno', code: 'invalid_value', value: placeholder, rule: "is not a name but a placeholder: write the customer's name, or delete the line" },
      ]);
    }
    // Customers: with a way to reach them, a username, or more on the line; and names that only start like a heading or a note.
    expect(codes(['', 'Grupo 3B', '', 'grupo3b@colegio.example'])).toEqual([]);
    expect(codes(['', 'Hombres', 'hombres.club'])).toEqual([]);
    expect(codes(['1', 'PRIMERO A', '', '', '', 'Beca 50%'])).toEqual([]);
    for (const name of ['Grupo Bimbo', 'Segundo Pérez', 'Notario Pérez', 'Páginas Amarillas', 'Sección Amarilla', 'Salón de fiestas Luna', 'Alumnos', 'Hombres',
      'Atención Médica Integral SC', 'Aviso Oportuno SA de CV', 'Nota Bene Restaurante', 'Importante Distribuidora SA', 'Leyenda Bar', 'Actualización Fiscal SC',
      'Recuerda Eventos', '*Juan Pérez López', '** María López Ruiz', 'Na', 'Primaria Benito Juárez']) {
      expect(codes(['', name]), name).toEqual([]);
    }
    // A list's number beside them does not make them a customer; counts in one cell are counts.
    const numberedList = createRowMapper(resolveMapping(['No.', 'Nombre', 'Correo']), { defaultCountry: 'MX' });
    expect(numberedList(row(['3', 'Pendiente'], 4)).issues.map((issue) => issue.code)).toEqual(['invalid_value']);
    expect(numberedList(row(['', 'HOMBRES: 2, MUJERES: 2, TOTAL: 4'], 9)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    expect(numberedList(row(['4', 'Ana Ruiz'], 5)).issues).toEqual([]);
    // A business with a small number for its login and a fee: a customer, whatever its first word.
    for (const name of ['Estudiantes Unidos AC', 'Promedio Consultores', 'Alumnos Destacados SC', 'Porcentaje Exacto SA']) {
      expect(codes(['', name, '12', '', '', '500']), name).toEqual([]);
    }
  });

  it('refuses an English totals line (Grand Total, Sub-total, Sum, Count, Total due with its balance), and nothing else that starts with the words', () => {
    const map = createRowMapper(resolveMapping(['Name', 'Username', 'Email', 'Phone', 'Grade', 'Balance']), { defaultCountry: 'MX' });
    const codes = (values: string[]) => map(row(values, 30)).issues.map((issue) => issue.code);
    for (const line of [['Grand Total', '', '', '', '2'], ['GRAND TOTAL:', ''], ['Sub-total', '', '', '', '', '$500.00'], ['Sub total 3B', ''], ['Sum: 45', ''], ['Total due', '', '', '', '', '$1,250.00'], ['Total balance', '', '', '', '', '1250.00'], ['Grand Total', '2']]) {
      expect(codes(line), line.join('|')).toEqual(['totals_row']);
    }
    expect(map(row(['Grand Total', '', '', '', '2'], 30)).issues).toEqual([
      { row: 30, column: 'Name', code: 'totals_row', value: 'Grand Total', rule: 'looks like a totals line, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)' },
    ]);
    // First Name | Last Name join the label and its count into one name.
    const crm = createRowMapper(resolveMapping(['First Name', 'Last Name', 'Email']), { defaultCountry: 'MX' });
    expect(crm(row(['Grand Total', '2', ''], 8)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    expect(crm(row(['Count', '2', ''], 9)).issues.map((issue) => issue.code)).toEqual(['totals_row']);
    // Names that start like a label, a company with its legal form, or a label with a way to reach it: customers.
    for (const name of ['Grant Thornton', 'Grant Total', 'Grand Hotel', 'Grand Canyon Tours', 'Sum Yi Lee', 'Total Play Inc.', 'Total Wine LLC', 'Grand Total Ltd.', 'Total Gas SA de CV', 'Count Basie']) {
      expect(codes([name, '', '', '', '2']), name).toEqual([]);
    }
    expect(codes(['Total Play Inc.', '', '', '', '', '$1,250.00'])).toEqual([]);
    expect(codes(['Grand Total', '', 'grandtotal@example.mx', '', '2'])).toEqual([]);
    expect(codes(['Grand Total', '', '', '55 1234 5678', '2'])).toEqual([]);
    expect(codes(['Grand Total', 'grand.total', '', '', '2'])).toEqual([]);
  });

  it('refuses the signatures under an English list, each alone on its line, and the names under them', () => {
    const map = createRowMapper(resolveMapping(['Name', 'Username', 'Email', 'Phone', 'Grade']), { defaultCountry: 'MX' });
    const codes = (values: string[], number: number) => map(row(values, number)).issues.map((issue) => issue.code);
    for (const [number, line] of [[20, 'Sincerely,'], [21, 'Laura Méndez'], [22, 'Principal'], [24, 'Prepared by: Laura Méndez'], [25, 'Reviewed by Ana Ruiz'], [26, 'Printed on 15/08/2024'], [27, "Principal's signature"], [28, 'Principal’s signature: ________'], [29, 'Signature of the principal'], [30, 'School stamp'], [31, 'Date printed: 15/08/2024'], [32, 'Kind regards']] as const) {
      expect(codes([line], number), line).toEqual(['signature_row']);
    }
    expect(map(row(['Prepared by: Laura Méndez'], 40)).issues).toEqual([
      { row: 40, column: 'Name', code: 'signature_row', value: 'Prepared by: Laura Méndez', rule: 'looks like a signature or a note under the roster, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)' },
    ]);
    // A roster row ends them; a signature's word in a business's or a person's name is a customer (each on a mapper of its own: no signature above).
    expect(codes(['Ana Ruiz', 'ana.ruiz'], 41)).toEqual([]);
    for (const name of ['Principal Financial Group', 'Principal Financial Group Inc.', 'Signature Homes LLC', 'Signature Salon', 'Printed on Demand LLC', 'Approved Auto Sales', 'Kind Regards Bakery', 'Sincere López', 'Seal', 'Stamp', 'Dean Martin', 'Prepared Foods Co.']) {
      const fresh = createRowMapper(resolveMapping(['Name', 'Username', 'Email', 'Phone', 'Grade']), { defaultCountry: 'MX' });
      expect(fresh(row([name], 5)).issues, name).toEqual([]);
    }
    expect(codes(['Principal', '', 'principal@school.example'], 42)).toEqual([]);
  });

  it('refuses the notes, group headings, counts and placeholders of an English list, each reaching no one', () => {
    const map = createRowMapper(resolveMapping(['#', 'Student Name', 'Username', 'Email', 'Mobile', 'Fee']), { defaultCountry: 'MX' });
    const codes = (values: string[]) => map(row(values, 9)).issues.map((issue) => issue.code);
    for (const note of ['Note: bring ID', 'NOTE', 'Important note', 'Please note: fees are due on the 10th', 'Remarks: 2 students missing', 'Page 1 of 1', 'Page 2', 'Withdrawn students', '* New students', 'Students on scholarship:', 'Last updated: 15/08/2024', 'List updated on 15/08/2024', 'As of 15/08/2024', 'Withdrawals']) {
      expect(codes(['', note]), note).toEqual(['signature_row']);
    }
    for (const heading of ['Grade 3B', 'GRADE: 2 A', '3rd grade', '3rd Grade "B"', 'First Grade A', 'Class 5C', 'Year 7', 'Room 12', 'Kindergarten', 'Elementary', 'High School', 'Morning shift', 'School year 2024-2025', 'Class of 2025']) {
      expect(codes(['', heading]), heading).toEqual(['heading_row']);
    }
    for (const counts of [['', 'Count', '2'], ['', 'Boys', '', '', '', '12'], ['', 'Girls: 14'], ['', 'Number of students', '26'], ['', 'Enrolled students:', '26'], ['', 'Class average', '', '', '', '87.5'], ['BOYS: 2', 'GIRLS: 2', 'TOTAL: 4']]) {
      expect(codes(counts), counts.join('|')).toEqual(['totals_row']);
    }
    for (const placeholder of ['TBD', 'Unknown', 'Vacant', 'To be assigned']) expect(codes(['', placeholder]), placeholder).toEqual(['invalid_value']);
    // A list number beside them does not make them a customer.
    expect(codes(['3', 'Note: bring ID'])).toEqual(['signature_row']);
    // Customers: with a way to reach them, a username, or more on the line; names that only start like a note, a page or a heading.
    expect(codes(['', 'Note: bring ID', '', 'parent@example.mx'])).toEqual([]);
    expect(codes(['', 'Grade 3B', 'grade3b'])).toEqual([]);
    expect(codes(['1', 'Grade 3B', '', '', '', '500'])).toEqual([]);
    for (const name of ['Page Smith', 'Page Kennedy', 'Page 3 Media LLC', 'Mark Note', 'Notes Café', 'Noted Realty', 'Grade A Dental', 'Class Act Ltd', 'Section 8 Housing Co.', 'Group Ruiz', 'Year', 'Page', 'High', 'Kinder Morgan Inc.',
      'Morning Shift Café', 'Elementary Tools', 'Withdrawn Ruiz', 'Attention Deficit Clinic SC', 'Important Distributors Inc.', 'Unknown Mortal Orchestra', 'Count Basie', 'Average Joe\'s Gym', 'Boys & Girls Club', 'Students', 'Boys']) {
      expect(codes(['', name]), name).toEqual([]);
    }
    // A business with a small number for its login and a fee: a customer, whatever its first word.
    for (const name of ['Average Consulting', 'Students First Inc.', 'Count Ruiz']) expect(codes(['', name, '12', '', '', '500']), name).toEqual([]);
  });

  it('refuses a grade book\'s Points Possible and Class Average lines (Google Classroom), one name cell filled and figures under the assignments', () => {
    const map = createRowMapper(resolveMapping(['Last Name', 'First Name', 'Email Address', 'Essay 1', 'Quiz 2', 'Lab report']), { defaultCountry: 'MX' });
    const codes = (values: string[]) => map(row(values, 2)).issues.map((issue) => issue.code);
    for (const line of [['Points Possible', '', '', '100', '20', '50'], ['', 'Points Possible', '', '100', '20', '50'], ['Class Average', '', '', '87.5', '16.5', '42.5'], ['', 'Class Average', '', '85.3333', '16.25', '']]) {
      expect(codes(line), line.join('|')).toEqual(['totals_row']);
    }
    expect(codes(['Ruiz', 'Ana', 'ana.ruiz@school.example', '95', '18', '45'])).toEqual([]);
    // A student without an email is still a student; so is a name that only starts like the label.
    expect(codes(['Average', 'Joe', '', '95', '18', '45'])).toEqual([]);
    expect(codes(['Points', 'Ana', '', '95', '18', '45'])).toEqual([]);
    // As in Spanish, where the group's average under Apellidos, with Nombre empty, names no one.
    const spanish = createRowMapper(resolveMapping(['Nombre', 'Apellidos', 'Correo', 'Tarea 1']), { defaultCountry: 'MX' });
    expect(spanish(row(['', 'Promedio del grupo', '', '8.5'])).draft.name).toBeUndefined();
  });

  it('refuses staff names in an Asignado column (assigneeId is a user\'s id), saying how to keep them as metadata', () => {
    const map = createRowMapper(resolveMapping(['Cliente', 'Asignado']), { defaultCountry: 'MX' });
    expect(map(row(['Gym Titán', 'Laura Méndez'], 5)).issues).toEqual([
      {
        row: 5,
        column: 'Asignado',
        code: 'invalid_value',
        value: 'Laura Méndez',
        rule: 'is not the id of a Quentli user (ids look like cmab12cd3000x1a2b3c4d5e6f): write the user\'s id, or keep the column as metadata with a mapping file (--mapping) such as {"columns":{"Asignado":"metadata.Asignado"}}',
      },
    ]);
    for (const id of ['cmab12cd3000x1a2b3c4d5e6f', 'usr_01J9ZQ', '3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f']) {
      expect(map(row(['Gym Titán', id])).draft.assigneeId, id).toBe(id);
    }
  });

  it('refuses a placeholder in the phone and the email column of a row with neither an address nor a username, saying so of each', () => {
    // `NULL`, `\N` (MySQL's) and `[NULL]` (DBeaver's) are how a database export writes none.
    for (const placeholder of ['N/A', 'n/a', 'NA', '-', '0', 'sin correo', 'Sin teléfono', 'no tiene', 'Ninguno', 'S/N', 'NULL', '\\N', '[NULL]']) {
      const mapped = mapDemo(row(['Ana Ruiz', '', placeholder, placeholder], 9));
      expect(mapped.issues.map((issue) => [issue.column, issue.code, issue.rule]), placeholder).toEqual([
        ['Correo electrónico', 'invalid_email', 'says the customer has no email, and the row has no phone or username either: write the email or a phone, or leave the cell empty if the customer has neither'],
        ['Teléfono', 'invalid_phone', 'says the customer has no phone, and the row has no email or username either: write the phone, an email or a username, or leave the cell empty if the customer has none'],
      ]);
      expect(mapped.draft.email, placeholder).toBeUndefined();
    }
  });

  it('reads a placeholder in a phone column of a row with an email, a username or its other phone as no phone; refuses it in a row with none, saying so', () => {
    for (const placeholder of ['no tiene teléfono', 'sin teléfono', 'Sin tel.', 'sin tel', 'sin cel.', 'no tiene', 'N/A', 'ninguno']) {
      const byEmail = mapDemo(row(['Ana Ruiz', '', 'ana@gmail.com', placeholder, placeholder], 9));
      expect([byEmail.issues, byEmail.draft.phoneNumber, byEmail.draft.secondaryPhoneNumber], placeholder).toEqual([[], undefined, undefined]);
      expect(mapDemo(row(['Ana Ruiz', 'ana.ruiz', '', placeholder], 9)).issues, placeholder).toEqual([]);
      const byOtherPhone = mapDemo(row(['Ana Ruiz', '', '', placeholder, '55 1234 5678'], 9));
      expect([byOtherPhone.issues, byOtherPhone.draft.secondaryPhoneNumber], placeholder).toEqual([[], '+525512345678']);
      expect(mapDemo(row(['Ana Ruiz', '', '', placeholder], 9)).issues, placeholder).toEqual([
        { row: 9, column: 'Teléfono', code: 'invalid_phone', value: placeholder, rule: 'says the customer has no phone, and the row has no email or username either: write the phone, an email or a username, or leave the cell empty if the customer has none' },
      ]);
    }
    // An email that is refused is no email to reach the customer by: the phone's says the email is what to correct.
    expect(mapDemo(row(['Ana Ruiz', '', 'pedro@', 'sin teléfono'], 9)).issues).toEqual([
      { row: 9, column: 'Teléfono', code: 'invalid_phone', value: 'sin teléfono', rule: "says the customer has no phone, and the row's email is refused: correct the email (this cell can then stay as it is), or write the phone" },
    ]);
  });

  it('reads a placeholder in the email column of a row with a phone or a username as no email; refuses it in a row with neither, saying so', () => {
    for (const placeholder of ['no tiene correo', 'No tiene e-mail', 'sin correo', 'N/A', '-', 'no tiene', 'No tiene correo electrónico', 'Sin correo electrónico', 'no proporcionó correo electronico']) {
      const mapped = mapDemo(row(['Ana Ruiz', '', placeholder, '', '55 1234 5678'], 9));
      expect([mapped.issues, mapped.draft.email, mapped.draft.secondaryPhoneNumber], placeholder).toEqual([[], undefined, '+525512345678']);
      // A login reaches the customer as a phone does (and `sin teléfono` beside it is no phone, as an empty cell).
      for (const phone of ['', 'sin teléfono']) {
        const withUsername = mapDemo(row(['Ana Ruiz', 'ana.ruiz', placeholder, phone], 9));
        expect([withUsername.issues, withUsername.draft.email, withUsername.draft.username], `${placeholder} ${phone}`).toEqual([[], undefined, 'ana.ruiz']);
      }
      expect(mapDemo(row(['Ana Ruiz', '', placeholder], 9)).issues, placeholder).toEqual([
        { row: 9, column: 'Correo electrónico', code: 'invalid_email', value: placeholder, rule: 'says the customer has no email, and the row has no phone or username either: write the email or a phone, or leave the cell empty if the customer has neither' },
      ]);
    }
    // A phone refused is no phone to reach the customer by: both are said, the email's saying the phone
    // is what to correct (the row has one: `no phone either` sent the office looking for one).
    for (const phone of ['55 1234', '55 1234 5678 ext 3']) {
      expect(mapDemo(row(['Ana Ruiz', 'ana.ruiz', 'sin correo', phone], 9)).issues.map((issue) => [issue.column, issue.column === 'Teléfono' ? issue.code : issue.rule]), phone).toEqual([
        ['Correo electrónico', "says the customer has no email, and the row's phone is refused: correct the phone (this cell can then stay as it is), or write the email"],
        ['Teléfono', 'invalid_phone'],
      ]);
    }
  });

  it('refuses a placeholder in the username column, saying to leave the cell empty, so no customer gets N/A for a login', () => {
    for (const placeholder of ['N/A', 'n/a', 'N.A.', '-', '--', '?', 'S/N', 'sin matrícula', 'Sin usuario', 'no tiene', 'Ninguno', 'pendiente', '\\N', '[NULL]']) {
      const mapped = mapDemo(row(['Ana Ruiz', placeholder, 'ana@gmail.com'], 9));
      expect(mapped.issues, placeholder).toEqual([
        { row: 9, column: 'Usuario', code: 'invalid_value', value: placeholder, rule: 'is not a username but a placeholder: leave the cell empty when the customer has none' },
      ]);
      expect(mapped.draft.username, placeholder).toBeUndefined();
    }
    // Logins that only look short or odd are logins.
    for (const username of ['NA', 'na.ruiz', 'A-001', '-u4', 'x', '0', '00123', 'pendiente.ruiz']) expect(mapDemo(row(['Ana Ruiz', username])).draft.username, username).toBe(username);
  });

  it('reads a checklist\'s marks in a yes/no column, and refuses a bare X saying to write Sí or No', () => {
    const yesNo = (cell: string) => mapDemo(row(['Ana Ruiz', 'ana', '', '', '', cell], 6));
    for (const cell of ['✓', '✔', '☑', 'Sí.', 'S']) expect(yesNo(cell), cell).toMatchObject({ draft: { acceptedServiceAgreement: true }, issues: [] });
    for (const cell of ['✗', '✘', '☐', 'No.', 'N']) expect(yesNo(cell), cell).toMatchObject({ draft: { acceptedServiceAgreement: false }, issues: [] });
    for (const cell of ['X', 'x']) {
      expect(yesNo(cell).issues, cell).toEqual([{ row: 6, column: 'Acepta contrato', code: 'invalid_boolean', value: cell, rule: 'is a mark that may mean yes or no: write Sí or No' }]);
    }
    expect(yesNo('tal vez').issues[0]!.rule).toBe('is not a yes/no value (use sí/no, true/false or 1/0)');
    // Where the name should be, S or Sí. is a yes/no column taken for the names; an X or a mark is a name's own problem.
    const names = createRowMapper(resolveMapping(['Estudiante', 'Teléfono']), { defaultCountry: 'MX' });
    for (const value of ['Sí.', 'Si']) expect(names(row([value, '55 1234 5678'])).issues.map((issue) => issue.rule), value).toEqual([expect.stringMatching(/^is a yes\/no value, not a name/)]);
    expect(names(row(['S', '55 1234 5678'])).issues).toEqual([]); // an initial is somebody
    expect(names(row(['X', '55 1234 5678'])).issues).toEqual([]);
    expect(names(row(['✓', '55 1234 5678'])).issues.map((issue) => issue.rule)).toEqual(["has no letters: a customer's name is needed here"]);
  });

  it('refuses a template\'s example or hint line, and no customer whose name only holds such a word', () => {
    const example = (values: string[], number = 3) => mapDemo(row(values, number)).issues.filter((issue) => issue.code === 'example_row');
    for (const name of ['EJEMPLO: Juan Pérez López', 'Ejemplo', 'Ejemplo - Juan Pérez', 'ej: Ana Ruiz', 'Example', '(Apellidos y nombre)', '[Nombre del alumno]']) {
      expect(example([name, '', '', '', '', '', '', '', '', '(Matrícula)']), name).toEqual([
        { row: 3, column: 'Nombre completo', code: 'example_row', value: name, rule: "looks like the template's example or hint line, not a customer: delete the line" },
      ]);
    }
    // The line's other cells are examples too: one issue says to delete it, and nothing else of it is checked.
    expect(mapDemo(row(['(Apellidos y nombre)', '(usuario)', '(correo)', '(10 dígitos)', '', '(Sí/No)'], 3))).toEqual({
      row: 3,
      draft: { name: '(Apellidos y nombre)' },
      issues: [{ row: 3, column: 'Nombre completo', code: 'example_row', value: '(Apellidos y nombre)', rule: "looks like the template's example or hint line, not a customer: delete the line" }],
    });
    // A real-looking name on the example line: the address at a placeholder domain gives it away.
    for (const email of ['juan.perez@ejemplo.com', 'JUAN@EJEMPLO.COM.MX']) {
      expect(example(['Juan Pérez López', '', email]), email).toEqual([
        {
          row: 3,
          column: 'Correo electrónico',
          code: 'example_row',
          value: email,
          rule: "is at a placeholder domain, as on a template's example line, not a customer's address: delete the line (or, if it is a customer, write the customer's own email)",
        },
      ]);
    }
    // Or the word alone left of the name, under the list's number.
    const numbered = createRowMapper(resolveMapping(['No.', 'Nombre completo', 'Teléfono']), { defaultCountry: 'MX' });
    expect(numbered(row(['Ejemplo', 'Juan Pérez López', '55 1234 5678'], 3)).issues).toEqual([
      { row: 3, column: 'No.', code: 'example_row', value: 'Ejemplo', rule: "looks like the template's example or hint line, not a customer: delete the line" },
    ]);
    // Such words inside a name, at other domains, or right of the name are a customer's.
    for (const name of ['Juan Ejemplo Ruiz', 'Ejido El Salto SC', 'Ejemplar Pérez', 'Ana (Anita) Ruiz', 'E. J. Pérez', 'Ej. San Pedro', 'EJ. BOSQUES DEL VALLE', 'Ejemplo SA de CV', 'Example Industries']) {
      expect(example([name]), name).toEqual([]);
    }
    // A CRM's placeholder name with a way to reach the customer is a customer.
    expect(example(['(Sin nombre)', '', 'ana@gmail.com'])).toEqual([]);
    // Schools write correo.com or dominio.com for a family without email: a customer all the same.
    for (const email of ['ana@correo.mx', 'ana@example.mx', 'ana@example.com', 'ana@email.com', 'ejemplo.com@gmail.com', 'sincorreo@correo.com', 'alumno@dominio.com']) {
      expect(example(['Ana Ruiz', '', email]), email).toEqual([]);
    }
    expect(numbered(row(['1', 'Ana Ruiz', 'ejemplo'])).issues.map((issue) => issue.code)).toEqual(['invalid_phone']);
    // An import template's hint lines under its header, without parentheses: whether each column must
    // be filled, the kind of value, an instruction where the name goes. Each was a customer
    // (`Obligatorio`, with the other hints as metadata) where the roster had no email or phone column.
    const template = createRowMapper(resolveMapping(['Nombre completo', 'Usuario', 'Matrícula', 'Celular', 'Beca']), { defaultCountry: 'MX' });
    const hint = (values: string[]) => template(row(values, 2)).issues;
    for (const line of [['Obligatorio', 'Obligatorio', 'Opcional', '', 'Opcional'], ['Texto', 'Texto', 'Número', 'Número', 'Sí/No'], ['REQUERIDO', '', '(opcional)'], ['Required', 'Optional'], ['Escriba el nombre completo', '', '8 dígitos', '10 dígitos', 'Sí o No'], ['Enter the full name']]) {
      expect(hint(line), line.join('|')).toEqual([{ row: 2, column: 'Nombre completo', code: 'example_row', value: line[0], rule: "looks like the template's example or hint line, not a customer: delete the line" }]);
    }
    // A word of them as a name, beside a customer's own values, or alone: a customer (a one-column `Texto` is a name like another).
    for (const line of [['Texto', 'texto.ruiz', '24001'], ['Fecha', '', '', '55 1234 5678'], ['Obligatorio'], ['Escribano Ruiz', 'Obligatorio'], ['Obligatorio', '', '', '55 1234 5678', 'Opcional']]) {
      expect(hint(line).map((issue) => issue.code), line.join('|')).not.toContain('example_row');
    }
  });

  it('refuses a username Excel saved in scientific notation, and reads a student number pandas wrote as a float', () => {
    expect(mapDemo(row(['Ana Ruiz', '2.024E+11'], 2)).issues).toEqual([
      {
        row: 2,
        column: 'Usuario',
        code: 'invalid_value',
        value: '2.024E+11',
        rule: 'was turned by Excel into a number in scientific notation (typed as a number, it is shown so when it is long or its column narrow), which may have lost digits: a username must be written as text; format the column as Text where the file was made, and type or export the usernames again',
      },
    ]);
    expect(mapDemo(row(['Ana Ruiz', '24001.0'])).draft.username).toBe('24001');
    for (const username of ['maria.0', '24001.05', '1.0.0', 'a24001.0', '2E5', '1e3', '3E12']) expect(mapDemo(row(['Ana Ruiz', username])).draft.username, username).toBe(username);
    expect(mapDemo(row(['Ana Ruiz', '1.23457E+17'])).issues.map((issue) => issue.code)).toEqual(['invalid_value']);
    // A five-digit matrícula in a narrow column: its digits may all be there, yet it is no text typed.
    expect(mapDemo(row(['Ana Ruiz', '2.4001E+04'])).issues.map((issue) => issue.rule)).toEqual([expect.stringMatching(/^was turned by Excel into a number in scientific notation .*: a username must be written as text;/)]);
  });

  it('refuses a metadata cell Excel saved as a long number in scientific notation (a CLABE), and keeps other numbers as written', () => {
    const map = createRowMapper(resolveMapping(['Nombre', 'Correo', 'CLABE']), { defaultCountry: 'MX' });
    expect(map(row(['Ana Ruiz', 'ana@x.mx', '1.23457E+17'], 4)).issues).toEqual([
      {
        row: 4,
        column: 'CLABE',
        code: 'invalid_value',
        value: '1.23457E+17',
        rule: 'is a long number in scientific notation, which lost its digits when the file was saved: format the column as Text where the file was made and export the file again (or leave the column out with --mapping)',
      },
    ]);
    expect(map(row(['Ana Ruiz', 'ana@x.mx', '2,02401E+11'])).issues.map((issue) => issue.code)).toEqual(['invalid_value']);
    // Shorter numbers fit Excel's General format: written so on purpose, or not a number at all.
    for (const value of ['012180001234567891', '1.5E+3', '1.23457E+10', '3E12', 'E+12', 'Grupo 1E+11']) {
      expect(map(row(['Ana Ruiz', 'ana@x.mx', value])).draft.metadata, value).toEqual([{ key: 'CLABE', value }]);
    }
  });

  it('refuses a username with an invisible character inside, naming it', () => {
    const mapped = mapDemo(row(['Carolina Gil', 'caro\u200bgil'], 5));
    expect(mapped.issues).toEqual([
      { row: 5, column: 'Usuario', code: 'invalid_value', value: 'caro\u200bgil', rule: 'has an invisible character inside (U+200B), so it is not the login it looks like: type it again' },
    ]);
    expect(mapDemo(row(['Beto Paz', 'beto paz'])).issues).toEqual([]); // a space shows: the API judges it
    // A non-breaking space looks like one, and is another login.
    expect(mapDemo(row(['Carolina Gil', 'caro\u00a0gil'], 6)).issues).toEqual([expect.objectContaining({ row: 6, code: 'invalid_value', rule: expect.stringContaining('(U+00A0)') })]);
  });

  it('refuses a name without a letter: a dash, a zero, a number is nobody to bill', () => {
    for (const name of ['-', '0', '123', '#', '...']) {
      expect(mapDemo(row([name, 'ana.ruiz', 'ana@example.mx'], 7)).issues, name).toEqual([
        { row: 7, column: 'Nombre completo', code: 'invalid_value', value: name, rule: "has no letters: a customer's name is needed here" },
      ]);
    }
    for (const name of ['Ñu', 'Zoë', '李小龙', 'O’Neil 2']) expect(mapDemo(row([name])).issues, name).toEqual([]);
  });

  it('refuses the header row repeated under the roster (two exports pasted together), with no cell problems', () => {
    const repeated = mapDemo(row([' NOMBRE COMPLETO', 'Usuario', 'Correo electrónico', 'Teléfono', '', '', '', '', '', '', 'Grado', ''], 31));
    expect(repeated).toEqual({
      row: 31,
      draft: { name: 'NOMBRE COMPLETO' },
      issues: [{ row: 31, code: 'header_row', value: 'NOMBRE COMPLETO | Usuario | Correo electrónico | Teléfono | Grado', rule: 'repeats the header row (two lists joined into one file?): delete the line' }],
    });
    // A row with the header's name and one cell of its own is a customer (or its own problem).
    expect(mapDemo(row(['Nombre completo', 'Usuario', '', '', '', '', '', '', '', 'A-1001'])).issues).toEqual([]);
    expect(mapDemo(row(['Ana', 'Usuario'])).issues).toEqual([]);
    // A header typed on two lines (Alt+Enter), repeated as written.
    const twoLines = createRowMapper(resolveMapping(['Nombre\n(completo)', 'Teléfono\r\n(celular)']), { defaultCountry: 'MX' });
    expect(twoLines(row(['Nombre\n(completo)', 'Teléfono\r\n(celular)'], 9)).issues.map((issue) => issue.code)).toEqual(['header_row']);
  });

  it('joins a name the mapping file splits over columns, in its order, skipping empty parts', () => {
    const sep = mappingFileSchema.parse({ columns: { 'NOMBRE(S)': 'name', 'PRIMER APELLIDO': 'name', 'SEGUNDO APELLIDO': 'name' } });
    const mapSep = createRowMapper(resolveMapping(['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)', 'CORREO'], sep), { defaultCountry: 'MX' });
    expect(mapSep(row(['Ruiz', 'Peña', 'Ana  Sofía', 'ana@escuela.mx']))).toEqual({ row: 2, issues: [], draft: { name: 'Ana Sofía Ruiz Peña', email: 'ana@escuela.mx' } });
    expect(mapSep(row(['Ruiz', '', 'Ana ', '']))).toEqual({ row: 2, issues: [], draft: { name: 'Ana Ruiz' } });
    expect(mapSep(row(["'=Ruiz", '', 'Ana', ''])).draft.name).toBe('Ana =Ruiz'); // as the errors file neutralized it
    expect(mapSep(row(['Ruiz', 'Peña', '', ''])).draft.name).toBe('Ruiz Peña');
    expect(mapSep(row(['', ' ', '', 'ana@escuela.mx'])).draft).toEqual({ email: 'ana@escuela.mx' }); // no name: refused by validation
  });

  it('refuses two phone numbers in one cell, saying where the second goes', () => {
    const mapOne = createRowMapper(resolveMapping(['Nombre', 'Teléfono']), { defaultCountry: 'MX' });
    for (const cell of ['55 1234 5678 / 33 8765 4321', '5512345678;5587654321', '5512345678 ;5587654321', '5512345678, 3387654321', '55 1234 5678 y 33 8765 4321', '(55) 1234-5678 | +52 33 8765 4321', '5512345678\n3387654321', '55 1234 5678 - 55 8765 4321', '5512345678 ó 3387654321', 'Tel: 5512345678 Cel: 5587654321', '+52 5512345678 +52 5587654321', '55 1234 5678 33 8765 4321', '55 1234 5678 / 5555 1234', '5555-1234 / 55 1234 5678', '55 1234 5678 y 565 1234']) {
      expect(mapOne(row(['Ana', cell])), cell).toEqual({
        row: 2,
        issues: [{ row: 2, column: 'Teléfono', code: 'invalid_phone', value: cell, rule: 'holds two phone numbers: keep one here and put the other in a column of its own, such as "Otro teléfono"' }],
        draft: { name: 'Ana' },
      });
    }
    // Three numbers, or a second that is not a number: the usual refusal.
    for (const cell of ['5512345678 / 3387654321 / 8112345678', '5512345678 / 123', '5555 1234 / 5555 4321', `5512345678 /${' '.repeat(40_000)}3387654321`]) {
      expect(mapOne(row(['Ana', cell])).issues.map((issue) => issue.rule), cell).toEqual([expect.stringMatching(/^is not a valid phone number/)]);
    }
    expect(mapDemo(row(['Ana', '', '', '55 1234 5678 / 33 8765 4321'])).issues.map((issue) => issue.rule)).toEqual([
      'holds two phone numbers: keep one here and put the other in "Otro teléfono"',
    ]);
    expect(mapDemo(row(['Ana', '', '', '', '5512345678 o 3387654321'])).issues.map((issue) => issue.rule)).toEqual(['holds two phone numbers: keep one']);
  });

  it('refuses a phone cell with an extension or other text, which libphonenumber-js would drop; a bare label goes', () => {
    const mapOne = createRowMapper(resolveMapping(['Nombre', 'Teléfono']), { defaultCountry: 'MX' });
    const rules = (cell: string) => mapOne(row(['Ana', cell])).issues.map((issue) => issue.rule);
    for (const cell of ['55 1234 5672 ext 12', '55 1234 5678 x 3', 'Tel. 5512345678 extensión 4', '55 1234 5678 #12', '5512345678#12', '(55) 1234-5678 #33', '+52 55 1234 5678 #12', '55 1234 5678 ; 12', '5512345678,,12', '55 1234 5678,33', '5512345678~12', '+52-55-1234-5678;ext=12']) {
      expect(rules(cell), cell).toEqual(['has an extension, which a phone number in Quentli cannot hold: keep the number alone here and put the extension in a column of its own']);
    }
    for (const cell of ['55 1234 5678 (mamá)', '55 1234 5678 llamar en la tarde', 'Mamá: 55 1234 5678', '5512345678 (oficina ext. 204)']) {
      expect(rules(cell), cell).toEqual(['has text besides the number: keep the number alone here (a note such as whose phone it is can go in a column of its own)']);
    }
    // Words that only say what kind of phone it is, before or after the number, accents decomposed or not.
    const labelled = ['Tel: 55 1234 5670', 'Cel. 5512345678', 'Celular 55 1234 5678', 'WhatsApp: +52 1 55 1234 5678', 'teléfono 55-1234-5678'];
    labelled.push('55 1234 5678 Cel', 'Tel/Cel 5512345678', 'lada 55 1234 5678', 'Tel. casa 5512345678', 'Tele\u0301fono: 5512345678', 'Núm. 5512345678');
    labelled.push('WA: 5512345678', 'Whats 55 1234 5678', '5512345678 whats', 'wsp 5512345678', 'Cel/Wpp 5512345678');
    for (const cell of labelled) {
      expect(mapOne(row(['Ana', cell])), cell).toMatchObject({ issues: [], draft: { phoneNumber: expect.stringMatching(/^\+5255123456\d\d$/) } });
    }
  });

  it('tells of each value in a column without a header, which is not imported', () => {
    const heard: [number, number][] = [];
    const mapUnheaded = createRowMapper(resolveMapping(['Nombre', '', 'Correo', '']), { defaultCountry: 'MX', onUnheadedValue: (column, at) => heard.push([column, at]) });
    expect(mapUnheaded(row(['Ana', 'alergia a nueces', 'ana@x.mx', ' '], 2)).draft).toEqual({ name: 'Ana', email: 'ana@x.mx' });
    mapUnheaded(row(['Beto', '', 'beto@x.mx', 'llamar antes'], 3));
    expect(heard).toEqual([[1, 2], [3, 3]]);
  });

  it('drops zero-width characters at the ends of a cell, as it drops spaces', () => {
    expect(mapDemo(row(['\u200bAna Ruiz\u200d ', 'beto\u200b', ' \u2060ana@escuela.mx\u200c'])).draft).toEqual({ name: 'Ana Ruiz', username: 'beto', email: 'ana@escuela.mx' });
    expect(mapDemo(row(['\u200b', 'beto'])).draft).toEqual({ username: 'beto' }); // no name left: refused by validation
    expect(mapDemo(row(['Ana\u200bRuiz'])).draft.name).toBe('AnaRuiz'); // inside, dropped: the name as it shows
  });

  it('refuses a name whose accents or emoji the file lost when it was saved ("?" or U+FFFD in their place)', () => {
    const rule = (mark: string) =>
      `has ${mark} where a character should be: one the file could not hold (an accent, a ñ, an emoji) was lost when it was saved; type the name again, or save the roster as "CSV UTF-8" and import that`;
    for (const name of ['Jos? P?rez', 'Mar?a L?pez', 'Nguy?n Van An', 'Jos? Luis Ruiz', 'Ana Ruiz?', 'Pepe ?? Soto']) {
      expect(mapDemo(row([name])).issues, name).toEqual([{ row: 2, column: 'Nombre completo', code: 'invalid_value', value: name, rule: rule('"?"') }]);
    }
    expect(mapDemo(row(['Mar\uFFFDa Ruiz'])).issues).toEqual([{ row: 2, column: 'Nombre completo', code: 'invalid_value', value: 'Mar\uFFFDa Ruiz', rule: rule('"\uFFFD" (U+FFFD)') }]);
    // A question, a name with no question mark: not this; nor one without letters, refused for that.
    for (const name of ['¿Ana Ruiz?', 'Ana Ruiz', "O'Brien Ruiz"]) expect(mapDemo(row([name])).issues, name).toEqual([]);
    expect(mapDemo(row(['???'])).issues.map((issue) => issue.rule)).not.toContain(rule('"?"'));
    // Under the username, U+FFFD is no login's character (a `?` may be one).
    expect(mapDemo(row(['Ana', 'jos\uFFFD.ruiz'])).issues).toEqual([
      { row: 2, column: 'Usuario', code: 'invalid_value', value: 'jos\uFFFD.ruiz', rule: 'has "\uFFFD" (U+FFFD) where a character should be: one was lost when the file was saved, so it is not the login it looks like; type it again' },
    ]);
    // Under given names and surnames joined, the column that lost it is named.
    const mapSplit = createRowMapper(resolveMapping(['Nombre(s)', 'Apellido paterno', 'Apellido materno']), { defaultCountry: 'MX' });
    expect(mapSplit(row(['Jos?', 'P?rez', 'López'])).issues).toEqual([
      { row: 2, column: 'Nombre(s)', code: 'invalid_value', value: 'Jos?', rule: rule('"?"') },
      { row: 2, column: 'Apellido paterno', code: 'invalid_value', value: 'P?rez', rule: rule('"?"') },
    ]);
  });

  it('refuses a name garbled by a wrong encoding (a UTF-8 CSV opened as Windows-1252 and saved again: "JosÃ©")', () => {
    const rule =
      'has letters garbled by a wrong encoding ("Ã©" for "é", "Ã±" for "ñ"): the file was opened as Windows-1252 and saved again as UTF-8 ' +
      '(a UTF-8 CSV opened by double-click in Excel, then saved): import the original export instead, or type the names again';
    const garble = (text: string) => new TextDecoder('windows-1252').decode(new TextEncoder().encode(text));
    for (const name of ['José Pérez', 'María Núñez', 'ÁNGEL MUÑOZ', 'JOSÉ ÍÑIGO', 'Zoë Ruiz', "O\u2019Brien Ruiz", 'João Silva', 'Ana 😀 Ruiz']) {
      const garbled = garble(name);
      expect(garbled).not.toBe(name);
      expect(mapDemo(row([garbled])).issues, garbled).toEqual([{ row: 2, column: 'Nombre completo', code: 'invalid_value', value: garbled, rule }]);
    }
    // Names written so: a Portuguese Ã before a letter, capitals with accents, curly quotes and no-break spaces.
    // Nor two no-break spaces after an accented letter (`José&nbsp;&nbsp;García` pasted from a web page).
    for (const name of ['JOÃO SILVA', 'Conceição Ãvila', 'JOSÉ\u00a0PÉREZ', 'José\u00a0\u00a0García', 'Inés\u00a0\u00a0\u00a0Ruiz', 'Ñ\u2019Gómez', 'Â Ruiz', 'Renée Dupont']) expect(mapDemo(row([name])).issues, name).toEqual([]);
    // Under the username too: `josÃ©.luis` is no login anyone typed.
    expect(mapDemo(row(['Ana', garble('josé.luis')])).issues).toEqual([
      { row: 2, column: 'Usuario', code: 'invalid_value', value: 'josÃ©.luis', rule: 'has letters garbled by a wrong encoding ("Ã©" for "é"), so it is not the login it looks like: import the original export instead, or type it again' },
    ]);
    expect(mapDemo(row(['Ana', 'josé.luis'])).issues).toEqual([]);
    // Under given names and surnames joined, the column garbled is named.
    const mapSplit = createRowMapper(resolveMapping(['Nombre(s)', 'Apellido paterno', 'Apellido materno']), { defaultCountry: 'MX' });
    expect(mapSplit(row(['José', garble('Pérez'), 'López'])).issues).toEqual([{ row: 2, column: 'Apellido paterno', code: 'invalid_value', value: 'PÃ©rez', rule }]);
  });

  it('says how many digits a number without its area code has, instead of "not a valid phone number"', () => {
    const lada = 'write it with its area code (lada) in front, such as 55 for Mexico City or 33 for Guadalajara (a number from abroad needs its + and country code)';
    const missing = 'digits are missing, even for a number written without its area code (lada): check the number with the customer (a number from abroad needs its + and country code)';
    for (const [cell, rule] of [
      ['1234 5678', `has 8 digits and a Mexican number has 10: ${lada}`],
      ['8123-4567', `has 8 digits and a Mexican number has 10: ${lada}`],
      ['Cel. 123 4567', `has 7 digits and a Mexican number has 10: ${lada}`],
      ['(55) 1234 567', 'has 9 digits and a Mexican number has 10: a digit is missing (a number from abroad needs its + and country code)'],
      ['55 1234', `has 6 digits and a Mexican number has 10: ${missing}`],
      ['12345', `has 5 digits and a Mexican number has 10: ${missing}`],
      ['55-12', `has 4 digits and a Mexican number has 10: ${missing}`],
      // As a phone column formatted Comma Style or Number shows a number (Excel saves it so to a CSV).
      ['55,123,456.00', `has 8 digits and a Mexican number has 10: ${lada}`],
      ['1,234,567', `has 7 digits and a Mexican number has 10: ${lada}`],
      ['551,234,567.0', 'has 9 digits and a Mexican number has 10: a digit is missing (a number from abroad needs its + and country code)'],
    ]) {
      expect(mapDemo(row(['Ana', '', '', cell!])).issues, cell).toEqual([{ row: 2, column: 'Teléfono', code: 'invalid_phone', value: cell, rule }]);
    }
    // Three digits or fewer (no phone at all), more than ten, or a country code: the plain message.
    for (const cell of ['123', '55 1234 56789', '+52 1234 5678', '55,123,45']) {
      expect(mapDemo(row(['Ana', '', '', cell])).issues[0]!.rule, cell).toBe('is not a valid phone number (numbers without a country code are read as MX)');
    }
  });

  it('drops the direction marks WhatsApp and a phone leave around a copied number or name', () => {
    // The old mobile `1` was refused as "not a valid phone number" with the marks around it, read without them.
    expect(mapDemo(row(['\u202aAna Ruiz\u202c', '\u2066beto\u2069', '\u200eana@escuela.mx\u200f', '\u202a+52 1 55 1234 5678\u202c'])).draft).toEqual({
      name: 'Ana Ruiz',
      username: 'beto',
      email: 'ana@escuela.mx',
      phoneNumber: '+525512345678',
    });
    expect(mapDemo(row(['Ana', '', '', '\u200e044 55 1234 5678\u200e'])).draft.phoneNumber).toBe('+525512345678');
    // Inside a username, one is still a login nobody can type.
    expect(mapDemo(row(['Ana', 'caro\u202agil'])).issues).toEqual([
      { row: 2, column: 'Usuario', code: 'invalid_value', value: 'caro\u202agil', rule: 'has an invisible character inside (U+202A), so it is not the login it looks like: type it again' },
    ]);
  });

  it('says so when the email cell holds more than one address', () => {
    for (const cell of ['papa@example.mx; mama@example.mx', 'papa@example.mx, mama@example.mx', 'papa@example.mx / mama@example.mx', 'papa@example.mx mama@example.mx', 'papa@example.mx y mama@example.mx', 'papa@example.mx o mama@example.mx']) {
      expect(mapDemo(row(['Ana', '', cell])).issues, cell).toEqual([
        { row: 2, column: 'Correo electrónico', code: 'invalid_email', value: cell, rule: 'holds more than one email: keep the one the customer uses (another can go in a column of its own, imported as metadata)' },
      ]);
    }
    expect(mapDemo(row(['Ana', '', 'hugo@@example.mx'])).issues).toEqual([]); // just invalid: validation says so
    // Each with its owner's name or link, as a mail program copies them: two emails, not an address with a note.
    for (const cell of ['Ana <ana@x.mx>; Luis <luis@x.mx>', '<mailto:ana@x.mx>, <mailto:luis@x.mx>', 'Papá: luis@x.mx, Mamá: ana@x.mx']) {
      expect(mapDemo(row(['Ana', '', cell])).issues.map((issue) => issue.rule), cell).toEqual([expect.stringMatching(/^holds more than one email/)]);
    }
    // One address and its link to it is one email.
    expect(mapDemo(row(['Ana', '', 'ana@x.mx <mailto:ANA@x.mx>'])).issues).toEqual([]);
  });

  it('reads an email written as a mailto: link as its address', () => {
    expect(mapDemo(row(['Ana', '', 'MAILTO:ana@escuela.mx'])).draft.email).toBe('ana@escuela.mx');
    // Outlook's plain text of a link, copied into the roster: the address, and nothing refused.
    for (const cell of ['<mailto:ana@escuela.mx>', 'ana@escuela.mx <mailto:ana@escuela.mx>', 'Ana Ruiz <mailto:ana@escuela.mx>', 'Ana@Escuela.mx <MAILTO:ana@escuela.mx>']) {
      const mapped = mapDemo(row(['Ana', '', cell]));
      expect([mapped.issues, mapped.draft.email?.toLowerCase()], cell).toEqual([[], 'ana@escuela.mx']);
    }
    // A contact link with a subject, as a web page writes it: the address without the query.
    for (const cell of ['mailto:isa@escuela.mx?subject=Hola', '<mailto:isa@escuela.mx?subject=Inscripci%C3%B3n&body=Hola>']) {
      const mapped = mapDemo(row(['Isa', '', cell]));
      expect([mapped.issues, mapped.draft.email], cell).toEqual([[], 'isa@escuela.mx']);
    }
    // A link to another address than the one shown is not taken for either (validation refuses the cell).
    expect(mapDemo(row(['Ana', '', 'ana@escuela.mx <mailto:beto@escuela.mx>'])).draft.email).toBe('ana@escuela.mx <mailto:beto@escuela.mx>');
  });

  it('reads an address with its name or link and the separator a copied list leaves after it (Juan Pérez <juan@…>;) as the address', () => {
    // Outlook's To line copied: each recipient ends in `;`; a billing system's list, in `;` or `,`.
    for (const cell of ['Juan Pérez <juan@escuela.mx>;', 'juan@escuela.mx <mailto:juan@escuela.mx>;', '<mailto:juan@escuela.mx>,', 'Juan Pérez <juan@escuela.mx> ; ']) {
      const mapped = mapDemo(row(['Juan', '', cell.trim()]));
      expect([mapped.issues, mapped.draft.email], cell).toEqual([[], 'juan@escuela.mx']);
    }
  });

  it('reads an address copied with its owner\'s name (Juan Pérez <juan@…>) as the address', () => {
    const mapped = mapDemo(row(['Juan', '', 'Juan Pérez <juan.perez@gmail.com>']));
    expect(mapped.issues).toEqual([]);
    expect(mapped.draft.email).toBe('juan.perez@gmail.com');
    expect(mapDemo(row(['Juan', '', '<juan@gmail.com>'])).draft.email).toBe('juan@gmail.com');
    // Two addresses so written are not taken for one (validation refuses the cell).
    expect(mapDemo(row(['Juan', '', 'Juan <juan@gmail.com>, Ana <ana@gmail.com>'])).draft.email).toBe('Juan <juan@gmail.com>, Ana <ana@gmail.com>');
  });

  it('says which character an email cannot hold: an accent or ñ', () => {
    expect(mapDemo(row(['Javier', '', 'javier.cantú9@gmail.com'], 7)).issues).toEqual([
      { row: 7, column: 'Correo electrónico', code: 'invalid_email', value: 'javier.cantú9@gmail.com', rule: 'has "ú", which an email address cannot hold (no accents or ñ): check how the customer writes it' },
    ]);
    // Words without an @ (a link's label, `Correo de mamá`) are no address: the schema's plain refusal, not an accent's.
    const { issues, draft } = mapDemo(row(['Luis', '', 'Correo de mamá'], 8));
    expect(issues).toEqual([]);
    expect(draft.email).toBe('Correo de mamá');
    // Google Contacts' ` ::: ` between two addresses: two emails, not a note.
    expect(mapDemo(row(['Ana', '', 'ana@gmail.com ::: ana.ruiz@empresa.mx'])).issues.map((issue) => issue.rule)).toEqual([expect.stringMatching(/^holds more than one email/)]);
    // The separator a billing system leaves after the last address of its list.
    expect(mapDemo(row(['Ana', '', 'ana@b.mx;'])).draft.email).toBe('ana@b.mx');
    expect(mapDemo(row(['Ana', '', 'ana@b.mx, '])).issues).toEqual([]);
    // An address with a note: the note is what to take out, whatever its accent.
    for (const [cell, address] of [['ana@gmail.com (papá)', 'ana@gmail.com'], ['Papá: luis@gmail.com', 'luis@gmail.com']]) {
      expect(mapDemo(row(['Ana', '', cell!], 9)).issues.map((issue) => issue.rule), cell).toEqual([
        `holds more than the address "${address}": keep the address alone in the cell (a note can go in a column of its own)`,
      ]);
    }
  });

  it('reads `="000123"`, as systems export ids so Excel keeps their zeros, as the text Excel shows', () => {
    const { draft, issues } = mapDemo(row(['Ana Ruiz', '="000123"', '', '="5512345678"', '', '', '', '', '', '="A-0012"', '="3° ""A"""', '']));
    expect(issues).toEqual([]);
    expect(draft).toEqual({ name: 'Ana Ruiz', username: '000123', phoneNumber: '+525512345678', metadata: [{ key: 'Matrícula', value: 'A-0012' }, { key: 'Grado', value: '3° "A"' }] });
    // As our errors file writes it back (neutralized); a formula that is more than a text is no value (refused).
    expect(mapDemo(row(['Ana Ruiz', `'="000123"`, '', '', '', '', '', '', '', '=A1&"x"', '', '']))).toMatchObject({ draft: { username: '000123' }, issues: [{ column: 'Matrícula', code: 'formula_uncalculated', value: '=A1&"x"' }] });
  });

  it('reads a cell our errors file neutralized (a leading apostrophe before = + - @) as its original value', () => {
    const { draft } = mapDemo(row(["'=Ana", '', '', "'+52 55 7494 1037", '', '', '', '', "'-becados", "'@A-1001", "'Pérez", '']));
    expect(draft).toEqual({
      name: '=Ana',
      phoneNumber: '+525574941037',
      tags: ['-becados'],
      metadata: [
        { key: 'Matrícula', value: '@A-1001' },
        { key: 'Grado', value: "'Pérez" },
      ],
    });
  });

  it('reads the number of a WhatsApp link, with its country code', () => {
    const phone = (text: string) => mapDemo(row(['Ana Ruiz', '', '', text])).draft.phoneNumber;
    expect(phone('https://wa.me/5215512345678')).toBe('+525512345678');
    expect(phone('wa.me/525512345679')).toBe('+525512345679');
    expect(phone('https://api.whatsapp.com/send?phone=5215512345670&text=hola')).toBe('+525512345670');
    expect(phone('https://wa.me/14155552671')).toBe('+14155552671');
    expect(mapDemo(row(['Ana Ruiz', '', '', 'https://wa.me/message/ABCDEF'])).issues).toEqual([expect.objectContaining({ code: 'invalid_phone' })]);
  });

  it('refuses 1 and ten digits, a US number or an old Mexican mobile, saying both readings', () => {
    expect(mapDemo(row(['Ana Ruiz', '', '', '1 (619) 555-0134'], 4)).issues).toEqual([
      {
        row: 4,
        column: 'Teléfono',
        code: 'invalid_phone',
        value: '1 (619) 555-0134',
        rule: 'may be a US or Canada number (+16195550134) or a Mexican mobile written with its old 1 (+526195550134): write it with its country code, +1 or +52',
      },
    ]);
    expect(mapDemo(row(['Ana Ruiz', '', '', '+1 (619) 555-0134'])).draft.phoneNumber).toBe('+16195550134');
    expect(mapDemo(row(['Ana Ruiz', '', '', '+52 1 55 1234 5678'])).draft.phoneNumber).toBe('+525512345678');
  });

  it("reads Excel's text mark before digits (`'7123456789012`, `'64000`, as Shopify exports them) as the digits", () => {
    const { draft } = mapDemo(row(['Ana Ruiz', "'7123456789012", '', "'5574941037", '', '', '', '', '', "'64000", "'3° A"]));
    expect(draft).toEqual({ name: 'Ana Ruiz', username: '7123456789012', phoneNumber: '+525574941037', metadata: [{ key: 'Matrícula', value: '64000' }, { key: 'Grado', value: '3° A' }] });
  });

  it('leaves empty and blank cells out of the payload entirely (never "" nor null)', () => {
    const { draft, issues } = mapDemo(row(['Ana', '', '  ', '\t', '', '', ' ', '', ' , ', '', '', '']));
    expect(draft).toEqual({ name: 'Ana' });
    expect(Object.keys(draft)).toEqual(['name']);
    expect(issues).toEqual([]);
  });

  it('trims every value; collapses inner spaces of the name only', () => {
    const { draft } = mapDemo(row(['  Ana   María  ', ' ana.m ', ' ana@x.mx ', '', '', ' sí ', '', '', '', ' A  1 ', '', '']));
    expect(draft).toEqual({ name: 'Ana María', username: 'ana.m', email: 'ana@x.mx', acceptedServiceAgreement: true, metadata: [{ key: 'Matrícula', value: 'A  1' }] });
  });

  it('metadata values stay strings as written', () => {
    const { draft } = mapDemo(row(['Ana', '', '', '', '', '', '', '', '', '0012', '1', 'true']));
    expect(draft.metadata).toEqual([
      { key: 'Matrícula', value: '0012' },
      { key: 'Grado', value: '1' },
      { key: 'Tutor', value: 'true' },
    ]);
  });

  it('reports every bad cell of a row at once, naming the column as written and the value', () => {
    const { draft, issues } = mapDemo(row(['Ana', 'ana', 'ana@', '55 1234', '123', 'tal vez', 'quizá', '31/02/2025', '', '', '', ''], 9));
    expect(issues.map((i) => [i.row, i.column, i.code, i.value])).toEqual([
      [9, 'Teléfono', 'invalid_phone', '55 1234'],
      [9, 'Otro teléfono', 'invalid_phone', '123'],
      [9, 'Acepta contrato', 'invalid_boolean', 'tal vez'],
      [9, 'Sin factura', 'invalid_boolean', 'quizá'],
      [9, 'Baja WhatsApp', 'invalid_date', '31/02/2025'],
    ]);
    // Refused cells are not in the draft; the email is judged by the validator.
    expect(draft).toEqual({ name: 'Ana', username: 'ana', email: 'ana@' });
  });

  it('sends a number under both phone columns once, as the phone', () => {
    expect(mapDemo(row(['Ana', '', '', '55 1234 5678', '+52 55 1234 5678'])).draft).toEqual({ name: 'Ana', phoneNumber: '+525512345678' });
    expect(mapDemo(row(['Ana', '', '', '55 1234 5678', '33 1234 5678'])).draft).toEqual({ name: 'Ana', phoneNumber: '+525512345678', secondaryPhoneNumber: '+523312345678' });
  });

  it('says a number under a date is maybe a date as Excel counts them, and which', () => {
    expect(mapDemo(row(['Ana', '', '', '', '', '', '', '45672', '', '', '', ''], 4)).issues).toEqual([
      { row: 4, column: 'Baja WhatsApp', code: 'invalid_date', value: '45672', rule: 'is a number, not a date: if it is a date as Excel counts them (45672 is 15/01/2025), format the column as a date where the file was made, or write dd/mm/yyyy' },
    ]);
    expect(mapDemo(row(['Ana', '', '', '', '', '', '', '12345', '', '', '', ''], 4)).issues.map((issue) => issue.rule)).toEqual(['is not a valid date (use dd/mm/yyyy or yyyy-mm-dd)']);
  });

  it('says a number with a fraction under a date is maybe a date-time as Excel counts them, and which; a whole one written `.0` a date', () => {
    const rule = (cell: string) => mapDemo(row(['Ana', '', '', '', '', '', '', cell, '', '', '', ''], 4)).issues.map((issue) => issue.rule);
    expect(rule('45672.4375')).toEqual(['is a number, not a date: if it is a date-time as Excel counts them (45672.4375 is 15/01/2025 10:30), format the column as a date and time where the file was made, or write dd/mm/yyyy hh:mm']);
    expect(rule('45672.4376736111')).toEqual(['is a number, not a date: if it is a date-time as Excel counts them (45672.4376736111 is 15/01/2025 10:30:15), format the column as a date and time where the file was made, or write dd/mm/yyyy hh:mm']);
    // pandas writes a whole serial of a column with blanks as a float.
    expect(rule('45672.0')).toEqual(['is a number, not a date: if it is a date as Excel counts them (45672.0 is 15/01/2025), format the column as a date where the file was made, or write dd/mm/yyyy']);
    expect(rule('1234.5')).toEqual(['is not a valid date (use dd/mm/yyyy or yyyy-mm-dd)']);
  });

  it('says why a phone in scientific notation (a CSV saved by Excel) cannot be read', () => {
    const { issues } = mapDemo(row(['Ana', '', '', '5.51E+09', '5,51234E+9', '', '', '', '', '', '', '']));
    expect(issues.map((i) => [i.column, i.code, i.value])).toEqual([
      ['Teléfono', 'invalid_phone', '5.51E+09'],
      ['Otro teléfono', 'invalid_phone', '5,51234E+9'],
    ]);
    for (const issue of issues) expect(issue.rule).toMatch(/^is a number in scientific notation, which lost its digits/);
    expect(mapDemo(row(['Ana', '', '', '123'])).issues[0]!.rule).toMatch(/^is not a valid phone number/);
  });

  it('hears of each value under a header Excel gave a table\'s column (`Columna1`), kept as metadata; not under one a mapping file keys', () => {
    const heard: [number, number][] = [];
    const headers = ['Nombre', 'Correo', 'Columna1', 'Column2', 'Columna 3', 'Columnas'];
    const mapper = createRowMapper(resolveMapping(headers), { defaultCountry: 'MX', onPlaceholderValue: (column, row) => heard.push([column, row]) });
    const mapped = mapper(row(['Ana', 'ana@example.mx', '', 'nota', 'otra', 'x'], 5));
    expect(heard).toEqual([[3, 5], [4, 5]]);
    expect(mapped.draft.metadata).toEqual([{ key: 'Column2', value: 'nota' }, { key: 'Columna 3', value: 'otra' }, { key: 'Columnas', value: 'x' }]);
    const keyed = resolveMapping(headers, mappingFileSchema.parse({ columns: { Column2: 'metadata.notas' } }));
    heard.length = 0;
    createRowMapper(keyed, { defaultCountry: 'MX', onPlaceholderValue: (column, row) => heard.push([column, row]) })(row(['Ana', 'ana@example.mx', '', 'nota', '', ''], 5));
    expect(heard).toEqual([]);
  });

  it('reads a phone in Comma Style as its digits, and refuses one with a fraction saying no phone has one', () => {
    const read = mapDemo(row(['Ana', '', '', ' 5,512,345,601.00 ', ' 3,312,345,678.0 ']));
    expect([read.issues, read.draft.phoneNumber, read.draft.secondaryPhoneNumber]).toEqual([[], '+525512345601', '+523312345678']);
    const rule = 'is a number with decimals that are not zero, which no phone number has (its column is formatted as a number where the file was made): format the column as Text there and type the number again';
    expect(mapDemo(row(['Ana', '', '', ' 5,512,345,601.00 ', ' 5,512,345,602.50 '])).issues).toEqual([{ row: 2, column: 'Otro teléfono', code: 'invalid_phone', value: '5,512,345,602.50', rule }]);
    expect(mapDemo(row(['Ana', '', '', '5512345602.5'])).issues.map((issue) => issue.rule)).toEqual([rule]);
  });

  it('refuses, in a CSV, a long number whose digits past the 15th are zeros (a CLABE or an id a spreadsheet kept 15 digits of), unless written as text', () => {
    const headers = ['Nombre', 'Usuario', 'CLABE', 'Grupo'];
    const csv = createRowMapper(resolveMapping(headers), { defaultCountry: 'MX', textFile: true });
    const issues = csv(row(['Ana Ruiz', '1234567890123450000', '12180001234567900', '3B'])).issues;
    expect(issues.map((issue) => [issue.column, issue.code, issue.value])).toEqual([
      ['Usuario', 'invalid_value', '1234567890123450000'],
      ['CLABE', 'invalid_value', '12180001234567900'],
    ]);
    expect(issues[0]!.rule).toMatch(/^is a number longer than the 15 digits a spreadsheet keeps, and every digit past the 15th is 0/);
    // Written as text, the value is as typed; one zero past the 15th is any number's last digit; a leading 0 is text's.
    for (const clabe of ["'12180001234567900", '="12180001234567900"', '1218000123456790', '1218000123456789100', '012180001234567900']) {
      expect(csv(row(['Ana Ruiz', 'ana', clabe, '3B'])).issues, clabe).toEqual([]);
    }
    // A workbook's reader tells a number's lost digits by its cell: its text cells are as typed.
    expect(createRowMapper(resolveMapping(headers), { defaultCountry: 'MX' })(row(['Ana Ruiz', 'ana', '12180001234567900', '3B'])).issues).toEqual([]);
  });

  it('says a mobile typed with 044 or 045 as a number lost its leading 0, and only when the 0 makes it a number', () => {
    for (const [typed, digits, prefix] of [['45 222 123 4567', '2221234567', '045'], ['455512345678', '5512345678', '045']] as const) {
      expect(mapDemo(row(['Ana', '', '', typed])).issues).toEqual([
        { row: 2, column: 'Teléfono', code: 'invalid_phone', value: typed, rule: `looks like a mobile dialled with ${prefix} whose leading 0 the spreadsheet dropped (as a number): write the ten digits alone (${digits}) and format the column as Text where the file was made` },
      ]);
    }
    // 44 is the UK's calling code too: a UK number kept without its + (a mobile, London) is not told to be written as a Mexican one.
    for (const [typed, uk, digits] of [['445512345678', '+445512345678', '5512345678'], ['447911123456', '+447911123456', '7911123456'], ['4420 7946 0958', '+442079460958', '2079460958']] as const) {
      expect(mapDemo(row(['Ana', '', '', typed])).issues[0]!.rule, typed).toBe(
        `may be a UK number (${uk}) or a mobile dialled with 044 whose leading 0 the spreadsheet dropped (${digits}): write it with its country code, or the ten digits alone, and format the column as Text where the file was made`,
      );
    }
    // Twelve digits that are no number with the 0 either, and numbers that read as they are.
    expect(mapDemo(row(['Ana', '', '', '441234567890'])).issues[0]!.rule).toMatch(/^is not a valid phone number/);
    expect(mapDemo(row(['Ana', '', '', '0445512345678'])).draft.phoneNumber).toBe('+525512345678');
  });

  it('turns the reader\'s cell issues into row issues', () => {
    const { issues } = mapDemo({ row: 4, values: ['Ana', ...Array(11).fill('')], cellIssues: [{ code: 'malformed_row', message: 'has 13 cells but the header has 12' }, { column: 9, code: 'cell_error', message: 'holds #REF!' }] });
    expect(issues).toEqual([
      { row: 4, code: 'malformed_row', rule: 'has 13 cells but the header has 12' },
      { row: 4, column: 'Matrícula', code: 'cell_error', rule: 'holds #REF!' },
    ]);
  });

  it('drops a cell issue from a column the mapping leaves out: nothing of it is sent', () => {
    const mapping = resolveMapping(['Alumno', 'Total'], mappingFileSchema.parse({ columns: { Alumno: 'name', Total: null } }));
    const map = createRowMapper(mapping, { defaultCountry: 'MX' });
    const source: SourceRow = {
      row: 2,
      values: ['Ana Ruiz', ''],
      cellIssues: [{ column: 1, code: 'formula_uncalculated', message: 'cell B2 holds a formula (=C2-D2) with no calculated value' }, { code: 'malformed_row', message: 'has values in column E, which has no header' }],
    };
    expect(map(source).issues).toEqual([{ row: 2, code: 'malformed_row', rule: 'has values in column E, which has no header' }]);
  });

  it('ignored columns (null, the error column) send nothing', () => {
    const mapping = resolveMapping(['Alumno', 'Comentarios', 'error'], mappingFileSchema.parse({ columns: { Alumno: 'name', Comentarios: null } }));
    const { draft } = createRowMapper(mapping, { defaultCountry: 'MX' })(row(['Ana', 'debe', 'row 2, "Correo": "x" is not a valid email']));
    expect(draft).toEqual({ name: 'Ana' });
  });

  it('reads phones with the default country', () => {
    const mapping = resolveMapping(['Name', 'Phone']);
    expect(createRowMapper(mapping, { defaultCountry: 'US' })(row(['Ann', '(415) 555-2671'])).draft.phoneNumber).toBe('+14155552671');
  });
});

/** An export's text (no quoted commas) as the header and its rows. */
function exported(text: string): { headers: string[]; rows: string[][] } {
  const [header, ...lines] = text.trim().split('\n');
  return { headers: header!.split(','), rows: lines.map((line) => line.split(',')) };
}
/** The rows of an export, each as the mapper reads it, from row 2 on. */
function mapExport(text: string, file?: Parameters<typeof resolveMapping>[1]) {
  const { headers, rows } = exported(text);
  const map = createRowMapper(resolveMapping(headers, file), { defaultCountry: 'MX', textFile: true });
  return rows.map((values, i) => map(row(values, i + 2)));
}
const metadataOf = (mapped: { draft: { metadata?: { key: string; value: string }[] } }) => Object.fromEntries((mapped.draft.metadata ?? []).map((pair) => [pair.key, pair.value]));

describe("Google Contacts' labelled phones", () => {
  // The header Google Contacts writes today (its "Google CSV"), as far as the first address.
  const HEADER =
    'First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Address 1 - Label,Address 1 - Formatted';
  /** A contact's line: its name, labels, email and two phones; the other cells empty. */
  const contact = (first: string, last: string, email: string, phone1: [string, string], phone2: [string, string] = ['', '']) =>
    [first, '', last, '', '', '', '', '', '', '', '', '', '', '', '', '', '* myContacts', email ? '* Home' : '', email, '', '', ...phone1, ...phone2, '', ''].join(',');

  it("takes the phone labelled as a mobile for the phone, the other for the secondary phone, whichever column it is in", () => {
    const [mariana, jose, lupita, arturo] = mapExport(
      [
        HEADER,
        contact('Mariana', 'Hernández Ruiz', 'mariana.hdz@gmail.com', ['Home', '55 5264 1190'], ['Mobile', '55 3412 8870']),
        contact('José Luis', 'Ramírez', 'jl.ramirez@outlook.com', ['* Móvil', '+52 33 1456 2209'], ['Trabajo', '33 3615 4400']),
        // Google in Spanish, the mobile starred as the primary one.
        contact('Guadalupe', 'Torres', '', ['Casa', '222 246 1180'], ['* Celular', '222 318 9045']),
        contact('Arturo', 'Gómez', '', ['Trabajo', '442 212 0099'], ['Cel.', '442 195 3377']),
      ].join('\n'),
    );
    expect(mariana!.issues).toEqual([]);
    expect(mariana!.draft).toMatchObject({ name: 'Mariana Hernández Ruiz', email: 'mariana.hdz@gmail.com', phoneNumber: '+525534128870', secondaryPhoneNumber: '+525552641190' });
    // The labels stay metadata, as they were: which number was the home one is still there to read.
    expect(metadataOf(mariana!)).toEqual({ 'E-mail 1 - Label': '* Home', 'Phone 1 - Label': 'Home', 'Phone 2 - Label': 'Mobile' });
    expect(jose!.draft).toMatchObject({ phoneNumber: '+523314562209', secondaryPhoneNumber: '+523336154400' });
    expect(lupita!.draft).toMatchObject({ phoneNumber: '+522223189045', secondaryPhoneNumber: '+522222461180' });
    expect(arturo!.draft).toMatchObject({ phoneNumber: '+524421953377', secondaryPhoneNumber: '+524422120099' });
  });

  it("keeps the file's order where no label says mobile, or both do", () => {
    const rows = mapExport(
      [
        HEADER,
        contact('Rocío', 'Salas', '', ['Main', '81 8340 1122'], ['Other', '81 1234 5678']),
        contact('Daniel', 'Vega', '', ['Mobile', '55 4021 7788'], ['Mobile', '55 1908 4455']),
        contact('Hugo', 'Lara', '', ['', '55 5598 2210'], ['', '55 3630 1020']),
        // A custom label that only mentions a mobile's word inside another word is no mobile.
        contact('Itzel', 'Mora', '', ['Oficina', '33 3630 1020'], ['Celebraciones', '33 1908 4455']),
      ].join('\n'),
    );
    expect(rows.map((mapped) => [mapped.draft.phoneNumber, mapped.draft.secondaryPhoneNumber])).toEqual([
      ['+528183401122', '+528112345678'],
      ['+525540217788', '+525519084455'],
      ['+525555982210', '+525536301020'],
      ['+523336301020', '+523319084455'],
    ]);
    expect(rows.every((mapped) => mapped.issues.length === 0)).toBe(true);
  });

  it('reads a value cell holding several numbers (` ::: `): the first fills the phone, and a cell with a number no field takes is kept whole as metadata', () => {
    const [fernanda, ruben, sofia] = mapExport(
      [
        HEADER,
        // Two mobiles under one label, a landline beside them: the mobiles are the phones, the landline's cell is kept.
        contact('Fernanda', 'Ortiz Salas', 'fer.ortiz@empresa.mx', ['Mobile', '81 1234 5678 ::: 81 8765 4321'], ['Home', '81 8340 1122']),
        // Alone, the cell's two numbers fill both phones, and nothing is left over.
        contact('Rubén', 'Muñoz', '', ['Mobile', '55 1234 5678 ::: 55 8765 4321']),
        // Two landlines first, the mobile after: the second landline is kept.
        contact('Sofía', 'Peña', '', ['Home', '55 5264 1190 ::: 55 5264 1191'], ['Mobile', '55 3412 8870']),
      ].join('\n'),
    );
    // It was refused: "holds two phone numbers: keep one here and put the other in "Phone 2 - Value"".
    expect(fernanda!.issues).toEqual([]);
    expect(fernanda!.draft).toMatchObject({ phoneNumber: '+528112345678', secondaryPhoneNumber: '+528187654321' });
    expect(metadataOf(fernanda!)).toMatchObject({ 'Phone 2 - Value': '81 8340 1122' });
    expect(ruben!.issues).toEqual([]);
    expect(ruben!.draft).toMatchObject({ phoneNumber: '+525512345678', secondaryPhoneNumber: '+525587654321' });
    expect(Object.keys(metadataOf(ruben!))).not.toContain('Phone 1 - Value');
    expect(sofia!.draft).toMatchObject({ phoneNumber: '+525534128870', secondaryPhoneNumber: '+525552641190' });
    expect(metadataOf(sofia!)).toMatchObject({ 'Phone 1 - Value': '55 5264 1190 ::: 55 5264 1191' });
  });

  it('gives each number of a cell the label in the same place of its label cell, when there are as many', () => {
    const [mapped] = mapExport([HEADER, contact('Andrea', 'Núñez', '', ['Home ::: Mobile', '55 5264 1190 ::: 55 3412 8870'])].join('\n'));
    expect(mapped!.draft).toMatchObject({ phoneNumber: '+525534128870', secondaryPhoneNumber: '+525552641190' });
  });

  it('refuses a number it cannot read, naming its column, whichever field it was to fill', () => {
    const [mapped] = mapExport([HEADER, contact('Mateo', 'Santos', '', ['Home', '55 5264 1190'], ['Mobile', '55 1234'])].join('\n'));
    expect(mapped!.issues).toEqual([{ row: 2, column: 'Phone 2 - Value', code: 'invalid_phone', value: '55 1234', rule: expect.stringMatching(/^has 6 digits and a Mexican number has 10: digits are missing/) }]);
  });

  it('reads the first address of E-mail 1 and keeps its cell as metadata; E-mail 2 stays metadata alone', () => {
    const [mapped] = mapExport([HEADER, contact('Ximena', 'Rodríguez', 'ximena.rdz@gmail.com ::: xrodriguez@colegio.mx', ['Mobile', '55 3412 8870'])].join('\n'));
    // It was refused: "holds more than one email".
    expect(mapped!.issues).toEqual([]);
    expect(mapped!.draft.email).toBe('ximena.rdz@gmail.com');
    expect(metadataOf(mapped!)).toMatchObject({ 'E-mail 1 - Value': 'ximena.rdz@gmail.com ::: xrodriguez@colegio.mx' });
    const { headers } = exported(HEADER);
    // An address in E-mail 2 alone is metadata, not the email (which address a customer reads is no label's to say).
    const map = createRowMapper(resolveMapping(headers), { defaultCountry: 'MX' });
    const onlySecond = headers.map((header) => (header === 'First Name' ? 'Iván' : header === 'E-mail 2 - Value' ? 'ivan@x.mx' : ''));
    expect(map(row(onlySecond)).draft).toEqual({ name: 'Iván', metadata: [{ key: 'E-mail 2 - Value', value: 'ivan@x.mx' }] });
  });

  it("reads Google's older export (Phone 1 - Type) the same way, and a third phone labelled as the mobile", () => {
    const older = 'Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Phone 3 - Type,Phone 3 - Value';
    const blank = Array(28).fill('');
    const [claudia] = mapExport([older, ['Claudia Morales Vega', 'Claudia', '', 'Morales Vega', ...blank.slice(4), '* myContacts', '* Home', 'claudia.mv@yahoo.com.mx', 'Home', '222 246 1180', 'Work', '222 229 5500', 'Mobile', '222 318 9045'].join(',')].join('\n'));
    expect(claudia!.issues).toEqual([]);
    expect(claudia!.draft).toMatchObject({ name: 'Claudia Morales Vega', phoneNumber: '+522223189045', secondaryPhoneNumber: '+522222461180' });
    // The work number no field takes is kept, and so is the third phone's column, metadata as it always was.
    expect(metadataOf(claudia!)).toMatchObject({ 'Phone 2 - Value': '222 229 5500', 'Phone 3 - Value': '222 318 9045' });
    // A third phone alone, whatever its label, is the phone (it was metadata only).
    const [pablo] = mapExport([older, ['Pablo Ibarra', 'Pablo', '', 'Ibarra', ...blank.slice(4), '* myContacts', '', '', '', '', '', '', 'Other', '477 712 3344'].join(',')].join('\n'));
    expect(pablo!.draft).toMatchObject({ phoneNumber: '+524777123344' });
    expect(pablo!.draft.secondaryPhoneNumber).toBeUndefined();
    expect(metadataOf(pablo!)).toMatchObject({ 'Phone 3 - Value': '477 712 3344' });
  });

  it('leaves the phones to a mapping file that chooses them, and splits no cell where the unmapped columns are not kept', () => {
    const headers = exported(HEADER).headers;
    const values = (phone1: [string, string], phone2: [string, string]) => headers.map((header) => ({ 'First Name': 'Ana', 'Phone 1 - Label': phone1[0], 'Phone 1 - Value': phone1[1], 'Phone 2 - Label': phone2[0], 'Phone 2 - Value': phone2[1] })[header] ?? '');
    const chosen = resolveMapping(headers, mappingFileSchema.parse({ columns: { 'First Name': 'name', 'Phone 1 - Value': 'phoneNumber', 'Phone 2 - Value': 'secondaryPhoneNumber' } }));
    expect(chosen.labelled?.some((group) => group.prefer === 'mobile')).toBeFalsy();
    expect(createRowMapper(chosen, { defaultCountry: 'MX' })(row(values(['Home', '55 5264 1190'], ['Mobile', '55 3412 8870']))).draft).toMatchObject({ phoneNumber: '+525552641190', secondaryPhoneNumber: '+525534128870' });
    // `"unmapped": "ignore"`: the mobile still comes first, but a cell of two numbers is refused as before (the second would be lost).
    const ignoring = createRowMapper(resolveMapping(headers, mappingFileSchema.parse({ unmapped: 'ignore' })), { defaultCountry: 'MX' });
    expect(ignoring(row(values(['Home', '55 5264 1190'], ['Mobile', '55 3412 8870']))).draft).toEqual({ name: 'Ana', phoneNumber: '+525534128870', secondaryPhoneNumber: '+525552641190' });
    expect(ignoring(row(values(['Mobile', '55 1234 5678 ::: 55 8765 4321'], ['', '']))).issues.map((issue) => issue.rule)).toEqual([expect.stringMatching(/^holds two phone numbers/)]);
  });
});

describe("a contact list's display name", () => {
  // Thunderbird's address book export, as it writes it (a comma after the last column too).
  const THUNDERBIRD =
    'First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Home Address,Home Address 2,Home City,Home State,Home ZipCode,Home Country,Work Address,Work Address 2,Work City,Work State,Work ZipCode,Work Country,Job Title,Department,Organization,Web Page 1,Web Page 2,Birth Year,Birth Month,Birth Day,Custom 1,Custom 2,Custom 3,Custom 4,Notes,';
  const line = (cells: Record<number, string>) => Array.from({ length: 38 }, (_, i) => cells[i] ?? '').join(',');

  it('names a row whose display name is empty by its first and last name, and keeps the display name where there is one', () => {
    const [lupita, ricardo, carmen, nobody] = mapExport(
      [
        THUNDERBIRD,
        line({ 0: 'Guadalupe', 1: 'Torres Méndez', 2: 'Lupita Torres', 3: 'Lupita', 4: 'lupita.torres@gmail.com', 8: '55 5598 2210', 11: '55 4021 7788', 14: 'Ciudad de México' }),
        line({ 0: 'Ricardo', 1: 'Castañeda', 4: 'rcastaneda@prodigy.net.mx', 7: '33 3630 1020', 11: '33 1908 4455', 26: 'Ferretería Castañeda' }),
        line({ 0: 'Carmen', 4: 'carmen.ibarra@hotmail.com' }),
        line({ 4: 'sinnombre@gmail.com', 26: 'Papelería El Árbol' }),
      ].join('\n'),
    );
    expect(lupita!.draft.name).toBe('Lupita Torres');
    expect(metadataOf(lupita!)).toMatchObject({ 'First Name': 'Guadalupe', 'Last Name': 'Torres Méndez' });
    // It was refused: no name.
    expect(ricardo!.draft).toMatchObject({ name: 'Ricardo Castañeda', email: 'rcastaneda@prodigy.net.mx', phoneNumber: '+523319084455' });
    expect(metadataOf(ricardo!)).toMatchObject({ 'First Name': 'Ricardo', 'Last Name': 'Castañeda', Organization: 'Ferretería Castañeda' });
    expect(carmen!.draft.name).toBe('Carmen');
    // No name anywhere: still none (the company is no person's name).
    expect(nobody!.draft.name).toBeUndefined();
    expect([lupita, ricardo, carmen, nobody].flatMap((mapped) => mapped!.issues)).toEqual([]);
  });

  it("never names an Odoo contact after its Company (the seller's own), display name empty or not", () => {
    const [partner, child] = mapExport(
      [
        'Display Name,Email,Phone,Mobile,Tags,Company,Is a Company,Related Company,Tax ID',
        'Ferretería La Palma,ventas@lapalma.mx,33 3614 5500,,Mayoreo,Distribuidora Occidente,True,,FLP0102038K1',
        ',compras@lapalma.mx,,33 1456 2209,,Distribuidora Occidente,False,Ferretería La Palma,',
      ].join('\n'),
    );
    expect(partner!.draft.name).toBe('Ferretería La Palma');
    expect(child!.draft.name).toBeUndefined();
    // Odoo with the first and last name fields (the partner_firstname module): the same fallback.
    const [named] = mapExport(['Display Name,First name,Last name,Email,Company', ',Martha,Quiroga,mquiroga@gmail.com,Distribuidora Occidente'].join('\n'));
    expect(named!.draft.name).toBe('Martha Quiroga');
  });
});
