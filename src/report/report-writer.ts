import { isErrorColumn } from '../map/resolve-mapping.js';
import { CsvTableWriter } from './formats/csv-table.js';
import { JsonReportWriter } from './formats/json-report.js';
import { formatOfPath, type TableRow, type TableWriter } from './formats/table-writer.js';
import { XlsxTableWriter } from './formats/xlsx-table.js';
import { REFUSED_STATUSES } from './row-status.js';
import { REPORT_COLUMNS, reportCells, reportCsvLine, type ReportEntry } from './report-entry.js';
import type { ImportSummary } from './summary.js';

/** Where the report files go and what the input looked like. */
export interface ReportOptions {
  /** Results report path; its extension picks the format: `.xlsx`, `.json`, anything else CSV. */
  reportPath: string;
  /**
   * Errors file path: refused and failed rows with their own columns plus `error`. An `.xlsx` path
   * is written as a workbook; anything else as a UTF-8 CSV with a byte order mark.
   */
  errorsPath: string;
  /** The input's headers, for the errors file. */
  sourceHeaders: string[];
  /**
   * The input's own `error` column, which the mapping left out (an earlier errors file's), reused by
   * this errors file; -1 when there is none. Left out, the first header named as one is taken.
   */
  errorColumn?: number;
  /** A CSV errors file's delimiter: the input's `;` or `,`, so that it opens in a spreadsheet as the original did. */
  delimiter: string;
}

/**
 * The widths of an XLSX results report's columns (`REPORT_COLUMNS`), in characters: a customer id
 * (`cus_` and 20 characters) whole, room for a message and a full name.
 */
const RESULTS_WIDTHS = [8, 14, 28, 18, 60, 36];

/** The results report in the format its path asks for, and how entries are written to it. */
function openResults(path: string): { file: TableWriter; write: (entries: readonly ReportEntry[]) => Promise<void> } {
  switch (formatOfPath(path)) {
    case 'csv': {
      const file = new CsvTableWriter(path, REPORT_COLUMNS);
      // Lines straight from the entries: through `reportCells` and `csvLine`, a million-row dry run
      // spent about a quarter of its time on the report.
      return { file, write: (entries) => file.writeText(entries.map(reportCsvLine).join('')) };
    }
    case 'xlsx':
      return tableResults(new XlsxTableWriter(path, REPORT_COLUMNS, { sheetName: 'Results', numericColumns: [0], highlight: true, statusColumn: 1, columnWidths: RESULTS_WIDTHS }));
    case 'json':
      return tableResults(new JsonReportWriter(path, REPORT_COLUMNS));
  }
}

function tableResults(file: TableWriter): { file: TableWriter; write: (entries: readonly ReportEntry[]) => Promise<void> } {
  return { file, write: (entries) => file.write(entries.map((entry) => ({ cells: reportCells(entry), status: entry.status }))) };
}

/**
 * Writes the results report and the errors file while the run proceeds. Rows finish out of order
 * (the pool answers whichever is fastest), so entries are held until every earlier row is in,
 * which keeps the report in input order; the hold is bounded by the pool's window. Lines are
 * written in batches (every 512 rows or every second), not one file write per row.
 */
const FLUSH_ROWS = 512;
const FLUSH_EVERY_MS = 1000;

/**
 * A row left out of the errors file: one without a username that repeats an earlier row's name,
 * email and phone. There is nothing in it to fix (the earlier row stands for that person, in the
 * errors file itself when it was refused), and imported from the errors file, under a report name
 * whose journal does not know the earlier row, it would be created a second time.
 */
function repeatsACustomer(entry: ReportEntry): boolean {
  return entry.status === 'duplicate' && entry.issues !== undefined && entry.issues.every((issue) => issue.code === 'duplicate_customer');
}

export class ReportWriter {
  private readonly results: TableWriter;
  private readonly writeResults: (entries: readonly ReportEntry[]) => Promise<void>;
  private readonly errors: TableWriter;
  private readonly waiting = new Map<number, ReportEntry>();
  private nextSequence = 0;
  private readonly errorColumn: number;
  private chain: Promise<void> = Promise.resolve();
  private ready: ReportEntry[] = [];
  private lastFlush = Date.now();

  constructor(private readonly options: ReportOptions) {
    // Our own errors file, imported again, already has an `error` column: reuse it, don't add a second.
    // A column of the input's own headed `error` that the mapping imports is data, not overwritten:
    // the message gets a column of its own, named so that a mapping naming `error` does not take it.
    const existing = options.errorColumn ?? options.sourceHeaders.findIndex(isErrorColumn);
    this.errorColumn = existing === -1 ? options.sourceHeaders.length : existing;
    const added = options.sourceHeaders.some(isErrorColumn) ? 'import error' : 'error';
    const errorsHeaders = existing === -1 ? [...options.sourceHeaders, added] : options.sourceHeaders;
    const results = openResults(options.reportPath);
    this.results = results.file;
    this.writeResults = results.write;
    this.errors =
      formatOfPath(options.errorsPath) === 'xlsx'
        ? new XlsxTableWriter(options.errorsPath, errorsHeaders, { sheetName: 'Errors' })
        : new CsvTableWriter(options.errorsPath, errorsHeaders, { delimiter: options.delimiter, bom: true, keepDigits: true });
  }

  /**
   * Files the entry of the `sequence`-th data row (0-based, in input order). Returns a promise only
   * when a batch is being written: await it, so a slow disk holds the reader back.
   */
  add(sequence: number, entry: ReportEntry): Promise<void> | undefined {
    if (sequence !== this.nextSequence) {
      this.waiting.set(sequence, entry);
      return undefined;
    }
    this.ready.push(entry);
    this.nextSequence++;
    if (this.waiting.size > 0) {
      for (let next = this.waiting.get(this.nextSequence); next; next = this.waiting.get(this.nextSequence)) {
        this.waiting.delete(this.nextSequence++);
        this.ready.push(next);
      }
    }
    if (this.ready.length >= FLUSH_ROWS || Date.now() - this.lastFlush >= FLUSH_EVERY_MS) return this.flush();
    return undefined;
  }

  /** Writes the lines ready so far. */
  private flush(): Promise<void> {
    const batch = this.ready;
    this.ready = [];
    this.lastFlush = Date.now();
    if (batch.length > 0) this.chain = this.chain.then(() => this.writeAll(batch));
    return this.chain;
  }

  /** Flushes and closes both files; a JSON report ends with `summary`. */
  async close(summary?: ImportSummary): Promise<void> {
    let failure: unknown;
    try {
      await this.flush();
    } catch (error) {
      failure = error; // the files are still closed (a JSON report's scratch file removed), then it is thrown
    }
    const closed = await Promise.allSettled([this.results.close(failure === undefined ? summary : undefined), this.errors.close()]);
    const closeFailure = closed.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure;
    if (closeFailure) throw closeFailure.reason;
  }

  private async writeAll(entries: ReportEntry[]): Promise<void> {
    const errors: TableRow[] = [];
    for (const entry of entries) {
      if (REFUSED_STATUSES.has(entry.status) && !repeatsACustomer(entry)) {
        const cells = this.options.sourceHeaders.map((_, i) => entry.values[i] ?? '');
        cells[this.errorColumn] = entry.error ?? '';
        // A row refused for cells past the header (`Lun; Mie` unquoted pushed `3A` out; the readers keep
        // such cells on those rows only) keeps them after `error`: cut to the header's width it
        // imported again, its cells shifted, `3A` lost.
        cells.push(...entry.values.slice(this.options.sourceHeaders.length));
        errors.push({ cells, status: entry.status });
      }
    }
    await this.writeResults(entries);
    if (errors.length > 0) await this.errors.write(errors);
  }
}
