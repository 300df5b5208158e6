/** One customer holding a username: its id, and the username as the API writes it. */
export interface Spelling {
  id: string;
  spelling: string;
}

/**
 * The API's usernames by their lower case, for an API that takes usernames equal but for case:
 * the one customer holding each, or none once two customers do (they are then told apart by case).
 * Each username as written is kept too, for an API whose filter cannot find one (see `Sender.findByUsername`).
 */
export class UsernameSpellings {
  readonly #byLower = new Map<string, Spelling | null>();
  readonly #exact = new Map<string, string>();

  add(spelling: string, id: string): void {
    this.#exact.set(spelling, id);
    const lower = spelling.toLowerCase();
    const held = this.#byLower.get(lower);
    if (held === undefined) this.#byLower.set(lower, { id, spelling });
    else if (held !== null && held.id !== id) this.#byLower.set(lower, null);
  }

  /** The one customer holding `username` in any case, if exactly one does. */
  find(username: string): Spelling | undefined {
    return this.#byLower.get(username.toLowerCase()) ?? undefined;
  }

  /** The id of the customer holding `username` exactly as written, if one does. */
  exact(username: string): string | undefined {
    return this.#exact.get(username);
  }
}
