import type { SourceRow } from '../read/source-row.js';
import { headerKey } from './header-key.js';

/** A small table right of the list, past an empty column: a legend (`Clave | Significado`) or a summary (`Grupo | Alumnos`). */
export interface TableBeside {
  /** The first empty column between the list and the table (0-based). */
  gap: number;
  /** The table's columns that have a header (0-based). */
  columns: number[];
  /** The rows it fills, as a spreadsheet numbers them. */
  firstRow: number;
  lastRow: number;
}

/**
 * A table set beside the list with its column names on the header row, told by the rows it fills:
 * right of columns empty in every row read (`gap`), it fills the first rows only, and no more than
 * half of the list's under a legend's or a count's words (`Clave | Significado`), or under a header
 * of the list's again (`Grupo | Alumnos` beside the list's `Grupo`: its values' count or meaning),
 * or runs on past the list's last row. Read as one
 * table, its cells went to the customers on those rows as metadata. Columns the list fills all
 * along (a tutor's block set apart by an empty column) are no such table; neither is one that fills
 * the last row read, whose end is not seen. `rows` are the first rows read, not the whole file.
 */
export function tableBeside(headers: readonly string[], rows: readonly SourceRow[]): TableBeside | undefined {
  for (let gap = 1; gap < headers.length; gap++) {
    if (headers[gap]!.trim() !== '' || headers[gap - 1]!.trim() === '') continue;
    let start = gap;
    while (start < headers.length && headers[start]!.trim() === '') start++;
    if (start === headers.length) return undefined;
    const found = tableFrom(gap, start, headers, rows);
    if (found) return found;
    gap = start;
  }
  return undefined;
}

/** The table whose columns start at `start`, right of the empty columns from `gap`, if the rows make it one. */
function tableFrom(gap: number, start: number, headers: readonly string[], rows: readonly SourceRow[]): TableBeside | undefined {
  /** Rows the table fills: the first ones, and only those. */
  let tableRows = 0;
  let listRows = 0;
  let lastListRow = -1;
  for (let i = 0; i < rows.length; i++) {
    const { values } = rows[i]!;
    if (anyFilled(values, gap, start)) return undefined;
    if (anyFilled(values, start, values.length)) {
      // Not from the first row on, or with a hole: no table under its column names.
      if (tableRows !== i) return undefined;
      tableRows++;
    }
    if (anyFilled(values, 0, gap)) {
      listRows++;
      lastListRow = i;
    }
  }
  if (tableRows === 0 || listRows === 0) return undefined;
  const pastTheList = tableRows > lastListRow + 1;
  const firstKey = headerKey(headers[start]!);
  const keyedByTheList = headers.slice(0, gap).some((header) => headerKey(header) === firstKey);
  const columns = headers.flatMap((header, index) => (index >= start && header.trim() !== '' ? [index] : []));
  // Filling the first rows only is not enough: a list's `Observaciones` set apart by an empty
  // column, noted for its first two students, refused the whole roster. A legend's or a count's
  // own words say it is one.
  const tableWords = columns.some((index) => TABLE_HEADER.test(headerKey(headers[index]!)));
  const endsFirst = tableRows < rows.length && lastListRow >= tableRows && (keyedByTheList || (tableWords && tableRows * 2 <= listRows));
  if (!pastTheList && !endsFirst) return undefined;
  return { gap, columns, firstRow: rows[0]!.row, lastRow: rows[tableRows - 1]!.row };
}

/** A legend's or a summary's column names (as `headerKey` spells them): `Clave | Significado`, `Grupo | Alumnos`, `Total`. */
// Not `Concepto`, `Descripción` or `Cantidad`: a billing file's own columns (`Concepto | Monto` for the students who owe).
const TABLE_HEADER = /^(?:claves?|significados?|leyenda|simbologia|abreviaturas?|(?:total|numero|no|num)?(?:de)?alumnos|total(?:es)?|inscritos|hombres|mujeres|resumen)$/;

function anyFilled(values: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (values[i] !== undefined && values[i]!.trim() !== '') return true;
  return false;
}
