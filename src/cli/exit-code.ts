import type { ImportSummary } from '../report/summary.js';

/** Exit codes: a public contract for scripts and cron. */
export const EXIT = { ok: 0, someRowsNotDone: 1, couldNotRun: 2, interrupted: 130 } as const;

/** 0 every row succeeded (or is valid); 1 some were refused or failed, or the file holds rows not read (`unreadInput`); 130 interrupted. */
export function exitCodeOf(summary: ImportSummary): number {
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.unreadInput) return EXIT.someRowsNotDone;
  const { invalid, duplicate, failed, not_attempted: notAttempted } = summary.counts;
  return invalid + duplicate + failed + notAttempted > 0 ? EXIT.someRowsNotDone : EXIT.ok;
}
