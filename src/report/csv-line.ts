import { neutralizeFormula } from './cell-safety.js';

const QUOTE = /"/g;
const SPECIALS = new Map<string, RegExp>();
/** White space a spreadsheet would trim from an unquoted cell's ends, past the ASCII range. */
const SPACE_AT_AN_END = /^\s|\s$/;

/** Characters that make a cell need quotes anywhere in it with this delimiter; compiled once per delimiter. */
function specialsFor(delimiter: string): RegExp {
  let pattern = SPECIALS.get(delimiter);
  if (!pattern) {
    pattern = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
    SPECIALS.set(delimiter, pattern);
  }
  return pattern;
}

/** Tab, line feed, vertical tab, form feed, carriage return or space: what `\s` matches below 128. */
function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * One CSV line (with its line break) from cells, each as `csvCell` writes it.
 */
export function csvLine(cells: readonly string[], delimiter = ',', neutralize = false): string {
  const specials = specialsFor(delimiter);
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += delimiter;
    line += cellText(cells[i]!, specials, neutralize);
  }
  return `${line}\r\n`;
}

/**
 * A cell as it stands in a CSV line: quoted only where needed (a quote, a line break, the
 * delimiter, or white space at either end), quotes doubled. With `neutralize`, a cell a
 * spreadsheet would run as a formula is made text first (see `neutralizeFormula`).
 */
export function csvCell(cell: string, delimiter = ',', neutralize = false): string {
  return cellText(cell, specialsFor(delimiter), neutralize);
}

/**
 * It runs for every cell of every report: one character-class scan a cell, and the ends checked by
 * code (an alternation with `\s$` made the scan try three branches at every character).
 */
function cellText(text: string, specials: RegExp, neutralize: boolean): string {
  if (text === '') return text;
  const cell = neutralize ? neutralizeFormula(text) : text;
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  const quoted = specials.test(cell) || isAsciiSpace(first) || isAsciiSpace(last) || ((first > 127 || last > 127) && SPACE_AT_AN_END.test(cell));
  return quoted ? `"${cell.replace(QUOTE, '""')}"` : cell;
}

/**
 * Digits that a spreadsheet opening a CSV by double-click would change: a leading zero (`00104`
 * comes back as `104`) or twelve digits or more (Excel shows `525512345678` as `5.25512E+11` and
 * saves it so; past fifteen, digits are lost).
 */
const DIGITS_A_SPREADSHEET_CHANGES = /^(?:0\d+|\d{12,})$/;

/**
 * A cell as `csvCell` writes it, neutralized, except digits a spreadsheet opening the file by
 * double-click would read as a number: those are written `="00104"` (quoted for the CSV:
 * `"=""00104"""`), a formula whose value is the text, so Excel and LibreOffice show `00104`, save
 * it back as `00104`, and the importer reads `00104` from it as written too.
 */
export function csvCellKeepingDigits(cell: string, delimiter: string): string {
  return DIGITS_A_SPREADSHEET_CHANGES.test(cell) ? `"=""${cell}"""` : cellText(cell, specialsFor(delimiter), true);
}
