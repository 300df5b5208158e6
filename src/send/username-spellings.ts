import { composed } from '../read/composed.js';

/** One customer holding a username: its id, and the username as the API writes it. */
export interface Spelling {
  id: string;
  spelling: string;
}

/**
 * The API's usernames by their lower case, for an API that takes usernames equal but for case:
 * the one customer holding each, or none once two customers do (they are then told apart by case).
 * Composed too (NFC), as the file's cells are: `josé` typed on a Mac reaches Quentli as e + ◌́,
 * and a row `josé` (é as one character) missing it was that student created a second time.
 * Each username as written is kept too, for an API whose filter cannot find one (see `Sender.findByUsername`).
 */
export class UsernameSpellings {
  readonly #byLower = new Map<string, Spelling | null>();
  readonly #exact = new Map<string, string>();

  add(spelling: string, id: string): void {
    this.#exact.set(spelling, id);
    const lower = looseKey(spelling);
    const held = this.#byLower.get(lower);
    if (held === undefined) this.#byLower.set(lower, { id, spelling });
    else if (held !== null && held.id !== id) this.#byLower.set(lower, null);
  }

  /** The one customer holding `username` in any case (and accents composed or not), if exactly one does. */
  find(username: string): Spelling | undefined {
    return this.#byLower.get(looseKey(username)) ?? undefined;
  }

  /** The id of the customer holding `username` exactly as written, if one does. */
  exact(username: string): string | undefined {
    return this.#exact.get(username);
  }
}

/** A username as `UsernameSpellings` compares it: composed, in lower case. */
function looseKey(username: string): string {
  return composed(username).toLowerCase();
}
