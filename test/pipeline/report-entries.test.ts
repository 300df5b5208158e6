import { describe, expect, it } from 'vitest';
import { EndOfRunWarnings } from '../../src/pipeline/end-of-run-warnings.js';
import { baseEntry, OutcomeEntries, refusedEntry } from '../../src/pipeline/report-entries.js';
import type { SourceRow } from '../../src/read/source-row.js';
import type { CustomerInput } from '../../src/validate/customer-schema.js';

const source: SourceRow = { row: 7, values: ['Ana López', 'alopez', 'ana@example.com'] };
const input = { name: 'Ana López', username: 'alopez', email: 'ana@example.com' } as CustomerInput;

describe('report entries', () => {
  it('gives every entry every field, in one order', () => {
    expect(Object.keys(baseEntry(source, input))).toEqual(['row', 'status', 'customerId', 'username', 'name', 'error', 'issues', 'values']);
  });

  it('writes a refused row’s issues into its error column, and its cells as a spreadsheet showed them', () => {
    const shown: SourceRow = { ...source, cellIssues: [{ column: 2, code: 'cell_error', message: 'holds an error', value: '#VALUE!', shown: '#¡VALOR!' }] };
    const entry = refusedEntry(shown, input, 'invalid', [{ row: 7, column: 'Correo', code: 'invalid_email', value: 'ana@', rule: 'is not a valid email' }]);
    expect(entry.error).toBe('row 7, "Correo": "ana@" is not a valid email');
    expect(entry.values).toEqual(['Ana López', 'alopez', '#¡VALOR!']);
    expect(source.values[2]).toBe('ana@example.com');
  });
});

describe('OutcomeEntries', () => {
  it('reports a row stopped before its request left as not_attempted, with no note', () => {
    const entries = new OutcomeEntries('create', 'MX', new EndOfRunWarnings());
    expect(entries.entryOf(source, input, 'not_attempted')).toMatchObject({ status: 'not_attempted', customerId: undefined, error: undefined });
  });

  it('notes an archived customer and counts the row for the warning at the end', () => {
    const warnings = new EndOfRunWarnings();
    const entry = new OutcomeEntries('create', 'MX', warnings).entryOf(source, input, { status: 'exists', customerId: 'cus_1', archivedAt: '2025-03-01T12:00:00Z' });
    expect(entry).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    expect(entry.error).toBe('archived in Quentli since 2025-03-01: the import does not unarchive customers (unarchive it in Quentli if it should be billed again)');
    expect(warnings.archived.count).toBe(1);
  });

  it('notes, in create mode, a customer of the row’s name that Quentli holds with another email', () => {
    const warnings = new EndOfRunWarnings();
    const customer = { id: 'cus_1', name: 'ANA LOPEZ', username: 'alopez', email: 'old@example.com' };
    const entry = new OutcomeEntries('create', 'MX', warnings).entryOf(source, input, { status: 'exists', customerId: 'cus_1', customer });
    expect(entry.error).toBe('Quentli holds another email for this username (create mode changes no customer, --mode upsert updates it)');
    expect(warnings.differing.count).toBe(1);
    // Upsert mode updates it instead: no note.
    expect(new OutcomeEntries('upsert', 'MX', new EndOfRunWarnings()).entryOf(source, input, { status: 'exists', customerId: 'cus_1', customer }).error).toBeUndefined();
  });

  it('keeps a failure’s reason, and counts nothing for it', () => {
    const warnings = new EndOfRunWarnings();
    const entry = new OutcomeEntries('create', 'MX', warnings).entryOf(source, input, { status: 'failed', error: 'POST /customers: 500', archivedAt: '2025-03-01' });
    expect(entry).toMatchObject({ status: 'failed', error: 'POST /customers: 500' });
    expect(warnings.archived.count).toBe(0);
  });
});
