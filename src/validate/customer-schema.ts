import { z } from 'zod';

/**
 * The address pattern the schema checks: zod's `z.email()` pattern, within the standard's lengths
 * (64 characters before the `@`, 254 in all), which a mail server and a strict API refuse past.
 * Code that must agree with the schema without a parse calls `isEmailAddress`, the whole check.
 */
const EMAIL_PATTERN = new RegExp(`^(?=[^@]{1,64}@)(?=.{3,254}$)${z.regexes.email.source.slice(1)}`, z.regexes.email.flags);

/**
 * Endings no domain has that a hurried `.com` becomes (`ana@gmail.con`): mail to them bounces, and
 * the customer's invoices with it. (Not `.co` or `.cm`, which are Colombia's and Cameroon's.)
 */
const MISTYPED_COM: ReadonlySet<string> = new Set(['con', 'cmo', 'ocm', 'comm', 'coom', 'vom', 'xom', 'cpm', 'clm', 'cim', 'cok', 'coml', 'comn']);

/**
 * The mistyped `.com` an address ends in (`.con`), if any. Compared as text, not inside the
 * pattern: a lookbehind there cost a dry run about 800 instructions a row.
 */
export function mistypedEnding(email: string): string | undefined {
  const dot = email.lastIndexOf('.');
  const length = email.length - dot - 1;
  if (dot === -1 || length < 3 || length > 4) return undefined;
  const ending = email.slice(dot + 1);
  return MISTYPED_COM.has(ending.toLowerCase()) ? `.${ending}` : undefined;
}

/**
 * Misspellings of the mail providers a Mexican roster's families use, each with the name meant:
 * `ana@gmial.com` bounces, or reaches whoever registered the misspelling, with a minor's invoices.
 * A list, not a distance: `mail.com`, `email.com` and `ymail.com` are one letter from `gmail.com`
 * and real.
 */
const MISSPELLED_PROVIDERS: ReadonlyMap<string, string> = new Map([
  ...['gmial', 'gmal', 'gmai', 'gamil', 'gmil', 'gmaill', 'gmali', 'gnail', 'gmsil', 'gmeil', 'gmaio', 'gmaik', 'gmakl'].map((typo) => [typo, 'gmail'] as const),
  ...['hotmial', 'hotmal', 'hotmai', 'hotamil', 'hotmil', 'homail', 'hotnail', 'hormail', 'hotmali', 'htomail', 'htmail', 'hotmaill', 'hotmeil', 'hotmsil', 'jotmail', 'hptmail', 'hotmaul'].map((typo) => [typo, 'hotmail'] as const),
  ...['outlok', 'outllok', 'oulook', 'outook', 'otlook', 'outlool', 'outloo', 'outlokk', 'putlook'].map((typo) => [typo, 'outlook'] as const),
  ...['yaho', 'yahooo', 'yhaoo', 'yaoo', 'yhoo', 'yahho', 'yahoi'].map((typo) => [typo, 'yahoo'] as const),
  ...['iclod', 'icoud', 'icluod', 'iclould'].map((typo) => [typo, 'icloud'] as const),
]);

const SHORTEST_SLIP = Math.min(...[...MISSPELLED_PROVIDERS.keys()].map((slip) => slip.length));
const LONGEST_SLIP = Math.max(...[...MISSPELLED_PROVIDERS.keys()].map((slip) => slip.length));

/**
 * The provider's domain an address misspells (`gmail.com` for `ana@gmial.com`, `hotmail.com.mx`
 * for `ana@hotmial.com.mx`), if any: the first label of its domain, of two or three, compared.
 */
export function misspelledProvider(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const dot = email.indexOf('.', at + 1);
  // A label no slip's length is passed over without a copy of it: most addresses are.
  if (at === -1 || dot === -1 || dot - at - 1 < SHORTEST_SLIP || dot - at - 1 > LONGEST_SLIP) return undefined;
  const meant = MISSPELLED_PROVIDERS.get(email.slice(at + 1, dot).toLowerCase());
  if (meant === undefined) return undefined;
  const rest = email.slice(dot);
  return rest.split('.').length <= 3 ? `${meant}${rest.toLowerCase()}` : undefined;
}

/** An address the schema takes: `EMAIL_PATTERN`, and no slip (see `hasNoSlip`). */
export function isEmailAddress(text: string): boolean {
  return EMAIL_PATTERN.test(text) && hasNoSlip(text);
}

/** No mistyped `.com` at its end and no misspelled provider: the fast path and the schema ask the same. */
function hasNoSlip(email: string): boolean {
  return mistypedEnding(email) === undefined && misspelledProvider(email) === undefined;
}

/** A Quentli id (`cmab12cd3000x1a2b3c4d5e6f`, `cus_…`, a UUID): letters, digits, `_` and `-`, never a person's name. */
export const ASSIGNEE_ID = /^[A-Za-z0-9_-]+$/;

/** E.164: a plus, a country code and up to 15 digits in all (the API's phone format). */
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

/**
 * The one definition of what the importer sends to `POST /customers` as `input`: every
 * field of the API reference's `CustomerCreateInput`. Empty values are never sent: a field is either
 * absent or valid. The mapping's field names, the payload type and the row validation all derive from it.
 */
export const customerInputSchema = z.strictObject({
  name: z.string().trim().min(1),
  username: z.string().min(1).optional(),
  email: z.email({ pattern: EMAIL_PATTERN }).refine(hasNoSlip).optional(),
  phoneNumber: e164.optional(),
  secondaryPhoneNumber: e164.optional(),
  acceptedServiceAgreement: z.boolean().optional(),
  skipTaxInvoice: z.boolean().optional(),
  assigneeId: z.string().regex(ASSIGNEE_ID).optional(),
  optedOutWhatsappAt: z.iso.datetime().optional(),
  metadata: z.array(z.strictObject({ key: z.string().min(1), value: z.string() })).optional(),
  tags: z.array(z.string().min(1)).optional(),
});

/** A customer as the importer sends it. */
export type CustomerInput = z.infer<typeof customerInputSchema>;

/** A `{key, value}` metadata pair. */
export type MetadataPair = NonNullable<CustomerInput['metadata']>[number];

/** Fields a column can be mapped to directly (metadata is mapped per key, as `metadata.<key>`). */
export type CustomerField = Exclude<keyof CustomerInput, 'metadata'>;

/** Every field name a mapping may name, in the API reference's order. */
export const CUSTOMER_FIELDS = Object.keys(customerInputSchema.shape).filter(
  (key): key is CustomerField => key !== 'metadata',
);
