import type { CountryCode } from 'libphonenumber-js';
import { comparableName, normalizeName, normalizePhone } from '../map/normalize.js';
import { composed } from '../read/composed.js';
import type { CustomerInput, MetadataPair } from '../validate/customer-schema.js';
import type { Customer } from './customer.js';

/**
 * What upsert keeps of an existing customer: its id and, normalized, the fields a file can set
 * and the API returns. `tags` and `assigneeId` are not here: the API never returns them, so they
 * cannot be compared (they are sent on create only).
 */
export interface KnownCustomer {
  id: string;
  name: string;
  email?: string;
  phoneNumber?: string;
  secondaryPhoneNumber?: string;
  acceptedServiceAgreement: boolean;
  skipTaxInvoice: boolean;
  /** The instant, in ms since the epoch (NaN when the API's text is not a date). */
  optedOutWhatsappAt?: number;
  /** The pairs as the API holds them, in its order. */
  metadata: HeldPair[];
  /** The answer left out both `metadata` and `meta` (a listing that does not load them): its pairs are not known, which is not none. */
  metadataUnread?: true;
  /** The compared fields the answer left out, not even `null` (a listing that does not load them): not known, which may not be none. */
  unanswered?: readonly ComparedField[];
  /** When Quentli archived it, as the API wrote it: not a field a file sets, said in the report. */
  archivedAt?: string;
}

/**
 * A metadata pair as the API answers it. `answered` keeps a value it wrote as a JSON number or
 * boolean (`1` where it was sent `"001"`): an API that coerces what it stores (see `holdsValue`).
 */
export interface HeldPair extends MetadataPair {
  answered?: number | boolean;
}

/** What a row would change on a customer. */
export interface CustomerChanges {
  /** The PATCH data: only the fields that differ; `metadata` is the whole merged list. */
  data: Record<string, unknown>;
  /** Names of the changed fields (`metadata.<key>` per metadata key), for logs. */
  fields: string[];
  /** The customer as it will be once `data` is applied. */
  next: KnownCustomer;
}

/** The comparable part of a customer as the API answers it, normalized the way the importer normalizes a row. */
export function knownCustomerOf(customer: Customer, defaultCountry: CountryCode): KnownCustomer {
  const known: KnownCustomer = {
    id: customer.id,
    // Composed as the file's cells are: a name typed on a Mac (e + ◌́) is not a change to send every night.
    name: normalizeName(composed(String(customer.name ?? ''))),
    // The API defaults both to false on create; a null is read the same way.
    acceptedServiceAgreement: customer.acceptedServiceAgreement === true,
    skipTaxInvoice: customer.skipTaxInvoice === true,
    metadata: metadataOf(customer),
  };
  if (nonEmpty(customer.email)) known.email = normalizeEmail(customer.email);
  if (nonEmpty(customer.phoneNumber)) known.phoneNumber = comparablePhone(customer.phoneNumber, defaultCountry);
  if (nonEmpty(customer.secondaryPhoneNumber)) known.secondaryPhoneNumber = comparablePhone(customer.secondaryPhoneNumber, defaultCountry);
  if (nonEmpty(customer.optedOutWhatsappAt)) known.optedOutWhatsappAt = apiInstant(customer.optedOutWhatsappAt);
  if (nonEmpty(customer.archivedAt)) known.archivedAt = customer.archivedAt;
  // Absent, not null: a null list is a customer without pairs, as an API with a nullable column answers it.
  if (customer.metadata === undefined && customer.meta === undefined) known.metadataUnread = true;
  const unanswered = COMPARED_FIELDS.filter((field) => !(field in customer));
  if (unanswered.length > 0) known.unanswered = interned(unanswered);
  return known;
}

/** The fields `diffCustomer` compares besides metadata. */
export type ComparedField = 'name' | TextField | FlagField | 'optedOutWhatsappAt';
const COMPARED_FIELDS: readonly ComparedField[] = ['name', 'email', 'phoneNumber', 'secondaryPhoneNumber', 'acceptedServiceAgreement', 'skipTaxInvoice', 'optedOutWhatsappAt'];

/** One list per set of fields, shared: an API that leaves out its nulls leaves out the same few on most of 100,000 customers listed. */
const INTERNED_FIELDS = new Map<string, readonly ComparedField[]>();
function interned(fields: ComparedField[]): readonly ComparedField[] {
  const key = fields.join();
  const shared = INTERNED_FIELDS.get(key);
  if (shared) return shared;
  INTERNED_FIELDS.set(key, fields);
  return fields;
}

/** A customer just created from `input` (the create answer is not kept: the input is what was stored). */
export function knownCustomerFromInput(id: string, input: CustomerInput): KnownCustomer {
  const known: KnownCustomer = {
    id,
    name: normalizeName(input.name),
    acceptedServiceAgreement: input.acceptedServiceAgreement === true,
    skipTaxInvoice: input.skipTaxInvoice === true,
    metadata: (input.metadata ?? []).map(({ key, value }) => ({ key, value })),
  };
  if (input.email !== undefined) known.email = normalizeEmail(input.email);
  if (input.phoneNumber !== undefined) known.phoneNumber = input.phoneNumber;
  if (input.secondaryPhoneNumber !== undefined) known.secondaryPhoneNumber = input.secondaryPhoneNumber;
  if (input.optedOutWhatsappAt !== undefined) known.optedOutWhatsappAt = Date.parse(input.optedOutWhatsappAt);
  return known;
}

type TextField = 'email' | 'phoneNumber' | 'secondaryPhoneNumber';
type FlagField = 'acceptedServiceAgreement' | 'skipTaxInvoice';

/** A row's email and phones as `KnownCustomer` holds them (undefined where the row leaves one empty). */
function comparableContacts(input: CustomerInput): [TextField, string | undefined][] {
  return [
    ['email', input.email === undefined ? undefined : normalizeEmail(input.email)],
    ['phoneNumber', input.phoneNumber],
    ['secondaryPhoneNumber', input.secondaryPhoneNumber],
  ];
}

/**
 * Compares a valid row with an existing customer, field by field; undefined when nothing differs.
 * A field absent from the row is "not in the file": it is left alone, never cleared. Metadata is
 * merged: the file's keys overwrite, keys only in Quentli are kept, and the PATCH carries the whole
 * merged list (the API replaces the list). `username` is the match key; `tags` and `assigneeId`
 * are never compared nor sent (the API does not return them).
 */
export function diffCustomer(input: CustomerInput, known: KnownCustomer): CustomerChanges | undefined {
  const data: Record<string, unknown> = {};
  const fields: string[] = [];
  const next: KnownCustomer = { ...known };

  const name = normalizeName(input.name);
  if (name !== known.name) {
    data.name = input.name;
    fields.push('name');
    next.name = name;
  }
  for (const [field, value] of comparableContacts(input)) {
    if (value === undefined || value === known[field]) continue;
    data[field] = input[field];
    fields.push(field);
    next[field] = value;
  }
  for (const field of ['acceptedServiceAgreement', 'skipTaxInvoice'] as FlagField[]) {
    const value = input[field];
    if (value === undefined || value === known[field]) continue;
    data[field] = value;
    fields.push(field);
    next[field] = value;
  }
  if (input.optedOutWhatsappAt !== undefined) {
    const instant = Date.parse(input.optedOutWhatsappAt);
    if (instant !== known.optedOutWhatsappAt && !sameToTheSecond(instant, known.optedOutWhatsappAt)) {
      data.optedOutWhatsappAt = input.optedOutWhatsappAt;
      fields.push('optedOutWhatsappAt');
      next.optedOutWhatsappAt = instant;
    }
  }
  if (input.metadata !== undefined && input.metadata.length > 0) {
    const merged = mergeMetadata(known.metadata, input.metadata);
    if (merged.changedKeys.length > 0) {
      data.metadata = merged.pairs;
      for (const key of merged.changedKeys) fields.push(`metadata.${key}`);
      next.metadata = merged.pairs;
    }
  }
  return fields.length > 0 ? { data, fields, next } : undefined;
}

/**
 * The contact fields (`email`, `phoneNumber`, `secondaryPhoneNumber`) a row carries that the
 * customer holds otherwise, both sides normalized as upsert compares them (a phone in any format,
 * an email in any case); a field the row leaves empty is not compared, nor one the answer leaves
 * out altogether (a look-up that loads fewer fields: every row of an unchanged export was said to
 * differ, every night). Create mode changes no customer, so a corrected phone in tonight's export
 * is otherwise reported `exists` without a word.
 */
export function contactFieldsDiffering(input: CustomerInput, customer: Customer, defaultCountry: CountryCode): TextField[] {
  const known = knownCustomerOf(customer, defaultCountry);
  return comparableContacts(input)
    .filter(([field, value]) => value !== undefined && value !== known[field] && known.unanswered?.includes(field) !== true)
    .map(([field]) => field);
}

/**
 * Quentli's pairs with the file's laid over them: a file key overwrites the value in place (its
 * first occurrence; later repeats of it are dropped), keys only in Quentli stay, new keys go last.
 * A file key Quentli holds only in another case (`grupo` for the file's `Grupo`: an API that stores
 * keys in lower case) is that key, kept as Quentli spells it: taken for a new key, every night's
 * PATCH added the file's spelling again beside it, and on an API that keeps repeats the list grew
 * by the file's keys each night. `changedKeys` lists the file keys whose value Quentli does not hold yet.
 */
export function mergeMetadata(existing: readonly HeldPair[], file: readonly MetadataPair[]): { pairs: MetadataPair[]; changedKeys: string[] } {
  const fileValues = new Map<string, string>();
  for (const { key, value } of file) fileValues.set(key, value);
  // What Quentli answers for a key is its `meta` object: the last pair with that key wins.
  const current = new Map<string, HeldPair>();
  for (const pair of existing) current.set(pair.key, pair);
  const heldKeys = heldKeysOf(current, fileValues);
  const changedKeys = [...fileValues].filter(([key, value]) => !holdsValue(current.get(heldKeys.get(key) ?? key), value)).map(([key]) => key);

  const fileKeyOf = new Map<string, string>();
  for (const key of fileValues.keys()) fileKeyOf.set(heldKeys.get(key) ?? key, key);
  const pairs: MetadataPair[] = [];
  const placed = new Set<string>();
  for (const pair of existing) {
    const fileKey = fileKeyOf.get(pair.key);
    if (fileKey === undefined) pairs.push({ key: pair.key, value: pair.value });
    else if (!placed.has(fileKey)) {
      pairs.push({ key: pair.key, value: fileValues.get(fileKey)! });
      placed.add(fileKey);
    }
  }
  for (const [key, value] of fileValues) if (!placed.has(key)) pairs.push({ key, value });
  return { pairs, changedKeys };
}

/**
 * The file keys Quentli holds in another case only, each with Quentli's spelling: where that
 * spelling is the one Quentli holds in any case and no other file key has it in any case (two
 * columns `Grupo` and `grupo` stay two keys).
 */
function heldKeysOf(current: ReadonlyMap<string, HeldPair>, fileValues: ReadonlyMap<string, string>): Map<string, string> {
  const heldKeys = new Map<string, string>();
  const unheld = [...fileValues.keys()].filter((key) => !current.has(key));
  if (unheld.length === 0) return heldKeys;
  const spellings = (keys: Iterable<string>): Map<string, string[]> => {
    const byLowerCase = new Map<string, string[]>();
    for (const key of keys) byLowerCase.set(key.toLowerCase(), [...(byLowerCase.get(key.toLowerCase()) ?? []), key]);
    return byLowerCase;
  };
  const held = spellings(current.keys());
  const inFile = spellings(fileValues.keys());
  for (const key of unheld) {
    const heldSpellings = held.get(key.toLowerCase());
    if (heldSpellings?.length === 1 && inFile.get(key.toLowerCase())!.length === 1) heldKeys.set(key, heldSpellings[0]!);
  }
  return heldKeys;
}

/**
 * Whether Quentli's pair holds the file's value: the same text, or the number or boolean an API
 * that coerces what it stores made of it (`"001"` answered as `1`, `"1.50"` as `1.5`, `"TRUE"` as
 * `true`). Sent again, the value is stored the same, so it was sent every night, to no effect. A
 * value answered as text is compared as text: `"1"` held as text is not the file's `"001"`.
 */
function holdsValue(held: HeldPair | undefined, value: string): boolean {
  if (held === undefined) return false;
  if (held.value === value) return true;
  // An API that collapses a value's spaces (`3°B  turno A` stored as `3°B turno A`) holds it: sent
  // again, it is stored the same, and was sent every night, with a "not as sent" note each time.
  if (collapsedSpaces(held.value) === collapsedSpaces(value)) return true;
  if (typeof held.answered === 'number') return NUMBER_TEXT.test(value) && Number(value) === held.answered;
  if (typeof held.answered === 'boolean') return value.trim().toLowerCase() === String(held.answered);
  return false;
}
function collapsedSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A decimal number as text (`001`, `-1.50`, `.5`, `1e3`): what an API may store as a JSON number. */
const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/**
 * An email as compared: trimmed, in lower case. The standard lets a server tell `Ana.Uno@` from
 * `ana.uno@`, but mail services do not, and an API that stores emails in lower case would otherwise
 * be sent the same PATCH every night.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The keys a person is recognized by when the username does not match: the name as a person
 * compares two (case, accents and spacing aside) with the email, and with the phone. A name alone
 * is no key (two students may share one), nor is an email or a phone alone (siblings share their
 * parents'). Empty when the customer has a name and neither an email nor a phone.
 */
export function contactKeys(name: string, email: string | undefined, phoneNumber: string | undefined): string[] {
  const person = comparableName(name);
  if (person === '') return [];
  const keys: string[] = [];
  if (email !== undefined && email.trim() !== '') keys.push(`${person}\u0000e\u0000${normalizeEmail(email)}`);
  if (phoneNumber !== undefined && phoneNumber.trim() !== '') keys.push(`${person}\u0000p\u0000${phoneNumber}`);
  return keys;
}

/** `contactKeys` of a customer as the API answers it (its phone read as the rows' are). */
export function contactKeysOf(customer: Customer, defaultCountry: CountryCode): string[] {
  if (typeof customer.name !== 'string') return [];
  const phone = nonEmpty(customer.phoneNumber) ? comparablePhone(customer.phoneNumber, defaultCountry) : undefined;
  return contactKeys(customer.name, nonEmpty(customer.email) ? customer.email : undefined, phone);
}

/** A phone as compared: E.164 when it reads as a real number, else the trimmed text (so it differs from any valid row value). */
export function comparablePhone(phone: string, defaultCountry: CountryCode): string {
  return normalizePhone(phone, defaultCountry) ?? phone.trim();
}

/**
 * The instant an API date-time names, in ms since the epoch (NaN when it names none). One written
 * without a zone (`2026-12-03T08:00:00.000`, as a naive timestamp serializes) is read as UTC, the
 * API's clock as its `Date` header gives it: `Date.parse` reads it in this machine's zone, so a cron
 * machine east of UTC took a create that landed for one made hours before it was sent ("likely not
 * created", then made twice), and one west of UTC updated every opt-out date every night.
 */
export function apiInstant(text: string): number {
  const trimmed = text.trim();
  return Date.parse(ZONELESS_DATE_TIME.test(trimmed) ? `${trimmed.slice(0, 10)}T${trimmed.slice(11)}Z` : trimmed);
}
/** ISO 8601 lets the T be written lower case; `Date.parse` reads `2026-12-03t08:00:00` in this machine's zone too. */
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** A text the API holds: not null, absent or blank (an API may answer a field a customer lacks as `""`). */
export function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The customer's metadata pairs: its `metadata` list, or else its `meta` object (the API sends both). */
export function metadataOf(customer: Customer): HeldPair[] {
  const pairs: HeldPair[] = Array.isArray(customer.metadata)
    ? customer.metadata.filter((pair) => pair && typeof pair.key === 'string').map((pair) => heldPair(pair.key, pair.value, String(pair.value ?? '')))
    : [];
  // `meta` holds the same pairs as an object. An answer that leaves the list empty (a listing that
  // does not load it) but fills `meta` still holds them: read as none, a PATCH of the row's
  // metadata replaced them all, and every night again.
  const meta = customer.meta;
  if (isObject(meta)) {
    const listed = new Set(pairs.map((pair) => pair.key));
    for (const [key, value] of Object.entries(meta as Record<string, unknown>)) {
      if (!listed.has(composed(key))) pairs.push(heldPair(key, value, typeof value === 'string' ? value : JSON.stringify(value)));
    }
  }
  return pairs;
}

/**
 * A pair with its value as text, and as answered when that is a number or boolean. Key and value
 * composed, as the file's cells are: an API that stores text decomposed (é as e + ◌́) answered
 * `Año escolar` as another key, and every night's PATCH added the file's beside it again.
 */
function heldPair(key: string, answered: unknown, text: string): HeldPair {
  const pair = { key: composed(key), value: composed(text) };
  return typeof answered === 'number' || typeof answered === 'boolean' ? { ...pair, answered } : pair;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The file's instant held by an API that keeps whole seconds (`…10:30:00.250Z` stored as `…10:30:00Z`):
 * the same, or every night would update it again.
 */
function sameToTheSecond(instant: number, held: number | undefined): boolean {
  return held !== undefined && held % 1000 === 0 && Math.floor(instant / 1000) * 1000 === held;
}
