import { columnLetters } from '../read/column-letters.js';
import { RowRanges, RowSample } from '../read/row-sample.js';
import { templateRowsWarning } from '../map/template-row.js';
import { isCaseMatchNote } from '../send/delivery.js';
import { NOTE_SEPARATOR } from '../send/sender.js';
import { ARCHIVED_NOTE, DIFFERS_NOTE } from './row-notes.js';

/**
 * What a run says once at its end about many rows, instead of a log line a row every night (which
 * crowded out the failures the log names one by one): the rows are counted while the run proceeds,
 * and each warning names the lowest few. The samples are fields, added to straight from the row loop.
 */
export class EndOfRunWarnings {
  /** The rows holding values in each column without a header. */
  readonly unheaded = new Map<number, RowSample>();
  /** The rows holding values in each metadata column headed as Excel names a table's column nobody named (`Columna1`). */
  readonly placeholderNamed = new Map<number, RowSample>();
  /** Rows sent without a username though the file has the column: a re-run cannot find their customers. */
  readonly withoutUsername = new RowSample();
  /**
   * Rows sent without a username that the journal cannot know by their name, email and phone
   * either (neither an email nor a phone): the same file imported again under this report name is refused.
   */
  readonly withoutContact = new RowSample();
  /** Rows whose customer Quentli holds archived: one warning for them all, a note each in the report. */
  readonly archived = new RowSample();
  /** Rows matched to the customer holding their username in another case: one warning for them all, a note each in the report. */
  readonly caseMatched = new RowSample();
  /** Create mode: rows whose customer Quentli holds with another email or phone, which this mode does not change. */
  readonly differing = new RowSample();
  /** A template's empty lines, numbered or holding a formula's 0: skipped like blank rows, and said once. */
  readonly templateRows = new RowRanges();
  /** Rows this run created or updated (or valid, in a dry run) whose status column says the student left (`Baja`, `Egresado`). */
  readonly leftStatus = new RowSample();
  /** The statuses of `leftStatus`, each as first written, by its comparable form. */
  private readonly leftStatuses = new Map<string, string>();

  /** A value in a column without a header, on `row`. */
  addUnheadedValue(column: number, row: number): void {
    addToColumn(this.unheaded, column, row);
  }

  /** A value in a metadata column headed `Columna1` or `Column1`, on `row`. */
  addPlaceholderValue(column: number, row: number): void {
    addToColumn(this.placeholderNamed, column, row);
  }

  /** A row this run created or updated (or valid, in a dry run) with `status` in its status column: counted when it says the student left. */
  addStatus(row: number, status: string | undefined): void {
    const written = status?.trim();
    if (!written || !LEFT_STATUS.test(written)) return;
    this.leftStatus.add(row);
    const key = written.toLowerCase().replace(/\s+/g, ' ');
    if (!this.leftStatuses.has(key)) this.leftStatuses.set(key, written);
  }

  /**
   * The rows whose status says the student left, said once (when there were any): imported by this
   * run like any other row, or in a `dryRun` to be, and how to leave them out. `header` is the status column's.
   */
  leftStatusWarning(header: string, dryRun: boolean): string | undefined {
    if (this.leftStatus.count === 0) return undefined;
    const values = [...this.leftStatuses.values()].map((value) => JSON.stringify(value));
    const listed = values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`;
    const [say, them, was, customers] = this.leftStatus.count === 1 ? ['says', 'it', 'it was', 'a customer'] : ['say', 'them', 'they were', 'customers'];
    const imported = dryRun ? `the import would bring ${them} in as ${customers}` : `${was} imported as ${customers}`;
    return `${this.leftStatus.counted()} ${say} ${listed} under ${JSON.stringify(header)}: ${imported} like any other row (the status kept as metadata); to leave such rows out, filter them out of the file before importing it`;
  }

  /**
   * A row confirmed by the run this one resumes, with the note that run wrote (another phone in
   * Quentli, archived, matched in another case): counted again, so the warnings are as if it had run once.
   */
  addResumedNote(row: number, note: string): void {
    const parts = note.split(NOTE_SEPARATOR);
    if (parts.some(isCaseMatchNote)) this.caseMatched.add(row);
    if (parts.some((part) => part.startsWith(ARCHIVED_NOTE))) this.archived.add(row);
    if (parts.some((part) => part.startsWith(`${DIFFERS_NOTE} `))) this.differing.add(row);
  }

  /** The template rows skipped, said once (when there were any). */
  templateRowsWarning(): string | undefined {
    return this.templateRows.count > 0 ? templateRowsWarning(this.templateRows) : undefined;
  }

  /** One warning a column without a header that holds values. */
  unheadedWarnings(): string[] {
    const warnings: string[] = [];
    for (const [column, rows] of this.unheaded) warnings.push(unheadedWarning(column, rows));
    return warnings;
  }

  /** One warning a column headed `Columna1` (named by Excel, not by a person) that holds values, by its header in `headers`; an empty one is not worth a word. */
  placeholderWarnings(headers: readonly string[]): string[] {
    const warnings: string[] = [];
    for (const [column, rows] of this.placeholderNamed) warnings.push(placeholderWarning(column, headers[column]!, rows));
    return warnings;
  }

  /**
   * The warnings about the rows' outcomes, in this order: without a username (named by the file's
   * `usernameHeader`; with none, only rows the start's warning took for known by the journal, when
   * `contactsKnown`), archived, matched in another case, another email or phone.
   */
  outcomeWarnings(usernameHeader: string | undefined, contactsKnown: boolean): string[] {
    const warnings: string[] = [];
    if (usernameHeader !== undefined && this.withoutUsername.count > 0) warnings.push(withoutUsernameWarning(usernameHeader, this.withoutUsername, this.withoutContact, contactsKnown));
    if (usernameHeader === undefined && contactsKnown && this.withoutContact.count > 0) warnings.push(withoutContactWarning(this.withoutContact));
    if (this.archived.count > 0) warnings.push(archivedWarning(this.archived));
    if (this.caseMatched.count > 0) warnings.push(caseMatchedWarning(this.caseMatched));
    if (this.differing.count > 0) warnings.push(differingWarning(this.differing));
    return warnings;
  }
}

/** A status saying the student left or is not enrolled now: `Baja`, `Baja temporal`, `Inactivo`, `Egresado`; `Withdrawn`, `Graduated`. */
const LEFT_STATUS = /^(?:baja(?:\s+(?:temporal|definitiva|voluntaria|administrativa))?|dad[oa]\s+de\s+baja|inactiv[oa]|egresad[oa]|inactive|withdrawn|graduated)$/i;

/** Counts `row` in the sample of `column`, begun on its first row. */
function addToColumn(samples: Map<number, RowSample>, column: number, row: number): void {
  let found = samples.get(column);
  if (!found) samples.set(column, (found = new RowSample()));
  found.add(row);
}

/**
 * A nightly run of the same export would create these customers again, every night: known by the
 * journal's fingerprints, or, when some rows have nothing but a name to know them by (or the name
 * column holds given names only, `contactsKnown` false), the same file refused.
 */
function withoutUsernameWarning(header: string, rows: RowSample, withoutContact: RowSample, contactsKnown: boolean): string {
  const [has, them] = rows.count === 1 ? ['has', 'that customer'] : ['have', 'those customers'];
  const start = `${rows.counted()} ${has} no username (${JSON.stringify(header)} is empty)`;
  if (contactsKnown && withoutContact.count === 0) {
    return `${start}: customers are matched by username, so importing this file again creates ${them} again, but under this report name, whose journal knows each by its name, email and phone (a row whose name, email or phone is corrected later is not known by it, and is created a second time); fill in the username to make a re-run safe`;
  }
  const why = !contactsKnown
    ? 'the name column holds given names only'
    : withoutContact.count === rows.count
      ? `${rows.count === 1 ? 'it has' : 'they have'} no email or phone`
      : `${withoutContact.counted()} ${withoutContact.count === 1 ? 'has' : 'have'} no email or phone`;
  return `${start}, and the journal cannot know ${rows.count === 1 ? 'it' : 'them all'} by name, email and phone (${why}): customers are matched by username, so ${refusedAgain(them)}; fill in the username to make a re-run safe`;
}

/** Rows of a file without a username column that have no email or phone either: the journal knows them by nothing, and the same file again is refused. */
function withoutContactWarning(rows: RowSample): string {
  const [has, them] = rows.count === 1 ? ['has', 'that customer'] : ['have', 'those customers'];
  return `${rows.counted()} ${has} no email or phone either, and the journal cannot know a customer by a name alone: ${refusedAgain(them)}`;
}

/** Once a run, not a line a row every night: create mode leaves those customers as they are. */
function differingWarning(rows: RowSample): string {
  const [has, them] = rows.count === 1 ? ['has', 'it'] : ['have', 'them'];
  return `${rows.counted()} ${has} another email or phone than the customer Quentli holds for its username: create mode changes no customer, so Quentli keeps the old ones; --mode upsert updates ${them} (the report's error column names the fields)`;
}

/** Once a run, not a line a row every night: a returning student's customer is still archived. */
function archivedWarning(rows: RowSample): string {
  const [matches, them] = rows.count === 1 ? ['matches a customer', 'it stays'] : ['match customers', 'they stay'];
  return `${rows.counted()} ${matches} archived in Quentli: ${them} archived (the import does not unarchive customers); see the note in the report`;
}

/**
 * Once a run, not a line a row every night (an export that writes `AL0020` where Quentli holds
 * `al0020` gives the note on every such row each night, and those lines crowded out the failures
 * the log names one by one).
 */
function caseMatchedWarning(rows: RowSample): string {
  const [match, them, check] = rows.count === 1 ? ['matches a username', 'it is that customer', 'this row is that customer'] : ['match usernames', 'each is that customer', 'these rows are those customers'];
  return `${rows.counted()} ${match} Quentli writes otherwise (in another case, or with its accents decomposed): ${them}, and its username in Quentli is left as it is; check that ${check} (see the note in the report)`;
}

/** A note, an allergy, a second email typed in a column nobody named: not imported, and said so. */
function unheadedWarning(column: number, rows: RowSample): string {
  return `column ${columnLetters(column + 1)} has no header but holds values in ${rows.counted()}: they were not imported; give the column a header to import them as metadata`;
}

/**
 * Values under `Columna1`: a column of an Excel table nobody named, so the key they are kept under in
 * Quentli says nothing of what they are (a note, an allergy, a second phone).
 */
function placeholderWarning(column: number, header: string, rows: RowSample): string {
  return `column ${columnLetters(column + 1)} is headed ${JSON.stringify(header)}, the name Excel gives a table's column nobody named, and holds values in ${rows.counted()}: the import keeps them as metadata ${JSON.stringify(header)}; give the column a name that says what it holds where the file was made (or leave it out with --mapping)`;
}

/** What the same file imported again does when the journal cannot know its rows without a username (`them`: the customers). */
export function refusedAgain(them: string): string {
  return `importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates ${them} again`;
}
