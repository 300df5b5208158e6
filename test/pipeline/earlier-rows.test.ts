import { describe, expect, it } from 'vitest';
import { EndOfRunWarnings } from '../../src/pipeline/end-of-run-warnings.js';
import { EarlierRunRows, fingerprintOf } from '../../src/pipeline/earlier-rows.js';
import { EARLIER_CUSTOMER_NOTE } from '../../src/pipeline/row-notes.js';
import type { SourceRow } from '../../src/read/source-row.js';
import type { Delivery } from '../../src/send/delivery.js';
import type { Sender, SendOutcome } from '../../src/send/sender.js';
import type { CustomerInput } from '../../src/validate/customer-schema.js';
import { contactKeyOf } from '../../src/validate/in-file-repeats.js';

const input = { name: 'Ana López', email: 'ana@example.com' } as CustomerInput;
const source = (row: number): SourceRow => ({ row, values: ['Ana López', 'ana@example.com'] });
const contact = fingerprintOf(contactKeyOf(input));

function rows() {
  const found: unknown[][] = [];
  const earlier = new EarlierRunRows({ phonesByLabel: false, warnings: new EndOfRunWarnings(), confirmFound: (...args) => found.push(args) });
  return { earlier, found };
}

describe('EarlierRunRows.entryOf', () => {
  it('leaves a row no earlier run knows to be delivered', () => {
    const { earlier } = rows();
    expect(earlier.entryOf(source(2), input, contact, true)).toBeUndefined();
    expect(earlier.contactOf(2)).toBe(contact); // journaled with its fingerprint when sent
    expect(earlier.entryOf(source(3), input, undefined, true)).toBeUndefined();
    expect(earlier.contactOf(3)).toBeUndefined();
  });

  it('reports a row the resumed run confirmed as it was, with its note', () => {
    const { earlier } = rows();
    earlier.previous.set(4, { status: 'created', customerId: 'cus_4', note: 'archived in Quentli since 2025-01-01' });
    expect(earlier.entryOf(source(4), input, undefined, true)).toMatchObject({ row: 4, status: 'created', customerId: 'cus_4', error: 'archived in Quentli since 2025-01-01' });
  });

  it('reports a row an earlier run created without a username `exists` on the journal’s word when Quentli cannot be asked, and journals it', () => {
    const { earlier, found } = rows();
    earlier.earlierContacts.set(contact, { customerId: 'cus_9', unknown: false });
    expect(earlier.entryOf(source(5), input, contact, false)).toMatchObject({ status: 'exists', customerId: 'cus_9', error: EARLIER_CUSTOMER_NOTE });
    expect(found).toEqual([[5, 'cus_9', contact, EARLIER_CUSTOMER_NOTE]]);
    // Asked of Quentli when it can be: delivered, not settled here.
    expect(earlier.entryOf(source(6), input, contact, true)).toBeUndefined();
  });

  it('fails a row an earlier run sent without learning its outcome, undated', () => {
    const { earlier, found } = rows();
    earlier.earlierContacts.set(contact, { unknown: true });
    expect(earlier.entryOf(source(7), input, contact, true)?.error).toMatch(/^outcome unknown: an earlier import under this report name sent a customer with this name, email and phone/);
    expect(found).toEqual([]);
  });
});

describe('EarlierRunRows.deliver', () => {
  const created: SendOutcome = { status: 'created', customerId: 'cus_new' };
  const delivery: Delivery = { deliver: async () => created };

  it('reports the customer an earlier run created `exists` while Quentli holds it, and creates it again when not', async () => {
    for (const [held, expected] of [
      [true, { status: 'exists', customerId: 'cus_9', error: EARLIER_CUSTOMER_NOTE }],
      [false, { status: 'created', customerId: 'cus_new', error: 'an earlier import under this report name created this customer (cus_9), which Quentli no longer holds: created again' }],
    ] as const) {
      const { earlier } = rows();
      earlier.earlierContacts.set(contact, { customerId: 'cus_9', unknown: false });
      expect(earlier.entryOf(source(5), input, contact, true)).toBeUndefined();
      const sender = { stillHeld: async () => held } as unknown as Sender;
      expect(await earlier.deliver(5, input, sender, delivery)).toEqual(expected);
      // Found, the customer is known by the row's fingerprint from now on; created again, it is journaled as created.
      expect(earlier.outcomeIn(5, held)).toBe(held ? contact : undefined);
      expect(earlier.contactOf(5)).toBeUndefined();
    }
  });
});
