import { extname } from 'node:path';
import type { RowStatus } from '../row-status.js';
import type { ImportSummary } from '../summary.js';

/** One line of a report file: its cells in the file's column order, and the row's outcome. */
export interface TableRow {
  cells: string[];
  /** The row's outcome; refused and failed rows are made easy to spot where the format allows. */
  status: RowStatus;
}

/**
 * A report file written as the run proceeds: CSV, XLSX or JSON behind one small interface.
 * `write` resolves once the file can take more (backpressure); `close` flushes and closes it.
 */
export interface TableWriter {
  readonly path: string;
  write(rows: readonly TableRow[]): Promise<void>;
  /** Flushes and closes; the JSON report writes `summary` at its end. */
  close(summary?: ImportSummary): Promise<void>;
}

/** The formats a report can be written in. */
export type ReportFormat = 'csv' | 'xlsx' | 'json';

/** The format a path asks for by its extension: `.xlsx`, `.json`, anything else CSV. */
export function formatOfPath(path: string): ReportFormat {
  const extension = extname(path).toLowerCase();
  return extension === '.xlsx' ? 'xlsx' : extension === '.json' ? 'json' : 'csv';
}
