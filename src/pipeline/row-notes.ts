/**
 * The notes a row's report entry carries in its error column when it is not an error: an archived
 * customer, another email or phone in Quentli, a customer an earlier import created. The CLI tells
 * them from failures by how they start (`ARCHIVED_NOTE`, `DIFFERS_NOTE`, `EARLIER_CUSTOMER_NOTE`).
 */
import { apiInstant, nonEmpty } from '../send/customer-diff.js';
import type { Customer } from '../send/customer.js';

/**
 * The note of a row without a username found by the journal's fingerprint: routine on every nightly
 * run of such a file, so the CLI does not log it as a warning.
 */
export const EARLIER_CUSTOMER_NOTE = 'created by an earlier import under this report name (the same name, email and phone, no username): not created again';

/**
 * The note of a row found as a customer an earlier import under this report name created without a
 * username: whether Quentli could not be asked that it still holds it, and a username not set on it.
 */
export function earlierCustomerNote(username: string | undefined, unasked: boolean): string {
  const note = unasked ? `${EARLIER_CUSTOMER_NOTE} (Quentli could not be asked whether it still holds it)` : EARLIER_CUSTOMER_NOTE;
  return username === undefined ? note : `${note}${usernameNotInQuentli(username)}`;
}

/**
 * Said of a row with a username found as the customer an earlier import under this report name
 * created without one: create mode changes no customer, so the username is not in Quentli.
 */
export function usernameNotInQuentli(username: string): string {
  return `; that customer has no username in Quentli, and this row's (${JSON.stringify(username)}) was not set on it: set it there`;
}

/** How the note of an `exists` row whose customer Quentli holds with another email or phone starts. */
export const DIFFERS_NOTE = 'Quentli holds another';

/** The note of an `exists` row (create mode) whose customer Quentli holds with other `fields` (`email`, `phone`). */
export function differsNote(fields: string[]): string {
  return `${DIFFERS_NOTE} ${fields.join(' and ')} for this username (create mode changes no customer, --mode upsert updates it)`;
}

/** How an archived customer's note starts (see `archivedNote`). */
export const ARCHIVED_NOTE = 'archived in Quentli';

/** The report's note on a row whose customer is archived: the import leaves it archived. */
export function archivedNote(archivedAt: string): string {
  const instant = apiInstant(archivedAt); // a date-time without a zone is the API's UTC, as createdAt
  const day = Number.isNaN(instant) ? archivedAt : new Date(instant).toISOString().slice(0, 10);
  return `${ARCHIVED_NOTE} since ${day}: the import does not unarchive customers (unarchive it in Quentli if it should be billed again)`;
}

/** The matched customer's archived date, when the API holds it archived. */
export function archivedAtOf(customer: Customer | undefined): string | undefined {
  return nonEmpty(customer?.archivedAt) ? customer.archivedAt : undefined;
}
