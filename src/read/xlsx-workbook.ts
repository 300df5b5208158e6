import { posix } from 'node:path';
import { isSystemError } from '../errors/file-reason.js';
import { ZipFormatError, type ZipDirectory, type ZipEntry } from './xlsx-zip.js';

/** A sheet as the workbook lists it, in tab order. */
export interface SheetInfo {
  name: string;
  /** 1-based position among the workbook's sheets (hidden ones included). */
  position: number;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Zip path of the sheet's part, e.g. `xl/worksheets/sheet2.xml`; undefined if unresolved. */
  part: string | undefined;
  /** A chart sheet holds no cells. */
  isChart: boolean;
}

/** A number format that shows a date (with or without a time), or a time of day alone (`hh:mm`). */
export type DateFormat = 'date' | 'time';

/** What the workbook's small parts tell before its sheet is streamed. */
export interface WorkbookInfo {
  sheets: SheetInfo[];
  date1904: boolean;
  /**
   * `<calcPr fullCalcOnLoad="1">`: the writer left calculating to the program that opens the file.
   * xlsxwriter (Python's "export to Excel") does so and saves every formula's value as 0.
   */
  recalculateOnOpen: boolean;
  /** Per cell style index (`s` attribute): how its number format shows a number, where that differs from General. */
  numberFormats: (NumberFormat | undefined)[];
}

/**
 * A number format that shows a number otherwise than General: a date (or date and time), a time of
 * day alone, a whole number zero-padded and with text around it (`000000`: a student ID typed as
 * 1234 shows as 001234; `"A"0000000` shows 2024001 as A2024001), or a percent.
 */
export type NumberFormat =
  | { kind: DateFormat }
  | ({ kind: 'elapsed' } & ElapsedFormat)
  | ({ kind: 'padded' } & PaddedFormat)
  | ({ kind: 'percent' } & PercentFormat)
  | { kind: 'decimals'; decimals: number };

/**
 * How an elapsed-time format shows a duration (`[h]:mm:ss`: 1.5 days as `36:00:00`): the unit its
 * bracket counts, the digits it pads that count to (`[hh]`: 2), and whether it shows seconds.
 */
export interface ElapsedFormat {
  unit: 'h' | 'm' | 's';
  digits: number;
  seconds: boolean;
}

/**
 * Reads sheet names and order from `xl/workbook.xml` and `xl/_rels/workbook.xml.rels`, resolving
 * relative (`worksheets/sheet1.xml`, Excel, LibreOffice, exceljs) and absolute
 * (`/xl/worksheets/sheet1.xml`, openpyxl) targets; and the date formats from `xl/styles.xml`.
 * exceljs's own sheet naming only understands relative targets, hence this.
 */
export async function readWorkbookInfo(zip: ZipDirectory): Promise<WorkbookInfo> {
  const workbookXml = await zip.readText('xl/workbook.xml');
  if (workbookXml === undefined) throw new ZipFormatError('it has no xl/workbook.xml part');
  const relsXml = (await zip.readText('xl/_rels/workbook.xml.rels')) ?? '';
  const stylesXml = (await zip.readText('xl/styles.xml')) ?? '';

  const targets = new Map<string, { target: string; type: string }>();
  for (const attrs of elements(relsXml, 'Relationship')) {
    const id = attrs.get('Id');
    const target = attrs.get('Target');
    if (id !== undefined && target !== undefined) targets.set(id, { target, type: attrs.get('Type') ?? '' });
  }

  const sheets: SheetInfo[] = [];
  for (const attrs of elements(workbookXml, 'sheet')) {
    const relId = relationshipId(attrs);
    const rel = relId === undefined ? undefined : targets.get(relId);
    const state = attrs.get('state');
    sheets.push({
      name: attrs.get('name') ?? `Hoja ${sheets.length + 1}`,
      position: sheets.length + 1,
      state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      part: rel === undefined ? undefined : resolveTarget(rel.target),
      isChart: rel !== undefined && /\/chartsheet$/.test(rel.type),
    });
  }
  const workbookPr = elements(workbookXml, 'workbookPr')[0];
  const date1904 = workbookPr?.get('date1904');
  const fullCalcOnLoad = elements(workbookXml, 'calcPr')[0]?.get('fullCalcOnLoad');
  return {
    sheets,
    date1904: date1904 === '1' || date1904 === 'true',
    recalculateOnOpen: fullCalcOnLoad === '1' || fullCalcOnLoad === 'true',
    ...readStyleFormats(stylesXml),
  };
}

/** The `r:id` attribute, whatever prefix the producer bound the relationships namespace to. */
function relationshipId(attrs: Map<string, string>): string | undefined {
  for (const [key, value] of attrs) if (/^[\w.-]+:id$/.test(key)) return value;
  return undefined;
}

/** Zip path of a relationship target: absolute (`/xl/…`, openpyxl) or relative to the folder of the part whose relationships name it (`xl` for the workbook's). */
function resolveTarget(target: string, folder = 'xl'): string {
  const path = target.startsWith('/') ? target.slice(1) : posix.join(folder, target);
  return posix.normalize(path);
}

// Built-in number formats that show a date or a time (ECMA-376 18.8.30, plus the East Asian ones).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47,
  50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Built-in time-of-day formats: h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss, mm:ss, mmss.0. */
const BUILTIN_TIME_FORMATS = new Set([18, 19, 20, 21, 45, 47]);

/** How a percent format shows a number: its decimals, thousands grouped (`#,##0%`), a space before the `%` (`0.0 %`). */
export interface PercentFormat {
  decimals: number;
  grouped: boolean;
  spaced: boolean;
}

/** Built-in percent formats: 0% and 0.00%. */
const BUILTIN_PERCENT_FORMATS = new Map<number, PercentFormat>([
  [9, { decimals: 0, grouped: false, spaced: false }],
  [10, { decimals: 2, grouped: false, spaced: false }],
]);

function readStyleFormats(stylesXml: string): Pick<WorkbookInfo, 'numberFormats'> {
  const custom = new Map<number, string>();
  for (const attrs of elements(stylesXml, 'numFmt')) {
    custom.set(Number(attrs.get('numFmtId')), attrs.get('formatCode') ?? '');
  }
  const cellXfs = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(stylesXml)?.[1] ?? '';
  const numberFormats: (NumberFormat | undefined)[] = [];
  for (const attrs of elements(cellXfs, 'xf')) {
    const id = Number(attrs.get('numFmtId') ?? '0');
    const code = custom.get(id);
    numberFormats.push(code === undefined ? builtinNumberFormat(id) : numberFormatOf(code));
  }
  return { numberFormats };
}

function builtinNumberFormat(id: number): NumberFormat | undefined {
  if (id === 46) return { kind: 'elapsed', unit: 'h', digits: 1, seconds: true }; // [h]:mm:ss
  if (BUILTIN_TIME_FORMATS.has(id)) return { kind: 'time' };
  if (BUILTIN_DATE_FORMATS.has(id)) return { kind: 'date' };
  if (BUILTIN_TWO_DECIMAL_FORMATS.has(id)) return { kind: 'decimals', decimals: 2 };
  const percent = BUILTIN_PERCENT_FORMATS.get(id);
  return percent && { kind: 'percent', ...percent };
}

function numberFormatOf(code: string): NumberFormat | undefined {
  const elapsed = elapsedFormat(code);
  if (elapsed) return { kind: 'elapsed', ...elapsed };
  if (isTimeOfDayFormatCode(code)) return { kind: 'time' };
  if (isDateFormatCode(code)) return { kind: 'date' };
  const percent = percentFormat(code);
  if (percent) return { kind: 'percent', ...percent };
  const padded = paddedFormat(code);
  if (padded) return { kind: 'padded', ...padded };
  const decimals = fixedDecimals(code);
  return decimals === undefined ? undefined : { kind: 'decimals', decimals };
}

/** Built-in formats with two decimals: 0.00, #,##0.00, the currency and accounting ones. */
const BUILTIN_TWO_DECIMAL_FORMATS = new Set([2, 4, 7, 8, 39, 40, 43, 44]);

/**
 * The decimals a number format shows (`#,##0.00`, `"$"#,##0.00`, `0.0`): a calculated amount
 * (`=2500/3`) is read as the sheet shows it, not as its 15 digits (`833.333333333333`).
 * Undefined for a format with no fixed decimals, or a scientific one.
 */
export function fixedDecimals(code: string): number | undefined {
  const bare = formatTokens(code.split(';')[0] ?? '');
  if (/e[+-]/i.test(bare)) return undefined;
  return /\.([0#?]+)/.exec(bare)?.[1]?.length; // `0.0#` shows up to two: 12.25 stays 12.25
}

/** A locale tag, `[$-80A]` or `[$-es-MX]`, with the currency it shows if any (`[$$-80A]`, `[$MXN]`). */
const LOCALE_TAG = /^\$([^-]*)(?:-[\w-]+)?$/;
/** A font color: `[Red]`, `[RED]` (LibreOffice), `[Color10]`. */
const COLOR = /^(?:black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d+)$/i;

/** A currency sign: a format showing one is an amount, not an ID. */
const CURRENCY = /\p{Sc}/u;

/** How a padding format shows a whole number: at least `digits` digits, between `prefix` and `suffix`. */
export interface PaddedFormat {
  digits: number;
  prefix: string;
  suffix: string;
}

/**
 * A format that shows a whole number as an ID: one run of zeros, with quoted (`"ALU-"0000`),
 * escaped (`\A0000`) or space-separated text before or after it; or two zeros or more alone
 * (`00000`, Excel's "Zip code"). A locale tag or a color shows nothing and is passed over: LibreOffice
 * saves a format of a cell in a set language as `[$-80A]000000` (and a red one as `[RED][$-80A]00000`).
 * Undefined for any other format (`0`, `#,##0`, `"$"#,##0.00`, `"$"0`, `[$$-80A]0`, `000-0000`, a
 * condition such as `[<=9999999]`). Only the first section counts: it is the one positive numbers use.
 */
export function paddedFormat(code: string): PaddedFormat | undefined {
  const section = code.split(';')[0] ?? '';
  let prefix = '';
  let suffix = '';
  let digits = 0;
  for (let i = 0; i < section.length; i++) {
    const char = section[i]!;
    let literal: string;
    if (char === '0' && suffix === '') {
      if (digits > 0 && section[i - 1] !== '0') return undefined; // a second run of zeros
      digits++;
      continue;
    } else if (char === '"') {
      const end = section.indexOf('"', i + 1);
      if (end === -1) return undefined;
      literal = section.slice(i + 1, end);
      i = end;
    } else if (char === '\\' && i + 1 < section.length) {
      literal = section[++i]!;
    } else if (char === '[') {
      const end = section.indexOf(']', i + 1);
      if (end === -1) return undefined;
      const bracket = section.slice(i + 1, end);
      i = end;
      const locale = LOCALE_TAG.exec(bracket);
      if (locale?.[1] === '' || COLOR.test(bracket)) continue;
      return undefined; // a currency (`[$$-80A]`, `[$MXN]`: an amount), a condition, an elapsed time
    } else if (char === ' ') {
      literal = char;
    } else return undefined;
    if (digits === 0) prefix += literal;
    else suffix += literal;
  }
  if (digits === 0 || (digits === 1 && prefix.trim() === '' && suffix.trim() === '')) return undefined;
  if (CURRENCY.test(prefix + suffix)) return undefined; // an amount: read as the number, as other currency formats
  return { digits, prefix, suffix };
}

/**
 * How a percent format shows a number (`0%`: no decimals; `#,##0.00 %`: 2 decimals, grouped, a
 * space before the `%`), undefined when the format is not a percent. Only the first section counts,
 * as for the other formats.
 */
export function percentFormat(code: string): PercentFormat | undefined {
  const bare = formatTokens(code.split(';')[0] ?? '');
  if (!bare.includes('%')) return undefined;
  return { decimals: /\.([0#?]+)/.exec(bare)?.[1]?.length ?? 0, grouped: /[0#?],[0#?]/.test(bare), spaced: /\s%/.test(bare) };
}

/**
 * Whether a number format code shows a date or time: it has d, m, y, h or s outside quoted text,
 * escapes and [brackets] (`[h]:mm` elapsed time counts; `[Red]` and `[$-80A]` do not).
 */
export function isDateFormatCode(code: string): boolean {
  const section = code.split(';')[0] ?? '';
  if (ELAPSED.test(section)) return true;
  const bare = formatTokens(section);
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** Whether a number format code shows a time of day and no date (`hh:mm`, `h:mm AM/PM`); elapsed time (`[h]:mm`) is not one. */
export function isTimeOfDayFormatCode(code: string): boolean {
  const section = code.split(';')[0] ?? '';
  if (ELAPSED.test(section)) return false;
  const bare = formatTokens(section);
  return /[hs]/i.test(bare) && !/[dy]/i.test(bare);
}

const ELAPSED = /\[h+\]|\[m+\]|\[s+\]/i;

/**
 * An elapsed-time format (`[h]:mm:ss`, `[hh]:mm`, `[mm]:ss`, openpyxl's for a timedelta): a duration,
 * which read as a date was `1899-12-30T01:30:00.000Z` where the sheet shows `1:30:00`. Undefined
 * for any other format. Only the first section counts, as for the other formats.
 */
export function elapsedFormat(code: string): ElapsedFormat | undefined {
  const section = code.split(';')[0] ?? '';
  const bracket = ELAPSED.exec(section.replace(/"[^"]*"/g, '').replace(/\\./g, ''))?.[0]; // not in quoted text
  if (bracket === undefined) return undefined;
  const unit = bracket[1]!.toLowerCase() as ElapsedFormat['unit'];
  return { unit, digits: bracket.length - 2, seconds: unit === 's' || /s/i.test(formatTokens(section)) };
}

/** A format section without quoted text, escapes, padding and [brackets]: only its tokens. */
function formatTokens(section: string): string {
  return section
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[[^\]]*\]/g, '');
}

/** Attributes of every `<name …>` element (any namespace prefix), entities decoded. */
function elements(xml: string, name: string): Array<Map<string, string>> {
  const found: Array<Map<string, string>> = [];
  const tag = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*)>`, 'g');
  for (const match of xml.matchAll(tag)) {
    const attrs = new Map<string, string>();
    for (const attr of (match[1] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs.set(attr[1] ?? '', decodeEntities(attr[2] ?? attr[3] ?? ''));
    }
    found.push(attrs);
  }
  return found;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, body: string) => {
    switch (body.toLowerCase()) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : entity;
      }
    }
  });
}

/**
 * Whether a worksheet part has at least one cell with a value or formula, by scanning its XML as it
 * inflates and stopping at the first one (a sheet with only styled, empty cells has none). A part
 * that cannot be read may hold one: taken for empty, a damaged first tab (or one a read error hit)
 * was passed over for the next tab with data, imported instead without a word, when its part lay
 * after that tab's in the zip, where the stream never meets the damage.
 */
export async function sheetHasCellData(zip: ZipDirectory, entry: ZipEntry): Promise<boolean> {
  const stream = await zip.stream(entry);
  const valuePattern = /<(?:[\w.-]+:)?(?:v|t)(?:\s[^>]*)?>[^<]|<(?:[\w.-]+:)?f[\s/>]/;
  let carry = '';
  let inSheetData = false;
  try {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text = carry + decoder.decode(chunk, { stream: true });
      if (!inSheetData) {
        const start = text.search(/<(?:[\w.-]+:)?sheetData[\s>]/);
        if (start < 0) {
          carry = text.slice(-64);
          continue;
        }
        inSheetData = true;
        text = text.slice(start);
      }
      const end = text.search(/<\/(?:[\w.-]+:)?sheetData>/);
      const scanned = end < 0 ? text : text.slice(0, end);
      if (valuePattern.test(scanned)) return true;
      if (end >= 0) return false;
      carry = text.slice(-256);
    }
    return false;
  } catch {
    return true; // a damaged part: reading it as the sheet to import says so
  } finally {
    stream.destroy();
  }
}

/** A range of merged cells (`<mergeCell ref="A2:A4"/>`), 1-based and inclusive. */
export interface MergedRange {
  ref: string;
  firstCol: number;
  lastCol: number;
  top: number;
  bottom: number;
}

const MERGE_CELL = /<(?:[\w.-]+:)?mergeCell\s[^>]*?ref\s*=\s*"([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)"/g;

/**
 * The ranges a worksheet merges over more than one row (a group label merged down a column, a
 * tutor's phone merged over two siblings). They are written after the rows (`<mergeCells>` follows
 * `<sheetData>`), too late for the stream, so the part is scanned for them first; only its text
 * after `</sheetData>` is searched.
 */
export async function readMergedRanges(zip: ZipDirectory, entry: ZipEntry): Promise<MergedRange[]> {
  // Large chunks: the part is only searched, and zlib's 16 KB ones cost a round trip each.
  const stream = await zip.stream(entry, SCAN_CHUNK_BYTES);
  const found: MergedRange[] = [];
  const decoder = new TextDecoder('utf-8');
  /** The text after `</sheetData>` not yet searched: from the last element that may go on in the next chunk. */
  let tail: string | undefined;
  let carry: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (tail === undefined) {
        // The rows are searched as bytes, never decoded: only the end of the part is text to read.
        const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
        const end = closingSheetData(bytes);
        if (end === -1) carry = bytes.subarray(Math.max(0, bytes.length - 64));
        else tail = decoder.decode(bytes.subarray(end), { stream: true });
      } else {
        tail += decoder.decode(chunk, { stream: true });
      }
      // Searched chunk by chunk, not kept whole: gigabytes after the rows (a workbook made to inflate)
      // took 3 GB and ended the run in an unexpected error.
      if (tail !== undefined) tail = collectMerges(tail, found, false);
    }
    if (tail !== undefined) collectMerges(tail + decoder.decode(), found, true);
  } catch (error) {
    // A file that could not be read (EIO, EMFILE) may read the next time, and the sheet would then
    // be read without its merges, a merged label or phone missing from rows, without a word.
    if (isSystemError(error)) throw error;
    return []; // a damaged part: the real read reports it
  } finally {
    stream.destroy();
  }
  return found;
}

/** Longest `<mergeCell …/>` element kept over to the next chunk; a real one is under 100 characters. */
const LONGEST_MERGE_ELEMENT = 4096;

/** Adds the merged ranges in `text` to `found`; returns the text an element cut at its end may go on from. */
function collectMerges(text: string, found: MergedRange[], final: boolean): string {
  const lastOpen = final ? text.length : text.lastIndexOf('<');
  const complete = lastOpen === -1 ? '' : text.slice(0, lastOpen);
  for (const m of complete.matchAll(MERGE_CELL)) {
    const top = Number(m[2]);
    const bottom = Number(m[4]);
    found.push({ ref: `${m[1]}${m[2]}:${m[3]}${m[4]}`.toUpperCase(), firstCol: columnNumber(m[1]!), lastCol: columnNumber(m[3]!), top, bottom });
  }
  const rest = lastOpen === -1 ? '' : text.slice(lastOpen);
  return rest.length > LONGEST_MERGE_ELEMENT ? '' : rest;
}

/** The Total Row of an Excel table (Insert > Table, then Total Row): its rows are sums and counts, no customer. */
export interface TableTotals {
  table: string;
  firstRow: number;
  lastRow: number;
  /** The table's columns, 1-based: a row with a value outside them is more than the Total Row. */
  firstCol: number;
  lastCol: number;
}

/**
 * The totals rows of the tables on a worksheet, from its table parts (`xl/tables/table1.xml`,
 * reached through the sheet's relationships): the last `totalsRowCount` rows of each table's `ref`.
 * A part the zip lacks gives none; one it holds damaged fails (see below).
 */
export async function readTableTotals(zip: ZipDirectory, sheetPart: string): Promise<TableTotals[]> {
  // A part the zip lacks is no table; one it holds damaged fails the read (planRead: "damaged"),
  // as otherwise the Total Row it describes was read as a customer.
  const relsXml = await zip.readText(posix.join(posix.dirname(sheetPart), '_rels', `${posix.basename(sheetPart)}.rels`));
  if (relsXml === undefined) return [];
  const found: TableTotals[] = [];
  for (const rel of elements(relsXml, 'Relationship')) {
    const target = rel.get('Target');
    if (target === undefined || !/\/table$/.test(rel.get('Type') ?? '') || rel.get('TargetMode') === 'External') continue;
    const part = resolveTarget(target, posix.dirname(sheetPart));
    const table = elements((await zip.readText(part)) ?? '', 'table')[0];
    const count = Number(table?.get('totalsRowCount') ?? 0);
    const ref = /^([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)$/.exec(table?.get('ref') ?? '');
    if (!table || !ref || !Number.isInteger(count) || count < 1) continue;
    const lastRow = Number(ref[4]);
    found.push({
      table: table.get('displayName') ?? table.get('name') ?? part,
      firstRow: Math.max(Number(ref[2]) + 1, lastRow - count + 1),
      lastRow,
      firstCol: columnNumber(ref[1]!),
      lastCol: columnNumber(ref[3]!),
    });
  }
  return found;
}

/** Where `</sheetData>` (any namespace prefix) starts in `bytes`, or -1; the opening `<sheetData>` is passed over. */
function closingSheetData(bytes: Buffer): number {
  for (let at = bytes.indexOf(SHEET_DATA_END); at !== -1; at = bytes.indexOf(SHEET_DATA_END, at + 1)) {
    let i = at - 1;
    if (bytes[i] === 0x3a /* : */) while (i > 0 && bytes[i - 1] !== 0x2f /* / */ && bytes[i - 1] !== 0x3c /* < */) i--;
    else i++;
    if (bytes[i - 1] === 0x2f && bytes[i - 2] === 0x3c) return i - 2;
  }
  return -1;
}
const SHEET_DATA_END = Buffer.from('sheetData>');
const SCAN_CHUNK_BYTES = 1024 * 1024;

function columnNumber(letters: string): number {
  let col = 0;
  for (const char of letters.toUpperCase()) col = col * 26 + char.charCodeAt(0) - 64;
  return col;
}
