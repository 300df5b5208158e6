import { ImportError } from './import-error.js';

/** The columns cannot be mapped to customer fields: a bad mapping file, a mapped header missing from the file, no name column. */
export class MappingError extends ImportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('mapping', message, options);
    this.name = 'MappingError';
  }
}

/** No column holds the customer's name: every row would be refused, so the run stops before it starts. */
export class MissingNameColumnError extends MappingError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingNameColumnError';
  }
}

/** A header the mapping file names is not in the row read as the header. */
export class MissingMappedHeaderError extends MappingError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingMappedHeaderError';
  }
}
