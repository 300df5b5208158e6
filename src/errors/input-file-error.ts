import { ImportError } from './import-error.js';

/** The input file cannot be read as a roster: missing, empty, a folder, not text, or a format we do not read. */
export class InputFileError extends ImportError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('input_file', `${file}: ${message}`, options);
    this.name = 'InputFileError';
    this.file = file;
  }
}

/**
 * No data rows under the row read as the header: nothing to import. That row is the first non-empty
 * one or the one `--header-row` named, maybe a customer's line: the message says it was read as the
 * column names, not that it is them.
 */
export class NoDataRowsError extends InputFileError {
  /** The column names of that header, when known: whether it was the roster's or a title's. */
  readonly headers: readonly string[] | undefined;

  constructor(file: string, headerWhere: string, headers?: readonly string[]) {
    super(file, `has no data rows under what was read as its column names (${headerWhere}): there is nothing to import`);
    this.name = 'NoDataRowsError';
    this.headers = headers;
  }
}
