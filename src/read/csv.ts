import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import Papa from 'papaparse';
import { ImportError, InputFileError } from '../errors/index.js';
import { composeRecords } from './composed.js';
import { DecodeError, decodeText, type TextEncoding } from './decode.js';
import { withFirstBatch } from './first-batch.js';
import { columnLetters } from './column-letters.js';
import { mixedEncodingRows, type RowSplit } from './mixed-rows.js';
import { findNulByte, type NulByte } from './nul-byte.js';
import { findBrokenUtf16, type BrokenUtf16 } from './utf16-check.js';
import { trimHeader, type CellIssue, type SourceRow, type SourceTable } from './source-row.js';
import { isBlankText } from './blank-text.js';

const CHUNK_BYTES = 64 * 1024;
/** Files (by device, inode, size, modification time and path) found free of NUL bytes and half characters. */
const CHECKED_CLEAN = new Set<string>();
/** Enough text to see the header line and a few rows before choosing the delimiter. */
const SNIFF_CHARS = 16 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Blank lines stepped over to find a record's neighbour. */
const NEIGHBOURS_LOOKED_AT = 4;
/** Characters one record may span (quoted line breaks included) before its quote counts as never closed. */
const LONGEST_RECORD = 1024 * 1024;
/** Cells past the header a malformed row's message quotes, and the characters quoted of each. */
const EXTRA_CELLS_QUOTED = 3;
const EXTRA_CELL_CHARS = 60;
/** Records looked at to choose the delimiter. */
const SNIFF_RECORDS = 10;
/** Ctrl-Z, the end-of-file mark of DOS text files. */
/** A DOS end-of-file mark (Ctrl-Z) ending the text, with any line breaks a later tool put after it. */
const DOS_EOF = /\x1a[\r\n]*$/;

interface ParsedBatch {
  /** Bytes of the file read when this batch was parsed: its records end there. */
  endByte: number;
  records: string[][];
  errors: Papa.ParseError[];
  /** The file's last batch, whose text ends without a line break: its last record is the file's unended last line. */
  unended?: true;
}

/** Which rows of a file mixing UTF-8 and Windows-1252 are in the encoding it did not start in, for a person to check in the report. */
async function mixedEncodingWarning(path: string, startedInUtf8: boolean, split: RowSplit): Promise<string> {
  const rows = await mixedEncodingRows(path, startedInUtf8, split);
  const [other, rest] = startedInUtf8 ? ['Windows-1252', 'UTF-8'] : ['UTF-8', 'Windows-1252'];
  const named = rows.count === 1 ? `row ${rows.listed()} is` : `rows ${rows.listed()} are`;
  return `${path}: mixes UTF-8 and Windows-1252 text: ${named} in ${other}, the rest in ${rest} (a file pasted together from two exports, or edited in two programs): each character was read in the encoding its bytes fit; check the accents of ${rows.count === 1 ? 'that row' : 'those rows'} in the report`;
}

/**
 * Excel's hint line naming the delimiter: `sep=;`, also as a spreadsheet saves it again once opened,
 * quoted and with the row's empty cells (`"sep=;";;;`, `sep=;;;;`, LibreOffice); the rest must be
 * that delimiter alone.
 */
const SEP_LINE = /^(?:"sep=([^"\r\n])"|sep=([^\r\n]))([^\r\n]*)(?:\r\n|\r|\n)/i;

/**
 * Streams a CSV file as a `SourceTable`. Bytes are decoded before parsing (see `decodeText`), the
 * delimiter and line break are detected from the first lines, and papaparse's core parser is fed
 * one decoded chunk at a time, carrying an unfinished record over to the next chunk.
 * Row numbers count records from the top of the file, as a spreadsheet shows them: a quoted cell
 * spanning lines is one row, and blank lines count but are not yielded.
 */
export async function readCsv(path: string, options: { headerRow?: number; onWarning?: (message: string) => void } = {}): Promise<SourceTable> {
  const wantedHeaderRow = options.headerRow;
  if (wantedHeaderRow !== undefined && !(Number.isInteger(wantedHeaderRow) && wantedHeaderRow >= 1)) {
    throw new ImportError('usage', `the option headerRow must be a row number (1 or more), not ${String(wantedHeaderRow)}`);
  }
  // A NUL byte is no text: the file is refused before its first row is read, so before anything
  // is sent. Met by the decoder on the way, it stopped a run half-sent (the rows of the chunk that
  // held it never reported) with only a byte offset for a person to look for it.
  const info = await stat(path);
  // The header search reads a file once per candidate row: each whole-file check runs once.
  const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${path}`;
  if (!CHECKED_CLEAN.has(identity)) {
    const nul = await findNulByte(path);
    if (nul) throw new InputFileError(path, nulByteMessage(nul));
    // Half a character in UTF-16 text, likewise: the decoder met it a chunk ahead of the rows sent.
    const broken = await findBrokenUtf16(path);
    if (broken) throw new InputFileError(path, brokenUtf16Message(broken));
    if (CHECKED_CLEAN.size >= 64) CHECKED_CLEAN.clear();
    CHECKED_CLEAN.add(identity);
  }
  /** The file's size: as it was opened, then as its end was read (an export still being written has grown since). */
  let totalBytes = info.size;
  let bytesRead = 0;
  const details: Record<string, string> = {};
  /** The file mixes UTF-8 and Windows-1252: its rows in the other encoding are named once it is read. */
  let mixed = false;

  const byteStream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  async function* countedBytes(): AsyncGenerator<Buffer> {
    for await (const chunk of byteStream) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const text = decodeText(
    countedBytes(),
    (encoding: TextEncoding) => {
      details.encoding = encoding;
    },
    () => {
      mixed = true;
    },
    (encoding) => {
      options.onWarning?.(`${path}: ends in half a ${encoding} character (the file was cut short, or a byte was added at its end): ${encoding === 'UTF-8' ? 'those bytes were' : 'that byte was'} left out; check the last row in the report`);
    },
  )[Symbol.asyncIterator]();

  const next = async (): Promise<IteratorResult<string>> => {
    try {
      return await text.next();
    } catch (error) {
      byteStream.destroy();
      if (error instanceof DecodeError) throw new InputFileError(path, error.message, { cause: error });
      throw new InputFileError(path, `cannot be read (${(error as Error).message})`, { cause: error });
    }
  };

  let start = '';
  let ended = false;
  // Each chunk is looked at for a line break on its own: testing all of `start` again after every
  // chunk took minutes on a file of one 50 MB line (the whole text copied once per chunk).
  let startHasLineBreak = false;
  while (!ended && (start.length < SNIFF_CHARS || !startHasLineBreak)) {
    const chunk = await next();
    if (chunk.done) ended = true;
    else {
      start += chunk.value;
      if (!startHasLineBreak) startHasLineBreak = /[\r\n]/.test(chunk.value);
    }
  }

  const sepLine = SEP_LINE.exec(start);
  const named = sepLine ? (sepLine[1] ?? sepLine[2])! : undefined;
  const hinted = sepLine !== null && [...sepLine[3]!].every((character) => character === named);
  let delimiter: string;
  if (hinted) {
    // Excel's own hint line: it names the delimiter and is not shown as a row.
    delimiter = named!;
    start = start.slice(sepLine[0].length);
  } else {
    delimiter = guessDelimiter(start);
  }
  const newline = guessNewline(start);
  details.delimiter = delimiter === '\t' ? 'tab' : delimiter;
  details.lineBreak = newline === '\r\n' ? 'CRLF' : newline === '\r' ? 'CR' : 'LF';

  // A CRLF file is split on LF, as a spreadsheet opens it: rows a script appended with a bare LF
  // (or a file pasted together from two exports) are rows of their own, not glued into one cell.
  // A CRLF inside quotes stays in its cell, a quoted last cell closes before the CR, and the CR
  // left at the end of an unquoted last cell is dropped as each row is handed out.
  const crlf = newline === '\r\n';
  const lineBreak = crlf ? '\n' : newline;
  const parser = new Papa.Parser({ delimiter, newline: lineBreak, quoteChar: '"' });
  const mendLineBreaks = lineBreakMender(lineBreak, delimiter);
  let pending = mendLineBreaks(start, ended);
  async function* parsedBatches(): AsyncGenerator<ParsedBatch> {
    for (;;) {
      const chunk = ended ? undefined : await next();
      const final = chunk === undefined || chunk.done === true;
      if (!final) {
        const mended = mendLineBreaks(chunk.value, false);
        pending += mended;
        // No line break in it: no record can end here, and parsing `pending` again for every chunk
        // of a line of 40 MB (a JSON export named .csv) took minutes, where one parse takes a second.
        if (mended.indexOf(lineBreak) === -1) continue;
      }
      // DOS-era exporters (FoxPro, Clipper school systems) end the file with Ctrl-Z: not a row, not text.
      else pending = (pending + mendLineBreaks('', true)).replace(DOS_EOF, '');
      const unended = final && pending !== '' && !pending.endsWith(lineBreak);
      const parsed = parseText(parser, pending, final, delimiter, lineBreak);
      composeRecords(pending, parsed.records);
      pending = parsed.rest;
      const batch: ParsedBatch = { records: parsed.records, errors: parsed.errors, endByte: bytesRead };
      if (unended) batch.unended = true;
      if (final && mixed) options.onWarning?.(await mixedEncodingWarning(path, details.encoding !== 'windows-1252', { lineBreak: newline === '\r' ? 0x0d : 0x0a, delimiter: delimiter.charCodeAt(0), sepLine: hinted }));
      yield batch;
      if (final) return;
    }
  }

  // Find the header: the first record with any text in it, or the one --header-row names.
  const batchIterator = parsedBatches();
  let recordNumber = 0;
  let headers: string[] | undefined;
  let headerRow = 0;
  let carry: ParsedBatch | undefined;
  let carryIndex = 0;
  while (!headers) {
    const batch = await batchIterator.next();
    if (batch.done) break;
    const { records } = batch.value;
    for (let i = 0; i < records.length; i++) {
      recordNumber++;
      if (wantedHeaderRow !== undefined && recordNumber < wantedHeaderRow) continue;
      if (wantedHeaderRow !== undefined && isBlank(records[i]!)) {
        byteStream.destroy();
        throw new InputFileError(path, `row ${wantedHeaderRow} is empty: --header-row must point at the row holding the column names`);
      }
      if (!isBlank(records[i]!)) {
        headers = records[i]!.map(trimHeader);
        headerRow = recordNumber;
        carry = batch.value;
        carryIndex = i + 1;
        break;
      }
    }
  }
  if (!headers) {
    throw new InputFileError(path, wantedHeaderRow === undefined ? 'has no header row: the file is empty or blank; export the roster again, or save it from Excel as CSV UTF-8' : `has no row ${wantedHeaderRow}: --header-row is past the end of the file`);
  }
  const columnCount = headers.length;

  // Where the batches handed out reach in the file, for progress: the stream reads ahead by a chunk.
  let handedOutByte = 0;

  const delimiterName = delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
  async function* rowBatches(): AsyncGenerator<SourceRow[]> {
    let batch = carry;
    let index = carryIndex;
    /** Whether the last non-blank record handed out had empty cells past the header (seen before they are cut). */
    let previousEndedEmpty = false;
    /** How many cells that record had. */
    let previousWidth = 0;
    while (batch) {
      const errorsByRecord = indexErrors(batch.errors);
      const { records } = batch;
      const rows: SourceRow[] = [];
      for (; index < records.length; index++) {
        recordNumber++;
        const values = records[index]!;
        if (crlf) dropLastCr(values);
        if (isBlank(values)) continue;
        const row: SourceRow = { row: recordNumber, values };
        const longer = values.length > columnCount;
        // Its neighbours, when it is longer than the header: the record before (as counted before
        // its cells past the header were cut) and the nearest non-blank one after.
        const next = longer ? nextNonBlank(records, index) : undefined;
        const issues =
          errorsByRecord || longer
            ? shapeIssues(
                values,
                columnCount,
                errorsByRecord?.get(index),
                longer && (previousEndedEmpty || (next !== undefined && endsEmpty(next, columnCount))),
                longer && (previousWidth === values.length || next?.length === values.length),
                delimiterName,
              )
            : undefined;
        previousEndedEmpty = endsEmpty(values, columnCount);
        previousWidth = values.length;
        if (values.length < columnCount) {
          for (let c = values.length; c < columnCount; c++) values.push('');
        } else if (values.length > columnCount && !issues) {
          // Empty cells past the header, the file's style. A row refused for its shape keeps them, for the errors file.
          values.length = columnCount;
        }
        if (issues) row.cellIssues = issues;
        if (batch.unended && index === records.length - 1) row.unendedLine = true;
        rows.push(row);
      }
      if (rows.length > 0) {
        handedOutByte = batch.endByte;
        yield rows;
      }
      const next = await batchIterator.next();
      batch = next.done ? undefined : next.value;
      index = 0;
    }
    totalBytes = bytesRead;
    handedOutByte = totalBytes;
  }

  let batches: AsyncIterable<SourceRow[]>;
  try {
    batches = await withFirstBatch(path, rowBatches(), `row ${headerRow}`, headers);
  } catch (error) {
    byteStream.destroy();
    throw error;
  }

  return {
    format: 'csv',
    headers,
    headerRow,
    details,
    batches,
    progress: () => ({ bytesRead: handedOutByte, totalBytes }),
    close: async () => {
      await batchIterator.return(undefined);
      byteStream.destroy();
    },
  };
}

/**
 * Parses the complete records of `text` (all of it when `final`), returning the unfinished rest.
 * A quote that breaks the rules (`"Carla" Ruiz`, a quote never closed) makes papaparse read on to
 * the next quote, swallowing every line in between into one cell. Here the damage stops at that
 * line: it is split the way a spreadsheet opens it, flagged as malformed (so the row is refused
 * and reported, not silently changed), and parsing resumes on the next line.
 */
function parseText(
  parser: Papa.Parser,
  input: string,
  final: boolean,
  delimiter: string,
  newline: string,
): { records: string[][]; errors: Papa.ParseError[]; rest: string } {
  const records: string[][] = [];
  const errors: Papa.ParseError[] = [];
  let text = input;
  for (;;) {
    const result = parser.parse(text, 0, !final);
    let bad = result.errors.find((error: Papa.ParseError) => error.code === 'InvalidQuotes' || error.code === 'MissingQuotes');
    /** Where the quote never closed opens, when this function found it rather than papaparse. */
    let openQuote: number | undefined;
    if (!bad && !final && text.length - result.meta.cursor > LONGEST_RECORD) {
      // A quote opened and never closed holds the record open for good: waiting for its end would
      // re-read the rest of the file with every chunk. No roster cell runs for a megabyte.
      bad = { type: 'Quotes', code: 'MissingQuotes', message: 'Quoted field unterminated', row: result.data.length, index: result.meta.cursor + 1 };
      openQuote = unclosedQuote(text, result.meta.cursor, delimiter, newline);
    }
    if (!bad) {
      for (const error of result.errors) errors.push({ ...error, row: (error.row ?? 0) + records.length });
      for (const record of result.data as string[][]) records.push(record);
      return { records, errors, rest: final ? '' : text.slice(result.meta.cursor) };
    }
    const badRow = bad.row ?? 0;
    for (let i = 0; i < badRow; i++) records.push((result.data as string[][])[i]!);
    const quoteAt = Math.max(0, (bad.index ?? 1) - 1);
    const previousBreak = quoteAt === 0 ? -1 : text.lastIndexOf(newline, quoteAt - 1);
    const lineStart = previousBreak === -1 ? 0 : previousBreak + newline.length;
    const lineEnd = text.indexOf(newline, quoteAt);
    if (lineEnd === -1 && !final) return { records, errors, rest: text.slice(lineStart) }; // the line goes on in the next chunk
    // The cell the quote is in, for the refusal to name its column: the cells before it, split as a spreadsheet does.
    const cellStart = openQuote !== undefined && (lineEnd === -1 || openQuote < lineEnd) ? openQuote : quoteAt;
    const cell = splitLeniently(text.slice(lineStart, cellStart), delimiter).length - 1;
    errors.push({ type: 'Quotes', code: bad.code, message: bad.message, row: records.length, index: cell });
    records.push(splitLeniently(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd), delimiter));
    if (lineEnd === -1) return { records, errors, rest: '' };
    text = text.slice(lineEnd + newline.length);
  }
}

/**
 * The quote opening the cell never closed in the record starting at `from`, whose cells before it
 * are well formed (papaparse found no stray quote); undefined when the record is not so made. The
 * record's start was taken for it, and a refusal named the first column for a quote in the fourth.
 */
function unclosedQuote(text: string, from: number, delimiter: string, newline: string): number | undefined {
  let at = from;
  for (;;) {
    if (text[at] === '"') {
      let close = text.indexOf('"', at + 1);
      while (close !== -1 && text[close + 1] === '"') close = text.indexOf('"', close + 2);
      if (close === -1) return at;
      at = close + 1;
      if (!text.startsWith(delimiter, at)) return undefined;
    } else {
      const cellEnd = text.indexOf(delimiter, at);
      const lineEnd = text.indexOf(newline, at);
      if (cellEnd === -1 || (lineEnd !== -1 && lineEnd < cellEnd)) return undefined;
      at = cellEnd;
    }
    at += delimiter.length;
  }
}

/** One line split as a spreadsheet opens it: a quoted start is unquoted, any other quote is text. */
function splitLeniently(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (; i < line.length; i++) {
        if (line[i] !== '"') cell += line[i];
        else if (line[i + 1] === '"') cell += line[++i];
        else {
          i++;
          break;
        }
      }
    }
    const end = line.indexOf(delimiter, i);
    cell += line.slice(i, end === -1 ? line.length : end);
    cells.push(cell);
    if (end === -1) return cells;
    i = end + delimiter.length;
  }
}

/** The CR a CRLF line break leaves at the end of an unquoted last cell, when the file is split on LF. */
function dropLastCr(values: string[]): void {
  const last = values.length - 1;
  const cell = values[last]!;
  if (cell.charCodeAt(cell.length - 1) === 13) values[last] = cell.slice(0, -1);
}

function isBlank(values: string[]): boolean {
  // A visible ASCII character first (a row's first cell, nearly always) is no blank: no trim() a row.
  for (const value of values) {
    const first = value.charCodeAt(0);
    if ((first > 32 && first < 127) || (value !== '' && !isBlankText(value))) return false;
  }
  return true;
}

function indexErrors(errors: Papa.ParseError[]): Map<number, Papa.ParseError[]> | undefined {
  if (errors.length === 0) return undefined;
  const byRecord = new Map<number, Papa.ParseError[]>();
  for (const error of errors) {
    const list = byRecord.get(error.row ?? -1) ?? [];
    list.push(error);
    byRecord.set(error.row ?? -1, list);
  }
  return byRecord;
}

/** The nearest non-blank record after record `at`, within a few. */
function nextNonBlank(records: string[][], at: number): string[] | undefined {
  for (let i = at + 1, looked = 0; i < records.length && looked < NEIGHBOURS_LOOKED_AT; i++, looked++) {
    if (!isBlank(records[i]!)) return records[i];
  }
  return undefined;
}

/** More cells than the header, every one past it empty. */
function endsEmpty(values: string[], columnCount: number): boolean {
  if (values.length <= columnCount) return false;
  for (let i = columnCount; i < values.length; i++) if (values[i]!.trim() !== '') return false;
  return true;
}

/**
 * A record's problems of shape. `trailingEmptiesAreStyle`: a neighbour also has empty cells, and
 * only those, past the header's last column, the file's style (an exporter ending every data line
 * with the delimiter, or that part of two exports joined); in a row of their own they are a cell
 * holding an unquoted delimiter, its text pushed one column right. `asWideAsNeighbours`: a neighbour
 * has as many cells.
 */
function shapeIssues(
  values: string[],
  columnCount: number,
  errors: Papa.ParseError[] | undefined,
  trailingEmptiesAreStyle: boolean,
  asWideAsNeighbours: boolean,
  delimiterName: string,
): CellIssue[] | undefined {
  const issues: CellIssue[] = [];
  if (errors) {
    // One issue for the row, however many quote errors papaparse counted in it.
    const unclosed = errors.some((error) => error.code === 'MissingQuotes');
    const message = unclosed
      ? 'has a quoted cell that is never closed; check the quotes on this line'
      : 'has a stray quote in a cell (a quote must open and close the whole cell); check the quotes on this line';
    // `index` is the cell holding the quote (see parseText).
    const column = errors.find((error) => error.type === 'Quotes')?.index;
    issues.push(column !== undefined && column < columnCount ? { column, code: 'malformed_row', message } : { code: 'malformed_row', message });
  }
  if (values.length > columnCount) {
    const extra = values.slice(columnCount).filter((value) => value.trim() !== '');
    if (extra.length > 0) {
      issues.push({
        code: 'malformed_row',
        message: `has ${values.length} cells but the header has ${columnCount} (extra: ${quoteExtraCells(extra)}); a cell holding the delimiter must be quoted, or a column past the header's last needs a name`,
      });
    } else if (!trailingEmptiesAreStyle) {
      // Rows around as long, with text past the header: a cell with an unquoted delimiter in each,
      // or a column the header does not name; which, only the file's author can tell.
      issues.push({
        code: 'malformed_row',
        message: asWideAsNeighbours
          ? `has ${values.length} cells but the header has ${columnCount}, as the rows around it: a cell holding the delimiter (${delimiterName}) must be quoted, or a column past the header's last needs a name; check this line`
          : `has ${values.length} cells but the header has ${columnCount}, unlike the rows around it: a cell holding the delimiter (${delimiterName}) must be quoted, or the cells after it moved one column right; check this line`,
      });
    }
  }
  return issues.length ? issues : undefined;
}

/**
 * The first cells past the header, quoted for a malformed row's message, shortened: a line of
 * millions of cells (a JSON export named .csv) quoted them all, 84 MB in the log, the report and
 * the errors file each, and the summary's reason.
 */
function quoteExtraCells(extra: string[]): string {
  const quoted = extra
    .slice(0, EXTRA_CELLS_QUOTED)
    .map((value) => JSON.stringify(value.length > EXTRA_CELL_CHARS ? `${value.slice(0, EXTRA_CELL_CHARS - 1)}…` : value));
  const more = extra.length - quoted.length;
  return more > 0 ? `${quoted.join(', ')} and ${more.toLocaleString('en-US')} more` : quoted.join(', ');
}

/**
 * The delimiter that splits the first lines (up to ten records, quotes respected) into the same
 * number of cells most consistently: a title line above the header, or commas inside the cells of
 * a `;` file, do not fool it. A comma when no candidate splits anything.
 */
function guessDelimiter(text: string): string {
  const records = firstRecords(text, SNIFF_RECORDS);
  let best = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = records.map((record) => countOutsideQuotes(record, delimiter));
    const frequency = new Map<number, number>();
    for (const count of counts) if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    for (const [count, lines] of frequency) {
      // Lines agreeing on a cell count first; more cells breaks a tie.
      const score = lines * 1000 + count;
      if (score > bestScore) {
        best = delimiter;
        bestScore = score;
      }
    }
  }
  return best;
}

/**
 * Makes every line break of a file the one its first record ends with, as a spreadsheet opens it
 * (any of CR, LF and CRLF ends a row there): a bare CR in an LF or CRLF file (lines pasted from an
 * old Mac export, a note typed in a Mac form) becomes LF, and an LF or CRLF in a CR file, outside
 * quotes, becomes CR.
 * Left alone, papaparse glued the lines into one row of too many cells, and the people on them were
 * lost from the errors file. A CR closing a chunk waits for the next, which may start with its LF.
 * `lineBreak` is what papaparse splits on: LF for LF and CRLF files, CR for CR files.
 */
export function lineBreakMender(lineBreak: '\n' | '\r', delimiter: string): (text: string, final: boolean) => string {
  let heldCR = false;
  const mendCrFile = lineBreak === '\r' ? crFileMender(delimiter) : undefined;
  return (text, final) => {
    if (heldCR) {
      text = `\r${text}`;
      heldCR = false;
    }
    if (!final && text.endsWith('\r')) {
      text = text.slice(0, -1);
      heldCR = true;
    }
    if (lineBreak === '\n') {
      if (text.indexOf('\r') === -1) return text;
      // Checked first: a CRLF file's chunk holds a CR on every line and, most often, no bare one.
      return hasBareCr(text) ? text.replace(BARE_CR_ALL, '\n') : text;
    }
    return mendCrFile!(text);
  };
}
const BARE_CR_ALL = /\r(?!\n)/g;
/** Whether a CR in `text` is followed by no LF; by `indexOf`, four times as fast as `/\r(?!\n)/` on a CRLF chunk. */
function hasBareCr(text: string): boolean {
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 0x0a /* \n */) return true;
  }
  return false;
}

/**
 * An LF or CRLF ending a row of a CR file becomes CR; one inside a quoted cell is the cell's own
 * line break and stays (Excel for Mac's "CSV" ends rows with CR and writes a cell's Alt+Enter as
 * LF: made CR, an address's two lines reached Quentli joined by a bare CR, and every such customer
 * was "changed" for upsert). Quotes are followed across chunks as papaparse reads them: a quote
 * opens a quoted cell only at the cell's start, and `""` inside one is a quote.
 */
function crFileMender(delimiter: string): (text: string) => string {
  /** Where the text read so far ends: at a cell's start, in an unquoted cell, in a quoted one, or right after a quote in one. */
  let state: 'start' | 'unquoted' | 'quoted' | 'quote' = 'start';
  return (text) => {
    let mended = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (state === 'quoted') {
        if (char === '"') state = 'quote';
      } else if (char === '\r' || char === '\n') {
        if (char === '\n') {
          // A CRLF's LF goes (its CR ends the row); a bare LF becomes a CR.
          mended += text.slice(from, i) + (text[i - 1] === '\r' ? '' : '\r');
          from = i + 1;
        }
        state = 'start';
      } else if (char === delimiter) state = 'start';
      else if (char === '"' && state !== 'unquoted') state = 'quoted';
      else state = 'unquoted';
    }
    return from === 0 ? text : mended + text.slice(from);
  };
}

/** The line break used after the first record, looking past line breaks inside quotes. */
function guessNewline(text: string): '\r\n' | '\n' | '\r' {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && char === '\r') return text[i + 1] === '\n' ? '\r\n' : '\r';
    else if (!inQuotes && char === '\n') return '\n';
  }
  return '\n';
}

/** The first `limit` non-blank records of the text (a record may span lines inside quotes); a cut last one is left out. */
function firstRecords(text: string, limit: number): string[] {
  const records: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === '\n' || char === '\r')) {
      const record = text.slice(start, i);
      if (record.trim() !== '') records.push(record);
      start = i + 1;
    }
  }
  if (records.length === 0 && text.slice(start).trim() !== '') records.push(text.slice(start));
  return records;
}

/** Where a NUL byte is (its line, and its column when the line is short enough to tell), and what to do. */
function nulByteMessage(nul: NulByte): string {
  const delimiter = guessDelimiter(nul.head.toString('latin1').replaceAll('\0', ''));
  const column = nul.before === undefined ? '' : `, column ${columnLetters(countOutsideQuotes(nul.before.toString('latin1'), delimiter) + 1)}`;
  return `is not a text file: it holds a NUL byte on line ${nul.line}${column} (a damaged file, or an export that pads fields with NULs): export the roster again, or delete that character in a text editor`;
}

/** Where UTF-16 text holds half a character, and what to do. */
function brokenUtf16Message(broken: BrokenUtf16): string {
  const column = broken.before === undefined ? '' : `, column ${columnLetters(countOutsideQuotes(broken.before, guessDelimiter(broken.head)) + 1)}`;
  return `is not valid UTF-16 text: line ${broken.line}${column} holds half a character (a damaged file): save it again from Excel as "CSV UTF-8 (comma delimited)" or as .xlsx`;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let count = 0;
  for (const char of line) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && char === delimiter) count++;
  }
  return count;
}
