import type { Readable } from 'node:stream';
import { ImportError, InputFileError } from '../errors/index.js';
import { fileReason, isSystemError } from '../errors/file-reason.js';
import { sniffFileKind, UNREADABLE_KINDS, type FileKind } from './sniff.js';
import { trimHeader, type CellIssue, type ReadProgress, type SourceRow, type SourceTable } from './source-row.js';
import { cellText, type CellContext, type CellText } from './xlsx-cells.js';
import { SharedStringSpillError, SharedStringTable } from './xlsx-shared-strings.js';
import { columnLetters } from './column-letters.js';
import { RowSample } from './row-sample.js';
import { parseSharedStrings, parseSheetRowBatches, SheetXmlError } from './xlsx-sheet.js';
import { readMergedRanges, readTableTotals, readWorkbookInfo, sheetHasCellData, type MergedRange, type SheetInfo, type TableTotals, type WorkbookInfo } from './xlsx-workbook.js';
import { withFirstBatch } from './first-batch.js';
import { ZipDirectory, ZipFormatError, type ZipEntry } from './xlsx-zip.js';
import { isBlankText } from './blank-text.js';

/** Options of `readXlsx`. */
export interface ReadXlsxOptions {
  /** Sheet name, or 1-based position among the workbook's tabs. Default: the first visible sheet with data. */
  sheet?: string | number;
  /** Excel row number of the header, when a title or logo sits above it. Default: the first non-empty row. */
  headerRow?: number;
  /** Hears what was read but deserves a look (data rows the sheet hides), once the sheet is read. */
  onWarning?: (message: string) => void;
}

/** A row of cells as a person sees them, before it is aligned with the header. */
interface TextRow {
  row: number;
  cells: Array<{ col: number; text: CellText }>;
  /** Hidden in the sheet, by hand or by a filter. */
  hidden?: true;
}

/**
 * Reads an Excel workbook (.xlsx) as a stream, never the whole workbook in memory: the shared
 * strings, then the sheet, each streamed from where the zip's directory places it (the table is
 * kept up to a budget, the rest in a temporary file).
 * The file is recognised by its content, not its name: an .xls, .ods, password-protected workbook,
 * damaged zip or renamed CSV is an InputFileError saying what to do. Resolves once the header row is found; the rows follow lazily.
 */
export async function readXlsx(path: string, options: ReadXlsxOptions = {}): Promise<SourceTable> {
  if (options.headerRow !== undefined && !(Number.isInteger(options.headerRow) && options.headerRow >= 1)) {
    throw new ImportError('usage', `the option headerRow must be a row number (1 or more), not ${String(options.headerRow)}`);
  }
  await assertIsXlsx(path);

  const { info, sheet, size, parts, merges, totals } = await planRead(path, options.sheet);

  const state: ProgressState = { shareRead: parts.sheet.shareRead, size, done: false };
  /** The column ranges the sheet hides, known before its first row. */
  const hiddenColumns: Array<[number, number]> = [];
  const textBatches = readTextRowBatches(path, parts, info, state, (first, last) => hiddenColumns.push([first, last]));

  let header: TextRow | undefined;
  /** The rows after the header in the header's batch: the first data rows. */
  let afterHeader: TextRow[] = [];
  try {
    search: for (;;) {
      const next = await textBatches.next();
      if (next.done) break;
      const batch = next.value;
      for (let i = 0; i < batch.length; i++) {
        const candidate = batch[i]!;
        if (options.headerRow === undefined || candidate.row === options.headerRow) {
          header = candidate;
          afterHeader = batch.slice(i + 1);
          break search;
        }
        if (candidate.row > options.headerRow) break search;
      }
    }
  } catch (error) {
    await textBatches.return(undefined);
    throw error;
  }
  if (header === undefined) {
    await textBatches.return(undefined);
    throw new InputFileError(
      path,
      options.headerRow === undefined
        ? `sheet "${sheet.name}" is empty: there is no header row to read`
        : `row ${options.headerRow} of sheet "${sheet.name}" is empty: --header-row must point at the row holding the column names`,
    );
  }

  const headers: string[] = [];
  for (const { col, text } of header.cells) headers[col - 1] = trimHeader(text.text);
  for (let i = 0; i < headers.length; i++) headers[i] ??= '';
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  // A label merged over the columns right of it (`NOMBRE DEL ALUMNO` over B1:D1) leaves empty cells
  // that ended the header early, and the row under it, naming those columns (a second header row,
  // joined in openTable), was refused for values under no header. The header reaches as far as
  // that row's values under a merge of the header row (an empty cell only formatted is no header).
  const below = afterHeader[0];
  if (below?.row === header.row + 1) {
    let mergedTo = 0;
    for (const range of merges) if (range.top <= header.row && range.bottom >= header.row) mergedTo = Math.max(mergedTo, range.lastCol);
    let reach = headers.length;
    for (const { col, text } of below.cells) if (col > reach && col <= mergedTo && text.text.trim() !== '') reach = col;
    while (headers.length < reach) headers.push('');
  }

  let batches: AsyncIterable<SourceRow[]>;
  try {
    // Merged ranges under the header: their value belongs to their top-left cell only (issue 3), as
    // Excel keeps it; the rows under it are read without it, and said once.
    const dataMerges: DataMerge[] = merges.filter((range) => range.top > header!.row && (range.bottom > range.top || range.lastCol > range.firstCol));
    // A header cell merged down into the data rows: the cells under it show the header, and hold nothing to read.
    for (const range of merges) if (range.top <= header.row && range.bottom > header.row) dataMerges.push({ ...range, fromHeader: true });
    // An Excel table's Total Row ("Total", a count, a sum) is no customer: passed over, and said.
    const totalsRows: TotalsRows = { ranges: totals.filter((range) => range.firstRow > header!.row), skipped: [] };
    // Said once the sheet is read: hidden rows and columns, and the merged cells over several rows.
    const warnOnceRead = (rows: RowSample) => {
      if (rows.count > 0) options.onWarning?.(hiddenRowsWarning(path, sheet.name, rows));
      const used = dataMerges.filter((range) => range.used);
      if (used.length > 0) options.onWarning?.(mergedCellsWarning(path, sheet.name, used));
      // A hidden column ("Notas internas") is imported like the others: said once, like hidden rows.
      const headed = headers.flatMap((text, i) => (text !== '' && hiddenColumns.some(([first, last]) => i + 1 >= first && i + 1 <= last) ? [i] : []));
      if (headed.length > 0) options.onWarning?.(hiddenColumnsWarning(path, sheet.name, headed.map((i) => `${columnLetters(i + 1)} ("${headers[i]}")`)));
      if (totalsRows.skipped.length > 0) options.onWarning?.(totalsRowsWarning(path, sheet.name, totalsRows.skipped));
    };
    batches = await withFirstBatch(path, alignRows(afterHeader, textBatches, headers, warnOnceRead, dataMerges, totalsRows), `sheet "${sheet.name}", row ${header.row}`, headers);
  } catch (error) {
    await textBatches.return(undefined);
    throw error;
  }

  return {
    format: 'xlsx',
    headers,
    headerRow: header.row,
    headerMerges: merges.filter((range) => range.top <= header!.row && range.bottom >= header!.row && range.lastCol > range.firstCol).map((range) => [range.firstCol - 1, range.lastCol - 1] as const),
    details: { sheet: sheet.name },
    batches,
    progress: () => progressOf(state),
    close: async () => {
      await textBatches.return(undefined);
    },
  };
}

/**
 * The names of the workbook's sheets that can hold a table (visible, not charts), in tab order;
 * with `withData`, only those with a value or formula in some cell.
 */
export async function listSheets(path: string, options: { withData?: boolean } = {}): Promise<string[]> {
  await assertIsXlsx(path);
  let zip: ZipDirectory;
  try {
    zip = await ZipDirectory.open(path);
  } catch (error) {
    throw new InputFileError(path, `${DAMAGED} (${(error as Error).message})`, { cause: error });
  }
  try {
    const info = await readWorkbookInfo(zip);
    const names: string[] = [];
    for (const sheet of info.sheets) {
      if (sheet.state !== 'visible' || sheet.isChart) continue;
      if (options.withData) {
        const entry = sheetPart(zip, sheet);
        if (entry === undefined || !(await sheetHasCellData(zip, entry))) continue;
      }
      names.push(sheet.name);
    }
    return names;
  } catch (error) {
    throw damagedZipError(path, error);
  } finally {
    await zip.close();
  }
}

async function assertIsXlsx(path: string): Promise<void> {
  let kind: FileKind;
  try {
    kind = await sniffFileKind(path);
  } catch (error) {
    throw new InputFileError(path, fileReason(error), { cause: error });
  }
  if (kind !== 'xlsx') throw new InputFileError(path, NOT_XLSX[kind]);
}

const NOT_XLSX: Record<Exclude<FileKind, 'xlsx'>, string> = {
  ...UNREADABLE_KINDS,
  text: 'is a text file (a CSV?) named like an Excel workbook: give it a .csv name, or open it in Excel and save it as .xlsx',
};


const DAMAGED = 'the workbook is damaged or incomplete (a download or copy cut short?): save or download it again';

/** Reads the workbook's small parts, picks the sheet, and finds its part in the zip. */
async function planRead(path: string, wanted: string | number | undefined) {
  let zip: ZipDirectory;
  try {
    zip = await ZipDirectory.open(path);
  } catch (error) {
    if (error instanceof ZipFormatError) {
      throw new InputFileError(path, `${DAMAGED} (${error.message})`, { cause: error });
    }
    throw new InputFileError(path, fileReason(error), { cause: error });
  }
  try {
    let info: WorkbookInfo;
    try {
      info = await readWorkbookInfo(zip);
    } catch (error) {
      throw new InputFileError(path, `${DAMAGED} (${(error as Error).message})`, { cause: error });
    }
    const sheet = await chooseSheet(path, zip, info, wanted);
    const entry = sheetPart(zip, sheet);
    if (entry === undefined) {
      throw new InputFileError(path, `${DAMAGED} (sheet "${sheet.name}" has no part in the file)`);
    }
    const merges = await readMergedRanges(zip, entry);
    const totals = await readTableTotals(zip, entry.name);
    const sharedStrings = zip.part('xl/sharedStrings.xml');
    // Opened now (the zip's directory closes below), read once the sheet's reader starts: a part
    // zlib cannot inflate fails that read (an iterator gives a stream's earlier error), not as an
    // 'error' event nobody listens to yet, which stopped the process with a stack trace.
    let strings: Readable | undefined;
    try {
      if (sharedStrings) strings = (await zip.stream(sharedStrings)).on('error', () => {});
      const sheetStream = await zip.streamWithProgress(entry, SHEET_CHUNK_BYTES);
      sheetStream.stream.on('error', () => {});
      return { info, sheet, size: zip.size, parts: { sheet: sheetStream, sharedStrings: strings }, merges, totals };
    } catch (error) {
      strings?.destroy();
      throw new InputFileError(path, `${DAMAGED} (${(error as Error).message})`, { cause: error });
    }
  } catch (error) {
    throw damagedZipError(path, error);
  } finally {
    await zip.close();
  }
}

/**
 * zlib's chunk of a sheet's inflated bytes: its default 16 KB costs a round trip to the thread pool
 * each (the bench's 68 MB sheet inflated in 260 ms in those, 95 ms in 256 KB ones). 64 KB runs a dry
 * run as fast as 256 KB with about 6 MB less at its peak.
 */
const SHEET_CHUNK_BYTES = 64 * 1024;

/** The zip entry of a sheet's part, or undefined when the workbook names none or the zip lacks it. */
function sheetPart(zip: ZipDirectory, sheet: SheetInfo): ZipEntry | undefined {
  return sheet.part === undefined ? undefined : zip.part(sheet.part);
}

/**
 * A part the zip's directory places where no part starts (or cut short, or packed in a way no
 * reader knows), or a file that fails to be read, met while a sheet is looked at before the read:
 * the refusal of a damaged or unreadable workbook, not an "unexpected error" naming no file.
 */
function damagedZipError(path: string, error: unknown): unknown {
  if (error instanceof ZipFormatError) return new InputFileError(path, `${DAMAGED} (${error.message})`, { cause: error });
  // The file failed to be read there (EIO on a network share, EMFILE): said as when it fails to open.
  if (isSystemError(error)) return new InputFileError(path, fileReason(error), { cause: error });
  return error;
}

async function chooseSheet(
  path: string,
  zip: ZipDirectory,
  info: WorkbookInfo,
  wanted: string | number | undefined,
): Promise<SheetInfo> {
  const { sheets } = info;
  if (sheets.length === 0) throw new InputFileError(path, 'the workbook has no sheets');
  const names = sheets.map((s) => `${s.position} "${s.name}"`).join(', ');
  if (wanted !== undefined) {
    const found = findSheet(sheets, wanted);
    if (found === undefined) {
      const what = typeof wanted === 'number' ? `number ${wanted}` : /^\s*\d+\s*$/.test(wanted) ? `named "${wanted}" nor a sheet number ${wanted.trim()}` : `"${wanted}"`;
      throw new InputFileError(path, `has no sheet ${what}; its sheets are ${names}`);
    }
    if (found.isChart) {
      throw new InputFileError(path, `sheet "${found.name}" is a chart, not a table; its sheets are ${names}`);
    }
    return found;
  }
  const hasData = async (sheet: SheetInfo) => {
    const entry = sheet.isChart ? undefined : sheetPart(zip, sheet);
    return entry !== undefined && (await sheetHasCellData(zip, entry));
  };
  // A visible tab whose part the zip lacks may have held the roster: chosen, it is refused as
  // damaged; passed over, the next tab with data was imported in its place without a word.
  const missing = (sheet: SheetInfo) => !sheet.isChart && sheetPart(zip, sheet) === undefined;
  for (const sheet of sheets) if (sheet.state === 'visible' && (missing(sheet) || (await hasData(sheet)))) return sheet;
  // Hidden sheets are skipped (lookup lists, a template), but when only they hold data, say so.
  for (const sheet of sheets) {
    if (sheet.state !== 'visible' && (await hasData(sheet))) {
      throw new InputFileError(path, `has no data on its visible sheets; sheet "${sheet.name}" is hidden and holds data: to import it, use --sheet "${sheet.name}"`);
    }
  }
  throw new InputFileError(path, `has no data: every sheet is empty (${names}); open it in Excel to check it is the roster, and save it again`);
}

/**
 * By exact name, then by name ignoring case, surrounding spaces and how its accents are written
 * (a name a Mac wrote decomposed, `Inscripción` as i-o-plus-accent, matched nothing typed, though the
 * refusal listed it looking the same), then by position ("2" is the second).
 */
function findSheet(sheets: SheetInfo[], wanted: string | number): SheetInfo | undefined {
  if (typeof wanted === 'number') return Number.isInteger(wanted) ? sheets[wanted - 1] : undefined;
  const looseName = (name: string) => name.normalize('NFC').trim().toLowerCase();
  const loose = looseName(wanted);
  return (
    sheets.find((s) => s.name === wanted) ??
    sheets.find((s) => looseName(s.name) === loose) ??
    (/^\d+$/.test(loose) ? sheets[Number(loose) - 1] : undefined)
  );
}

interface ProgressState {
  /** The share of the sheet's stored bytes read (0 to 1). */
  shareRead: () => number;
  size: number;
  done: boolean;
}

/** The parts a sheet is read from, opened where the zip's directory places them (see `planRead`). */
interface SheetParts {
  sheet: { stream: Readable; shareRead: () => number };
  sharedStrings?: Readable;
}

/**
 * How far the read is, as bytes of the file: the sheet's share read, of the whole file's size, so
 * that rows read ÷ share read estimates the sheet's rows (the shared strings read first are no rows).
 */
function progressOf(state: ProgressState): ReadProgress {
  const { size } = state;
  if (state.done) return { bytesRead: size, totalBytes: size };
  return { bytesRead: Math.floor(state.shareRead() * size), totalBytes: size };
}

/**
 * The chosen sheet's non-blank rows as cell texts, in batches (never empty): the shared strings are
 * read first, then the sheet. Closes the parts, and the table's temporary file, when done or abandoned.
 */
async function* readTextRowBatches(
  path: string,
  parts: SheetParts,
  info: WorkbookInfo,
  state: ProgressState,
  onHiddenColumns: (first: number, last: number) => void,
): AsyncGenerator<TextRow[]> {
  const sharedStrings = new SharedStringTable();
  /** The last row read whole: a sheet damaged part-way is read up to there, and the message says so. */
  let lastRow = 0;
  try {
    if (parts.sharedStrings) for await (const strings of parseSharedStrings(parts.sharedStrings)) for (const text of strings) sharedStrings.add(text);
    sharedStrings.finish();
    const ctx: CellContext = { sharedStrings: sharedStrings.size > 0 ? sharedStrings : undefined, numberFormats: info.numberFormats, date1904: info.date1904, recalculateOnOpen: info.recalculateOnOpen };
    for await (const raws of parseSheetRowBatches(parts.sheet.stream, onHiddenColumns)) {
      const batch: TextRow[] = [];
      for (const raw of raws) {
        const cells: TextRow['cells'] = [];
        let blank = true;
        for (const cell of raw.cells) {
          const text = cellText(cell, ctx);
          if (text.text === '' && text.issue === undefined) continue;
          if (text.issue !== undefined || !isBlankText(text.text)) blank = false;
          cells.push({ col: cell.col, text });
        }
        if (!blank) batch.push(raw.hidden ? { row: raw.row, cells, hidden: true } : { row: raw.row, cells });
        lastRow = raw.row;
      }
      if (batch.length > 0) yield batch;
    }
    state.done = true;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    if (error instanceof SharedStringSpillError) throw new InputFileError(path, error.message, { cause: error });
    if (error instanceof SheetXmlError) {
      throw new InputFileError(
        path,
        `could not be read ${error.lastRow > 0 ? `past row ${error.lastRow} (the rows up to it were read)` : 'at all'}: ` +
          `${error.row === undefined ? 'what follows holds' : `row ${error.row} holds`} XML that cannot be read ` +
          `(${error.message}): the workbook is damaged or cut short, or the program that wrote it put a character in it that a workbook may not hold; ` +
          'open it in Excel or LibreOffice and save it again',
        { cause: error },
      );
    }
    const where = lastRow > 0 ? `past row ${lastRow} (the rows before it were read)` : 'to the end';
    // The file failed to be read (EIO on a network share): said as when it fails to open, not as
    // damage to download again.
    if (isSystemError(error)) {
      throw new InputFileError(path, `${fileReason(error)}${lastRow > 0 ? ` past row ${lastRow} (the rows up to it were read)` : ''}`, { cause: error });
    }
    throw new InputFileError(path, `could not be read ${where}: ${DAMAGED} (${(error as Error).message})`, { cause: error });
  } finally {
    parts.sharedStrings?.destroy();
    parts.sheet.stream.destroy();
    sharedStrings.close();
  }
}

/**
 * Aligns each row with the header, `first` (the rest of the header's batch) then the batches after
 * it; a value under no header makes the row a 'malformed_row'. Yields no empty batch. Data rows
 * the sheet hides are read like the others (a CSV saved from the sheet holds them too, and nothing
 * in the file is dropped unreported); once the sheet is read, `onRead` hears of them (of none too).
 */
async function* alignRows(
  first: TextRow[],
  textBatches: AsyncGenerator<TextRow[]>,
  headers: string[],
  onRead: (hidden: RowSample) => void,
  dataMerges: DataMerge[],
  totalsRows: TotalsRows,
): AsyncGenerator<SourceRow[]> {
  const hidden = new RowSample();
  const merges = new MergeWalk(dataMerges);
  const aligned = alignBatch(first, headers.length, hidden, merges, totalsRows);
  if (aligned.length > 0) yield aligned;
  for await (const textRows of textBatches) {
    const batch = alignBatch(textRows, headers.length, hidden, merges, totalsRows);
    if (batch.length > 0) yield batch;
  }
  onRead(hidden);
}

/** Hidden columns with a header (`Notas internas`): imported like the others, and said once. */
function hiddenColumnsWarning(path: string, sheet: string, columns: string[]): string {
  const which = columns.length === 1 ? `column ${columns[0]} is hidden` : `columns ${columns.join(', ')} are hidden`;
  return `${path}: in sheet "${sheet}", ${which}; hidden columns are imported like the others unless a mapping file maps them to null: if they should not reach Quentli, delete them from the sheet or map them to null`;
}

/**
 * A school filters its roster to one group, or hides the students who left, then saves and
 * imports the workbook: the hidden rows would be imported unseen. They are imported (dropping them
 * would lose rows the file holds), and the warning says which, so the office can delete them.
 */
function hiddenRowsWarning(path: string, sheet: string, hidden: RowSample): string {
  const rows = hidden.count === 1 ? `1 row is hidden (row ${hidden.listed()})` : `${hidden.count} rows are hidden (rows ${hidden.listed()})`;
  return `${path}: in sheet "${sheet}", ${rows}, by a filter or by hand; hidden rows are imported like the others: delete them from the sheet if they should not be`;
}

/** Whether the cell is one a merged range covers, not its top-left cell. */
function isCovered(ranges: readonly DataMerge[], row: number, col: number): boolean {
  return ranges.some((range) => col >= range.firstCol && col <= range.lastCol && (row !== range.top || col !== range.firstCol));
}

/**
 * A merged range over data rows, with the text of its top-left cell once read: one under the
 * header, or a header cell merged down into them (`fromHeader`), whose covered cells are only skipped.
 */
type DataMerge = MergedRange & { text?: string; used?: true; fromHeader?: true };

/**
 * Merged cells over data rows (`Grupo` merged down, a tutor's email over two siblings): one warning,
 * once the sheet is read, since the rows under each take none of its value (a sibling created
 * without the family's phone) though the sheet shows it beside them.
 */
function mergedCellsWarning(path: string, sheet: string, ranges: DataMerge[]): string {
  const listed = ranges.slice(0, 5).map((range) => `${range.ref} (${JSON.stringify(range.text ?? '')})`).join(', ');
  const more = ranges.length > 5 ? ` and ${ranges.length - 5} more` : '';
  return `${path}: in sheet "${sheet}", merged cells cover several rows (${listed}${more}): a merged cell's value belongs to its top row only, as Excel keeps it, so the rows under it are read without it; to give each row the value, unmerge the cells and fill it in on every row`;
}

/**
 * The merged ranges under the header, walked with the rows (which come in order): only the ranges
 * covering the current row are looked at, so a sheet with thousands of merges costs no more a row.
 */
class MergeWalk {
  private next = 0;
  private active: DataMerge[] = [];
  private readonly ranges: DataMerge[];

  constructor(ranges: DataMerge[]) {
    this.ranges = [...ranges].sort((a, b) => a.top - b.top);
  }

  covering(row: number): readonly DataMerge[] {
    while (this.next < this.ranges.length && this.ranges[this.next]!.top <= row) this.active.push(this.ranges[this.next++]!);
    if (this.active.some((range) => range.bottom < row)) this.active = this.active.filter((range) => range.bottom >= row);
    return this.active;
  }
}

/** The totals rows of the sheet's tables under the header, and those passed over so far. */
interface TotalsRows {
  ranges: TableTotals[];
  skipped: Array<{ row: number; table: string }>;
}

/** Excel tables' Total Rows passed over, said once the sheet is read. */
function totalsRowsWarning(path: string, sheet: string, skipped: TotalsRows['skipped']): string {
  const listed = skipped.slice(0, 5).map(({ row, table }) => `row ${row} (table "${table}")`).join(', ');
  const more = skipped.length > 5 ? ` and ${skipped.length - 5} more` : '';
  return `${path}: in sheet "${sheet}", ${listed}${more} ${skipped.length === 1 ? 'is the Total Row' : 'are the Total Rows'} of an Excel table: sums and counts, no customer, so not read`;
}

function alignBatch(textRows: TextRow[], width: number, hidden: RowSample, merges: MergeWalk, totalsRows: TotalsRows): SourceRow[] {
  const batch: SourceRow[] = [];
  for (const { row, cells, hidden: isHidden } of textRows) {
    if (totalsRows.ranges.length > 0) {
      // Only a row wholly inside the table: a summary table's Total Row beside the roster (F4:G4)
      // shares its row with a student (A4:C4), who is read.
      const totals = totalsRows.ranges.find((range) => row >= range.firstRow && row <= range.lastRow && cells.every(({ col }) => col >= range.firstCol && col <= range.lastCol));
      if (totals) {
        totalsRows.skipped.push({ row, table: totals.table });
        continue;
      }
    }
    const values = new Array<string>(width).fill('');
    const cellIssues: CellIssue[] = [];
    const outside: string[] = [];
    let merged: number[] | undefined;
    const covering = merges.covering(row);
    for (const { col, text } of cells) {
      // A covered cell shows the top-left cell's value; what it holds itself (LibreOffice can keep
      // a hidden value there) is shown nowhere, so it is not read either.
      if (covering.length > 0 && isCovered(covering, row, col)) continue;
      if (col > width) {
        outside.push(columnLetters(col));
        // Kept past the header's width, for the errors file: the row is refused, and its values stay its own.
        while (values.length < col - 1) values.push('');
        values[col - 1] = text.text;
        continue;
      }
      values[col - 1] = text.text;
      if (text.issue) cellIssues.push({ column: col - 1, ...text.issue });
    }
    for (const range of covering) {
      if (range.firstCol > width || range.fromHeader) continue;
      if (row === range.top) {
        range.text = values[range.firstCol - 1];
        continue;
      }
      for (let col = range.firstCol; col <= Math.min(range.lastCol, width); col++) (merged ??= []).push(col - 1);
      if (range.text) range.used = true;
    }
    if (outside.length > 0) {
      cellIssues.push({
        code: 'malformed_row',
        message: `has values in column${outside.length > 1 ? 's' : ''} ${outside.join(', ')}, which ${outside.length > 1 ? 'have' : 'has'} no header: give ${outside.length > 1 ? 'each' : 'it'} a header (a column without a field's name is imported as metadata), or delete the values`,
      });
    }
    if (values.every((value) => value.trim() === '') && cellIssues.length === 0) continue;
    if (isHidden) hidden.add(row);
    const source: SourceRow = cellIssues.length > 0 ? { row, values, cellIssues } : { row, values };
    if (merged) source.mergedColumns = merged;
    batch.push(source);
  }
  return batch;
}
