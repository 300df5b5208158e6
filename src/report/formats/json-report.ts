import { FileSink } from '../file-sink.js';
import type { ImportSummary } from '../summary.js';
import type { TableRow, TableWriter } from './table-writer.js';

/**
 * The JSON report: `{"rows": [...], "summary": {...}}`, one object per row keyed by the report's
 * columns (`row` as a number, the rest as text, `""` when empty). Rows are written as they come and
 * the summary last, so memory stays flat; key order carries no meaning in JSON, so `summary` after
 * `rows` reads the same to any parser. No formula neutralizing here: JSON is not opened as a sheet.
 */
export class JsonReportWriter implements TableWriter {
  private readonly sink: FileSink;
  private first = true;
  private readonly started: Promise<void>;

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
  ) {
    this.sink = new FileSink(path);
    this.started = this.sink.write('{"rows": [');
    this.started.catch(() => {}); // reported by write() or close()
  }

  async write(rows: readonly TableRow[]): Promise<void> {
    await this.started;
    let text = '';
    for (const row of rows) {
      const object: Record<string, string | number> = {};
      this.columns.forEach((column, i) => {
        const cell = row.cells[i] ?? '';
        object[column] = column === 'row' && /^\d+$/.test(cell) ? Number(cell) : cell;
      });
      text += `${this.first ? '\n' : ',\n'}${JSON.stringify(object)}`;
      this.first = false;
    }
    if (text) await this.sink.write(text);
  }

  /** Ends the rows and writes `summary` (`null` when the run ended without one). */
  async close(summary?: ImportSummary): Promise<void> {
    await this.started;
    await this.sink.write(`${this.first ? '' : '\n'}],\n"summary": ${JSON.stringify(summary ?? null, null, 2)}}\n`);
    await this.sink.close();
  }
}
