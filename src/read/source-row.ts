/**
 * A header cell as its column is named: trimmed of spaces and of the invisible characters a copy
 * from a web page or a chat leaves at its ends (a zero-width space: `\u200bNombre completo` showed
 * as `Nombre completo` yet named no column, and the file was refused for having no name column).
 */
export function trimHeader(text: string): string {
  return text.replace(HEADER_ENDS, '');
}
const HEADER_ENDS = /^[\s\u00ad\u200b-\u200d\u2060\ufeff]+|[\s\u00ad\u200b-\u200d\u2060\ufeff]+$/g;

/** A problem found in one cell while reading it (an Excel error value, a formula never calculated). */
export interface CellIssue {
  /** Index of the column in `SourceTable.headers`; absent when the problem is the row's shape. */
  column?: number;
  code: 'cell_error' | 'formula_uncalculated' | 'invalid_value' | 'malformed_row';
  /** What is wrong, without the row or the cell: rows refused alike are one reason in the summary. */
  message: string;
  /** The cell as the file holds it (`=A2&" "&B2`, `#N/A`, `1.23456789012345E+17`), quoted in the row's message. */
  value?: string;
  /**
   * What the cell shows where its value reads as `''` (an error cell's `#N/A`): written back in the
   * errors file, so the row imported from it unchanged is refused again, not sent without the field.
   */
  shown?: string;
}

/** One data row as a person sees it in a spreadsheet. */
export interface SourceRow {
  /** The row number a spreadsheet shows: the header is row 1 in a CSV; Excel's own number in a workbook. */
  row: number;
  /**
   * Cell texts aligned with `SourceTable.headers`; a missing cell is `''`. A row refused for its
   * shape (a `malformed_row` cell issue) also keeps its cells past the header, for the errors file.
   */
  values: string[];
  /** Problems found while reading the cells, if any. */
  cellIssues?: CellIssue[];
  /** Columns under a merged cell from a row above (a workbook's merged range covering them): empty, the value being the top row's. */
  mergedColumns?: number[];
  /** A CSV's last line with no line break after it: cut short, if the export was still being written. */
  unendedLine?: true;
}

/** How far the reader has got through the file, for progress and ETA. */
export interface ReadProgress {
  bytesRead: number;
  /** The file's size; once a CSV is read to its end, the bytes it held then. */
  totalBytes: number;
}

/** What a reader yields: the header and a lazy stream of data rows. Blank rows are never yielded. */
export interface SourceTable {
  format: 'csv' | 'xlsx';
  /** Header texts as written in the file (trimmed). */
  headers: string[];
  /** Row number of the header row. */
  headerRow: number;
  /** Set when the column names take this row and the next (a label merged over the columns under it). */
  headerRows?: 2;
  /**
   * The columns a merged name label spans (`NOMBRE DEL ALUMNO`), which make the name together: with
   * `headerRows`, given names first (the lower row names the parts); without, as written (see `nameColumnsAsWritten`).
   */
  nameColumns?: number[];
  /** Set when `nameColumns` are in the order written: no row names the parts. */
  nameColumnsAsWritten?: true;
  /** A workbook's merged cells across the header row: first and last column, 0-based. */
  headerMerges?: readonly (readonly [number, number])[];
  /** Facts for the log: encoding and delimiter of a CSV, sheet name of a workbook. */
  details: Record<string, string>;
  /**
   * The data rows in file order, in batches (one per chunk of the file read, never empty): a loop
   * over a batch takes its rows without an await each. One await a row (a promise and a microtask)
   * was a fifth of a dry run's time.
   */
  batches: AsyncIterable<SourceRow[]>;
  /** How far into the file the batches handed out so far reach, for progress and ETA. */
  progress(): ReadProgress;
  /** Releases the file when the rows will not be read to the end. */
  close(): Promise<void>;
}
