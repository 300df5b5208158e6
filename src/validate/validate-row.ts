import type { CustomerDraft, MappedRow } from '../map/map-row.js';
import type { ResolvedMapping } from '../map/resolve-mapping.js';
import { customerInputSchema, isEmailAddress, misspelledProvider, mistypedEnding, type CustomerField, type CustomerInput } from './customer-schema.js';
import { codePoint, INVALID_EMAIL_RULE, lineHoldsOnly, type IssueCode, type RowIssue } from './row-issue.js';

/** A row checked against the payload schema: either a payload to send or every problem it has. */
export type ValidatedRow =
  | { row: number; ok: true; input: CustomerInput }
  | { row: number; ok: false; issues: RowIssue[]; draft: CustomerDraft };

const RULES: Partial<Record<CustomerField, { code: IssueCode; rule: string }>> = {
  email: { code: 'invalid_email', rule: INVALID_EMAIL_RULE },
  phoneNumber: { code: 'invalid_phone', rule: 'is not a phone number in E.164' },
  secondaryPhoneNumber: { code: 'invalid_phone', rule: 'is not a phone number in E.164' },
  optedOutWhatsappAt: { code: 'invalid_date', rule: 'is not a valid date' },
};

/** `ana.lopez@gmail`: an address whose domain stops before its ending, typed in a hurry. */
const DOMAIN_WITHOUT_ENDING = /^[^@\s]+@[a-z\d-]+$/i;

/** What is wrong with an address, where a slip of typing says it: `ana @gmail.com`, `ana@gmail..com`, `ana@gmail.com.`. */
function emailSlip(email: string): string | undefined {
  const at = email.indexOf('@');
  if (at === -1) {
    // `ana＠gmail.com`: the at sign of a Japanese or Chinese font, pasted from a chat or a PDF; it looks like an @.
    const wide = /[\uFF20\uFE6B]/.exec(email);
    return wide ? `it has ${JSON.stringify(wide[0])} (${codePoint(wide[0])}, a wide at sign) where an @ should be: type the @ again` : 'it has no @';
  }
  if (email.indexOf('@', at + 1) !== -1) return 'it has more than one @';
  if (/\s/.test(email)) return 'it has a space inside';
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  // `pedro@` keeps the plain message: issue 2 gives it, word for word, as the example.
  if (domain === '') return undefined;
  if (local === '') return 'nothing comes before the @';
  if (DOMAIN_WITHOUT_ENDING.test(email)) return 'the domain after the @ has no ending (such as .com or .mx)';
  if (domain.includes(',')) return 'it has a comma after the @ (a dot meant?)';
  if (local.includes(',')) return 'it has a comma before the @ (a dot meant?)';
  if (email.includes('..')) return 'it has two dots in a row';
  if (domain.endsWith('.')) return 'it ends with a dot';
  if (local.startsWith('.') || local.endsWith('.')) return `it has a dot ${local.startsWith('.') ? 'at its start' : 'right before the @'}`;
  const ending = mistypedEnding(domain);
  if (ending) return `no domain ends in ${ending} (.com meant?)`;
  // Before the ending is judged: `ana@gmail.com)` was told ".com) is no domain's ending (such as .com …)";
  // and before the provider: `ana@gmial.com)` was told "gmial.com) looks like gmail.com) mistyped".
  const odd = /[^A-Za-z0-9_'+.-]/.exec(local) ?? /[^A-Za-z0-9.-]/.exec(domain);
  if (odd) return `it has ${JSON.stringify(odd[0])}, which ${odd.input === local ? 'the part before the @' : 'a domain'} cannot hold`;
  const provider = misspelledProvider(email);
  if (provider) return `${domain} looks like ${provider} mistyped: check how the customer writes it`;
  const lastLabel = domain.slice(domain.lastIndexOf('.') + 1);
  if (!/^[a-z]{2,}$/i.test(lastLabel)) return `its ending .${lastLabel} is no domain's ending (such as .com or .mx)`;
  if (domain.split('.').some((label) => label.startsWith('-'))) return 'a part of its domain starts with a hyphen';
  return undefined;
}

/**
 * Builds the validator for one mapping: runs the zod payload schema over a mapped row and turns
 * each zod issue into a RowIssue that names the column as written in the file.
 *
 * The map stage's normalizers already produce every field in the schema's form (E.164 phones,
 * booleans, ISO date-times, trimmed non-empty texts, metadata pairs of strings), so a clean row
 * needs only what they cannot know: a name present and the email's pattern. Such a row skips the
 * full parse (zod costs about 6 µs a row, most of the dry run's time); any other row takes it, so
 * every problem is still reported by the schema. A test holds the shortcut to the schema's verdict.
 */
export function createRowValidator(mapping: ResolvedMapping): (mapped: MappedRow) => ValidatedRow {
  const metadataHeaders = new Map<string, string>();
  for (const column of mapping.columns) {
    if (column.target.kind === 'metadata') metadataHeaders.set(column.target.key, column.header);
  }
  // A contact list's value cell kept whole where one of its values fills no field (`Phone 1 - Value`).
  for (const group of mapping.labelled ?? []) {
    for (const pair of group.pairs) if (pair.leftoverKey !== undefined) metadataHeaders.set(pair.leftoverKey, mapping.columns[pair.value]!.header);
  }

  // A display name left empty is made of these (Thunderbird's `First Name`, `Last Name`): empty too, said so.
  const fallback = mapping.nameFallback?.map((index) => JSON.stringify(mapping.columns[index]!.header));
  const emptyToo = fallback ? `, and so ${fallback.length === 1 ? 'is' : 'are'} ${fallback.slice(0, -1).join(', ')}${fallback.length > 1 ? ' and ' : ''}${fallback.at(-1)}` : '';

  return (mapped) => {
    const { draft } = mapped;
    if (mapped.issues.length === 0 && draft.name !== undefined && (draft.email === undefined || isEmailAddress(draft.email))) {
      return { row: mapped.row, ok: true, input: draft as CustomerInput };
    }
    const parsed = customerInputSchema.safeParse(mapped.draft);
    if (parsed.success && mapped.issues.length === 0) return { row: mapped.row, ok: true, input: parsed.data };
    const issues = mapped.issues.slice();
    if (!parsed.success) {
      const columnsWithIssues = new Set(issues.map((issue) => issue.column));
      for (const zodIssue of parsed.error.issues) {
        const field = zodIssue.path[0] as keyof CustomerInput;
        let column: string | undefined;
        let value: unknown;
        if (field === 'metadata') {
          const pair = mapped.draft.metadata?.[zodIssue.path[1] as number];
          column = pair ? metadataHeaders.get(pair.key) : undefined;
          value = pair?.value;
        } else {
          column = mapping.headerOf[field];
          value = mapped.draft[field];
        }
        if (column !== undefined && columnsWithIssues.has(column)) continue;
        const issue: RowIssue =
          field === 'name' && (value === undefined || value === '')
            ? { row: mapped.row, code: 'required', rule: `is empty${emptyToo}: every customer needs a name${aloneOnTheLine(mapped.draft, metadataHeaders)}` }
            : { row: mapped.row, ...(RULES[field as CustomerField] ?? { code: 'invalid_value', rule: zodIssue.message }) };
        const slip = field === 'email' && typeof value === 'string' ? emailSlip(value) : undefined;
        if (slip) issue.rule = `${INVALID_EMAIL_RULE}: ${slip}`;
        if (column !== undefined) issue.column = column;
        if (typeof value === 'string' && value !== '') issue.value = value;
        issues.push(issue);
        // zod runs every check of a field: an address that fails the pattern and a refinement too
        // (`ana lopez@gmail.con`, `ana@gmial.com)`) was the same message twice, and counted twice.
        if (column !== undefined) columnsWithIssues.add(column);
      }
    }
    return { row: mapped.row, ok: false, issues, draft: mapped.draft };
  };
}

/**
 * What a line without a name holds when it is one cell of metadata (a group's heading merged
 * across the row, its text under `No.`): said, so the line can be found and deleted.
 */
function aloneOnTheLine(draft: CustomerDraft, metadataHeaders: Map<string, string>): string {
  const pairs = draft.metadata;
  if (pairs?.length !== 1 || Object.keys(draft).length !== 1) return '';
  const [pair] = pairs;
  return lineHoldsOnly(pair!.value, metadataHeaders.get(pair!.key) ?? pair!.key);
}
