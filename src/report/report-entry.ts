import { csvCell } from './csv-line.js';
import type { RowIssue } from '../validate/row-issue.js';
import type { RowStatus } from './row-status.js';

/** One data row's line in the report. */
export interface ReportEntry {
  row: number;
  status: RowStatus;
  // Every entry the engine makes has all fields (unset ones `undefined`): one shape, read fast.
  customerId?: string | undefined;
  username?: string | undefined;
  name?: string | undefined;
  /** Why the row was refused or failed (or a note on a success). */
  error?: string | undefined;
  /** The row's problems, when it was refused before sending. */
  issues?: RowIssue[] | undefined;
  /** The row's cells as read, for the errors file. */
  values: string[];
}

/** The report's columns, in order: the first five are the public contract. */
export const REPORT_COLUMNS = ['row', 'status', 'customerId', 'username', 'error', 'name'] as const;

/** An entry as the report's cells, in `REPORT_COLUMNS` order. */
export function reportCells(entry: ReportEntry): string[] {
  return [String(entry.row), entry.status, entry.customerId ?? '', entry.username ?? '', entry.error ?? '', entry.name ?? ''];
}

/**
 * An entry as a line of a CSV results report: `reportCells` as `csvLine` writes them, without an
 * array a row (a million-row report formats a million lines). The row number and the status word
 * never need quotes.
 */
export function reportCsvLine(entry: ReportEntry): string {
  return `${entry.row},${entry.status},${reportCsvCell(entry.customerId)},${reportCsvCell(entry.username)},${reportCsvCell(entry.error)},${reportCsvCell(entry.name)}\r\n`;
}

function reportCsvCell(text: string | undefined): string {
  return text ? csvCell(text, ',', true) : '';
}
