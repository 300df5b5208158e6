/**
 * Every word the report's `status` column can hold (a public contract: scripts depend on it).
 * `valid` only in a dry run; `not_attempted` only when a run stops early.
 */
export const ROW_STATUSES = [
  'created',
  'exists',
  'updated',
  'unchanged',
  'valid',
  'invalid',
  'duplicate',
  'failed',
  'not_attempted',
] as const;

export type RowStatus = (typeof ROW_STATUSES)[number];

/** Statuses that count as a success for the exit code. */
export const SUCCESS_STATUSES: ReadonlySet<RowStatus> = new Set(['created', 'exists', 'updated', 'unchanged', 'valid']);

/** Statuses whose rows go to the errors file, to be fixed and imported again. */
export const REFUSED_STATUSES: ReadonlySet<RowStatus> = new Set(['invalid', 'duplicate', 'failed']);
