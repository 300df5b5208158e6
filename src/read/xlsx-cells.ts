import type { CellIssue } from './source-row.js';
import { composed } from './composed.js';
import type { SharedStringTable } from './xlsx-shared-strings.js';
import type { RawCell } from './xlsx-sheet.js';
import type { ElapsedFormat, NumberFormat, PercentFormat } from './xlsx-workbook.js';

/** What the cell reader needs besides the cell. */
export interface CellContext {
  sharedStrings: SharedStringTable | undefined;
  /** Per cell style index: how its number format shows a number, where that differs from General. */
  numberFormats: readonly (NumberFormat | undefined)[];
  date1904: boolean;
  /** The workbook asks to be recalculated when opened (see `WorkbookInfo.recalculateOnOpen`). */
  recalculateOnOpen: boolean;
}

/** A cell as a person sees it: its text, or a problem and `''`. */
export interface CellText {
  text: string;
  issue?: Omit<CellIssue, 'column'>;
}

const EMPTY: CellText = { text: '' };
const BOOLEAN_FORMULA = /^\s*=?\s*(TRUE|FALSE)\s*\(\s*\)\s*$/i;
/** A formula that is one text and nothing else (`"000123"`, a quote inside doubled); `<f>` holds it without its `=`. */
const TEXT_LITERAL_FORMULA = /^\s*=?\s*"((?:[^"]|"")*)"\s*$/;
const UNCALCULATED_RULE = 'is a formula with no calculated value: open the file in Excel, let it recalculate, and save it again';

/**
 * The text a person sees in a cell. Numbers without float artefacts or exponents, zero-padded when
 * their format pads them (`000000`: 1234 shows as 001234); dates as ISO date-times read as UTC (no
 * time-zone shift); a time of day in a time format as `07:30`; booleans as `true`/`false`, rich
 * text as its plain text, formulas as their cached result; error values and never-calculated
 * formulas become issues.
 */
export function cellText(cell: RawCell, ctx: CellContext): CellText {
  const { formula, type } = cell;
  if (formula !== undefined) {
    // LibreOffice writes a typed TRUE/FALSE as the formula TRUE()/FALSE(); the formula says it all.
    const constant = BOOLEAN_FORMULA.exec(formula);
    if (constant) return { text: constant[1]?.toLowerCase() === 'true' ? 'true' : 'false' };
    // A saved 0 in a workbook that asks to be recalculated is the writer's placeholder, not a result:
    // Excel shows "Karla Vega" where the file holds 0. A true 0 is refused too, until Excel saves the file.
    const placeholder = ctx.recalculateOnOpen && cell.value === '0' && type === 'n';
    const uncalculated = cell.value === undefined || (cell.value === '' && type !== 'str') || placeholder;
    if (uncalculated) {
      // `="000123"` written by openpyxl (pandas' to_excel) or xlsxwriter, the CSV way of keeping an
      // id's zeros: a text alone has one value, the text, calculated or not.
      const literal = TEXT_LITERAL_FORMULA.exec(formula)?.[1];
      if (literal !== undefined) return { text: composed(literal.replaceAll('""', '"')) };
      const issue: Omit<CellIssue, 'column'> = { code: 'formula_uncalculated', message: UNCALCULATED_RULE };
      if (formula !== '') issue.value = `=${formula}`;
      return { text: '', issue };
    }
  }
  switch (type) {
    case 's':
      return { text: composed(sharedText(ctx.sharedStrings, cell.value)) };
    case 'inlineStr':
      return { text: composed(decodeEscapes(cell.inline ?? cell.value ?? '')) };
    case 'str':
      return { text: composed(decodeEscapes(cell.value ?? '')) };
    case 'b':
      // Excel writes 0 and 1; DevExtreme's grid export and .NET writers `false`/`False`, as xsd:boolean allows.
      // Other text (`no`, `Sí`: a writer that typed text as boolean) is read as written, for the field to judge.
      if (cell.value === undefined || cell.value === '') return EMPTY;
      return { text: XSD_FALSE.test(cell.value) ? 'false' : XSD_TRUE.test(cell.value) ? 'true' : composed(decodeEscapes(cell.value)) };
    case 'e': {
      const shown = cell.value || '#VALUE!';
      return { text: '', issue: { code: 'cell_error', message: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file", value: shown, shown } };
    }
    case 'd':
      return { text: isoDateText(cell.value ?? '', ctx.numberFormats[cell.style]?.kind === 'time' ? (ctx.date1904 ? DAY_ZERO_1904 : DAY_ZERO) : undefined) };
    default:
      return longNumberCellText(cell, ctx) ?? { text: numberCellText(cell, ctx) };
  }
}

const XSD_FALSE = /^\s*(?:0|false)\s*$/i;
const XSD_TRUE = /^\s*(?:1|true)\s*$/i;

/** A whole number as written in the file's XML, sign and digits (`1234567890123456789`). */
const WHOLE_DIGITS = /^-?\d+$/;

/**
 * A number of 16 digits or more outside a date or percent format (a CLABE, a card number, a long
 * student id typed as a number): its digits when the file holds them all, else a problem. Excel
 * keeps 15 and turns the rest into zeros, saving `1.23456789012345E+18`: sent, that was a username
 * or an account number nobody had, and a second customer once the column was fixed and imported again.
 */
function longNumberCellText(cell: RawCell, ctx: CellContext): CellText | undefined {
  const raw = cell.value?.trim() ?? '';
  const n = Number(raw);
  if (!(Math.abs(n) >= 1e15) || !Number.isInteger(n)) return undefined;
  const kind = ctx.numberFormats[cell.style]?.kind;
  if (kind === 'date' || kind === 'time' || kind === 'percent') return undefined;
  // Written out whole, and within what a number holds exactly (9,007,199,254,740,991): pandas' ids.
  // Past that, whole digits are no proof: JavaScript writers save 1234567890123456800. Nor is a
  // last digit 0: Excel and LibreOffice keep 15 digits and write the 16th as a 0, out whole
  // (a card number typed as 4152313456789012 is saved as 4152313456789010).
  if (WHOLE_DIGITS.test(raw) && Number.isSafeInteger(n) && !raw.endsWith('0')) return { text: String(n) };
  return {
    text: '',
    issue: {
      code: 'invalid_value',
      message:
        // The same words for every length: the summary groups a column's cells as one reason.
        'is a number of more than 15 digits as saved: a spreadsheet keeps 15 and the rest were lost ' +
        'when it was typed or saved; format the column as Text and type the numbers again (or leave the column out with --mapping)',
      value: raw,
    },
  };
}

function numberCellText(cell: RawCell, ctx: CellContext): string {
  const raw = cell.value;
  if (raw === undefined || raw.trim() === '') return '';
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw.trim();
  const format = ctx.numberFormats[cell.style];
  switch (format?.kind) {
    case 'time':
    case 'date':
      // A time alone reads as one; a date-time shown as its time keeps its date.
      if (format.kind === 'time' && n >= 0 && n < 1) return timeOfDay(Math.round(n * MS_PER_DAY));
      return excelSerialToIso(n, ctx.date1904) ?? formatNumber(n);
    case 'elapsed':
      return elapsedText(n, format) ?? formatNumber(n);
    case 'percent':
      // A scholarship typed as 15% is stored as 0.15: sent as the sheet shows it, with the format's decimals.
      return percentText(n, format);
    case 'padded':
      if (Number.isInteger(n) && n >= 0 && n < 1e15) return `${format.prefix}${String(n).padStart(format.digits, '0')}${format.suffix}`;
      break;
    case 'decimals':
      return decimalsText(n, format.decimals);
  }
  return formatNumber(n);
}

/**
 * A number rounded as a format with `decimals` decimals shows it, half away from zero in decimal
 * as Excel does (2131.935 in `0.00` is 2131.94), without the zeros the format pads with: 2500 stays
 * `2500` and 12.5 stays `12.5`, as before formats were read, so a nightly upsert changes nothing.
 */
export function decimalsText(n: number, decimals: number): string {
  const exact = Number(n.toPrecision(15));
  if (Math.abs(exact) >= 1e15 || Number.isInteger(exact)) return formatNumber(exact);
  // Shifting by the exponent in text keeps the decimal digits exact (see percentText).
  const digits = String(Math.abs(exact));
  const shifted = Math.round(Number(`${digits.includes('e') ? Math.abs(exact).toFixed(20) : digits}e${decimals}`)); // 1e-7 has its own exponent
  const magnitude = Number(`${shifted}e-${decimals}`);
  return formatNumber(exact < 0 ? -magnitude : magnitude);
}

/**
 * A number in a percent format as Excel shows it: times 100 at Excel's 15 digits, rounded half away
 * from zero in decimal (0.01005 in `0.00%` is `1.01%`, where binary rounding gives 1.00), grouped
 * and spaced as the format says.
 */
function percentText(n: number, { decimals, grouped, spaced }: PercentFormat): string {
  const hundredfold = Number((n * 100).toPrecision(15));
  if (Math.abs(hundredfold) >= 1e15) return `${formatNumber(hundredfold)}%`; // past Excel's digits: no rounding to do
  // Shifting by the exponent in text keeps the decimal digits exact: 1.005 becomes 100.5, not 100.49999.
  const shifted = Math.round(Number(`${Math.abs(hundredfold)}e${decimals}`));
  const magnitude = Number(`${shifted}e-${decimals}`).toFixed(decimals);
  const [whole, fraction] = magnitude.split('.');
  const digits = grouped ? whole!.replace(/\B(?=(\d{3})+$)/g, ',') : whole!;
  const sign = hundredfold < 0 && shifted !== 0 ? '-' : '';
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}${spaced ? ' ' : ''}%`;
}

function sharedText(strings: SharedStringTable | undefined, index: string | undefined): string {
  const number = Number.parseInt(index ?? '', 10);
  const text = strings?.at(number);
  // Past the table's end, the shared strings are damaged (a string lost before it shifts every one
  // after): read as '', such cells emptied their rows, which were dropped as blank without a word.
  if (text === undefined && number >= 0) throw new Error(`a cell refers to shared string ${number + 1}, and the workbook holds ${strings?.size ?? 0}`);
  return text ? decodeEscapes(text) : '';
}

/** Excel escapes control characters in XML text as `_xHHHH_` (and a literal `_x` as `_x005F_x`). */
function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A number as a person sees it in a General cell, but never in scientific notation: integers as
 * their digits (`5512345678`), other values rounded to 15 significant digits, Excel's precision
 * (`0.30000000000000004` → `0.3`).
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n === 0 ? 0 : n);
  const rounded = Number(n.toPrecision(15));
  const text = String(rounded === 0 ? 0 : rounded);
  return text.includes('e') ? expandExponent(text) : text;
}

/** `1e-7` → `0.0000001`, `1.5e+21` → `1500000000000000000000`. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const sign = match[1] ?? '';
  const digits = (match[2] ?? '') + (match[3] ?? '');
  const point = 1 + Number(match[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const MS_PER_DAY = 86_400_000;

/**
 * An Excel date serial as an ISO date-time, reading the wall-clock date and time as UTC so that
 * 15/01/2025 is `2025-01-15T00:00:00.000Z` whatever the machine's time zone. Undefined if out of range.
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | undefined {
  if (serial < 0 || serial > 2_958_466) return undefined; // after 9999-12-31
  // Excel counts a 29 Feb 1900 that never was: serials 1 to 60 sit one day later than their count.
  const days = date1904 ? serial + 1462 : serial >= 1 && serial < 61 ? serial + 1 : serial;
  const ms = Math.round((days - 25569) * MS_PER_DAY);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A time of day (a serial's fraction of a day, in ms) as `07:30`, or `07:30:15` with seconds: how a
 * cell formatted `hh:mm` reads, rather than as a date-time on 30 Dec 1899.
 */
export function timeOfDay(ms: number): string {
  const seconds = Math.min(Math.round(ms / 1000), 86_399);
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const ss = seconds % 60;
  return ss === 0 ? `${hh}:${mm}` : `${hh}:${mm}:${String(ss).padStart(2, '0')}`;
}

/**
 * A duration (a serial in days) as its elapsed-time format shows it: `[h]:mm:ss` shows 1.5 as
 * `36:00:00`, `[hh]:mm` 0.0625 as `01:30`, `[mm]:ss` 0.0625 as `90:00`. Undefined for a negative one.
 */
export function elapsedText(days: number, { unit, digits, seconds }: ElapsedFormat): string | undefined {
  if (!(days >= 0)) return undefined;
  const shown = seconds ? 1 : 60; // a format without seconds shows whole minutes
  const total = Math.round((days * 86_400) / shown) * shown;
  const two = (n: number) => String(n).padStart(2, '0');
  const ss = seconds ? `:${two(total % 60)}` : '';
  if (unit === 's') return String(total).padStart(digits, '0');
  if (unit === 'm') return `${String(Math.floor(total / 60)).padStart(digits, '0')}${ss}`;
  return `${String(Math.floor(total / 3600)).padStart(digits, '0')}:${two(Math.floor(total / 60) % 60)}${ss}`;
}

/** A time of day in ISO 8601: `07:30:00`, `T07:30` (hours to 23, minutes and seconds to 59: `25:00` is kept as written). */
const ISO_TIME = /^T?([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d(?:\.\d+)?))?$/;
/** The day a time alone sits on as a date-time: Excel's day 0 (1900-01-00), written as 1899-12-30 or -31. */
const DAY_ZERO = /^1899-12-3[01]T/;
/** Day 0 of a workbook in the 1904 date system (Excel for Mac's): its serial 0.3125 is 1904-01-01T07:30. */
const DAY_ZERO_1904 = /^1904-01-01T/;

/**
 * A `t="d"` cell holds an ISO 8601 text already (Excel's "Strict Open XML" save, openpyxl's
 * iso_dates); normalise it when it parses. A time of day reads as the same cell saved as a serial
 * does (`07:30`): alone, or on the workbook's day 0 (`dayZero`, given under a time format).
 */
function isoDateText(value: string, dayZero: RegExp | undefined): string {
  const text = value.trim();
  if (text === '') return '';
  const time = ISO_TIME.exec(dayZero?.test(text) ? text.slice(10) : text);
  if (time) return timeOfDay(((Number(time[1]) * 60 + Number(time[2])) * 60 + Number(time[3] ?? 0)) * 1000);
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const date = new Date(/T/.test(withZone) ? withZone : `${withZone}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
