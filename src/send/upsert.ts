import type { CountryCode } from 'libphonenumber-js';
import { ImportError } from '../errors/index.js';
import type { EngineLogger } from '../logger.js';
import { comparableName, isSameName } from '../map/normalize.js';
import type { AttemptKind } from '../report/journal.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { contactKeys, contactKeysOf, diffCustomer, knownCustomerFromInput, knownCustomerOf, metadataOf, normalizeEmail, type KnownCustomer } from './customer-diff.js';
import type { Customer } from './customer.js';
import { caseMatchNote, type Delivery } from './delivery.js';
import { joinNotes, LookupError, type SendOutcome, type Sender } from './sender.js';
import { UsernameSpellings } from './username-spellings.js';

/** The most customers one `GET /customers` page may hold (the API's limit). */
const LISTING_PAGE_SIZE = 100;
/** Pages in a row with no customer not listed before: the server is not paging. */
const STALLED_PAGES = 3;
/**
 * Customers created since the listing started that it reads at least before it may stop short of
 * an empty page (see `loadCustomerIndex`): ten full pages, or as many as it found there before, if more.
 */
const GROWN_MIN_CUSTOMERS = 10 * LISTING_PAGE_SIZE;
/** Pages a listing reads at most (a million customers at 100 a page), when nothing else ends it. */
export const MAX_LISTING_PAGES = 10_000;

/** Options of the upsert delivery. */
export interface UpsertOptions {
  /** Region used to read a phone the API holds in a non-E.164 form. */
  defaultCountry: CountryCode;
  /** Decide and report what would happen; send no write. Default false. */
  dryRun?: boolean;
  /** Runs before each request that may write (POST or PATCH): the journal's "attempted". */
  onAttempt?: (row: number, kind: AttemptKind) => void;
  /** Gets a debug line per updated row naming the changed fields. */
  logger?: EngineLogger;
}

/** An upsert delivery, with what its listing found. */
export interface UpsertDelivery extends Delivery {
  /** Customers with a username loaded by the listing. */
  readonly loaded: number;
  /** `GET /customers` pages the listing took. */
  readonly pages: number;
}

/**
 * `--mode upsert`: lists the organization's customers once, 100 a page, into a map username →
 * comparable fields, then per row: no match → create; a match that differs → PATCH only the
 * differing fields (`updated`); an equal match → nothing sent (`unchanged`). Requests for the whole
 * run: ⌈M/100⌉ + 1 for the listing (it ends at an empty page), plus one per row that changes. With `dryRun` the listing is the
 * only traffic and the outcomes say what would happen.
 * Rejects with an `ImportError` (`api_unreachable`) when the listing cannot be read.
 */
export async function createUpsertDelivery(sender: Sender, options: UpsertOptions): Promise<UpsertDelivery> {
  const { index, contacts, pages, unstable, cut, startedAt } = await loadCustomerIndex(sender, options.defaultCountry);
  if (unstable) {
    options.logger?.warn(
      'the API listed some customers on two pages (its order has ties), so others may have been skipped: rows not found in the listing are looked up by username before they are created',
    );
  }
  if (cut) options.logger?.warn(`${cutListingReason(cut, pages)}: rows not found in the listing are looked up by username before they are created`);
  // Rows missing from a listing that may not hold every customer are looked up before they are created.
  const lookUpMissing = unstable || cut !== undefined;
  // The listing's usernames in any case: for the sender, a create refused as taken by a spelling
  // in another case is found here, not in a second listing; for the rows, once the API has shown
  // it ignores case.
  const spellings = new UsernameSpellings();
  for (const [username, known] of index) spellings.add(username, known.id);
  // A listing stopped as customers kept coming holds those created before it started; one stopped
  // at its most pages, not even those: the sender reads its own when it needs one.
  if (cut === undefined) sender.knowCustomers(spellings);
  else if (cut === 'grown') sender.knowCustomers(spellings, startedAt);
  const onAttempt = options.onAttempt ?? (() => {});
  const dryRun = options.dryRun === true;

  const reconcile = async (input: CustomerInput, username: string, row: number, known: KnownCustomer, attemptedAt?: number, updateOnly = false): Promise<SendOutcome> => {
    const outcome = await reconcileFields(input, username, row, known, attemptedAt, updateOnly);
    // Updated or not, the customer stays archived (the API's update data has no field that
    // unarchives): the report says so, or a returning student is never billed and nobody knows why.
    return known.archivedAt !== undefined && outcome.status !== 'failed' ? { ...outcome, archivedAt: known.archivedAt } : outcome;
  };

  const reconcileFields = async (input: CustomerInput, username: string, row: number, listed: KnownCustomer, attemptedAt: number | undefined, updateOnly: boolean): Promise<SendOutcome> => {
    const { known, unread } = await customerToCompare(listed, input);
    const changes = diffCustomer(comparedInput(input, unread), known);
    if (!changes) {
      // A crashed run's create or update of this row landed (the customer holds the row's data since
      // that write left): that run's doing, not `unchanged`.
      const landed = attemptedAt === undefined || dryRun ? undefined : await sender.earlierWrite(known.id, attemptedAt, updateOnly);
      return { status: landed ?? 'unchanged', customerId: known.id, ...(unread ? { error: METADATA_UNREAD_NOTE } : {}) };
    }
    options.logger?.debug({ row, customerId: known.id, fields: changes.fields }, dryRun ? 'would update' : 'updating');
    const note = joinNotes(changedFieldsNote(changes.fields), unread ? METADATA_UNREAD_NOTE : undefined);
    if (dryRun) {
      index.set(username, changes.next);
      return { status: 'updated', customerId: known.id, error: note };
    }
    onAttempt(row, { update: true });
    const outcome = await sender.update(known.id, changes.data);
    // What the file would have changed, before the API's reason: a refusal (`HTTP 409: Unique
    // constraint failed on the fields: (email)`) says nothing of the row's other fields it held back.
    if (outcome.status !== 'updated') return { ...outcome, error: `updating ${changes.fields.join(', ')}: ${outcome.error ?? 'failed'}` };
    index.set(username, changes.next);
    const { customer: answered, ...updated } = outcome;
    const notTaken = answered ? await fieldsNotTaken(input, changes.fields, answered) : undefined;
    return { ...updated, error: joinNotes(note, notTaken, outcome.error) };
  };

  /**
   * The note on an update answered with success by a customer that does not hold what was sent:
   * read back once (`GET /customers/{id}`), since an answer may show the customer as it was before.
   * Still otherwise, the API did not take those fields, or keeps them in a form of its own (names
   * in capitals): trusted, the row was `updated` every night and nothing said why.
   */
  const fieldsNotTaken = async (input: CustomerInput, sent: readonly string[], answered: Customer): Promise<string | undefined> => {
    if (stillDiffering(input, sent, answered).length === 0) return undefined;
    const current = await sender.customer(answered.id);
    const held = current ?? answered;
    const fields = stillDiffering(input, sent, held);
    if (fields.length === 0) return undefined;
    const values = fields.map((field) => `${field} ${heldValue(held, field)}`).join(', ');
    const them = fields.length === 1 ? 'it' : 'them';
    // Not read back (the look-up answered none, or failed): the answer is all there is to go by.
    const holds = current ? `${NOT_TAKEN_NOTE} ${values}` : `${NOT_TAKEN_NOTE} ${values} in its answer (it could not be read back)`;
    return `${holds}, not as sent: the API did not take ${them} or keeps ${them} in a form of its own, and the next run sends ${them} again; check the customer in Quentli`;
  };

  /** Of the fields an update sent, those the customer as answered still holds otherwise (its metadata, when the answer carries it). */
  const stillDiffering = (input: CustomerInput, sent: readonly string[], customer: Customer): string[] => {
    const held = knownCustomerOf(customer, options.defaultCountry);
    const left = diffCustomer(comparedInput(input, held.metadataUnread === true), held)?.fields ?? [];
    return left.filter((field) => sent.includes(field));
  };

  /**
   * The customer to compare a row with: as listed, or as `GET /customers/{id}` answers it when the
   * listing's answer left out what the row sets. Its metadata, when the row carries some (a listing
   * that leaves it out, or answers it empty, `[]`, as a listing that does not load it may): taken as
   * none, the PATCH's list (which replaces the whole list) held the file's keys alone, and every key
   * staff added in Quentli was lost, every night. A field the row changes, when the listing's answer
   * did not carry it at all, not even as `null` (a listing that loads fewer fields): taken as empty,
   * every unchanged row was updated every night. `unread`: no answer shows the customer's metadata,
   * so the row's is left out of the update.
   */
  const customerToCompare = async (listed: KnownCustomer, input: CustomerInput): Promise<{ known: KnownCustomer; unread: boolean }> => {
    const carriesMetadata = input.metadata !== undefined && input.metadata.length > 0;
    const metadataUnread = listed.metadataUnread === true && carriesMetadata;
    const metadataUnsure = metadataUnread || (carriesMetadata && listed.metadata.length === 0);
    if (!metadataUnsure && !differsWhereUnanswered(input, listed)) return { known: listed, unread: false };
    const customer = await sender.customer(listed.id);
    const read = customer ? knownCustomerOf(customer, options.defaultCountry) : undefined;
    if (!read) return { known: listed, unread: metadataUnread };
    return { known: read, unread: metadataUnread && read.metadataUnread === true };
  };

  return {
    loaded: index.size,
    pages,
    async deliver(input, row, previous) {
      const username = input.username;
      // The pipeline refuses such rows in upsert mode before they get here.
      if (username === undefined) return { status: 'failed', error: 'no username: --mode upsert matches customers by username' };
      let known = index.get(username);
      // `Beto.Dos` where Quentli holds `beto.dos` (one customer so spelled): that customer, as the
      // file's own rows are compared without case. Created, it was the same student twice on an API
      // that tells them apart, and a refused create every night on one that does not.
      const inAnyCase = known ? undefined : spellings.find(username);
      if (inAnyCase) known = index.get(inAnyCase.spelling);
      if (!known && lookUpMissing) {
        const found = await sender.findByUsername(username);
        if (found) known = knownCustomerOf(found, options.defaultCountry);
      }
      const attemptedAt = previous?.attempted === true ? previous.attemptedAt : undefined;
      // Matched only without case to a customer of another name: likely another person (a username
      // typed in other capitals, which the file's own rows would have refused as a repeat). Updated,
      // that customer's name, email and phone were replaced by this row's, and the record was lost.
      if (known && inAnyCase && !isSameName(known.name, input.name)) return anotherPerson(inAnyCase.spelling, known, input);
      if (known && !inAnyCase && sharesNothing(known, input)) return usernameOfAnother(username, known, input);
      if (known) {
        const outcome = await reconcile(input, username, row, known, attemptedAt, previous?.updateOnly === true);
        if (!inAnyCase || outcome.status === 'failed') return outcome;
        const why =
          inAnyCase.spelling.toLowerCase() === username.toLowerCase()
            ? 'usernames are compared without case, as in the file'
            : 'usernames are compared without case, and Quentli writes its accents decomposed, é as e + ◌́, as a Mac does';
        return { ...outcome, error: joinNotes(caseMatchNote(inAnyCase.spelling, why), outcome.error) };
      }
      // No customer holds this username, but one with this name and email (or phone) is there: the
      // same person under another login (the school system gave a new one) or none (typed in by hand,
      // imported without usernames). Created, that person was in Quentli twice, every night unnoticed.
      const samePerson = holderOf(contacts, input);
      if (samePerson) return likelySamePerson(samePerson, input);
      if (dryRun) {
        index.set(username, knownCustomerFromInput('', input));
        addContacts(contacts, input, { id: '', username });
        return { status: 'created' };
      }
      // Not in the listing as written, so no look-up first: a create of an interrupted run that landed
      // is found in another case (an API that stores `mgomez1` for `MGomez1`) when this one is refused.
      // Its name with its email and phone held from now, not once the create is answered: a second
      // login of the same person a few rows on is decided while this create is on its way (rows are
      // sent side by side), and was created as the dry run said it would not be.
      const pending: ContactHolder = { id: '', username };
      addContacts(contacts, input, pending);
      const outcome = await sender.create(input, { beforeSend: () => onAttempt(row, {}) });
      if (outcome.status === 'created' && outcome.customerId) {
        index.set(username, knownCustomerFromInput(outcome.customerId, input));
        pending.id = outcome.customerId;
      } else {
        for (const key of contactKeys(input.name, input.email, input.phoneNumber)) if (contacts.get(key) === pending) contacts.delete(key);
      }
      if (outcome.status !== 'exists') return outcome;
      // Created by someone else after the listing read past it, or held in another case by an API
      // that takes usernames equal but for case: compare with it like any match.
      const found = outcome.customer ?? (await sender.findByUsername(username));
      if (!found) return outcome;
      const match = knownCustomerOf(found, options.defaultCountry);
      if (typeof found.username === 'string' && found.username !== username && !isSameName(match.name, input.name)) return anotherPerson(found.username, match, input);
      if (found.username === username && sharesNothing(match, input)) return usernameOfAnother(username, match, input);
      return reconcile(input, username, row, match, attemptedAt);
    },
  };
}

/**
 * The warning of an upsert run whose file has a tags or assignee column (`headerOf`, the mapping's
 * header of each field): sent on create only, and said so at the start of the run, since an export
 * whose `Etiquetas` changed for a new school year is otherwise reported `unchanged`, row by row,
 * with the tags in Quentli as they were. Undefined when the file has neither.
 */
export function createOnlyColumnsWarning(headerOf: { tags?: string; assigneeId?: string }): string | undefined {
  const headers = [headerOf.tags, headerOf.assigneeId].filter((header) => header !== undefined);
  if (headers.length === 0) return undefined;
  const columns = headers.map((header) => JSON.stringify(header)).join(' and ');
  const what = [headerOf.tags !== undefined ? 'tags' : undefined, headerOf.assigneeId !== undefined ? 'assignee' : undefined].filter(Boolean).join(' or ');
  const tagsAdded = headerOf.tags !== undefined ? ', and an update would replace the tags added in Quentli' : '';
  return `${columns} ${headers.length === 1 ? 'is' : 'are'} sent to new customers only: --mode upsert does not change an existing customer's ${what} (the API does not return ${headers.length === 1 ? 'it' : 'them'}, so a change cannot be seen${tagsAdded}); change ${headers.length === 1 ? 'it' : 'them'} in Quentli itself`;
}

/** A customer known by its name with its email or phone (see `contactKeys`): its id and username, if it has one. */
export interface ContactHolder {
  id: string;
  username: string | undefined;
}

/** The customer holding the row's name with its email or phone, if any, and which of the two it shares. */
function holderOf(contacts: Map<string, ContactHolder>, input: CustomerInput): { holder: ContactHolder; by: 'email' | 'phone' } | undefined {
  const keys = contactKeys(input.name, input.email, input.phoneNumber);
  for (const key of keys) {
    const holder = contacts.get(key);
    if (holder) return { holder, by: input.email !== undefined && key === keys[0] ? 'email' : 'phone' };
  }
  return undefined;
}

function addContacts(contacts: Map<string, ContactHolder>, input: CustomerInput, holder: ContactHolder): void {
  for (const key of contactKeys(input.name, input.email, input.phoneNumber)) if (!contacts.has(key)) contacts.set(key, holder);
}

/** A row whose username no customer holds, while a customer with its name and email or phone is there: refused, not created a second time. */
function likelySamePerson({ holder, by }: { holder: ContactHolder; by: 'email' | 'phone' }, input: CustomerInput): SendOutcome {
  const who = holder.username === undefined ? `${holder.id ? `${holder.id}, ` : ''}with no username` : `${holder.id ? `${holder.id}, ` : ''}username ${JSON.stringify(holder.username)}`;
  return {
    status: 'failed',
    error: `no customer has the username ${JSON.stringify(input.username)}, but one with the name ${JSON.stringify(input.name)} and this ${by} is in Quentli (${who}): not created, since it is likely the same person under another login; if it is, give that customer the username ${JSON.stringify(input.username)} in Quentli (this row then updates it); if it is another person, import this row once with --mode create`,
  };
}

/** The note on a row whose metadata was not compared nor sent: Quentli's answers do not carry the customer's. */
export const METADATA_UNREAD_NOTE =
  "metadata not updated: Quentli's answers do not show this customer's metadata, and an update replaces the whole list, which would lose the keys added in Quentli";

/** How the note on an update whose fields the customer read back does not hold starts. */
export const NOT_TAKEN_NOTE = 'Quentli answered the update as done, but holds';

/** A field of the customer as the note quotes it, as the API wrote it (`"ANA LÓPEZ"`, a metadata key's value), or `empty`. */
function heldValue(customer: Customer, field: string): string {
  const key = field.startsWith('metadata.') ? field.slice('metadata.'.length) : undefined;
  // The last pair of a key is what Quentli answers for it (see `mergeMetadata`); else the key it holds in another case, which the file's key is.
  const pairs = key === undefined ? [] : metadataOf(customer);
  const lowerKey = key?.toLowerCase();
  const value = key === undefined ? customer[field] : (pairs.findLast((pair) => pair.key === key) ?? pairs.findLast((pair) => pair.key.toLowerCase() === lowerKey))?.value;
  return value === undefined || value === null || value === '' ? 'empty' : JSON.stringify(value);
}

/** Whether the row changes a field the customer's answer left out (see `customerToCompare`). */
function differsWhereUnanswered(input: CustomerInput, listed: KnownCustomer): boolean {
  const unanswered = listed.unanswered;
  if (unanswered === undefined) return false;
  const fields = diffCustomer(comparedInput(input, listed.metadataUnread === true), listed)?.fields;
  return fields !== undefined && fields.some((field) => (unanswered as readonly string[]).includes(field));
}

/** The row as compared with a customer: without its metadata when the customer's could not be read. */
function comparedInput(input: CustomerInput, metadataUnread: boolean): CustomerInput {
  return metadataUnread ? { ...input, metadata: undefined } : input;
}

/** How an `updated` row's note starts: the fields its update changed (a dry run's, would change). */
export const CHANGED_FIELDS = 'changed: ';

/** `changed: email, phoneNumber`: what an update wrote over, in the report, so a dry run shows what the real run will replace. */
function changedFieldsNote(fields: readonly string[]): string {
  return `${CHANGED_FIELDS}${fields.join(', ')}`;
}


/**
 * Whether the customer holding the row's username shares nothing with it: another name (case,
 * accents and spacing aside, and neither holding every word of the other), another email, and
 * another phone (either of the row's against either of the customer's), each known on both sides.
 * A student's matrícula given to another student (a school reusing numbers, a typo in the export):
 * updated, the first student's name, email and phone were replaced by the second's, and that record
 * was lost. Anything less is an update, as issue 5 asks of a row that differs: a name corrected
 * keeps its email or phone, and a row or customer without both tells too little.
 */
function sharesNothing(known: KnownCustomer, input: CustomerInput): boolean {
  if (isSameName(known.name, input.name) || isCompletedName(known.name, input.name)) return false;
  if (input.email === undefined || known.email === undefined || normalizeEmail(input.email) === known.email) return false;
  const rowPhones = [input.phoneNumber, input.secondaryPhoneNumber].filter((phone) => phone !== undefined);
  const heldPhones = [known.phoneNumber, known.secondaryPhoneNumber].filter((phone) => phone !== undefined);
  return rowPhones.length > 0 && heldPhones.length > 0 && !rowPhones.some((one) => heldPhones.includes(one));
}

/**
 * Whether one name holds every word of the other (case, accents and spacing aside): a name completed
 * or shortened, `Ana López` → `Ana López García` (the second surname added), `Ana María García`
 * → `Ana García`. The same person, often corrected along with an email or phone the office updated
 * at the same time; a second student given the same matrícula has a name of their own.
 */
function isCompletedName(a: string, b: string): boolean {
  const wordsA = comparableName(a).split(' ').filter(Boolean);
  const wordsB = comparableName(b).split(' ').filter(Boolean);
  if (wordsA.length === 0 || wordsB.length === 0) return false;
  const [shorter, longer] = wordsA.length <= wordsB.length ? [wordsA, new Set(wordsB)] : [wordsB, new Set(wordsA)];
  return shorter.every((word) => longer.has(word));
}

/** A row whose username Quentli holds for a customer that shares nothing with it: refused, not updated. */
function usernameOfAnother(username: string, known: KnownCustomer, input: CustomerInput): SendOutcome {
  return {
    status: 'failed',
    error: `the username ${JSON.stringify(username)} is held in Quentli by ${JSON.stringify(known.name)}, whose email and phone are not this row's either: not updated, since ${JSON.stringify(input.name)} is likely another person (a username given to two people); give this row its own username, or, if it is that customer, correct its name in Quentli and the next run updates the rest`,
  };
}

/** A row matched only without case to a customer of another name: refused, not updated. */
function anotherPerson(spelling: string, known: KnownCustomer, input: CustomerInput): SendOutcome {
  return {
    status: 'failed',
    error: `the username matches ${JSON.stringify(spelling)} in Quentli only without case, and that customer is ${JSON.stringify(known.name)}, not ${JSON.stringify(input.name)}: not updated, since it is likely another person; give this row its own username, or write the username as Quentli holds it if it is that customer`,
  };
}

/** Why a listing stopped before an empty page (see `loadCustomerIndex`), as the run's warning says it. */
function cutListingReason(cut: ListingCut, pages: number): string {
  return cut === 'grown'
    ? `the listing of customers stopped after ${pages} pages without reaching its end: customers were being created in Quentli faster than it could read them`
    : `the listing of customers stopped after ${pages} pages (the most it reads) without reaching its end`;
}

/**
 * Why a listing stopped short of an empty page: `grown`, it had read every customer created before
 * it started and many more created since (someone creating customers as fast as it reads);
 * `pages`, it read MAX_LISTING_PAGES.
 */
export type ListingCut = 'grown' | 'pages';

/**
 * Pages through `GET /customers` oldest first (customers created meanwhile land on later pages),
 * keeping per username only what the diff needs. Customers without a username cannot match a row
 * and are skipped. Only an empty page ends the list: a server may answer fewer than `take` (the API
 * document promises no page size), so each page starts where the last one's customers ended.
 * Unless it never comes: customers created as fast as the pages are read (one a request, against a
 * server answering a customer or two a page) kept a listing going for as long as they were. It
 * stops (`cut`) at a page of customers all created after it started (their `createdAt`, beyond the
 * clock allowance) once it has read GROWN_MIN_CUSTOMERS of those and more than of the others (every
 * customer there when it started is listed by then), or after `maxPages` (MAX_LISTING_PAGES by default); the rows it may
 * miss are then looked up by username before they are created, as after a listing with ties.
 * `startedAt` is when it started: one cut as customers kept coming holds those created before then.
 */
export async function loadCustomerIndex(
  sender: Sender,
  defaultCountry: CountryCode,
  { maxPages = MAX_LISTING_PAGES }: { maxPages?: number } = {},
): Promise<{ index: Map<string, KnownCustomer>; contacts: Map<string, ContactHolder>; pages: number; unstable: boolean; cut?: ListingCut; startedAt: number }> {
  const startedAt = Date.now();
  /** Customers listed that the API surely created after the listing started (`since`), and the others. */
  let before = 0;
  let since = 0;
  const index = new Map<string, KnownCustomer>();
  /** Every customer (with a username or without) by its name with its email, and with its phone. */
  const contacts = new Map<string, ContactHolder>();
  let pages = 0;
  // A customer on two pages means the order moved between them (customers created in the same
  // millisecond, ties broken differently per request): as many others may be on none.
  let unstable = false;
  let previousIds = new Set<string>();
  let previousSkip = 0;
  let pagesWithNothingNew = 0;
  for (let skip = 0; ; ) {
    let page;
    try {
      page = await sender.listPage(skip, LISTING_PAGE_SIZE);
    } catch (error) {
      if (error instanceof LookupError) {
        throw new ImportError('api_unreachable', `cannot list the organization's customers for --mode upsert: ${error.message}`, { cause: error });
      }
      throw error;
    }
    pages++;
    if (page.length === 0) break;
    let newOnly = true;
    for (const customer of page) {
      if (sender.createdAfter(customer, startedAt)) since++;
      else {
        before++;
        newOnly = false;
      }
    }
    // A server that ignores `skip` would otherwise be listed forever: it answers the same page
    // again, maybe in another order (ties shuffled per request), or pages of customers listed
    // before. The first id alone is not enough: with ties shuffled, two real pages start with the
    // same customer now and then.
    const ids = new Set(page.map((customer) => String(customer.id)));
    const samePage = ids.size === previousIds.size && [...ids].every((id) => previousIds.has(id));
    // Nobody new: every customer with a username is in the index already, under the same id (the
    // index is the memory: no second set of every id). A page of customers without one tells nothing.
    let known = 0;
    let fresh = 0;
    for (const customer of page) {
      if (typeof customer.username !== 'string' || customer.username === '') continue;
      if (index.get(customer.username)?.id === String(customer.id)) known++;
      else fresh++;
    }
    // Only a page mostly of customers listed before counts: with usernames rare and ties shuffled,
    // a page's one or two known customers may be repeats by chance.
    if (fresh > 0) pagesWithNothingNew = 0;
    else if (known * 2 >= page.length) pagesWithNothingNew++;
    if (samePage || pagesWithNothingNew === STALLED_PAGES) {
      throw new ImportError('api_unreachable', `GET /customers answered the same customers for skip=${previousSkip} and skip=${skip}: cannot list the customers for --mode upsert`);
    }
    previousIds = ids;
    previousSkip = skip;
    for (const customer of page) {
      if (typeof customer.id !== 'string') continue;
      const holder: ContactHolder = { id: customer.id, username: typeof customer.username === 'string' && customer.username !== '' ? customer.username : undefined };
      for (const key of contactKeysOf(customer, defaultCountry)) if (!contacts.has(key)) contacts.set(key, holder);
      if (holder.username === undefined) continue;
      if (index.get(holder.username)?.id === customer.id) unstable = true;
      index.set(holder.username, knownCustomerOf(customer, defaultCountry));
    }
    skip += page.length;
    if (newOnly && since >= GROWN_MIN_CUSTOMERS && since > before) return { index, contacts, pages, unstable, cut: 'grown', startedAt };
    if (pages >= maxPages) return { index, contacts, pages, unstable, cut: 'pages', startedAt };
  }
  return { index, contacts, pages, unstable, startedAt };
}
