import { ReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parseSharedStrings } from './xlsx-sheet.js';
import { SharedStringTable, type SharedStringTableOptions } from './xlsx-shared-strings.js';

/** A worksheet part as exceljs's streaming reader reaches it in the zip. */
export interface WorksheetPart {
  /** N of `xl/worksheets/sheetN.xml`. */
  sheetNo: string;
  /** The part's XML bytes: the zip entry itself, or exceljs's temporary copy of it. */
  chunks: AsyncIterable<Buffer>;
  /** Set when exceljs spooled the part to a temporary file (it came before the shared strings). */
  spooled: ReadStream | undefined;
}

interface WorkbookReaderInternals {
  /** exceljs streams a worksheet only once this and `workbookRels` are set (else it spools it to a file first). */
  sharedStrings?: unknown;
  workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  parse(): AsyncGenerator<{ eventType: string; value: unknown }>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<{ eventType: string; value: unknown }>;
}

const WorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: Readable,
  options: Record<string, string>,
) => WorkbookReaderInternals;

/**
 * exceljs's streaming WorkbookReader (unzip as a stream, temporary file when a sheet precedes the
 * shared strings, unless they were read ahead), with three changes made through its internal hooks,
 * which exceljs 4.4.0 (pinned) has:
 * - shared strings are parsed by `parseSharedStrings` (any namespace prefix, phonetic guides left
 *   out) into a compact `SharedStringTable` instead of exceljs's array of strings (200,000 rows of
 *   distinct text: 227 MB peak before, 175 MB after), which moves its text past a memory budget
 *   to a temporary file;
 * - worksheets are handed over as raw XML parts (`parseSheetRowBatches` reads them) instead of exceljs
 *   rows, whose cells lose the cell type: a FALSE() or a formula result of 0 comes back without a
 *   value, and a formula's date result as a bare number;
 * - the shared strings and the relationships can be read ahead of the stream (`readAheadOfSheet`).
 */
class WorksheetPartReader extends WorkbookReader {
  *_parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<{ eventType: string; value: WorksheetPart }> {
    const spooled = iterator instanceof ReadStream ? iterator : undefined;
    yield { eventType: 'worksheet', value: { sheetNo, chunks: iterator, spooled } };
  }

  /** The table, filled as exceljs's parser emits each string (`sharedStrings: 'emit'`). */
  readonly table: SharedStringTable;

  constructor(input: Readable, options: Record<string, string>, tableOptions: SharedStringTableOptions) {
    super(input, options);
    this.table = new SharedStringTable(tableOptions);
  }

  /** Set once the table was filled from the zip's directory ahead of the stream: the stream's copy of the part is skipped. */
  private readAhead = false;

  override async *_parseSharedStrings(entry: Readable): AsyncGenerator<{ eventType: string; value: unknown }> {
    if (this.readAhead) return; // exceljs drains the entry
    for await (const strings of parseSharedStrings(entry)) for (const text of strings) this.table.add(text);
    this.table.finish();
    this.sharedStrings = this.table;
  }

  /**
   * Reads the shared strings and the workbook's relationships before the stream reaches the sheet
   * (from streams of those parts opened by position in the zip), so that exceljs streams the sheet
   * where it lies instead of copying it to a temporary file first. A part the workbook lacks counts
   * as read and empty.
   */
  async readAheadOfSheet(parts: { sharedStrings?: Readable; rels?: Readable }): Promise<void> {
    if (parts.rels) await this._parseRels(parts.rels);
    else this.workbookRels = [];
    if (parts.sharedStrings) {
      for await (const event of this._parseSharedStrings(parts.sharedStrings)) void event;
    } else {
      this.table.finish();
      this.sharedStrings = this.table;
    }
    this.readAhead = true;
  }
}

/**
 * Opens the streaming reader over a file stream; `readAheadOfSheet()` first when the sheet comes
 * before the shared strings, then iterate `parts()`, read `sharedStrings()`, and `close()` when
 * done (the table may hold a temporary file).
 */
export function openWorkbookStream(
  input: Readable,
  tableOptions: SharedStringTableOptions = {},
): {
  parts: () => AsyncGenerator<WorksheetPart>;
  sharedStrings: () => SharedStringTable | undefined;
  readAheadOfSheet: (parts: { sharedStrings?: Readable; rels?: Readable }) => Promise<void>;
  close: () => void;
} {
  const reader = new WorksheetPartReader(input, {
    worksheets: 'emit',
    // Emitted one by one into a compact table instead of exceljs's array of strings.
    sharedStrings: 'emit',
    // Hyperlinks sit after the cells in the sheet XML, too late for a stream: the cell's own text
    // is what a person sees (the address of a mailto: link). Number formats are read separately.
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  }, tableOptions);
  return {
    async *parts() {
      for await (const event of reader.parse()) {
        if (event.eventType === 'worksheet') yield event.value as WorksheetPart;
      }
    },
    sharedStrings: () => (reader.table.size > 0 ? reader.table : undefined),
    readAheadOfSheet: (parts) => reader.readAheadOfSheet(parts),
    close: () => reader.table.close(),
  };
}
