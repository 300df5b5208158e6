import { createReadStream, lstatSync, realpathSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileSink, outputError, writePrivateFile } from '../file-sink.js';
import type { ImportSummary } from '../summary.js';
import type { TableRow, TableWriter } from './table-writer.js';

/**
 * The JSON report: `{"summary": {...}, "rows": [...]}`, one object per row keyed by the report's
 * columns (`row` as a number, the rest as text, `""` when empty). The summary is known only at the
 * end, so rows go to a private temporary file beside the report as they come (memory stays flat)
 * and the report is assembled at close: the summary first, then the rows copied over. No formula
 * neutralizing here: JSON is not opened as a sheet.
 */
export class JsonReportWriter implements TableWriter {
  private readonly rowsPath: string;
  private readonly rows: FileSink;
  private readonly started: Promise<void>;
  private readonly target: string;
  private first = true;

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
  ) {
    // A report path that is a link is written where it points: the finished report is renamed over
    // the target, never over the link.
    this.target = linkTarget(path);
    this.rowsPath = join(dirname(this.target), `.${basename(this.target)}.rows.tmp`);
    this.rows = new FileSink(this.rowsPath);
    // Last night's report goes at once: a run killed before its end must not leave it to be read
    // as tonight's. Until the end, the report says the run has not finished.
    this.started = writePlaceholder(this.target);
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
    if (text) await this.rows.write(text);
  }

  /**
   * Writes the report: `summary` (`null` when the run ended without one), then the rows. It is
   * assembled beside the report and renamed over it, so a report cut short (a full disk) never
   * shows a summary: the placeholder stays until the whole report is there.
   */
  async close(summary?: ImportSummary): Promise<void> {
    const assembling = join(dirname(this.target), `.${basename(this.target)}.tmp`);
    try {
      await this.started;
      await this.rows.close();
      const report = new FileSink(assembling);
      let written = false;
      try {
        await report.write(`{"summary": ${JSON.stringify(summary ?? null, null, 2)},\n"rows": [`);
        for await (const chunk of createReadStream(this.rowsPath, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
          await report.write(chunk as string);
        }
        await report.write(`${this.first ? '' : '\n'}]}\n`);
        written = true;
      } finally {
        if (!written) await report.close().catch(() => {}); // the write's own error is the one thrown
      }
      await report.close();
      await rename(assembling, this.target).catch((error: unknown) => {
        throw outputError(this.target, error);
      });
    } finally {
      await rm(this.rowsPath, { force: true });
      await rm(assembling, { force: true }).catch(() => {}); // its own failure is not the report's
    }
  }
}

/** The report until the run ends, written at once (owner-only, as every report); a failure rejects. */
async function writePlaceholder(path: string): Promise<void> {
  try {
    writePrivateFile(path, `{"summary": null, "rows": null}\n`);
  } catch (error) {
    throw outputError(path, error);
  }
}

/** Where `path` leads when it is a link to an existing file; `path` itself otherwise. */
function linkTarget(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path; // not there yet, or a dangling link: written as given
  }
}
