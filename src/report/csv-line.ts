const NEEDS_QUOTES = /["\r\n]|^\s|\s$/;

/** One CSV line (with its line break) from cells: quoted only where needed, quotes doubled. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) line += delimiter;
    line += NEEDS_QUOTES.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
  }
  return `${line}\r\n`;
}
