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

/** The file has a header and no data rows under it: nothing to import. */
export class NoDataRowsError extends InputFileError {
  /** The column names of that header, when known: whether it was the roster's or a title's. */
  readonly headers: readonly string[] | undefined;

  constructor(file: string, headerWhere: string, headers?: readonly string[]) {
    super(file, `has a header (${headerWhere}) but no data rows: there is nothing to import`);
    this.name = 'NoDataRowsError';
    this.headers = headers;
  }
}
