import { describe, expect, it } from 'vitest';
import { tableBeside } from '../../src/map/table-beside.js';
import type { SourceRow } from '../../src/read/source-row.js';

/** Rows numbered from 2, under a header on row 1. */
const rows = (lines: string[][]): SourceRow[] => lines.map((values, i) => ({ row: i + 2, values }));
/** `count` students, each with a group, in columns A–C. */
const students = (count: number, extra: (i: number) => string[] = () => []): string[][] =>
  Array.from({ length: count }, (_, i) => [`Alumno ${i + 1}`, `alumno${i + 1}@colegio.mx`, i < count / 2 ? '1A' : '1B', ...extra(i)]);

describe('tableBeside', () => {
  it('finds a legend right of an empty column, filling the first rows only', () => {
    const lines = students(12, (i) => (i < 3 ? ['', ['BE', 'RE', 'NI'][i]!, ['Becado', 'Reinscrito', 'Nuevo ingreso'][i]!] : []));
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Clave', 'Significado'], rows(lines))).toEqual({ gap: 3, columns: [4, 5], firstRow: 2, lastRow: 4 });
  });

  it('finds a count by group under a header of the list again, however short the list, and past two empty columns', () => {
    const lines = students(3, (i) => (i < 2 ? ['', '', ['1A', '1B'][i]!, ['2', '1'][i]!] : []));
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', '', 'Grupo', 'Alumnos'], rows(lines))).toEqual({ gap: 3, columns: [5, 6], firstRow: 2, lastRow: 3 });
  });

  it('finds a table running on past the list\'s last row', () => {
    const lines = [...students(2, () => ['', 'BE', 'Becado']), ['', '', '', '', 'RE', 'Reinscrito'], ['', '', '', '', 'NI', 'Nuevo ingreso']];
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Clave', 'Significado'], rows(lines))).toMatchObject({ firstRow: 2, lastRow: 5 });
  });

  it('leaves columns the list fills along its rows: a block set apart by an empty column, a tutor\'s filled for most students', () => {
    const headers = ['Nombre', 'Correo', 'Grupo', '', 'Nombre del tutor', 'Celular del tutor'];
    expect(tableBeside(headers, rows(students(12, (i) => ['', `Tutor ${i}`, '5512345678'])))).toBeUndefined();
    expect(tableBeside(headers, rows(students(12, (i) => (i < 8 ? ['', `Tutor ${i}`, '5512345678'] : []))))).toBeUndefined();
    // Filled here and there, or not from the first row: a column's notes, not a table.
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Notas'], rows(students(12, (i) => (i === 0 || i === 5 ? ['', 'Alergia'] : []))))).toBeUndefined();
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Notas'], rows(students(12, (i) => (i === 4 || i === 5 ? ['', 'Alergia'] : []))))).toBeUndefined();
  });

  it('leaves a column of the list\'s own set apart by an empty column and filled on its first rows only, unless its name is a legend\'s or a count\'s', () => {
    // Before: refused the whole roster (exit 2) as "a small table beside the list".
    const noted = rows(students(12, (i) => (i < 2 ? ['', ['Debe colegiatura', 'Beca 50%'][i]!, ['Mamá', 'Papá'][i]!] : [])));
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Observaciones', 'Tutor'], noted)).toBeUndefined();
    // A billing file's arrears, for the students who owe.
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Concepto', 'Monto'], noted)).toBeUndefined();
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Descripción', 'Cantidad'], noted)).toBeUndefined();
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Claves', 'Descripción'], noted)).toMatchObject({ firstRow: 2, lastRow: 3 });
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Turno', 'No. de alumnos'], noted)).toMatchObject({ firstRow: 2, lastRow: 3 });
  });

  it('leaves a table whose end is not among the rows read, and one with values in the empty column', () => {
    const lines = students(4, () => ['', 'BE', 'Becado']);
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Clave', 'Significado'], rows(lines))).toBeUndefined();
    const unheaded = students(12, (i) => (i < 3 ? ['x', 'BE', 'Becado'] : i === 7 ? ['y'] : []));
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', 'Clave', 'Significado'], rows(unheaded))).toBeUndefined();
    expect(tableBeside(['Nombre', 'Correo', 'Grupo', '', ''], rows(students(12)))).toBeUndefined();
  });
});
