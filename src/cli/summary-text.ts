import type { ImportSummary } from '../report/summary.js';
import { ROW_STATUSES } from '../report/row-status.js';

const SHOWN_ROWS = 5;
/**
 * Refusal groups listed, the largest first. A failed row's group is its API message, which may
 * quote the row's own values (`the email ana@x.mx belongs to another organization`): 3,000 such
 * rows made a 3,000-line summary, one 800 KB log line (journald splits lines past 48 KB, so it
 * was no longer JSON) holding every row's email. The rest are counted; the report has each row's.
 */
export const SHOWN_REASONS = 10;

/**
 * The end-of-run summary as lines a person reads in seconds. `resumable: false` leaves out the
 * advice to run the same command again, for a run stopped by what a new run meets again (a file
 * damaged past a row).
 */
export function summaryLines(summary: ImportSummary, { resumable = true }: { resumable?: boolean } = {}): string[] {
  const counts = ROW_STATUSES.filter((status) => summary.counts[status] > 0 || status === 'created' || (summary.dryRun && status === 'valid' && summary.requests === 0))
    .filter((status) => !(summary.dryRun && status === 'created' && summary.counts.created === 0))
    .map((status) => `${status} ${summary.counts[status]}`)
    .join(', ');
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const verb = summary.dryRun ? 'Checked' : summary.interrupted ? 'Stopped' : 'Imported';
  const lines = [
    `${verb} ${summary.rows} ${summary.rows === 1 ? 'row' : 'rows'} of ${summary.file} in ${seconds} s (${summary.rowsPerSecond} rows/s)${summary.dryRun ? (summary.requests > 0 ? ' — dry run, read only, nothing written' : ' — dry run, nothing sent') : ''}`,
    `  ${counts}`,
  ];
  if (!summary.dryRun || summary.requests > 0) lines.push(`  requests made: ${summary.requests}${failuresText(summary.requestFailures)}`);
  if (summary.refusals.length > 0) {
    lines.push('Refused or failed:');
    for (const group of summary.refusals.slice(0, SHOWN_REASONS)) {
      const rows = group.rows.slice(0, SHOWN_ROWS).join(', ') + (group.count > SHOWN_ROWS ? ', …' : '');
      lines.push(`  ${group.count} ${group.count === 1 ? 'row' : 'rows'}: ${group.reason} (${group.count === 1 ? 'row' : 'rows'} ${rows})`);
    }
    const unlisted = summary.refusals.length - SHOWN_REASONS;
    if (unlisted > 0) lines.push(`  and ${unlisted.toLocaleString('en-US')} more ${unlisted === 1 ? 'reason' : 'reasons'}: the report and the errors file give each row's`);
  }
  const { invalid, duplicate, failed } = summary.counts;
  // No row to fix: said so, not a file to open that holds the header alone.
  lines.push(`Report: ${summary.reportPath}`, invalid + duplicate + failed > 0 ? `Errors: ${summary.errorsPath}` : `Errors: none (${summary.errorsPath} holds the header only)`);
  if (summary.unreadInput === 'appended') lines.push(`Not read: ${summary.file} grew after its end was read (an export still being written?): run the same command again once it is complete.`);
  if (summary.unreadInput === 'replaced') lines.push(`Not read: ${summary.file} was replaced while it was read (another export renamed or written over it?): run the same command again to import it.`);
  if (summary.interrupted && resumable) lines.push('Interrupted: run the same command again to resume where it stopped.');
  return lines;
}

/** `, of them 12 rate-limited (429), 3 server errors (5xx)`: why a run was slow; nothing when every request was answered. */
function failuresText({ rateLimited, serverError, noAnswer }: ImportSummary['requestFailures']): string {
  const parts = [
    rateLimited && `${rateLimited} rate-limited (429)`,
    serverError && `${serverError} server ${serverError === 1 ? 'error' : 'errors'} (5xx)`,
    noAnswer && `${noAnswer} without an answer (a timeout or a lost connection)`,
  ].filter(Boolean);
  return parts.length === 0 ? '' : `, of them ${parts.join(', ')}`;
}
