import { isSameName } from '../map/normalize.js';
import { composed } from '../read/composed.js';
import type { AttemptKind, JournalRecord } from '../report/journal.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import type { Customer } from './customer.js';
import { joinNotes, LookupError, type SendOutcome, type Sender } from './sender.js';

/** How one valid row reaches the API, per mode. */
export interface Delivery {
  /** Sends one row. `previous` is what a journal of an interrupted run knew of it. */
  deliver(input: CustomerInput, row: number, previous: JournalRecord | undefined): Promise<SendOutcome>;
}

/**
 * `--mode create`: create each row; a username the API already holds is `exists`. The username is
 * the customer's identity, so such a row is a success, but a customer under another name (or a
 * username matched in another case) is likely someone else: the row's report line says so.
 * A username with an accent is looked up first as a Mac writes it (e + ◌́, see `decomposedHolder`).
 * `alike` tells a row that other rows of the file may share its name, email and phone (see `Sender.create`);
 * `onServerError` hears of a create without a username answered 5xx, for the journal.
 */
export function createDelivery(
  sender: Sender,
  onAttempt: (row: number, kind: AttemptKind) => void,
  onNothingWritten: (row: number) => void,
  alike: (input: CustomerInput) => boolean,
  onServerError: (row: number, status: number) => void = () => {},
): Delivery {
  return {
    async deliver(input, row, previous) {
      const withoutUsername = input.username === undefined;
      let outcome: SendOutcome | undefined;
      try {
        outcome = await decomposedHolder(sender, input.username);
      } catch (error) {
        if (error instanceof LookupError) return { status: 'failed', error: error.message };
        throw error;
      }
      outcome ??= await sender.create(input, {
        mayExist: previous?.attempted === true,
        earlierAttemptAt: previous?.attemptedAt,
        earlierServerError: previous?.serverError === true,
        alike: alike(input),
        beforeSend: () => onAttempt(row, { withoutUsername }),
        nothingWritten: () => onNothingWritten(row),
        serverError: (status) => onServerError(row, status),
      });
      if (outcome.status !== 'exists' || !outcome.customer) return outcome;
      const held = outcome.customer;
      const notes: string[] = [];
      if (typeof held.username === 'string' && held.username !== input.username) {
        notes.push(caseMatchNote(held.username, heldOtherwise(held.username, input.username!)));
      }
      if (typeof held.name === 'string' && !isSameName(held.name, input.name)) {
        notes.push(`the username belongs to ${JSON.stringify(held.name)} in Quentli, not ${JSON.stringify(input.name)}: check that this row is that customer`);
      }
      return notes.length > 0 ? { ...outcome, error: joinNotes(...notes) } : outcome;
    },
  };
}

/**
 * `exists` with the customer holding the row's username with its accents decomposed (`josé` as
 * e + ◌́, typed on a Mac; the file's cells are read composed), when one does: one look-up
 * (`username[equals]`), only for a username with a letter that decomposes. To an API that compares
 * usernames as written that is another username, so the create was taken, and the student was in
 * Quentli twice; upsert mode finds that customer in its listing. Undefined when none holds it so.
 * Throws the look-up's `LookupError`: created unlooked, the row might be that second student.
 */
async function decomposedHolder(sender: Sender, username: string | undefined): Promise<SendOutcome | undefined> {
  const decomposed = username?.normalize('NFD');
  if (decomposed === undefined || decomposed === username) return undefined;
  const held: Customer | undefined = await sender.findByUsername(decomposed);
  return held ? { status: 'exists', customerId: held.id, customer: held } : undefined;
}

/** Why a row's username matched one Quentli writes otherwise (`spelling`): case, accents decomposed, or both. */
function heldOtherwise(spelling: string, username: string): string {
  const decomposed = composed(spelling) !== spelling;
  if (!decomposed) return 'the API holds usernames without case';
  const accents = 'Quentli writes its accents decomposed, é as e + ◌́, as a Mac does';
  return composed(spelling) === username ? accents : `the API holds usernames without case, and ${accents}`;
}

/** How every note on a row matched to the customer holding its username in another case ends. */
const CASE_MATCH_END = ': check that this row is that customer';

/** The report's note on a row matched to the one customer holding its username in another case (`Beto.Dos` for `beto.dos`), and why it matched. */
export function caseMatchNote(spelling: string, why: string): string {
  return `matched ${JSON.stringify(spelling)} in Quentli (${why})${CASE_MATCH_END}`;
}

/**
 * Whether one part of a row's note is `caseMatchNote`'s: given every night while the export and
 * Quentli spell the usernames differently, so it is counted in one warning, not logged a row.
 */
export function isCaseMatchNote(part: string): boolean {
  return part.startsWith('matched "') && part.includes('" in Quentli (') && part.endsWith(CASE_MATCH_END);
}
