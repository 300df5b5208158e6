import { csvLine } from './csv-line.js';
import { FileSink } from './file-sink.js';
import { REFUSED_STATUSES } from './row-status.js';
import { REPORT_COLUMNS, reportCells, type ReportEntry } from './report-entry.js';

/** Where the report files go and what the input looked like. */
export interface ReportOptions {
  /** Results report path. */
  reportPath: string;
  /** Errors file path: refused and failed rows with their own columns plus `error`. */
  errorsPath: string;
  /** The input's headers, for the errors file. */
  sourceHeaders: string[];
  /** The input's delimiter, so the errors file opens like the original. */
  delimiter: string;
}

/**
 * Writes the results report and the errors file while the run proceeds. Rows finish out of order
 * (the pool answers whichever is fastest), so entries are held until every earlier row is in,
 * which keeps the report in input order; the hold is bounded by the pool's window.
 */
export class ReportWriter {
  private readonly results: FileSink;
  private readonly errors: FileSink;
  private readonly waiting = new Map<number, ReportEntry>();
  private nextSequence = 0;
  private readonly errorColumn: number;
  private readonly errorsHeaders: string[];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: ReportOptions) {
    this.results = new FileSink(options.reportPath);
    this.errors = new FileSink(options.errorsPath);
    // Our own errors file, imported again, already has an `error` column: reuse it, don't add a second.
    const existing = options.sourceHeaders.findIndex((header) => header.trim().toLowerCase() === 'error');
    this.errorColumn = existing === -1 ? options.sourceHeaders.length : existing;
    this.errorsHeaders = existing === -1 ? [...options.sourceHeaders, 'error'] : options.sourceHeaders;
    this.chain = Promise.all([
      this.results.write(csvLine(REPORT_COLUMNS)),
      this.errors.write('\uFEFF' + csvLine(this.errorsHeaders, options.delimiter)),
    ]).then(() => undefined);
  }

  /** Files the entry of the `sequence`-th data row (0-based, in input order). */
  add(sequence: number, entry: ReportEntry): Promise<void> {
    this.waiting.set(sequence, entry);
    if (sequence !== this.nextSequence) return this.chain;
    const ready: ReportEntry[] = [];
    for (let next = this.waiting.get(this.nextSequence); next; next = this.waiting.get(this.nextSequence)) {
      this.waiting.delete(this.nextSequence++);
      ready.push(next);
    }
    this.chain = this.chain.then(() => this.writeAll(ready));
    return this.chain;
  }

  /** Rows filed but still waiting for an earlier row. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Flushes and closes both files. */
  async close(): Promise<void> {
    await this.chain;
    await Promise.all([this.results.close(), this.errors.close()]);
  }

  private async writeAll(entries: ReportEntry[]): Promise<void> {
    let results = '';
    let errors = '';
    for (const entry of entries) {
      results += csvLine(reportCells(entry));
      if (REFUSED_STATUSES.has(entry.status)) {
        const cells = this.options.sourceHeaders.map((_, i) => entry.values[i] ?? '');
        cells[this.errorColumn] = entry.error ?? '';
        errors += csvLine(cells, this.options.delimiter);
      }
    }
    await this.results.write(results);
    if (errors) await this.errors.write(errors);
  }
}
