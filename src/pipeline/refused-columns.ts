import type { CustomerField } from '../validate/customer-schema.js';

/** An API refusal of a row's payload, as `apiErrorMessage` begins it. */
const PAYLOAD_REFUSAL = /^HTTP (?:400|422)\b/;

/**
 * A row's API refusal (`HTTP 400: input.email must be an email`) with the input columns behind the
 * fields it names (` (column "Correo")`): the API speaks of its own field names, which the office
 * cannot find in its spreadsheet. A field is named as the API writes it (`phoneNumber`, alone or in a
 * path such as `input.phoneNumber`), case and all: `name` in "username" or "Name" does not count.
 * Any other message, or one naming no mapped field, is returned as it is. The patterns are built
 * once a run, from the mapping.
 */
export function refusedColumns(headerOf: Partial<Record<CustomerField, string>>): (message: string) => string {
  const columns: { pattern: RegExp; header: string }[] = [];
  for (const [field, header] of Object.entries(headerOf)) {
    if (header !== undefined) columns.push({ pattern: new RegExp(`(?<![A-Za-z0-9_])${field}(?![A-Za-z0-9_])`), header });
  }
  return (message) => {
    if (!PAYLOAD_REFUSAL.test(message)) return message;
    const headers: string[] = [];
    for (const { pattern, header } of columns) {
      if (!headers.includes(header) && pattern.test(message)) headers.push(header);
    }
    if (headers.length === 0) return message;
    return `${message} (${headers.length === 1 ? 'column' : 'columns'} ${headers.map((header) => JSON.stringify(header)).join(', ')})`;
  };
}
