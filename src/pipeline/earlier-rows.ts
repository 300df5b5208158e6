import type { SourceRow } from '../read/source-row.js';
import type { EarlierContact, JournalRecord } from '../report/journal.js';
import type { ReportEntry } from '../report/report-entry.js';
import type { Customer } from '../send/customer.js';
import type { Delivery } from '../send/delivery.js';
import { joinNotes, LookupError, OUTCOME_UNKNOWN, type Sender, type SendOutcome } from '../send/sender.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { contactKeyOf } from '../validate/in-file-repeats.js';
import { sha256 } from './file-hash.js';
import type { EndOfRunWarnings } from './end-of-run-warnings.js';
import { baseEntry } from './report-entries.js';
import { earlierCustomerNote, usernameNotInQuentli } from './row-notes.js';

/** Journals a row found by its fingerprint as `exists`, with its note (a line that cannot be written stops the run). */
export type ConfirmFound = (row: number, customerId: string | undefined, contact: string, note: string) => void;

/** What routing the rows by earlier runs needs of the run. */
export interface EarlierRunRowsOptions {
  /** Each row's phone is the one its labels say is a mobile, not the file's first (see `entryOf`). */
  phonesByLabel: boolean;
  /** Counts a resumed row's notes again for the warnings at the end. */
  warnings: EndOfRunWarnings;
  confirmFound: ConfirmFound;
}

/**
 * Routes the rows an earlier run under this report name confirmed or sent: a row the run this one
 * resumes confirmed is reported as it was (no request); a row without a username whose name, email
 * and phone an earlier run created (or sent, its answer lost) is reported `exists` on the journal's
 * word, or asked of Quentli first (`deliver`). Holds, for the rows on their way, what they matched.
 */
export class EarlierRunRows {
  /** Rows of the unfinished run this one resumes, by row number (empty for a fresh run). */
  previous = new Map<number, JournalRecord>();
  /** Customers earlier runs under this report name created without a username, by their row's fingerprint. */
  earlierContacts = new Map<string, EarlierContact>();
  /** The fingerprint of each row without a username on its way, for its journal line. */
  private readonly contactOfRow = new Map<number, string>();
  /**
   * Rows matching a customer an earlier run sent and never heard back from: looked for (as a
   * resumed run looks for its own), not sent. Failed unlooked, such a row went to the errors file,
   * and importing that file created the customer a second time.
   */
  private readonly lostEarlier = new Map<number, JournalRecord>();
  /**
   * Rows matching a customer an earlier run created without a username, by its id: asked of
   * Quentli before the row is called `exists`. Taken on the journal's word, a customer deleted
   * since (or a sandbox reset) was never created again, and the report gave an id nobody holds.
   */
  private readonly heldEarlier = new Map<number, string>();
  private readonly phonesByLabel: boolean;
  private readonly warnings: EndOfRunWarnings;
  private readonly confirmFound: ConfirmFound;

  constructor(options: EarlierRunRowsOptions) {
    this.phonesByLabel = options.phonesByLabel;
    this.warnings = options.warnings;
    this.confirmFound = options.confirmFound;
  }

  /** The fingerprint a row on its way is journaled with (a row without a username), if any. */
  contactOf(row: number): string | undefined {
    return this.contactOfRow.get(row);
  }

  /**
   * A valid row's entry when an earlier run settles it without a request of its own: confirmed by
   * the run this one resumes, or (by its `contact` fingerprint) created or sent by an earlier run.
   * Undefined when the row is to be delivered; `delivering` is false when nothing can be asked of Quentli.
   */
  entryOf(source: SourceRow, input: CustomerInput, contact: string | undefined, delivering: boolean): ReportEntry | undefined {
    const known = this.previous.get(source.row);
    if (known?.status) {
      const entry = baseEntry(source, input, known.status);
      if (known.customerId) entry.customerId = known.customerId;
      // The note the run that confirmed it wrote (another phone in Quentli, archived, matched in
      // another case, upsert's changed fields): a resumed run's report is as if it had run once.
      if (known.note !== undefined) {
        entry.error = known.note;
        this.warnings.addResumedNote(source.row, known.note);
      }
      return entry;
    }
    if (contact === undefined || known !== undefined) return undefined;
    // Created without a username by an earlier run under this report name (the roster imported
    // again with its refused rows fixed, last night's export): Quentli cannot be asked, the journal knows.
    let earlier = this.earlierContacts.get(contact);
    // A contact list's phones read by their labels (Google Contacts', since 8f4829e): a row whose
    // mobile came after another phone was known by that one, its second phone now. Unmatched, last
    // night's contacts were created a second time.
    if (earlier === undefined && this.phonesByLabel && input.secondaryPhoneNumber !== undefined) {
      earlier = this.earlierContacts.get(fingerprintOf(contactKeyOf({ ...input, phoneNumber: input.secondaryPhoneNumber })));
    }
    if (earlier?.unknown && earlier.at !== undefined && delivering) {
      // Dated: looked for among the customers created since it was sent (one GET), never sent again.
      this.lostEarlier.set(source.row, { status: undefined, customerId: undefined, attempted: true, attemptedAt: earlier.at, withoutUsername: true, updateOnly: undefined, serverError: earlier.serverError === true, contact });
      this.contactOfRow.set(source.row, contact);
      return undefined;
    }
    if (earlier?.customerId !== undefined && !earlier.unknown && delivering) {
      this.heldEarlier.set(source.row, earlier.customerId);
      this.contactOfRow.set(source.row, contact);
      return undefined;
    }
    if (earlier !== undefined) {
      const entry = baseEntry(source, input, earlier.unknown ? 'failed' : 'exists');
      if (earlier.unknown) {
        entry.error = OUTCOME_UNKNOWN('an earlier import under this report name sent a customer with this name, email and phone and did not learn whether it was created (its answer was lost, or was a server error)');
      } else {
        if (earlier.customerId) entry.customerId = earlier.customerId;
        entry.error = earlierCustomerNote(input.username, false);
        this.confirmFound(source.row, earlier.customerId, contact, entry.error);
      }
      return entry;
    }
    if (input.username === undefined) this.contactOfRow.set(source.row, contact);
    return undefined;
  }

  /** A row's outcome: an earlier run's customer still in Quentli, else what its delivery makes of it. */
  async deliver(row: number, input: CustomerInput, sender: Sender, delivery: Delivery): Promise<SendOutcome> {
    const { heldEarlier, lostEarlier } = this;
    if (input.username !== undefined && (heldEarlier.has(row) || lostEarlier.has(row))) {
      // Matched by name, email and phone to a customer an earlier run created without a username:
      // its own username is asked first. Held by a customer of its own (the person was on another
      // row without a username too), that customer is the row's, and the fingerprint is not.
      let own: Customer | undefined;
      try {
        own = await sender.findByUsername(input.username);
      } catch (error) {
        if (!(error instanceof LookupError)) throw error;
      }
      if (own !== undefined) {
        heldEarlier.delete(row);
        lostEarlier.delete(row);
        return { status: 'exists', customerId: own.id, customer: own };
      }
    }
    const earlierId = heldEarlier.get(row);
    if (earlierId !== undefined) {
      const held = await sender.stillHeld(earlierId);
      if (held !== false) {
        return { status: 'exists', customerId: earlierId, error: earlierCustomerNote(input.username, held === undefined) };
      }
      heldEarlier.delete(row);
      const outcome = await delivery.deliver(input, row, undefined);
      const gone = `an earlier import under this report name created this customer (${earlierId}), which Quentli no longer holds`;
      return outcome.status === 'created' ? { ...outcome, error: outcome.error ? joinNotes(gone, outcome.error) : `${gone}: created again` } : outcome;
    }
    const lost = lostEarlier.get(row);
    if (lost !== undefined && input.username !== undefined) {
      // Sent without a username by an earlier run, the username filled in since: its username
      // finds nothing, so it is looked for as it was sent (by name, email and phone), never sent again.
      const { username, ...sent } = input;
      const outcome = await delivery.deliver(sent, row, lost);
      return outcome.status === 'created' ? { ...outcome, error: `an earlier import under this report name sent this customer without a username and its answer was lost: found${usernameNotInQuentli(username)}` } : outcome;
    }
    return delivery.deliver(input, row, this.previous.get(row) ?? lost);
  }

  /**
   * Forgets a row whose outcome is in. Returns its fingerprint when a look-up for an earlier run's
   * customer settled it (`found`: the row is `exists`): the customer is known by it from now on.
   */
  outcomeIn(row: number, found: boolean): string | undefined {
    const foundContact = this.lostEarlier.delete(row) || (this.heldEarlier.delete(row) && found) ? this.contactOfRow.get(row) : undefined;
    this.contactOfRow.delete(row);
    return foundContact;
  }
}

/** The journal's fingerprint of a row's `contactKeyOf`: a hash, so the journal holds no names, emails or phones. */
export function fingerprintOf(contactKey: string): string {
  return sha256(contactKey.toLowerCase()).slice(0, 32);
}
