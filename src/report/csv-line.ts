import { neutralizeFormula } from './cell-safety.js';

const QUOTE = /"/g;
const SPECIALS = new Map<string, RegExp>();

/** Characters that make a cell need quotes with this delimiter; compiled once per delimiter. */
function specialsFor(delimiter: string): RegExp {
  let pattern = SPECIALS.get(delimiter);
  if (!pattern) {
    pattern = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]|^\\s|\\s$`);
    SPECIALS.set(delimiter, pattern);
  }
  return pattern;
}

/**
 * One CSV line (with its line break) from cells: quoted only where needed, quotes doubled. With
 * `neutralize`, a cell a spreadsheet would run as a formula is made text first (see
 * `neutralizeFormula`). One pass, no array per line: it runs for every cell of every report.
 */
export function csvLine(cells: readonly string[], delimiter = ',', neutralize = false): string {
  const specials = specialsFor(delimiter);
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    let cell = cells[i]!;
    if (i > 0) line += delimiter;
    if (cell === '') continue;
    if (neutralize) cell = neutralizeFormula(cell);
    line += specials.test(cell) ? `"${cell.replace(QUOTE, '""')}"` : cell;
  }
  return `${line}\r\n`;
}
