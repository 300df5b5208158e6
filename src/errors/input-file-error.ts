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
