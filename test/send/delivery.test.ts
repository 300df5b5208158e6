import { describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/send/delivery.js';
import { doubleSender, simulatedSender } from './simulated-sender.js';

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

describe('createDelivery, a username Quentli holds with its accents decomposed (as a Mac types it)', () => {
  const nfc = 'josé.pérez'.normalize('NFC');
  const nfd = 'josé.pérez'.normalize('NFD');
  const note = `matched ${JSON.stringify(nfd)} in Quentli (Quentli writes its accents decomposed, é as e + ◌́, as a Mac does): check that this row is that customer`;

  it('is that customer (`exists`, with a note), not created a second time', async () => {
    const { sim, sender } = await simulatedSender({ seed: 7, customers: [{ name: 'José Pérez', username: nfd }] });
    const delivery = createDelivery(sender, () => {}, () => {}, () => false);
    const outcome = await delivery.deliver({ name: 'José Pérez', username: nfc }, 2, undefined);
    expect(outcome).toMatchObject({ status: 'exists', customerId: sim.store.byUsername(nfd)!.id, error: note });
    expect(sim.stats.writes).toBe(0);
    expect(sim.store.size).toBe(1);
  });

  it('is found in the listing of every customer when the API ignores the filter', async () => {
    const { sim, sender } = await simulatedSender({ seed: 7, ignoreFilter: true, customers: [{ name: 'Otro', username: 'otro' }, { name: 'José Pérez', username: nfd }] });
    const delivery = createDelivery(sender, () => {}, () => {}, () => false);
    expect(await delivery.deliver({ name: 'José Pérez', username: nfc }, 2, undefined)).toMatchObject({ status: 'exists', customerId: sim.store.byUsername(nfd)!.id, error: note });
    expect(sim.store.size).toBe(2);
  });

  it('still notes another name, and fails the row rather than create it when the look-up cannot be answered', async () => {
    const { sim, sender } = await simulatedSender({ seed: 7, customers: [{ name: 'Otro Niño', username: nfd }] }, { maxAttempts: 2 });
    const delivery = createDelivery(sender, () => {}, () => {}, () => false);
    expect((await delivery.deliver({ name: 'José Pérez', username: nfc }, 2, undefined)).error).toBe(
      `${note}; the username belongs to "Otro Niño" in Quentli, not "José Pérez": check that this row is that customer`,
    );
    sim.setFaults({ errorRate: 1 });
    const attempts: number[] = [];
    const failing = createDelivery(sender, (row) => attempts.push(row), () => {}, () => false);
    expect(await failing.deliver({ name: 'Ana Núñez', username: 'ana.núñez' }, 3, undefined)).toMatchObject({ status: 'failed', error: expect.stringContaining('GET /customers gave up after retries') });
    expect(attempts).toEqual([]);
    sim.setFaults({ errorRate: 0 });
    expect(sim.store.size).toBe(1);
  });

  it('asks nothing first for a username without accents, nor for one Quentli holds composed', async () => {
    const { sim, sender } = await simulatedSender({ seed: 7, customers: [{ name: 'José Pérez', username: nfc }] });
    const delivery = createDelivery(sender, () => {}, () => {}, () => false);
    expect(await delivery.deliver({ name: 'Ana Uno', username: 'ana.uno' }, 2, undefined)).toMatchObject({ status: 'created' });
    expect(sim.stats.byRoute['GET /customers'] ?? 0).toBe(0);
    expect(await delivery.deliver({ name: 'José Pérez', username: nfc }, 3, undefined)).toEqual({ status: 'exists', customerId: sim.store.byUsername(nfc)!.id, customer: expect.anything() });
    expect(sim.store.size).toBe(2);
  });
});

describe('createDelivery, against an API whose username filter composes accents', () => {
  it('does not take the composed customer answered for the decomposed spelling as a filter ignored', async () => {
    const { createServer } = await import('node:http');
    const held = { id: 'cus_jose', name: 'José Pérez', username: 'josé.pérez'.normalize('NFC') };
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'POST') {
        response.statusCode = 409;
        response.end(JSON.stringify({ message: 'username already exists' }));
        return;
      }
      const filter = new URL(request.url!, 'http://localhost').searchParams.get('filter') ?? '';
      const username = decodeURIComponent(filter.replace(/^username\[equals\]=/, ''));
      response.end(JSON.stringify(username.normalize('NFC') === held.username ? [held] : []));
    });
    const sender = await doubleSender(server);
    const delivery = createDelivery(sender, () => {}, () => {}, () => false);
    expect(await delivery.deliver({ name: 'José Pérez', username: held.username }, 2, undefined)).toMatchObject({ status: 'exists', customerId: 'cus_jose' });
    expect(sender.ignoresUsernameFilter).toBe(false);
  });
});
