import { XmlScanner, XmlSyntaxError, type XmlHandlers } from './xml-scanner.js';

/** A cell as written in the worksheet XML, before it becomes text. */
export interface RawCell {
  /** 1-based column number. */
  col: number;
  /** The `t` attribute: n (default), s, str, inlineStr, b, e, d. */
  type: string;
  /** The `s` attribute: index into the style sheet's cell formats. */
  style: number;
  /** Text of `<v>`, undefined when there is none. */
  value: string | undefined;
  /** Text of `<f>`, undefined when the cell has no formula (`''` for a shared formula's followers). */
  formula: string | undefined;
  /** Text of an inline string's `<t>` runs (phonetic runs left out). */
  inline: string | undefined;
}

/** A `<row>` of the worksheet: Excel's row number, its cells, and whether it is hidden (by hand or by a filter). */
export interface RawRow {
  row: number;
  cells: RawCell[];
  hidden: boolean;
}

/** Local name of a tag: producers may write `x:c` with a namespace prefix. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Column number of a cell reference like `AB12` (letters only are read). */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) col = col * 26 + code - 64;
    else if (code >= 97 && code <= 122) col = col * 26 + code - 96;
    else break;
  }
  return col;
}

/**
 * Parses a worksheet part (`<sheetData>`) as it streams and yields its rows, with the raw type and
 * text of each cell, in batches: the rows each chunk completes (never an empty batch). Decodes UTF-8 across chunk boundaries (exceljs decodes each chunk
 * on its own, which breaks an accented letter split between two chunks).
 */
export async function* parseSheetRowBatches(
  chunks: AsyncIterable<Buffer>,
  /** Hears each range of columns the sheet hides (`<col min max hidden>`, before its rows). */
  onHiddenColumns: (first: number, last: number) => void = () => {},
): AsyncGenerator<RawRow[]> {
  const ready: RawRow[] = [];

  let inSheetData = false;
  let row: RawRow | undefined;
  let lastRow = 0;
  /** The last row read whole, for the message when the XML breaks. */
  let lastComplete = 0;
  let cell: RawCell | undefined;
  let capture: 'value' | 'formula' | 'inline' | undefined;
  let inInline = false;
  let inPhonetic = false;

  const handlers: XmlHandlers = {
    openTag(tagName, attributes) {
      const name = localName(tagName);
      if (!inSheetData) {
        if (name === 'sheetData') inSheetData = true;
        else if (name === 'col' && isTrue(attributes.get('hidden'))) {
          const first = Number.parseInt(attributes.get('min') ?? '', 10);
          const last = Number.parseInt(attributes.get('max') ?? '', 10);
          if (first > 0 && last >= first) onHiddenColumns(first, last);
        }
        return;
      }
      switch (name) {
        case 'row': {
          const r = Number.parseInt(attributes.get('r') ?? '', 10);
          lastRow = Number.isFinite(r) ? r : lastRow + 1;
          row = { row: lastRow, cells: [], hidden: isTrue(attributes.get('hidden')) };
          break;
        }
        case 'c': {
          if (!row) break;
          const ref = attributes.get('r');
          const previous = row.cells[row.cells.length - 1];
          cell = {
            col: ref ? columnOf(ref) : (previous?.col ?? 0) + 1,
            type: attributes.get('t') ?? 'n',
            style: Number.parseInt(attributes.get('s') ?? '0', 10) || 0,
            value: undefined,
            formula: undefined,
            inline: undefined,
          };
          break;
        }
        case 'v':
          if (cell) {
            cell.value = '';
            capture = 'value';
          }
          break;
        case 'f':
          if (cell) {
            cell.formula = '';
            capture = 'formula';
          }
          break;
        case 'is':
          if (cell) {
            inInline = true;
            cell.inline = '';
          }
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 't':
          if (cell && inInline && !inPhonetic) capture = 'inline';
          break;
      }
    },
    text(text) {
      if (!cell || capture === undefined) return;
      if (capture === 'value') cell.value += text;
      else if (capture === 'formula') cell.formula += text;
      else cell.inline += text;
    },
    closeTag(tagName) {
      if (!inSheetData) return;
      switch (localName(tagName)) {
        case 'v':
        case 'f':
        case 't':
          capture = undefined;
          break;
        case 'is':
          inInline = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c':
          if (row && cell) row.cells.push(cell);
          cell = undefined;
          break;
        case 'row':
          if (row) {
            ready.push(row);
            lastComplete = row.row;
          }
          row = undefined;
          break;
        case 'sheetData':
          inSheetData = false;
          break;
      }
    },
  };

  yield* feedParser(new XmlScanner(handlers), chunks, ready, (error) => new SheetXmlError(error.message, row?.row, lastComplete));
}

/** `hidden="1"` or `hidden="true"`: XML's two spellings of a true boolean attribute. */
function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Characters handed to the scanner at a time. */
const FEED_SLICE = 16 * 1024;

/**
 * Feeds a part's chunks to `scanner` (UTF-8 decoded across chunk boundaries) and yields what each
 * chunk completed into `ready`: the caller's pace holds back the stream. At the first fault in the
 * XML it yields what was complete before it (what follows cannot be trusted) and throws `failed(error)`.
 */
async function* feedParser<T>(scanner: XmlScanner, chunks: AsyncIterable<Buffer>, ready: T[], failed: (error: XmlSyntaxError) => Error): AsyncGenerator<T[]> {
  let failure: Error | undefined;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      // A large chunk (the sheet inflates 64 KB at a time) is handed on in slices, each slice's rows
      // as a batch: batches of hundreds of rows kept more rows alive at once, which cost more
      // garbage collection than the slices save.
      for (let at = 0; at < text.length; at += FEED_SLICE) {
        scanner.write(at === 0 && text.length <= FEED_SLICE ? text : text.slice(at, at + FEED_SLICE));
        if (ready.length > 0) yield ready.splice(0);
      }
    }
    scanner.write(decoder.decode());
    scanner.close();
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    failure = failed(error);
  }
  if (ready.length > 0) yield ready.splice(0);
  if (failure) throw failure;
}

/** The sheet's XML breaks (a character a workbook may not hold, a part cut short), in `row` or after `lastRow`. */
export class SheetXmlError extends Error {
  constructor(
    message: string,
    /** The row being read when it broke; undefined between rows. */
    readonly row: number | undefined,
    /** The last row read whole. */
    readonly lastRow: number,
  ) {
    super(message);
    this.name = 'SheetXmlError';
  }
}

/**
 * Parses the shared strings part (`<sst>`) as it streams and yields each string's text in order:
 * the `<t>` runs of each `<si>`, phonetic guides (`<rPh>`) left out, whatever namespace prefix the
 * producer used. exceljs's parser matched only unprefixed tags, so the .NET OpenXML SDK's `x:si`
 * read as empty text (a roster refused as having no header), and it let a phonetic guide's text
 * replace the string's. UTF-8 is decoded across chunk boundaries.
 */
export async function* parseSharedStrings(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const ready: string[] = [];
  let text: string | undefined;
  let inText = false;
  let inPhonetic = false;

  const handlers: XmlHandlers = {
    openTag(tagName) {
      switch (localName(tagName)) {
        case 'si':
          text = '';
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 't':
          inText = text !== undefined && !inPhonetic;
          break;
      }
    },
    text(chunk) {
      if (inText) text += chunk;
    },
    closeTag(tagName) {
      switch (localName(tagName)) {
        case 't':
          inText = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'si':
          ready.push(text ?? '');
          text = undefined;
          break;
      }
    },
  };

  yield* feedParser(new XmlScanner(handlers), chunks, ready, (error) => error);
}
