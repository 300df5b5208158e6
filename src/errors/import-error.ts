import type { ImportSummary } from '../report/summary.js';

/** The closed set of reasons a run could not happen at all (exit code 2). */
export type ImportErrorCode =
  | 'usage'
  | 'input_file'
  | 'mapping'
  | 'api_key'
  | 'api_unreachable'
  | 'rate_limited'
  | 'journal'
  | 'output'
  | 'in_use';

/** Base of every run-level error: one clear line in `message`, a stable `code`, the wrapped `cause`. */
export class ImportError extends Error {
  readonly code: ImportErrorCode;
  /**
   * What a run that stopped part-way (the API gone, a full disk, the lock taken over) did before:
   * the rows counted by status. Its report on disk holds every row, unless the disk was full or
   * another run took the lock over.
   */
  summary?: ImportSummary;

  constructor(code: ImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
    this.code = code;
  }
}
