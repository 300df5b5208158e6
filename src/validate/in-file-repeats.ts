import type { CustomerDraft } from '../map/map-row.js';
import { comparableName } from '../map/normalize.js';
import { FirstRowRegistry, foldedKey } from './first-row-registry.js';
import type { RowIssue } from './row-issue.js';

/** What the repeat check needs to know of the run. */
export interface InFileRepeatsOptions {
  /**
   * Whether rows without a username are compared by name, email and phone: in a create run, and not
   * where the name column holds given names only (two María José are two people).
   */
  checkContacts: boolean;
  /** The username column's header, named by a `duplicate_username` issue. */
  usernameHeader: string | undefined;
  /** The name column's header, named by a `duplicate_customer` issue. */
  nameHeader: string | undefined;
}

/**
 * Finds the rows of a file that repeat an earlier row: its username (compared without case or accents), or,
 * for a row without a username, its name, email and phone. The first row is sent; each repeat is
 * refused with a `duplicate_username` or `duplicate_customer` issue naming the first. Called once a
 * row, in the file's order; allocates nothing for a row that repeats nothing.
 */
export class InFileRepeats {
  private readonly firstRowOfUsername = new FirstRowRegistry();
  /**
   * The spelling tag (`spellingTag`) of each first row's username, by row: a repeat spelled
   * otherwise says how the two compare. A byte a row, and none until a username with capitals or
   * accents comes (0, the default, is one written as compared).
   */
  private spellingOfRow: Uint8Array | undefined;
  /**
   * Rows without a username, by name, email and phone (names, emails compared without case):
   * nothing else would tell the API that two such rows are one customer, and both would be created.
   */
  private readonly firstRowOfContact = new FirstRowRegistry();
  private readonly checkContacts: boolean;
  private readonly usernameHeader: string | undefined;
  private readonly nameHeader: string | undefined;
  /**
   * The `contactKeyOf` the last `check` compared: set for a row without a username whose contact is
   * checked, else undefined. A field, not a second return value: no object a row.
   */
  contactKey: string | undefined = undefined;

  constructor(options: InFileRepeatsOptions) {
    this.checkContacts = options.checkContacts;
    this.usernameHeader = options.usernameHeader;
    this.nameHeader = options.nameHeader;
  }

  /** Whether a row's name, email and phone tell it apart: a name and an email or phone, in a run that compares them. */
  isContactChecked(draft: CustomerDraft): boolean {
    return this.checkContacts && draft.name !== undefined && (draft.email !== undefined || draft.phoneNumber !== undefined);
  }

  /** The issue of a row that repeats an earlier one (noting it as the first otherwise); sets `contactKey`. */
  check(draft: CustomerDraft, row: number): RowIssue | undefined {
    this.contactKey = undefined;
    if (draft.username !== undefined) {
      // Compared without case or accents: an API that holds `MGomez` and `mgomez` (or `josé` and
      // `jose`) as one login would take the second row for the first customer, and that student
      // would be reported `exists` and lost.
      const firstRow = this.firstRowOfUsername.claim(draft.username, row);
      const spelling = this.firstRowOfUsername.plain ? 0 : spellingTag(draft.username);
      if (firstRow === undefined) {
        if (spelling !== 0) this.noteSpelling(row, spelling);
        return undefined;
      }
      // `maría.peña` after `maria.pena` said only `repeats the username of row 5`, and the office
      // looked for a mistake in row 5. An exact repeat says nothing more.
      const firstSpelling = this.spellingOfRow !== undefined && firstRow < this.spellingOfRow.length ? this.spellingOfRow[firstRow]! : 0;
      const compared = firstSpelling === spelling ? '' : ` (usernames are compared without case or accents: both read ${JSON.stringify(foldedKey(draft.username))})`;
      const repeat: RowIssue = { row, code: 'duplicate_username', value: draft.username, rule: `repeats the username of row ${firstRow}${compared}` };
      if (this.usernameHeader !== undefined) repeat.column = this.usernameHeader;
      return repeat;
    }
    if (!this.isContactChecked(draft)) return undefined;
    // `José Pérez` and `JOSE PEREZ` with one email are one person typed twice.
    const key = contactKeyOf(draft);
    this.contactKey = key;
    const earlier = this.firstRowOfContact.claim(key, row);
    if (earlier === undefined) return undefined;
    const by = draft.email === undefined ? 'phone number' : draft.phoneNumber === undefined ? 'email' : 'email and phone number';
    const repeat: RowIssue = { row, code: 'duplicate_customer', value: draft.name, rule: `repeats the name and ${by} of row ${earlier}: with no username to tell them apart, both would be created` };
    if (this.nameHeader !== undefined) repeat.column = this.nameHeader;
    return repeat;
  }

  private noteSpelling(row: number, spelling: number): void {
    let tags = this.spellingOfRow;
    if (tags === undefined || row >= tags.length) {
      const grown = new Uint8Array(Math.max(1024, row + 1, (tags?.length ?? 0) * 2));
      if (tags) grown.set(tags);
      tags = this.spellingOfRow = grown;
    }
    tags[row] = spelling;
  }
}

/**
 * A username's spelling as a byte: 0 for one written as usernames are compared (ASCII without
 * capitals), else 1-255 from a hash of its exact text. Equal usernames with different tags are
 * spelled differently; with the same tag, all but always alike.
 */
function spellingTag(username: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) hash = Math.imul(hash ^ username.charCodeAt(i), 0x01000193);
  return 1 + ((hash >>> 0) % 255);
}

/**
 * A row's name, email and phone, as people compare them (case, accents and spacing, a phone's
 * format aside). Only for a row whose name is set (`isContactChecked`).
 */
export function contactKeyOf(draft: CustomerDraft): string {
  return `${comparableName(draft.name!)}\u0000${draft.email ?? ''}\u0000${draft.phoneNumber ?? ''}`;
}
