import type { RowRanges } from '../read/row-sample.js';
import type { SourceRow } from '../read/source-row.js';
import { headerKey } from './header-key.js';
import { isContactHeader, isIdentifierHeader, nameColumn, type ResolvedMapping } from './resolve-mapping.js';

/** Headers of a list's numbering (`No.`, `#`, `Núm.`, `N°`, `Consecutivo`, `No. de lista`): renumbered every term, no customer's. */
const LIST_NUMBER_KEYS: ReadonlySet<string> = new Set(
  ['no', 'n', 'nº', 'n°', 'nro', 'num', 'numero', '#', 'consecutivo', 'cons', 'progresivo', 'lista', 'no de lista', 'num de lista', 'numero de lista', 'n.l.'].map(headerKey),
);
/** A list's number (`1`, `=ROW()-1`), typed down a template before any student. */
const LIST_NUMBER = /^\d{1,5}\.?$/;
/** What a calculation dragged down shows on an empty row: `0`, `0.00`, `$0.00`, `0%`, `-` or `$ -` (an accounting format's zero). */
const ZERO = /^[-+]?\s*\$?\s*(?:0+(?:[.,]0+)?|[-–—])\s*%?$/;

/** Whether a column numbers a list's lines (`No.`, `#`, a column without a header). */
export function isListNumberHeader(header: string): boolean {
  return header === '' || LIST_NUMBER_KEYS.has(headerKey(header));
}

/** Whether a cell holds a list's number. */
export function isListNumber(text: string): boolean {
  return LIST_NUMBER.test(text);
}

/**
 * Whether a row is one of a template's empty lines, skipped like a blank row: it holds only a
 * list number (a whole number under `No.`, `#` or a column without a header) and zeros (`0`,
 * `$0.00`, `-`, what a formula dragged down shows), and nothing in a column of the customer's:
 * a field, a second phone or email, an identifier (`Matrícula`: a name forgotten beside it), a
 * phone or email of anyone (`Teléfono mamá`). Any other text, or a cell the reader found a
 * problem in, makes the row data, reported (refused if it names nobody).
 */
export function createTemplateRowTest(mapping: ResolvedMapping): (source: SourceRow) => boolean {
  const customers: number[] = [];
  const numbered = new Set<number>();
  for (const { index, header, target } of mapping.columns) {
    if (target.kind === 'field' || (target.kind === 'metadata' && (target.fills !== undefined || isIdentifierHeader(header) || isContactHeader(header)))) customers.push(index);
    else if (isListNumberHeader(header)) numbered.add(index);
  }
  // The name first: on a customer's row it is the only cell looked at.
  const nameIndex = nameColumn(mapping);
  customers.sort((a, b) => Number(b === nameIndex) - Number(a === nameIndex));
  return ({ values, cellIssues }) => {
    if (cellIssues) return false;
    for (const index of customers) if (hasText(values[index])) return false;
    for (let i = 0; i < values.length; i++) {
      const text = values[i]!.trim();
      if (text !== '' && !ZERO.test(text) && !(numbered.has(i) && isListNumber(text))) return false;
    }
    return true;
  };
}

/** Whether a cell holds more than white space; a cell starting with a visible character is not trimmed. */
function hasText(value: string | undefined): boolean {
  if (!value) return false;
  const first = value.charCodeAt(0);
  return (first > 32 && first < 127) || value.trim() !== '';
}

/** Said once, at the end of reading, of the template lines skipped. */
export function templateRowsWarning(rows: RowRanges): string {
  return `${rows.listed()} ${rows.count === 1 ? 'holds' : 'hold'} only a list number or a calculated 0 and no customer data: skipped as empty template rows`;
}
