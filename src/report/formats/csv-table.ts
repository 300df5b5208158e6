import { csvCellKeepingDigits, csvLine } from '../csv-line.js';
import { FileSink } from '../file-sink.js';
import type { TableRow, TableWriter } from './table-writer.js';

/** How a CSV report file is written. */
export interface CsvTableOptions {
  /** Default `,`. */
  delimiter?: string;
  /** Start with a UTF-8 byte order mark, so Excel shows accents right. Default false. */
  bom?: boolean;
  /**
   * Write the rows' digits that a spreadsheet would read as a number and change (`00104`, twelve
   * digits or more) as `="00104"`, so a file opened by double-click keeps them (see
   * `csvCellKeepingDigits`). For a file people open, fix and import again. Default false.
   */
  keepDigits?: boolean;
}

/** A CSV report file: every cell neutralized against formula injection, CRLF line ends. */
export class CsvTableWriter implements TableWriter {
  private readonly sink: FileSink;
  private readonly delimiter: string;
  private readonly keepDigits: boolean;
  private readonly started: Promise<void>;

  constructor(
    readonly path: string,
    headers: readonly string[],
    options: CsvTableOptions = {},
  ) {
    this.sink = new FileSink(path);
    this.delimiter = options.delimiter ?? ',';
    this.keepDigits = options.keepDigits ?? false;
    this.started = this.sink.write((options.bom ? '\uFEFF' : '') + this.line(headers));
    this.started.catch(() => {}); // reported by write() or close()
  }

  async write(rows: readonly TableRow[]): Promise<void> {
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = this.keepDigits ? this.lineKeepingDigits(rows[i]!.cells) : this.line(rows[i]!.cells);
    await this.writeText(lines.join(''));
  }

  /** Appends lines formatted by the caller (CRLF line ends, cells neutralized and quoted as `csvLine` does). */
  async writeText(text: string): Promise<void> {
    await this.started;
    if (text) await this.sink.write(text);
  }

  async close(): Promise<void> {
    await this.started;
    await this.sink.close();
  }

  private line(cells: readonly string[]): string {
    return csvLine(cells, this.delimiter, true);
  }

  private lineKeepingDigits(cells: readonly string[]): string {
    return `${cells.map((cell) => csvCellKeepingDigits(cell, this.delimiter)).join(this.delimiter)}\r\n`;
  }
}
