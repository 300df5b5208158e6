import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import { columnLetters } from '../../read/column-letters.js';
import { neutralizeFormula } from '../cell-safety.js';
import { closeAfter, openPrivateStream, outputError } from '../file-sink.js';
import { REFUSED_STATUSES } from '../row-status.js';
import type { TableRow, TableWriter } from './table-writer.js';

/** How an XLSX report file is written. */
export interface XlsxTableOptions {
  /** Sheet name. Default `Results`. */
  sheetName?: string;
  /** Columns written as numbers when their text is an integer (the report's `row`). */
  numericColumns?: readonly number[];
  /** Tint refused and failed rows, and color their status cell. Default false. */
  highlight?: boolean;
  /** Index of the status column, colored when `highlight` is on. */
  statusColumn?: number;
  /** Column widths in characters, by index; a column without one is sized by its header (see `widthFor`). */
  columnWidths?: readonly number[];
}

const REFUSED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E2' } };
const NOT_ATTEMPTED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF4CC' } };
const REFUSED_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FF9C0006' } };

/**
 * An XLSX report file written with exceljs's streaming writer (rows are flushed as they come, never
 * the whole sheet in memory): bold header, frozen first row, an autofilter over the rows, and with
 * `highlight` the refused and failed rows tinted red (rows not attempted, yellow). Text cells are
 * neutralized against formula injection, since a person may edit them and press Enter.
 */
export class XlsxTableWriter implements TableWriter {
  private readonly ready: Promise<{ workbook: ExcelJS.stream.xlsx.WorkbookWriter; sheet: ExcelJS.Worksheet; stream: WriteStream }>;
  private readonly numeric: ReadonlySet<number>;
  private readonly columnCount: number;
  /** Rows written below the header, for the autofilter's range. */
  private rowsWritten = 0;

  constructor(
    readonly path: string,
    headers: readonly string[],
    private readonly options: XlsxTableOptions = {},
  ) {
    this.numeric = new Set(options.numericColumns ?? []);
    this.columnCount = Math.max(headers.length, 1);
    this.ready = openPrivateStream(path).then((stream) => {
      const workbook = new (loadWorkbookWriter())({ stream, useStyles: true, useSharedStrings: false });
      const sheet = workbook.addWorksheet(options.sheetName ?? 'Results', { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = headers.map((header, i) => ({ width: options.columnWidths?.[i] ?? widthFor(header) }));
      const header = sheet.addRow(headers.map(neutralizeFormula));
      header.font = { bold: true };
      header.commit();
      return { workbook, sheet, stream };
    });
    this.ready.catch(() => {}); // reported by write() or close()
  }

  /** Adds rows; resolves once the file can take more. Rejects with an `ImportError` (`output`) once the file cannot be written. */
  async write(rows: readonly TableRow[]): Promise<void> {
    try {
      const { sheet, stream } = await this.ready;
      // The zip writes into the file in the background: a full disk shows only on the stream, and
      // rows added after it would be lost without a word while the run went on sending.
      if (stream.errored) throw stream.errored;
      for (const row of rows) {
        const values = row.cells.map((cell, i) => (this.numeric.has(i) && /^\d+$/.test(cell) ? Number(cell) : neutralizeFormula(cell)));
        const added = sheet.addRow(values);
        if (this.options.highlight) this.tint(added, row);
        added.commit();
      }
      this.rowsWritten += rows.length;
      if (stream.writableNeedDrain) await once(stream, 'drain');
    } catch (error) {
      throw outputError(this.path, error);
    }
  }

  async close(): Promise<void> {
    const { workbook, sheet, stream } = await this.ready;
    filterRows(workbook, sheet, this.rowsWritten + 1, this.columnCount);
    // A stream that failed before (a full disk) is not committed to: the commit would wait forever
    // for a 'finish' the destroyed stream never emits, and the run would never settle.
    await closeAfter(stream, () => (stream.errored ? Promise.reject(stream.errored) : workbook.commit()));
  }

  private tint(row: ExcelJS.Row, table: TableRow): void {
    const fill = REFUSED_STATUSES.has(table.status) ? REFUSED_FILL : table.status === 'not_attempted' ? NOT_ATTEMPTED_FILL : undefined;
    if (!fill) return;
    for (let column = 1; column <= table.cells.length; column++) row.getCell(column).fill = fill;
    if (this.options.statusColumn !== undefined && REFUSED_STATUSES.has(table.status)) {
      row.getCell(this.options.statusColumn + 1).font = REFUSED_FONT;
    }
  }
}

/**
 * Puts the autofilter over the header and the rows below it, once their number is known (the
 * streaming writer writes it after the rows). A filter set on the header row alone, as this was,
 * named no row to filter; and LibreOffice shows a filter only when the workbook also
 * names its range `_xlnm._FilterDatabase`, as Excel and LibreOffice themselves write, which
 * exceljs's streaming writer does not. Its `definedNames` keeps one object a cell a name covers (a
 * million-row report, millions), so the name goes in as the model the workbook is written from.
 */
function filterRows(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet, lastRow: number, columns: number): void {
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: columns } };
  const range = `'${sheet.name.replace(/'/g, "''")}'!$A$1:$${columnLetters(columns)}$${lastRow}`;
  (workbook as unknown as { _definedNames: { model: unknown[] } })._definedNames = {
    model: [{ name: '_xlnm._FilterDatabase', localSheetId: 0, ranges: [range] }],
  };
}

/**
 * A column's width from its header, since a streaming writer cannot measure the cells it has not
 * seen: the header's length and some room, 12 to 40 characters, and 60 for the message column of
 * an errors file (`error`, `import error`), whose sentences are the reason to open it.
 */
function widthFor(header: string): number {
  return header === 'error' || header === 'import error' ? 60 : Math.min(Math.max(header.length + 4, 12), 40);
}

/**
 * exceljs's streaming workbook writer alone, loaded on first use (most runs write CSV). The whole
 * package (its readers, its CSV support) took 27 MB of a workbook run's peak memory against 16 MB
 * for the writer's own modules: the errors file of a 200,000-row workbook dry run peaked at 149 MB.
 */
function loadWorkbookWriter(): typeof ExcelJS.stream.xlsx.WorkbookWriter {
  return createRequire(import.meta.url)('exceljs/lib/stream/xlsx/workbook-writer.js') as typeof ExcelJS.stream.xlsx.WorkbookWriter;
}
