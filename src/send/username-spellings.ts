/** One customer holding a username: its id, and the username as the API writes it. */
export interface Spelling {
  id: string;
  spelling: string;
}

/**
 * The API's usernames by their lower case, for an API that takes usernames equal but for case:
 * the one customer holding each, or none once two customers do (they are then told apart by case).
 */
export class UsernameSpellings {
  readonly #byLower = new Map<string, Spelling | null>();

  add(spelling: string, id: string): void {
    const lower = spelling.toLowerCase();
    const held = this.#byLower.get(lower);
    if (held === undefined) this.#byLower.set(lower, { id, spelling });
    else if (held !== null && held.id !== id) this.#byLower.set(lower, null);
  }

  /** The one customer holding `username` in any case, if exactly one does. */
  find(username: string): Spelling | undefined {
    return this.#byLower.get(username.toLowerCase()) ?? undefined;
  }
}
