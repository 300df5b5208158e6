import { describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/send/delivery.js';
import { simulatedSender } from './simulated-sender.js';

// Create mode's delivery against the simulator over real HTTP: what an `exists` row says.

async function deliveryTo(customers: { name: string; username: string }[]) {
  const { sim, sender } = await simulatedSender({ seed: 7, customers });
  return { sim, delivery: createDelivery(sender, () => {}, () => {}, () => false) };
}

describe('createDelivery', () => {
  it('notes an existing username held by a customer with another name: likely someone else', async () => {
    const { sim, delivery } = await deliveryTo([{ name: 'Otro Niño Distinto', username: 'mgomez' }]);
    const outcome = await delivery.deliver({ name: 'Mateo Gómez', username: 'mgomez' }, 2, undefined);
    expect(outcome).toMatchObject({
      status: 'exists',
      customerId: sim.store.byUsername('mgomez')!.id,
      error: 'the username belongs to "Otro Niño Distinto" in Quentli, not "Mateo Gómez": check that this row is that customer',
    });
  });

  it('says nothing when the names differ only in case, accents or spacing', async () => {
    const { delivery } = await deliveryTo([{ name: 'MATEO  GOMEZ', username: 'mgomez' }]);
    const outcome = await delivery.deliver({ name: 'Mateo Gómez', username: 'mgomez' }, 2, undefined);
    expect(outcome.status).toBe('exists');
    expect(outcome.error).toBeUndefined();
  });
});
