import type { CountryCode } from 'libphonenumber-js';
import type { CustomerDraft } from '../map/map-row.js';
import { isSameName } from '../map/normalize.js';
import type { SourceRow } from '../read/source-row.js';
import type { ReportEntry } from '../report/report-entry.js';
import type { RowStatus } from '../report/row-status.js';
import { contactFieldsDiffering } from '../send/customer-diff.js';
import { isCaseMatchNote } from '../send/delivery.js';
import { joinNotes, NOTE_SEPARATOR, type SendOutcome } from '../send/sender.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { formatIssue, type RowIssue } from '../validate/row-issue.js';
import type { EndOfRunWarnings } from './end-of-run-warnings.js';
import { archivedAtOf, archivedNote, differsNote } from './row-notes.js';

/**
 * A row's entry. Every entry gets every field, in one order (unset ones `undefined`): the report,
 * the summary and the event handler read entries of one shape, where entries built field by field
 * came in several and each read went through a slower generic lookup.
 */
export function baseEntry(source: SourceRow, input: CustomerDraft, status: RowStatus = 'valid'): ReportEntry {
  return { row: source.row, status, customerId: undefined, username: input.username, name: input.name, error: undefined, issues: undefined, values: source.values };
}

/** The entry of a row refused before any request, with its issues (and the cells as a spreadsheet showed them). */
export function refusedEntry(source: SourceRow, draft: CustomerDraft, status: 'invalid' | 'duplicate', issues: RowIssue[]): ReportEntry {
  const entry = baseEntry(source, draft, status);
  if (source.cellIssues?.some((issue) => issue.shown !== undefined)) {
    entry.values = source.values.slice();
    for (const { column, shown } of source.cellIssues) if (column !== undefined && shown !== undefined) entry.values[column] = shown;
  }
  entry.issues = issues;
  entry.error = issues.map((issue) => formatIssue(issue)).join('; ');
  return entry;
}

/** What a row comes to before any request: its report entry (refused, dry run, confirmed before), or the payload to send. */
export type SettledRow = { entry: ReportEntry } | { input: CustomerInput };

/**
 * The last line of a CSV that changed while it was read, with no line break after it: the
 * export was still being written, and the line may be cut (`Alumno Número 1000,u01` for
 * `u01000`). Sent, that customer was created under a cut username, and again the next night.
 * Not sent; a row refused for its own reasons keeps them.
 */
export function cutShortEntry(source: SourceRow, settled: SettledRow): { entry: ReportEntry } {
  if ('entry' in settled && settled.entry.status !== 'valid') return settled;
  const entry = 'entry' in settled ? settled.entry : baseEntry(source, settled.input, 'not_attempted');
  entry.status = 'not_attempted';
  entry.error = `this is the file's last line, with no line break after it, and the file changed while it was read (an export still being written?): the line may be cut short, so it was not sent; run the same command again once the export is complete`;
  return { entry };
}

/**
 * Turns what a row's delivery came to into its report entry: the status, the customer's id, the
 * delivery's note and the notes of this run's own (archived, another email or phone in Quentli),
 * counting the row for the warnings said once at the end.
 */
export class OutcomeEntries {
  constructor(
    private readonly mode: 'create' | 'upsert',
    private readonly defaultCountry: CountryCode,
    private readonly warnings: EndOfRunWarnings,
  ) {}

  /** A row's entry for its outcome; `not_attempted` when the run stopped before its request left. */
  entryOf(source: SourceRow, input: CustomerInput, outcome: SendOutcome | 'not_attempted'): ReportEntry {
    const entry = baseEntry(source, input, outcome === 'not_attempted' ? 'not_attempted' : outcome.status);
    if (outcome === 'not_attempted') return entry;
    if (outcome.customerId) entry.customerId = outcome.customerId;
    if (outcome.error) entry.error = outcome.error;
    if (outcome.status !== 'failed' && outcome.error?.split(NOTE_SEPARATOR).some(isCaseMatchNote)) this.warnings.caseMatched.add(source.row);
    const archivedAt = outcome.status === 'failed' ? undefined : (outcome.archivedAt ?? archivedAtOf(outcome.customer));
    if (archivedAt !== undefined) {
      this.warnings.archived.add(source.row);
      entry.error = joinNotes(entry.error, archivedNote(archivedAt));
    }
    // Matched by its username to a customer of the row's name (another name has its own note):
    // what the export corrected since is not written, and the report says so.
    const held = outcome.customer;
    if (this.mode === 'create' && outcome.status === 'exists' && input.username !== undefined && held && typeof held.name === 'string' && isSameName(held.name, input.name)) {
      const fields = contactFieldsDiffering(input, held, this.defaultCountry);
      if (fields.length > 0) {
        this.warnings.differing.add(source.row);
        entry.error = joinNotes(entry.error, differsNote(fields));
      }
    }
    return entry;
  }
}
