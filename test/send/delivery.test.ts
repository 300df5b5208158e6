import { afterEach, describe, expect, it } from 'vitest';
import { QuentliClient } from '../../src/send/api-client.js';
import { createDelivery } from '../../src/send/delivery.js';
import { DEFAULT_RETRY_POLICY, Sender } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

// Create mode's delivery against the simulator over real HTTP: what an `exists` row says.

let sim: RunningSimulator | undefined;
let client: QuentliClient | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
  sim = client = undefined;
});

async function deliveryTo(customers: { name: string; username: string }[]) {
  sim = await startSimulator({ seed: 7, customers });
  client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 5_000, connections: 2 });
  const sender = new Sender(client, new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
  return createDelivery(sender, () => {});
}

describe('createDelivery', () => {
  it('notes an existing username held by a customer with another name: likely someone else', async () => {
    const delivery = await deliveryTo([{ name: 'Otro Niño Distinto', username: 'mgomez' }]);
    const outcome = await delivery.deliver({ name: 'Mateo Gómez', username: 'mgomez' }, 2, undefined);
    expect(outcome).toMatchObject({
      status: 'exists',
      customerId: sim!.store.byUsername('mgomez')!.id,
      error: 'the username belongs to "Otro Niño Distinto" in Quentli, not "Mateo Gómez": check that this row is that customer',
    });
  });

  it('says nothing when the names differ only in case, accents or spacing', async () => {
    const delivery = await deliveryTo([{ name: 'MATEO  GOMEZ', username: 'mgomez' }]);
    const outcome = await delivery.deliver({ name: 'Mateo Gómez', username: 'mgomez' }, 2, undefined);
    expect(outcome.status).toBe('exists');
    expect(outcome.error).toBeUndefined();
  });
});
