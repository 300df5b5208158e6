import { describe, expect, it } from 'vitest';
import { mappingFileSchema } from '../../src/map/mapping-file.js';
import { resolveMapping } from '../../src/map/resolve-mapping.js';
import { createTemplateRowTest, templateRowsWarning } from '../../src/map/template-row.js';
import { RowRanges } from '../../src/read/row-sample.js';
import type { SourceRow } from '../../src/read/source-row.js';

const row = (values: string[], number = 5): SourceRow => ({ row: number, values });

describe('createTemplateRowTest', () => {
  const headers = ['No.', 'Nombre completo', 'Matrícula', 'Correo', 'Teléfono mamá', 'Colegiatura', 'Descuento', 'Total', ''];
  const isTemplateRow = createTemplateRowTest(resolveMapping(headers));

  it('takes a line holding only a list number and a formula\'s zeros for a template\'s empty line', () => {
    for (const values of [
      ['4', '', '', '', '', '', '', '0', ''],
      ['31', '', '', '', '', '', '', '$0.00', ''],
      ['7.', '', '', '', '', '0', '0%', '0.00', ''],
      ['', '', '', '', '', '', '', '$ -', ''],
      ['', '', '', '', '', '', '', '-', ''],
      ['', '', '', '', '', '', '', '0,00', '12'], // the number in a column without a header: a list's too
      ['12', ' ', '', '', '', '', '', ' 0 ', ''],
    ]) {
      expect(isTemplateRow(row(values)), JSON.stringify(values)).toBe(true);
    }
  });

  it('keeps any row with a customer\'s text, an identifier, someone\'s phone, other text or another number as data', () => {
    for (const values of [
      ['4', 'Ana Ruiz', '', '', '', '', '', '0', ''],
      ['4', '', '', 'ana@x.mx', '', '', '', '0', ''],
      ['4', '', '12345', '', '', '', '', '0', ''], // a student's number: the name was forgotten
      ['4', '', '', '', '5512345678', '', '', '', ''], // the mother's phone
      ['4', '', '', '', '', '', '', 'pendiente', ''],
      ['4', '', '', '', '', '2500', '', '2500', ''], // a fee is no list number
      ['', '', '', '', '', '', '', '', 'nota'],
      ['4', '', '', '', '', '', '', '0', 'x'],
      ['123456', '', '', '', '', '', '', '', ''],
    ]) {
      expect(isTemplateRow(row(values)), JSON.stringify(values)).toBe(false);
    }
    // A cell the reader found a problem in (an error, a formula never calculated) is the row's problem to report.
    expect(isTemplateRow({ row: 5, values: ['4', '', '', '', '', '', '', '', ''], cellIssues: [{ column: 7, code: 'formula_uncalculated', message: '…' }] })).toBe(false);
  });

  it('counts every field as a customer\'s, a zero too: tags, a yes/no, a second phone, a joined surname', () => {
    const plan = resolveMapping(['#', 'Nombre(s)', 'Apellido paterno', 'Teléfono', 'Celular', 'Etiquetas', 'Acepta contrato']);
    const test = createTemplateRowTest(plan);
    expect(test(row(['3', '', '', '', '', '', '']))).toBe(true);
    for (const index of [2, 3, 4, 5, 6]) {
      const values = ['3', '', '', '', '', '', ''];
      values[index] = '0';
      expect(test(row(values)), plan.columns[index]!.header).toBe(false);
    }
  });

  it('reads the list number under its usual headers only; a column the mapping file ignores holds filler too', () => {
    for (const header of ['#', 'No', 'Núm.', 'N°', 'Nº', 'Consecutivo', 'No. de lista', 'Número']) {
      expect(createTemplateRowTest(resolveMapping([header, 'Nombre']))(row(['8', ''])), header).toBe(true);
    }
    for (const header of ['Grado', 'ID', 'Clave', 'Edad']) expect(createTemplateRowTest(resolveMapping([header, 'Nombre']))(row(['8', ''])), header).toBe(false);
    const ignored = resolveMapping(['No.', 'Nombre', 'Total'], mappingFileSchema.parse({ columns: { Total: null } }));
    expect(createTemplateRowTest(ignored)(row(['8', '', '0']))).toBe(true);
  });
});

describe('templateRowsWarning', () => {
  const warning = (rows: number[]) => {
    const ranges = new RowRanges();
    for (const number of rows) ranges.add(number);
    return templateRowsWarning(ranges);
  };

  it('names the rows as ranges, the first few, and counts the rest', () => {
    expect(warning([4])).toBe('row 4 holds only a list number or a calculated 0 and no customer data: skipped as empty template rows');
    expect(warning(Array.from({ length: 28 }, (_, i) => i + 4))).toBe('rows 4–31 hold only a list number or a calculated 0 and no customer data: skipped as empty template rows');
    expect(warning([4, 5, 7, 9, 10, 11, 13, 15, 16, 18, 19])).toBe('rows 4–5, 7, 9–11, 13, 15–16 and 2 more hold only a list number or a calculated 0 and no customer data: skipped as empty template rows');
  });
});
