import type { CustomerField } from '../validate/customer-schema.js';

/** An API refusal of a row's payload, as `apiErrorMessage` begins it. */
const PAYLOAD_REFUSAL = /^HTTP (?:400|422)\b/;

/**
 * A row's API refusal (`HTTP 400: input.email must be an email`) with the input columns behind the
 * fields it names (` (column "Correo")`): the API speaks of its own field names, which the office
 * cannot find in its spreadsheet. A field is named as the API writes it (`phoneNumber`, alone or in a
 * path such as `input.phoneNumber`), case and all: `name` in "username" or "Name" does not count.
 * Any other message, or one naming no mapped field, is returned as it is. A name joined from several
 * columns (`nameHeaders`: `Nombre(s)`, `Apellido paterno`, `Apellido materno`) names them all: the
 * part at fault may be any. The patterns are built once a run, from the mapping.
 */
export function refusedColumns(headerOf: Partial<Record<CustomerField, string>>, nameHeaders: readonly string[] = []): (message: string) => string {
  // Columns without a header of their own (under a label merged over them, `Nombre del alumno`)
  // are the label's: named, they read `""`, which no one finds in the sheet.
  const joinedHeaders = nameHeaders.filter((header) => header.trim() !== '');
  const columns: { pattern: RegExp; headers: readonly string[] }[] = [];
  for (const [field, header] of Object.entries(headerOf)) {
    if (header === undefined) continue;
    columns.push({ pattern: new RegExp(`(?<![A-Za-z0-9_])${field}(?![A-Za-z0-9_])`), headers: field === 'name' && joinedHeaders.length > 1 ? joinedHeaders : [header] });
  }
  return (message) => {
    if (!PAYLOAD_REFUSAL.test(message)) return message;
    const named: string[] = [];
    for (const { pattern, headers } of columns) {
      if (!pattern.test(message)) continue;
      for (const header of headers) if (!named.includes(header)) named.push(header);
    }
    if (named.length === 0) return message;
    return `${message} (${named.length === 1 ? 'column' : 'columns'} ${named.map((header) => JSON.stringify(header)).join(', ')})`;
  };
}
