import { describe, expect, it } from 'vitest';
import { contactFieldsDiffering, diffCustomer, knownCustomerFromInput, knownCustomerOf, mergeMetadata, normalizeEmail } from '../../src/send/customer-diff.js';
import type { Customer } from '../../src/send/customer.js';
import type { CustomerInput } from '../../src/validate/customer-schema.js';
import { inTimeZone } from '../time-zone.js';

/** A customer as the API answers it (the simulator's shape: every field, nulls for unset ones, no tags). */
function answer(fields: Partial<Customer> = {}): Customer {
  return {
    id: 'cus_00000000000000000001',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    name: 'Ana López',
    username: 'ana',
    organizationId: 'org_x',
    acceptedServiceAgreement: false,
    skipTaxInvoice: false,
    emailVerified: false,
    email: 'ana@example.com',
    phoneNumber: '+525512345678',
    secondaryPhoneNumber: null,
    optedOutWhatsappAt: null,
    metadata: [{ key: 'matricula', value: 'A-1' }],
    meta: { matricula: 'A-1' },
    ...fields,
  };
}

const row = (fields: Partial<CustomerInput> = {}): CustomerInput => ({ name: 'Ana López', username: 'ana', ...fields });

function diff(input: CustomerInput, customer: Customer = answer()) {
  return diffCustomer(input, knownCustomerOf(customer, 'MX'));
}

describe('diffCustomer', () => {
  it('finds nothing when every field in the row equals the customer', () => {
    expect(diff(row({ email: 'ana@example.com', phoneNumber: '+525512345678', metadata: [{ key: 'matricula', value: 'A-1' }] }))).toBeUndefined();
  });

  it('leaves alone what the row does not carry (absent means "not in the file", never "clear it")', () => {
    expect(diff(row())).toBeUndefined();
    expect(diff(row(), answer({ secondaryPhoneNumber: '+525598765432', optedOutWhatsappAt: '2025-01-15T10:30:00.000Z', skipTaxInvoice: true }))).toBeUndefined();
  });

  it('sends only the fields that differ, with the row values', () => {
    const changes = diff(row({ email: 'ana.lopez@example.com', phoneNumber: '+525512345678', skipTaxInvoice: true }));
    expect(changes?.data).toEqual({ email: 'ana.lopez@example.com', skipTaxInvoice: true });
    expect(changes?.fields).toEqual(['email', 'skipTaxInvoice']);
  });

  it('sees a changed name, and ignores white space the row normalizes away', () => {
    expect(diff(row({ name: 'Ana María López' }))?.data).toEqual({ name: 'Ana María López' });
    expect(diff(row(), answer({ name: '  Ana   López ' }))).toBeUndefined();
  });

  it('reads a name Quentli holds with its accents decomposed (typed on a Mac) as the file\'s composed one', () => {
    expect(diff(row(), answer({ name: 'Ana Lo\u0301pez' }))).toBeUndefined();
  });

  it('compares phones in E.164, reading what the API holds in other forms', () => {
    expect(diff(row({ phoneNumber: '+525512345678' }), answer({ phoneNumber: '55 1234 5678' }))).toBeUndefined();
    expect(diff(row({ phoneNumber: '+525512345678' }), answer({ phoneNumber: '+52 1 55 1234 5678' }))).toBeUndefined();
    expect(diff(row({ phoneNumber: '+525512345679' }))?.data).toEqual({ phoneNumber: '+525512345679' });
    expect(diff(row({ secondaryPhoneNumber: '+525598765432' }))?.data).toEqual({ secondaryPhoneNumber: '+525598765432' });
  });

  it('compares date-times as instants', () => {
    const customer = answer({ optedOutWhatsappAt: '2025-01-15T04:30:00-06:00' });
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), customer)).toBeUndefined();
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:31:00.000Z' }), customer)?.data).toEqual({ optedOutWhatsappAt: '2025-01-15T10:31:00.000Z' });
    // An API that keeps whole seconds holds the file's milliseconds as their second: the same instant to it.
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.250Z' }), answer({ optedOutWhatsappAt: '2025-01-15T10:30:00Z' }))).toBeUndefined();
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:01.250Z' }), answer({ optedOutWhatsappAt: '2025-01-15T10:30:00Z' }))?.fields).toEqual(['optedOutWhatsappAt']);
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), answer({ optedOutWhatsappAt: '2025-01-15T10:30:00.250Z' }))?.fields).toEqual(['optedOutWhatsappAt']);
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }))?.fields).toEqual(['optedOutWhatsappAt']);
  });

  it('reads a date-time the API writes without a zone as UTC, whatever the machine\'s zone', () => {
    inTimeZone('Asia/Tokyo');
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), answer({ optedOutWhatsappAt: '2025-01-15T10:30:00' }))).toBeUndefined();
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), answer({ optedOutWhatsappAt: '2025-01-15 10:30:00.000' }))).toBeUndefined();
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), answer({ optedOutWhatsappAt: '2025-01-15t10:30:00' }))).toBeUndefined();
    expect(diff(row({ optedOutWhatsappAt: '2025-01-15T10:30:00.000Z' }), answer({ optedOutWhatsappAt: '2025-01-15T01:30:00' }))?.fields).toEqual(['optedOutWhatsappAt']);
  });

  it('compares booleans, reading a null from the API as the default false', () => {
    expect(diff(row({ acceptedServiceAgreement: false }), answer({ acceptedServiceAgreement: null }))).toBeUndefined();
    expect(diff(row({ acceptedServiceAgreement: true }), answer({ acceptedServiceAgreement: null }))?.data).toEqual({ acceptedServiceAgreement: true });
    expect(diff(row({ skipTaxInvoice: false }), answer({ skipTaxInvoice: true }))?.data).toEqual({ skipTaxInvoice: false });
  });

  it('compares emails in any case: an API that stores them in lower case is not patched every run', () => {
    expect(diff(row({ email: 'ana@example.com' }), answer({ email: 'ana@EXAMPLE.com ' }))).toBeUndefined();
    expect(diff(row({ email: 'Ana.Uno@Gmail.com' }), answer({ email: 'ana.uno@gmail.com' }))).toBeUndefined();
    expect(diff(row({ email: 'ana.dos@gmail.com' }), answer({ email: 'ana.uno@gmail.com' }))?.data).toEqual({ email: 'ana.dos@gmail.com' });
    expect(normalizeEmail(' Pedro@Gmail.COM ')).toBe('pedro@gmail.com');
  });

  it('merges metadata: file keys overwrite, keys only in Quentli stay, the PATCH carries the whole list', () => {
    const customer = answer({ metadata: [{ key: 'matricula', value: 'A-1' }, { key: 'nota', value: 'added by hand' }] });
    expect(diff(row({ metadata: [{ key: 'matricula', value: 'A-1' }] }), customer)).toBeUndefined();
    const changes = diff(row({ metadata: [{ key: 'matricula', value: 'A-2' }, { key: 'grupo', value: '3B' }] }), customer);
    expect(changes?.data).toEqual({
      metadata: [
        { key: 'matricula', value: 'A-2' },
        { key: 'nota', value: 'added by hand' },
        { key: 'grupo', value: '3B' },
      ],
    });
    expect(changes?.fields).toEqual(['metadata.matricula', 'metadata.grupo']);
  });

  it('reads the pairs of `meta` that the answer\'s metadata list leaves out (an empty list beside a filled meta), and keeps them', () => {
    const customer = answer({ metadata: [], meta: { Notas: 'alérgica a la penicilina', Grupo: '3A' } });
    expect(diff(row({ metadata: [{ key: 'Grupo', value: '3A' }] }), customer)).toBeUndefined();
    expect(diff(row({ metadata: [{ key: 'Matrícula SEP', value: 'A-9' }] }), customer)?.data).toEqual({
      metadata: [
        { key: 'Notas', value: 'alérgica a la penicilina' },
        { key: 'Grupo', value: '3A' },
        { key: 'Matrícula SEP', value: 'A-9' },
      ],
    });
    // Where both hold a key, the list's value is the one compared.
    expect(diff(row({ metadata: [{ key: 'matricula', value: 'A-1' }] }), answer({ meta: { matricula: 'A-0' } }))).toBeUndefined();
  });

  it('never compares nor sends tags or assigneeId (the API does not return them)', () => {
    expect(diff(row({ tags: ['VIP'], assigneeId: 'cmab12cd3000x1a2b3c4d5e6f' }))).toBeUndefined();
    expect(diff(row({ tags: ['VIP'], email: 'new@example.com' }))?.data).toEqual({ email: 'new@example.com' });
  });

  it('gives the customer as it will be after the PATCH, so a second compare finds nothing', () => {
    const input = row({ email: 'b@example.com', phoneNumber: '+525511112222', metadata: [{ key: 'grupo', value: '1A' }], acceptedServiceAgreement: true });
    const changes = diff(input);
    expect(changes).toBeDefined();
    expect(diffCustomer(input, changes!.next)).toBeUndefined();
  });

  it('knows a customer just created from its input', () => {
    const input = row({ email: 'ana@example.com', optedOutWhatsappAt: '2025-01-15T10:30:00.000Z', metadata: [{ key: 'k', value: 'v' }] });
    expect(diffCustomer(input, knownCustomerFromInput('cus_1', input))).toBeUndefined();
  });
});

describe('contactFieldsDiffering', () => {
  it('names the email and phones the row holds otherwise, compared as upsert compares them', () => {
    expect(contactFieldsDiffering(row({ email: 'ANA@example.com', phoneNumber: '+525512345678' }), answer({ phoneNumber: '55 1234 5678' }), 'MX')).toEqual([]);
    expect(contactFieldsDiffering(row({ email: 'ana.nueva@example.com', phoneNumber: '+525599990000' }), answer(), 'MX')).toEqual(['email', 'phoneNumber']);
    expect(contactFieldsDiffering(row({ secondaryPhoneNumber: '+525511112222' }), answer(), 'MX')).toEqual(['secondaryPhoneNumber']);
  });

  it('leaves out a field the answer does not carry at all (a look-up that loads fewer fields), not one it answers null', () => {
    const { email: _email, phoneNumber: _phone, ...withoutContacts } = answer();
    expect(contactFieldsDiffering(row({ email: 'ana@example.com', phoneNumber: '+525512345678' }), withoutContacts, 'MX')).toEqual([]);
    expect(contactFieldsDiffering(row({ email: 'ana@example.com', secondaryPhoneNumber: '+525511112222' }), withoutContacts, 'MX')).toEqual(['secondaryPhoneNumber']);
  });

  it('leaves out what the row does not carry, and what is not contact data', () => {
    expect(contactFieldsDiffering(row(), answer(), 'MX')).toEqual([]);
    expect(contactFieldsDiffering(row({ name: 'Ana Sofía López', metadata: [{ key: 'matricula', value: 'A-2' }] }), answer(), 'MX')).toEqual([]);
  });
});

describe('mergeMetadata', () => {
  it('keeps Quentli order, overwrites in place once, appends new keys', () => {
    const merged = mergeMetadata(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: 'stale' },
      ],
      [
        { key: 'a', value: '9' },
        { key: 'c', value: '3' },
      ],
    );
    expect(merged.pairs).toEqual([
      { key: 'a', value: '9' },
      { key: 'b', value: '2' },
      { key: 'c', value: '3' },
    ]);
    expect(merged.changedKeys).toEqual(['a', 'c']);
  });

  it('reports no change when Quentli already holds every file value', () => {
    expect(mergeMetadata([{ key: 'a', value: '1' }, { key: 'b', value: '2' }], [{ key: 'b', value: '2' }]).changedKeys).toEqual([]);
  });

  it('takes a value an API stored as a number or boolean for the text it was sent ("001" answered as 1): no change', () => {
    const coerced = answer({ metadata: [{ key: 'matricula', value: 1 as unknown as string }, { key: 'beca', value: 1.5 as unknown as string }, { key: 'activo', value: true as unknown as string }], meta: { matricula: 1, beca: 1.5, activo: true } });
    const same = [{ key: 'matricula', value: '001' }, { key: 'beca', value: '1.50' }, { key: 'activo', value: 'TRUE' }];
    expect(diff(row({ metadata: same }), coerced)).toBeUndefined();
    // Read from `meta` alone, the same.
    expect(diff(row({ metadata: same }), answer({ metadata: undefined, meta: { matricula: 1, beca: 1.5, activo: true } }))).toBeUndefined();
  });

  it('takes a value an API stored with its spaces collapsed for the one sent: no change', () => {
    const collapsed = answer({ metadata: [{ key: 'grupo', value: '3°B turno A' }], meta: { grupo: '3°B turno A' } });
    expect(diff(row({ metadata: [{ key: 'grupo', value: '3°B  turno A' }] }), collapsed)).toBeUndefined();
    expect(diff(row({ metadata: [{ key: 'grupo', value: '3°B turno B' }] }), collapsed)?.fields).toEqual(['metadata.grupo']);
  });

  it('still sends a value the file changed, and a value held as text that is not the file\'s', () => {
    const coerced = answer({ metadata: [{ key: 'matricula', value: 1 as unknown as string }, { key: 'activo', value: true as unknown as string }] });
    expect(diff(row({ metadata: [{ key: 'matricula', value: '002' }, { key: 'activo', value: 'no' }] }), coerced)?.fields).toEqual(['metadata.matricula', 'metadata.activo']);
    expect(diff(row({ metadata: [{ key: 'matricula', value: '001' }] }), answer({ metadata: [{ key: 'matricula', value: '1' }], meta: { matricula: '1' } }))?.data).toEqual({
      metadata: [{ key: 'matricula', value: '001' }],
    });
  });

  it('takes a file key Quentli holds only in another case (an API that stores keys in lower case) for that key', () => {
    const held = [{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '3A' }];
    expect(mergeMetadata(held, [{ key: 'Grupo', value: '3A' }]).changedKeys).toEqual([]);
    // A changed value overwrites it in place, as Quentli spells the key: not a second `Grupo` beside it.
    expect(mergeMetadata(held, [{ key: 'Grupo', value: '4A' }])).toEqual({ pairs: [{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '4A' }], changedKeys: ['Grupo'] });
  });

  it('keeps keys apart where case cannot tell which is which: two file columns, or two keys in Quentli', () => {
    expect(mergeMetadata([{ key: 'grupo', value: '3A' }], [{ key: 'grupo', value: '3A' }, { key: 'Grupo', value: 'B' }])).toEqual({
      pairs: [{ key: 'grupo', value: '3A' }, { key: 'Grupo', value: 'B' }],
      changedKeys: ['Grupo'],
    });
    expect(mergeMetadata([{ key: 'grupo', value: '3A' }, { key: 'GRUPO', value: '3A' }], [{ key: 'Grupo', value: '3A' }]).changedKeys).toEqual(['Grupo']);
  });

  it('reads keys and values Quentli answers decomposed (é as e + ◌́) as the composed text the file holds', () => {
    const decomposed = answer({ metadata: [{ key: 'Año escolar'.normalize('NFD'), value: 'Café'.normalize('NFD') }], meta: { ['Año escolar'.normalize('NFD')]: 'Café'.normalize('NFD') } });
    expect(diff(row({ metadata: [{ key: 'Año escolar', value: 'Café' }] }), decomposed)).toBeUndefined();
    expect(diff(row({ metadata: [{ key: 'Año escolar', value: 'Té' }] }), decomposed)?.data).toEqual({ metadata: [{ key: 'Año escolar', value: 'Té' }] });
  });

  it('reads metadata from the `meta` object when an answer carries no `metadata` list, so staff keys survive', () => {
    const known = knownCustomerOf({ id: 'cus_1', name: 'Ana', meta: { Nota: 'beca', Grado: '1° A' } }, 'MX');
    expect(known.metadata).toEqual([
      { key: 'Nota', value: 'beca' },
      { key: 'Grado', value: '1° A' },
    ]);
  });
});
