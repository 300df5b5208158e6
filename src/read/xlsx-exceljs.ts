import { randomUUID } from 'node:crypto';
import { rmSync, unlinkSync, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parseSharedStrings } from './xlsx-sheet.js';
import { SharedStringTable, type SharedStringTableOptions } from './xlsx-shared-strings.js';

/** A worksheet's part name, in any case, and its N. */
export const WORKSHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/i;

/** A worksheet part as the streaming reader reaches it in the zip. */
export interface WorksheetPart {
  /** N of `xl/worksheets/sheetN.xml`. */
  sheetNo: string;
  /** The part's XML bytes: the zip entry itself, or the reader's temporary copy of it. */
  chunks: AsyncIterable<Buffer>;
  /** Set when the reader copied the part to a temporary file (it came before the shared strings or the relationships). */
  spooled: ReadStream | undefined;
}

/** An entry of unzipper's streaming parse: a part's bytes, in the order the zip stores them. */
interface ZipEntryStream extends Duplex {
  path: string;
  /** Reads the entry's remaining bytes into nothing, so that the parse goes on past it. */
  autodrain(): unknown;
}

// exceljs's own unzipper and stream helper, resolved through exceljs so the versions agree.
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const unzipper = requireFromExceljs('unzipper') as { Parse(options: { forceStream: true }): Duplex & AsyncIterable<ZipEntryStream> };
const iterateStream = requireFromExceljs('./lib/utils/iterate-stream.js') as (stream: Readable) => AsyncIterable<Buffer>;

interface WorkbookReaderInternals {
  /** The stream of the .xlsx file given to the constructor. */
  input: Readable;
  /** Set once the workbook's relationships are read. */
  workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
}

const WorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable) => WorkbookReaderInternals;

/**
 * A streaming workbook reader (unzip as a stream, temporary file when a sheet precedes the shared
 * strings, unless they were read ahead) built on exceljs's WorkbookReader, of which it keeps the
 * relationships' parser (exceljs 4.4.0, pinned) and replaces the rest:
 * - `parse` reads the zip's entries with Node's own stream iterator: exceljs's `iterateStream`
 *   stops at unzipper's 'end', which unzipper emits as soon as it has parsed the last bytes of the
 *   file, before the entries it queued meanwhile are taken. Whenever the parse outran the reader
 *   (a loaded machine, a sheet being copied to a temporary file), every part after the one being
 *   read was dropped: the shared strings behind such a sheet, or the sheet itself;
 * - shared strings are parsed by `parseSharedStrings` (any namespace prefix, phonetic guides left
 *   out) into a compact `SharedStringTable` instead of exceljs's array of strings (200,000 rows of
 *   distinct text: 227 MB peak before, 175 MB after), which moves its text past a memory budget
 *   to a temporary file;
 * - worksheets are handed over as raw XML parts (`parseSheetRowBatches` reads them) instead of exceljs
 *   rows, whose cells lose the cell type: a FALSE() or a formula result of 0 comes back without a
 *   value, and a formula's date result as a bare number. Hyperlinks (after the cells in the sheet
 *   XML, too late for a stream) are not read: the cell's own text is what a person sees (the
 *   address of a mailto: link). workbook.xml and styles.xml are read from the zip's directory;
 * - the shared strings and the relationships can be read ahead of the stream (`readAheadOfSheet`).
 */
class WorksheetPartReader extends WorkbookReader {
  /** The table, filled as the shared strings part is parsed. */
  readonly table: SharedStringTable;
  /** Set once the table is filled: a worksheet streams only then and once `workbookRels` is set (else it is copied to a file first). */
  private tableFilled = false;
  /** Set once the table was filled from the zip's directory ahead of the stream: the stream's copy of the part is skipped. */
  private readAhead = false;
  /** Folder of the temporary copies of sheets met before the shared strings: the table's. */
  private readonly spoolDirectory: string;

  constructor(input: Readable, tableOptions: SharedStringTableOptions) {
    super(input);
    // The file may fail to open (EMFILE) while the parts are read ahead, before parse() listens:
    // unheard, the error stopped the process. parse() meets it (see there).
    input.on('error', () => {});
    this.table = new SharedStringTable(tableOptions);
    this.spoolDirectory = tableOptions.directory ?? tmpdir();
  }

  /** The worksheet parts, in the zip's order, those copied to temporary files last. */
  async *parse(): AsyncGenerator<WorksheetPart> {
    const zip = unzipper.Parse({ forceStream: true });
    // unzipper reports a part it cannot inflate, or a file that ends inside a part, on the zip
    // stream, not on the part's own, which its reader waits on: the part still being written is
    // ended with the error, or, when the error came while it was queued, not handed out. A read
    // error of the file itself (pipe passes none on) goes the same way. Each part gets a listener
    // of its own so that one whose reader has gone (the loop's own end destroys the zip with an
    // AbortError) never raises an uncaught error: unzipper's pipe into it re-emits one otherwise.
    let zipError: Error | undefined;
    let current: ZipEntryStream | undefined;
    zip.on('error', (error: Error) => {
      zipError ??= error;
      if (current !== undefined && !current.writableFinished) current.destroy(error);
    });
    this.input.on('error', (error) => zip.destroy(error));
    // Piped, a file that failed before now would never end the zip: the reader would wait for ever.
    if (this.input.errored) zip.destroy(this.input.errored);
    else this.input.pipe(zip);
    /** Sheets met before the shared strings or the relationships, copied to temporary files to read at the end. */
    const waiting: Array<{ sheetNo: string; copy: SheetCopy }> = [];
    try {
      for await (const entry of zip) {
        entry.on('error', () => {});
        current = entry;
        if (zipError !== undefined && !entry.writableFinished) throw zipError;
        const sheetNo = WORKSHEET_PART.exec(entry.path)?.[1];
        const part = entry.path.toLowerCase(); // part names match in any case, as ZipDirectory.part
        if (part === 'xl/_rels/workbook.xml.rels') {
          await this._parseRels(entry);
        } else if (part === 'xl/sharedstrings.xml') {
          if (!this.readAhead) await this.fillTable(entry);
        } else if (sheetNo !== undefined && this.tableFilled && this.workbookRels) {
          yield { sheetNo, chunks: iterateStream(entry), spooled: undefined };
        } else if (sheetNo !== undefined) {
          const copy = await openSheetCopy(this.spoolDirectory);
          waiting.push({ sheetNo, copy });
          for await (const chunk of entry) await writeWhole(copy.file, chunk as Buffer);
        }
        entry.autodrain();
      }
      for (const { sheetNo, copy } of waiting) {
        // From the start of the file it was written through; the stream closes it.
        const reading = (copy.reading = copy.file.createReadStream({ start: 0 }));
        yield { sheetNo, chunks: reading, spooled: reading };
        await discardSheetCopy(copy); // read or passed over by now
      }
    } finally {
      for (const { copy } of waiting) await discardSheetCopy(copy); // also when the reader stops early
    }
  }

  private async fillTable(entry: Readable): Promise<void> {
    for await (const strings of parseSharedStrings(entry)) for (const text of strings) this.table.add(text);
    this.table.finish();
    this.tableFilled = true;
  }

  /**
   * Reads the shared strings and the workbook's relationships before the stream reaches the sheet
   * (from streams of those parts opened by position in the zip), so that the sheet streams where
   * it lies instead of being copied to a temporary file first. A part the workbook lacks counts as
   * read and empty.
   */
  async readAheadOfSheet(parts: { sharedStrings?: Readable; rels?: Readable }): Promise<void> {
    // Through Node's iterator: exceljs's iterateStream misses an error the stream had before it
    // listened (an unreadable file) and waits for ever.
    if (parts.rels) await this._parseRels(Readable.from(parts.rels));
    else this.workbookRels = [];
    if (parts.sharedStrings) {
      await this.fillTable(parts.sharedStrings);
    } else {
      this.table.finish();
      this.tableFilled = true;
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
  const reader = new WorksheetPartReader(input, tableOptions);
  return {
    parts: () => reader.parse(),
    sharedStrings: () => (reader.table.size > 0 ? reader.table : undefined),
    readAheadOfSheet: (parts) => reader.readAheadOfSheet(parts),
    close: () => reader.table.close(),
  };
}

/** A temporary copy of a sheet: the open file, written then read through it, and its name while it has one. */
interface SheetCopy {
  file: FileHandle;
  path: string;
  /** Set while the file still has its name in the folder (a system that refuses to remove an open file). */
  linked: boolean;
  /** The stream reading it back, which closes the file. */
  reading?: ReadStream;
  discarded?: boolean;
}

/**
 * Creates a new file only its owner can read (a sheet is personal data) and removes its name at
 * once, as the shared strings' file: the open file keeps its data, and nothing is left in the
 * temporary folder when the process leaves at once (a second Ctrl-C, a crash, a kill). Kept under
 * its `quentli-sheet-*.xml` name while written and read, the copy stayed behind then.
 */
async function openSheetCopy(directory: string): Promise<SheetCopy> {
  const path = join(directory, `quentli-sheet-${randomUUID()}.xml`);
  const file = await open(path, 'wx+', 0o600);
  let linked = true;
  try {
    unlinkSync(path);
    linked = false;
  } catch {
    // removed by discardSheetCopy instead
  }
  return { file, path, linked };
}

/** Writes all of `bytes`: a nearly full disk takes part of a write without an error, and the copy would lose the rest. */
export async function writeWhole(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let written = 0; written < bytes.length; ) written += (await file.write(bytes, written)).bytesWritten;
}

/** Closes a copy (its stream does, once it has one) and removes what is left of it; a second call does nothing. */
async function discardSheetCopy(copy: SheetCopy): Promise<void> {
  if (copy.discarded) return;
  copy.discarded = true;
  const { reading } = copy;
  if (reading === undefined) await copy.file.close().catch(() => {});
  else if (!reading.closed) await new Promise<void>((closed) => reading.once('close', () => closed()).destroy());
  if (copy.linked) removeQuietly(copy.path);
}

/** Removes a temporary copy of a sheet; one the system will not remove yet is not worth failing the read over. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // left in the temporary folder
  }
}
