import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, Sender } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { createOnlyColumnsWarning, createUpsertDelivery, loadCustomerIndex, MAX_LISTING_PAGES, METADATA_UNREAD_NOTE } from '../../src/send/upsert.js';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../src/simulator/index.js';
import { doubleSender } from './simulated-sender.js';

/** The note of a row matched to a customer whose username differs in case. */
const inAnyCase = (spelling: string) => `matched "${spelling}" in Quentli (usernames are compared without case, as in the file): check that this row is that customer`;

describe('upsert delivery, against the simulator over HTTP', () => {
  let sim: RunningSimulator;
  let client: QuentliClient;
  let sender: Sender;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 11 });
    client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 5_000, connections: 4 });
    sender = new Sender(client, new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
  });

  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('lists 100 a page until an empty page, and keeps customers with a username', async () => {
    const customers = Array.from({ length: 205 }, (_, i) => ({ name: `C ${i}`, ...(i % 50 === 0 ? {} : { username: `c${i}` }) }));
    sim.store.seed(customers);
    const { index, pages } = await loadCustomerIndex(sender, 'MX');
    expect(pages).toBe(4);
    expect(sim.stats.byRoute['GET /customers']).toBe(4);
    expect(index.size).toBe(205 - 5);
  });

  it('lists every customer when the server caps a page below the 100 asked', async () => {
    sim.setFaults({ pageSizeCap: 30 });
    sim.store.seed(Array.from({ length: 205 }, (_, i) => ({ name: `C ${i}`, username: `c${i}` })));
    const { index, pages } = await loadCustomerIndex(sender, 'MX');
    expect(index.size).toBe(205);
    expect(pages).toBe(Math.ceil(205 / 30) + 1);
  });


  it('journals an attempt before each write, and none for an unchanged row', async () => {
    sim.store.seed([{ name: 'Ana', username: 'ana', email: 'ana@example.com' }]);
    const attempts: number[] = [];
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX', onAttempt: (row) => attempts.push(row) });
    expect(await delivery.deliver({ name: 'Ana', username: 'ana', email: 'ana@example.com' }, 2, undefined)).toMatchObject({ status: 'unchanged' });
    expect(await delivery.deliver({ name: 'Ana', username: 'ana', email: 'ana@x.mx' }, 3, undefined)).toMatchObject({ status: 'updated' });
    expect(await delivery.deliver({ name: 'Beto', username: 'beto' }, 4, undefined)).toMatchObject({ status: 'created' });
    expect(attempts).toEqual([3, 4]);
    expect(sim.stats.writes).toBe(2);
  });

  it.each([409, 422])('a customer created by someone else after the listing (the create refused with %i) is compared, not duplicated', async (conflictStatus) => {
    sim.setFaults({ conflictStatus });
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const [late] = sim.store.seed([{ name: 'Ana', username: 'ana', email: 'old@example.com' }]);
    const outcome = await delivery.deliver({ name: 'Ana', username: 'ana', email: 'new@example.com' }, 2, undefined);
    expect(outcome).toEqual({ status: 'updated', customerId: late!.id, error: 'changed: email' }); // what the update wrote over, in the report
    expect(sim.store.size).toBe(1);
    expect(sim.store.byUsername('ana')!.email).toBe('new@example.com');
  });

  it('a PATCH that runs out of retries fails the row with the customer id it was updating', async () => {
    const [ana] = sim.store.seed([{ name: 'Ana', username: 'ana', email: 'ana@example.com' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    sim.setFaults({ errorRate: 1 });
    const outcome = await delivery.deliver({ name: 'Ana', username: 'ana', email: 'ana@x.mx' }, 2, undefined);
    expect(outcome).toMatchObject({ status: 'failed', customerId: ana!.id });
    expect(outcome.error).toMatch(/^updating email: PATCH \/customers\/\S+ gave up after retries: HTTP 50[023]/);
  });

  it('a PATCH the API refuses fails the row naming the fields the file would have changed, then the API\'s reason', async () => {
    const [ana] = sim.store.seed([{ name: 'Ana', username: 'ana', email: 'ana@example.com', phoneNumber: '+525512345678' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ name: 'Ana Ruiz', username: 'ana', phoneNumber: 'not a phone' }, 2, undefined);
    expect(outcome).toMatchObject({ status: 'failed', customerId: ana!.id });
    expect(outcome.error).toMatch(/^updating name, phoneNumber: HTTP 4\d\d: \S/);
    expect(sim.store.byUsername('ana')!.name).toBe('Ana');
  });

  it.each([
    ['created after the crashed run tried', { createdAt: '2026-11-30T10:00:05.000Z', updatedAt: '2026-11-30T10:00:05.000Z' }, 'created'],
    ['changed after the crashed run tried', { createdAt: '2026-08-17T15:00:00.000Z', updatedAt: '2026-11-30T10:00:05.000Z' }, 'updated'],
    ['so since before the crashed run tried', { createdAt: '2026-08-17T15:00:00.000Z', updatedAt: '2026-09-01T08:00:00.000Z' }, 'unchanged'],
  ])('resumed after a crash mid-write, a customer that holds the row\'s data, %s, is %s; nothing is sent', async (_, times, status) => {
    const [held] = sim.store.seed([{ name: 'Ana', username: 'ana', email: 'new@example.com' }]);
    Object.assign(held!, times);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ name: 'Ana', username: 'ana', email: 'new@example.com' }, 2, { attempted: true, attemptedAt: Date.parse('2026-11-30T10:00:04.000Z') });
    expect(outcome).toEqual({ status, customerId: held!.id });
    expect(sim.stats.writes).toBe(0);
  });

  it('resumed after a crash mid-PATCH, a customer created a second before it (within the clock allowance) and changed after is updated: a PATCH creates nothing', async () => {
    const [held] = sim.store.seed([{ name: 'Ana', username: 'ana', email: 'new@example.com' }]);
    Object.assign(held!, { createdAt: '2026-11-30T10:00:03.000Z', updatedAt: '2026-11-30T10:00:05.000Z' });
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const previous = { attempted: true, attemptedAt: Date.parse('2026-11-30T10:00:04.000Z') };
    expect(await delivery.deliver({ name: 'Ana', username: 'ana', email: 'new@example.com' }, 2, { ...previous, updateOnly: true })).toEqual({ status: 'updated', customerId: held!.id });
    // Not known to be an update (a create's try, or a journal of an older version): as before, created.
    expect(await delivery.deliver({ name: 'Ana', username: 'ana', email: 'new@example.com' }, 2, previous)).toEqual({ status: 'created', customerId: held!.id });
  });

  it('resumed from a journal that does not date its attempt, a customer that holds the row\'s data is unchanged', async () => {
    sim.store.seed([{ name: 'Ana', username: 'ana', email: 'new@example.com' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ name: 'Ana', username: 'ana', email: 'new@example.com' }, 2, { attempted: true });
    expect(outcome.status).toBe('unchanged');
    expect(sim.stats.byRoute['GET /customers/:id'] ?? 0).toBe(0);
    expect(sim.stats.writes).toBe(0);
  });

  it('in a dry run decides every outcome and writes nothing', async () => {
    sim.store.seed([{ name: 'Ana', username: 'ana' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX', dryRun: true, onAttempt: () => expect.fail('no attempt in a dry run') });
    expect(await delivery.deliver({ name: 'Ana María', username: 'ana' }, 2, undefined)).toMatchObject({ status: 'updated' });
    expect(await delivery.deliver({ name: 'Beto', username: 'beto' }, 3, undefined)).toEqual({ status: 'created' });
    // Held in another case: that customer (the file's own usernames are compared without case), said in the row.
    expect(await delivery.deliver({ name: 'Ana María', username: 'ANA' }, 4, undefined)).toMatchObject({ status: 'unchanged', error: inAnyCase('ana') });
    expect(sim.stats.writes).toBe(0);
  });

  it('turns a listing that cannot be read into an api_unreachable ImportError', async () => {
    sim.setFaults({ errorRate: 1 });
    const patient = new Sender(client, new Throttle({ maxConcurrency: 1, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1 });
    const failure = await createUpsertDelivery(patient, { defaultCountry: 'MX' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).code).toBe('api_unreachable');
  });
});

/**
 * A real HTTP double of the API for what the simulator does not do: a create is refused as taken
 * (409), a look-up returns the customers whose stored username equals the filter's exactly, and the
 * listing answers `pageAt(skip, listing number)`. `close` stops it and the client.
 */
async function startDouble(customers: { id: string; username: string }[], pageAt: (skip: number, listing: number) => unknown[]) {
  const { createServer } = await import('node:http');
  const posts: string[] = [];
  let listings = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    response.setHeader('content-type', 'application/json');
    if (request.method === 'POST') {
      posts.push(request.url!);
      response.statusCode = 409;
      response.end(JSON.stringify({ message: 'username taken' }));
      return;
    }
    const byId = /^\/v1\/customers\/([^/]+)$/.exec(url.pathname);
    if (byId) {
      response.end(JSON.stringify(customers.find((customer) => customer.id === decodeURIComponent(byId[1]!)) ?? null));
      return;
    }
    const filter = url.searchParams.get('filter');
    if (filter) {
      const username = decodeURIComponent(filter.replace(/^username\[equals\]=/, ''));
      response.end(JSON.stringify(customers.filter((customer) => customer.username === username)));
      return;
    }
    response.end(JSON.stringify(pageAt(Number(url.searchParams.get('skip') ?? 0), listings++)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 2 });
  const sender = new Sender(client, new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
  return {
    sender,
    posts,
    listings: () => listings,
    close: async () => {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let double: Awaited<ReturnType<typeof startDouble>> | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('upsert delivery, against a listing whose order has ties', () => {
  it('looks up a row missing from the listing before creating it, once the listing showed a customer twice', async () => {
    // Ana and Beto created in the same millisecond, ties broken differently per request, pages of
    // two: page 1 ends with Ana, page 2 starts with Ana again, and Beto is on neither.
    const customers = [
      { id: 'cus_0', name: 'Carla', username: 'carla', createdAt: '2024-12-31T00:00:00.000Z' },
      { id: 'cus_1', name: 'Ana', username: 'ana', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'cus_2', name: 'Beto', username: 'beto', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'cus_3', name: 'Dora', username: 'dora', createdAt: '2025-01-02T00:00:00.000Z' },
    ];
    const [carla, ana, , dora] = customers;
    double = await startDouble(customers, (skip) => (skip === 0 ? [carla, ana] : skip === 2 ? [ana, dora] : []));
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), debug: () => {} } as unknown as import('pino').Logger;
    const delivery = await createUpsertDelivery(double.sender, { defaultCountry: 'MX', logger });
    expect(delivery.loaded).toBe(3);
    expect(await delivery.deliver({ name: 'Beto', username: 'beto' }, 3, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_2' });
    expect(double.posts).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/listed some customers on two pages/)]);
  });
});

describe('listing the customers, against servers that page in odd ways', () => {
  const ana = { id: 'cus_1', name: 'Ana', username: 'ana', createdAt: '2025-01-01T00:00:00.000Z' };
  const beto = { id: 'cus_2', name: 'Beto', username: 'beto', createdAt: '2025-01-01T00:00:00.000Z' };

  it('refuses a server that ignores skip, answering the same page again', async () => {
    double = await startDouble([ana, beto], () => [ana, beto]);
    await expect(loadCustomerIndex(double.sender, 'MX')).rejects.toThrow(/answered the same customers for skip=0 and skip=2/);
    expect(double.listings()).toBe(2);
  });

  it('refuses a server that ignores skip and shuffles its ties: the same customers in another order', async () => {
    double = await startDouble([ana, beto], (_skip, listing) => (listing % 2 === 0 ? [ana, beto] : [beto, ana]));
    await expect(loadCustomerIndex(double.sender, 'MX')).rejects.toThrow(/answered the same customers for skip=0 and skip=2/);
    expect(double.listings()).toBe(2);
  });

  it('refuses a server whose pages bring nobody new three times over, pages without usernames telling nothing', async () => {
    const carla = { id: 'cus_3', name: 'Carla', username: 'carla', createdAt: '2025-01-01T00:00:00.000Z' };
    const anonymous = (n: number) => ({ id: `cus_x${n}`, name: `Sin usuario ${n}`, username: null, createdAt: '2025-01-01T00:00:00.000Z' });
    // After the first page, it cycles through pages of customers listed before, one without usernames between them.
    const cycle = [[ana, anonymous(1)], [anonymous(2)], [beto, anonymous(3)], [ana, carla]];
    double = await startDouble([ana, beto, carla], (_skip, listing) => (listing === 0 ? [ana, beto, carla] : cycle[(listing - 1) % cycle.length]!));
    await expect(loadCustomerIndex(double.sender, 'MX')).rejects.toThrow(/answered the same customers/);
    expect(double.listings()).toBe(5);
  });

  it('lists on when ties shuffled per request start two pages with the same customer', async () => {
    // Three customers tied: request 1 orders them Ana, Beto, Carla; request 2 Carla, Beto, Ana.
    double = await startDouble([ana, beto], (skip) => (skip === 0 ? [ana, beto] : skip === 2 ? [ana] : []));
    const { index, unstable } = await loadCustomerIndex(double.sender, 'MX');
    expect([...index.keys()].sort()).toEqual(['ana', 'beto']);
    expect(unstable).toBe(true); // Carla was on no page: rows not found are looked up first
  });
});

describe('upsert delivery, against an API that stores usernames in lower case', () => {
  it('matches a mixed-case row to the customer held in lower case, with no refused create', async () => {
    // It holds `ana.uno` for a create of `Ana.Uno`, refuses `Ana.Uno` as taken, and its `equals`
    // filter compares the stored (lower case) value exactly.
    const customers = [
      { id: 'cus_1', name: 'Ana Uno', username: 'ana.uno', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'cus_2', name: 'Beto Dos', username: 'beto.dos', createdAt: '2025-01-02T00:00:00.000Z' },
    ];
    double = await startDouble(customers, (skip) => (skip === 0 ? customers : []));
    const { sender, posts } = double;
    expect(await sender.create({ name: 'Ana Uno', username: 'Ana.Uno' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    posts.length = 0;

    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ name: 'Ana Uno', username: 'Ana.Uno' }, 2, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_1', error: inAnyCase('ana.uno') });
    expect(await delivery.deliver({ name: 'Beto Dos', username: 'Beto.Dos' }, 3, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_2', error: inAnyCase('beto.dos') });
    expect(posts).toHaveLength(0);
  });
});

describe('upsert delivery, resumed against an API that stores usernames in lower case', () => {
  it("reports the customer a crashed run's create made (held as mgomez1 for MGomez1) as created, not unchanged", async () => {
    const customers = [{ id: 'cus_1', name: 'Mario Gómez', username: 'mgomez1', createdAt: '2026-11-30T10:00:05.000Z', updatedAt: '2026-11-30T10:00:05.000Z' }];
    double = await startDouble(customers, (skip) => (skip === 0 ? customers : []));
    const delivery = await createUpsertDelivery(double.sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ name: 'Mario Gómez', username: 'MGomez1' }, 2, { attempted: true, attemptedAt: Date.parse('2026-11-30T10:00:04.000Z') });
    expect(outcome).toEqual({ status: 'created', customerId: 'cus_1', error: inAnyCase('mgomez1') });
  });
});

describe('upsert delivery, against an API that holds usernames as written but equal in any case', () => {
  it('matches rows in another case to the customers the listing holds, with no refused create', async () => {
    // It holds `ANA.UNO`, would refuse `ana.uno` as taken, and its `equals` filter compares case.
    const customers = [
      { id: 'cus_1', name: 'Ana Uno', username: 'ANA.UNO', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'cus_2', name: 'Beto Dos', username: 'Beto.Dos', createdAt: '2025-01-02T00:00:00.000Z' },
    ];
    double = await startDouble(customers, (skip) => (skip === 0 ? customers : []));
    const { posts } = double;
    const delivery = await createUpsertDelivery(double.sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ name: 'Ana Uno', username: 'ana.uno' }, 2, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_1', error: inAnyCase('ANA.UNO') });
    expect(await delivery.deliver({ name: 'Beto Dos', username: 'beto.dos' }, 3, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_2', error: inAnyCase('Beto.Dos') });
    expect(posts).toHaveLength(0);
  });
});

describe('upsert delivery, a username Quentli holds with its accents decomposed (typed on a Mac)', () => {
  it('is that customer, updated with a note saying why, not a second student created', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 20 }, onTestFinished);
    const decomposed = 'jose\u0301.pe\u0301rez';
    const [held] = sim.store.seed([{ name: 'José Pérez', username: decomposed, email: 'jp@example.com' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // The file's cells are composed (é as one character), as the readers hand them out.
    const outcome = await delivery.deliver({ name: 'José Pérez', username: 'josé.pérez', email: 'nuevo.jp@example.com' }, 2, undefined);
    expect(outcome).toEqual({
      status: 'updated',
      customerId: held!.id,
      error: `matched "${decomposed}" in Quentli (usernames are compared without case, and Quentli writes its accents decomposed, é as e + ◌́, as a Mac does): check that this row is that customer; changed: email`,
    });
    expect(sim.store.size).toBe(1);
    expect(sim.store.byId(held!.id)!.email).toBe('nuevo.jp@example.com');
  });
});

/** A simulator and a sender to it (4 at once, quick retries), both closed when the test finishes. */
async function senderToSimulator(options: StartSimulatorOptions, onTestFinished: (cleanup: () => Promise<void>) => void): Promise<{ sim: RunningSimulator; sender: Sender }> {
  const sim = await startSimulator({ port: 0, ...options });
  const client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 5_000, connections: 4 });
  onTestFinished(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, sender: new Sender(client, new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 }) };
}

describe('upsert delivery, a username matched only without case to a customer of another name', () => {
  it('is failed, not updated: the row is likely another person, whose data would replace that customer\'s', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 13 }, onTestFinished);
    sim.store.seed([{ name: 'Íñigo Pérez Orozco', username: 'al0011', email: 'inigo@correo.mx' }]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // The row the first import refused as repeating row 12's username, imported alone from the errors file.
    const outcome = await delivery.deliver({ name: 'Santiago Hernández Ramírez', username: 'AL0011', email: 'santiago@correo.mx' }, 2, undefined);
    expect(outcome).toEqual({
      status: 'failed',
      error: 'the username matches "al0011" in Quentli only without case, and that customer is "Íñigo Pérez Orozco", not "Santiago Hernández Ramírez": not updated, since it is likely another person; give this row its own username, or write the username as Quentli holds it if it is that customer',
    });
    expect(sim.stats.writes).toBe(0);
    // The same person in other capitals (accents and case aside) is still that customer.
    expect(await delivery.deliver({ name: 'IÑIGO PEREZ OROZCO', username: 'AL0011', email: 'inigo@correo.mx' }, 3, undefined)).toMatchObject({ status: 'updated', error: `${inAnyCase('al0011')}; changed: name` });
  });

  it('is failed too when the API holds usernames without case and refuses the create as taken', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 13, usernamesIgnoreCase: true }, onTestFinished);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // Created by someone else after the listing: the create of AL0011 is refused as taken by al0011.
    sim.store.seed([{ name: 'Íñigo Pérez Orozco', username: 'al0011' }]);
    const outcome = await delivery.deliver({ name: 'Santiago Hernández Ramírez', username: 'AL0011' }, 2, undefined);
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the username matches "al0011" in Quentli only without case, and that customer is "Íñigo Pérez Orozco"/) });
    expect(sim.store.size).toBe(1);
    expect(sim.stats.byRoute['PATCH /customers/:id'] ?? 0).toBe(0);
  });
});

describe('upsert delivery, a username Quentli holds for a customer that shares nothing with the row', () => {
  it('is failed, not updated, when the name, the email and the phone all differ; a renamed customer with its email or phone, or without one of them, is updated', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 19 }, onTestFinished);
    sim.store.seed([
      { name: 'Walter Veintitrés Ruiz', username: 'al0023', email: 'walter@correo.mx', phoneNumber: '+525522220023' },
      { name: 'Ana Beltrán', username: 'al0024', email: 'ana.b@correo.mx', phoneNumber: '+525522220024' },
      { name: 'Luis Ortega', username: 'al0025' },
    ]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // The matrícula given to another student: updated, Walter's record was replaced by Ximena's.
    expect(await delivery.deliver({ name: 'Ximena Otra Díaz', username: 'al0023', email: 'ximena@correo.mx', phoneNumber: '+525533330023' }, 2, undefined)).toEqual({
      status: 'failed',
      error:
        'the username "al0023" is held in Quentli by "Walter Veintitrés Ruiz", whose email and phone are not this row\'s either: not updated, since "Ximena Otra Díaz" is likely another person (a username given to two people); give this row its own username, or, if it is that customer, correct its name in Quentli and the next run updates the rest',
    });
    expect(sim.stats.writes).toBe(0);
    // Her email only, against both of his: too little to call her another person, so updated, as
    // issue 5 asks of a row that differs (a name and email changed together, no phone in the file).
    expect(await delivery.deliver({ name: 'Ximena Otra Díaz', username: 'al0023', email: 'ximena@correo.mx' }, 3, undefined)).toMatchObject({ status: 'updated', error: 'changed: name, email' });
    // A name corrected (married name) with the same email: that customer, updated.
    expect(await delivery.deliver({ name: 'Ana Beltrán de Soto', username: 'al0024', email: 'ANA.B@correo.mx', phoneNumber: '+525599990024' }, 4, undefined)).toMatchObject({ status: 'updated' });
    // Nothing to compare but the name: updated, as before.
    expect(await delivery.deliver({ name: 'Luis Ortega Paz', username: 'al0025', email: 'luis@correo.mx' }, 5, undefined)).toMatchObject({ status: 'updated', error: 'changed: name, email' });
  });

  it('updates a name completed or shortened with its contacts, and a row sharing a phone in the other slot', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 23 }, onTestFinished);
    sim.store.seed([
      { name: 'Ana López', username: 'al0031', email: 'ana@correo.mx', phoneNumber: '+525522220031' },
      { name: 'Ana María García Soto', username: 'al0032', email: 'anam@correo.mx' },
      { name: 'Beto Ruiz', username: 'al0033', email: 'beto@correo.mx', phoneNumber: '+525522220033', secondaryPhoneNumber: '+525544440033' },
      { name: 'Caro Díaz', username: 'al0034', email: 'caro@correo.mx', phoneNumber: '+525522220034' },
    ]);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // The second surname added, with the email and phone the office updated the same day.
    expect(await delivery.deliver({ name: 'ANA LOPEZ GARCÍA', username: 'al0031', email: 'ana.lg@correo.mx', phoneNumber: '+525599990031' }, 2, undefined)).toMatchObject({ status: 'updated', error: 'changed: name, email, phoneNumber' });
    // The middle name dropped, with a new email.
    expect(await delivery.deliver({ name: 'Ana García Soto', username: 'al0032', email: 'ana.gs@correo.mx' }, 3, undefined)).toMatchObject({ status: 'updated', error: 'changed: name, email' });
    // Another name and email, but the row's phone is the one Quentli holds second: shared.
    expect(await delivery.deliver({ name: 'Roberto Ruiz Paz', username: 'al0033', email: 'roberto@correo.mx', phoneNumber: '+525544440033' }, 4, undefined)).toMatchObject({ status: 'updated' });
    // A nickname written out shares no word set with it, nor any contact: still failed.
    expect(await delivery.deliver({ name: 'Carolina Díaz', username: 'al0034', email: 'carolina@correo.mx', phoneNumber: '+525599990034' }, 5, undefined)).toMatchObject({ status: 'failed' });
  });
});

describe('upsert delivery, a new username for a person Quentli holds under another login or none', () => {
  it('is failed, not created a second time, when a customer has its name with its email or phone', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 17 }, onTestFinished);
    const [byHand, oldLogin] = sim.store.seed([
      // Typed in by hand, or imported without usernames: upsert cannot match it by username.
      { name: 'Ana Uno', email: 'ana@example.com', metadata: [{ key: 'nota', value: 'paga puntual' }] },
      // The school system gave Beto a new login; Quentli holds the old one.
      { name: 'Beto Dos', username: 'b-old-17', phoneNumber: '+525512345679' },
      // Siblings share the parents' email: another name is another person.
      { name: 'Carla Tres', username: 'c3', email: 'familia@example.com' },
    ]);
    for (const dryRun of [true, false]) {
      const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX', dryRun });
      expect(await delivery.deliver({ name: 'ANA  UNO', username: 'A0001', email: 'Ana@Example.com' }, 2, undefined)).toEqual({
        status: 'failed',
        error: `no customer has the username "A0001", but one with the name "ANA  UNO" and this email is in Quentli (${byHand!.id}, with no username): not created, since it is likely the same person under another login; if it is, give that customer the username "A0001" in Quentli (this row then updates it); if it is another person, import this row once with --mode create`,
      });
      expect(await delivery.deliver({ name: 'Beto Dos', username: 'A0002', email: 'beto@example.com', phoneNumber: '+525512345679' }, 3, undefined)).toMatchObject({
        status: 'failed',
        error: expect.stringContaining(`and this phone is in Quentli (${oldLogin!.id}, username "b-old-17"): not created`),
      });
      expect(await delivery.deliver({ name: 'Dora Tres', username: 'd4', email: 'familia@example.com' }, 4, undefined)).toMatchObject({ status: 'created' });
      // Two new logins of one person in one file: the second is not created either.
      expect(await delivery.deliver({ name: 'Eva Cinco', username: 'e5', email: 'eva@example.com' }, 5, undefined)).toMatchObject({ status: 'created' });
      expect(await delivery.deliver({ name: 'Eva Cinco', username: 'e5-nuevo', email: 'eva@example.com' }, 6, undefined)).toMatchObject({ status: 'failed' });
    }
    expect(sim.store.size).toBe(5);
    expect(sim.store.all().map((customer) => customer.username)).toEqual([null, 'b-old-17', 'c3', 'd4', 'e5']);
  });
});

describe('upsert delivery, two new logins of one person sent side by side', () => {
  it('fails the second as the dry run does, though the first create is still on its way', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 18, latencyMs: 50 }, onTestFinished);
    for (const dryRun of [true, false]) {
      const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX', dryRun });
      const [first, second] = await Promise.all([
        delivery.deliver({ name: 'Eva Cinco', username: 'e5', email: 'eva@example.com' }, 2, undefined),
        delivery.deliver({ name: 'Eva Cinco', username: 'e5-nuevo', email: 'eva@example.com' }, 3, undefined),
      ]);
      expect(first, `dryRun ${dryRun}`).toMatchObject({ status: 'created' });
      expect(second, `dryRun ${dryRun}`).toMatchObject({ status: 'failed', error: expect.stringContaining('username "e5"') });
    }
    expect(sim.store.all().map((customer) => customer.username)).toEqual(['e5']);
  });

  it('frees the name and email of a create that failed: the next login of that person is created', async ({ onTestFinished }) => {
    const { sim, sender } = await senderToSimulator({ seed: 19 }, onTestFinished);
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    // Refused by the API (an email it will not take): nothing created, nothing held.
    expect(await delivery.deliver({ name: 'Eva Cinco', username: 'e5', email: 'eva@example.com', phoneNumber: 'not a phone' }, 2, undefined)).toMatchObject({ status: 'failed' });
    expect(await delivery.deliver({ name: 'Eva Cinco', username: 'e5-nuevo', email: 'eva@example.com' }, 3, undefined)).toMatchObject({ status: 'created' });
    expect(sim.store.all().map((customer) => customer.username)).toEqual(['e5-nuevo']);
  });
});

/**
 * A real HTTP double of the API holding one customer, whose PATCH answers 200 as `patch` says:
 * `applied` (stored, answered so), `ignored` (nothing stored, the customer answered as it was),
 * `stale` (stored, answered as it was), `capitals` (the name stored in capitals, answered so).
 * `GET /customers/{id}` answers null when `lookupNull`; the listing and the PATCH answer leave out
 * `metadata` and `meta` when `listedWithoutMetadata` (answer them empty when `listedWithEmptyMetadata`),
 * and the fields in `listedWithout` (the listing only). `storeMetadata` is the form a PATCH's pairs are stored and answered in (an API's own:
 * values coerced, keys in lower case); default as sent.
 */
async function startPatchDouble(
  patch: 'applied' | 'ignored' | 'stale' | 'capitals',
  {
    lookupNull = false,
    listedWithoutMetadata = false,
    listedWithEmptyMetadata = false,
    listedWithout = [] as string[],
    storeMetadata = (pairs: { key: string; value: string }[]): { key: string; value: unknown }[] => pairs,
  } = {},
) {
  const { createServer } = await import('node:http');
  const customer: Record<string, unknown> = {
    id: 'cus_ana',
    name: 'Ana López',
    username: 'ana',
    email: 'ana@example.com',
    phoneNumber: '+525512345678',
    metadata: [{ key: 'grupo', value: '3A' }],
    meta: { grupo: '3A' },
  };
  const requests: string[] = [];
  const listed = (held: Record<string, unknown>) =>
    listedWithoutMetadata ? { ...held, metadata: undefined, meta: undefined } : listedWithEmptyMetadata ? { ...held, metadata: [], meta: {} } : held;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      response.setHeader('content-type', 'application/json');
      const url = new URL(request.url!, 'http://localhost');
      if (request.method === 'PATCH') {
        const before = structuredClone(customer);
        const { data } = (JSON.parse(body) as { input: { data: Record<string, unknown> } }).input;
        if (Array.isArray(data.metadata)) data.metadata = storeMetadata(data.metadata as { key: string; value: string }[]);
        if (patch !== 'ignored') Object.assign(customer, data, typeof data.name === 'string' && patch === 'capitals' ? { name: data.name.toUpperCase() } : {});
        if (Array.isArray(data.metadata)) customer.meta = Object.fromEntries((data.metadata as { key: string; value: unknown }[]).map(({ key, value }) => [key, value]));
        response.end(JSON.stringify({ customer: listed(patch === 'ignored' || patch === 'stale' ? before : customer) }));
      } else if (url.pathname === '/v1/customers/cus_ana') response.end(JSON.stringify(lookupNull ? null : customer));
      else {
        const inListing = Object.fromEntries(Object.entries(listed(customer)).filter(([field]) => !listedWithout.includes(field)));
        response.end(JSON.stringify(Number(url.searchParams.get('skip') ?? 0) === 0 ? [inListing] : []));
      }
    });
  });
  const sender = await doubleSender(server);
  return { sender, requests, customer };
}

describe('upsert delivery, an update answered 200 by a customer that does not hold what was sent', () => {
  const row = { name: 'Ana López', username: 'ana', email: 'ana.nueva@example.com', metadata: [{ key: 'grupo', value: '4A' }] };

  it('reads the customer back once and notes the fields Quentli still holds otherwise, with their values', async () => {
    const { sender, requests } = await startPatchDouble('ignored');
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver(row, 2, undefined);
    expect(outcome).toEqual({
      status: 'updated',
      customerId: 'cus_ana',
      error:
        'changed: email, metadata.grupo; Quentli answered the update as done, but holds email "ana@example.com", metadata.grupo "3A", not as sent: the API did not take them or keeps them in a form of its own, and the next run sends them again; check the customer in Quentli',
    });
    expect(requests.filter((request) => request.startsWith('PATCH ') || request.startsWith('GET /v1/customers/'))).toEqual(['PATCH /v1/customers/cus_ana', 'GET /v1/customers/cus_ana']);
  });

  it('quotes the value of a key Quentli holds in another case (the file\'s `Grupo`, its `grupo`), not "empty"', async () => {
    const { sender } = await startPatchDouble('ignored');
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ ...row, metadata: [{ key: 'Grupo', value: '4A' }] }, 2, undefined);
    expect(outcome.error).toContain('holds email "ana@example.com", metadata.Grupo "3A", not as sent');
  });

  it('says nothing more when the customer read back holds the update (the answer showed it as it was)', async () => {
    const { sender } = await startPatchDouble('stale');
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver(row, 2, undefined)).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: email, metadata.grupo' });
  });

  it('names a name the API keeps in capitals, which every night would update again', async () => {
    const { sender, requests } = await startPatchDouble('capitals');
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    const outcome = await delivery.deliver({ name: 'Ana López García', username: 'ana' }, 2, undefined);
    expect(outcome.error).toBe(
      'changed: name; Quentli answered the update as done, but holds name "ANA LÓPEZ GARCÍA", not as sent: the API did not take it or keeps it in a form of its own, and the next run sends it again; check the customer in Quentli',
    );
    expect(requests.filter((request) => request.startsWith('GET /v1/customers/'))).toHaveLength(1);
  });

  it('goes by the answer, and says so, when the customer cannot be read back', async () => {
    const { sender } = await startPatchDouble('ignored', { lookupNull: true });
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect((await delivery.deliver(row, 2, undefined)).error).toContain('holds email "ana@example.com", metadata.grupo "3A" in its answer (it could not be read back), not as sent');
  });
});

describe('upsert delivery, against a listing that leaves out metadata', () => {
  const row = { name: 'Ana López', username: 'ana', metadata: [{ key: 'grupo', value: '4A' }] };

  it('reads the customer before merging a row\'s metadata, so the keys only in Quentli are kept; a second run writes nothing', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { listedWithoutMetadata: true });
    customer.metadata = [{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '3A' }];
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver(row, 2, undefined)).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.grupo' });
    expect(customer.metadata).toEqual([{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '4A' }]);
    expect(requests.filter((request) => !request.startsWith('GET /v1/customers?'))).toEqual(['GET /v1/customers/cus_ana', 'PATCH /v1/customers/cus_ana']);

    requests.length = 0;
    const again = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await again.deliver(row, 2, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(requests.filter((request) => request.startsWith('PATCH '))).toEqual([]);
  });

  it('reads the customer too when the listing answers its metadata empty, so the keys only in Quentli are kept; a second run writes nothing', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { listedWithEmptyMetadata: true });
    customer.metadata = [{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '3A' }];
    const night = async (grupo: string) => (await createUpsertDelivery(sender, { defaultCountry: 'MX' })).deliver({ ...row, metadata: [{ key: 'grupo', value: grupo }] }, 2, undefined);
    expect(await night('3A')).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(await night('4A')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.grupo' });
    expect(customer.metadata).toEqual([{ key: 'nota', value: 'a mano' }, { key: 'grupo', value: '4A' }]);
    expect(requests.filter((request) => request.startsWith('PATCH '))).toHaveLength(1);
  });

  it('leaves the metadata out of the update, and says so, when no answer shows it', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { listedWithoutMetadata: true, lookupNull: true });
    customer.metadata = [{ key: 'nota', value: 'a mano' }];
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ ...row, email: 'ana.nueva@example.com' }, 2, undefined)).toEqual({
      status: 'updated',
      customerId: 'cus_ana',
      error: `changed: email; ${METADATA_UNREAD_NOTE}`,
    });
    expect(customer.metadata).toEqual([{ key: 'nota', value: 'a mano' }]);
    expect(await delivery.deliver(row, 3, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_ana', error: METADATA_UNREAD_NOTE });
    expect(requests.filter((request) => request.startsWith('PATCH '))).toHaveLength(1);
  });
});

describe('createOnlyColumnsWarning', () => {
  it('names the tags and assignee columns an upsert sends on create only, and nothing for a file without them', () => {
    expect(createOnlyColumnsWarning({ tags: 'Etiquetas' })).toBe(
      '"Etiquetas" is sent to new customers only: --mode upsert does not change an existing customer\'s tags (the API does not return it, so a change cannot be seen, and an update would replace the tags added in Quentli); change it in Quentli itself',
    );
    expect(createOnlyColumnsWarning({ tags: 'Etiquetas', assigneeId: 'Asignado' })).toMatch(/^"Etiquetas" and "Asignado" are sent to new customers only: --mode upsert does not change an existing customer's tags or assignee \(the API does not return them/);
    expect(createOnlyColumnsWarning({ assigneeId: 'Asignado' })).not.toContain('tags');
    expect(createOnlyColumnsWarning({})).toBeUndefined();
  });
});

/**
 * A real HTTP double of an API where someone creates a customer on every listing request (before
 * answering it), and whose pages hold one customer whatever `take` asks: the listing never reaches
 * an empty page. Its customers have a `createdAt` unless `undated`. Look-ups by username and creates
 * are answered as the API documents them.
 */
async function startGrowingDouble({ undated = false } = {}) {
  const { createServer } = await import('node:http');
  const dated = (createdAt: string) => (undated ? {} : { createdAt });
  const customers: Record<string, unknown>[] = [
    { id: 'cus_old1', name: 'Ana López', username: 'ana', ...dated('2024-01-01T00:00:00.000Z') },
    { id: 'cus_old2', name: 'Beto Ruiz', username: 'beto', ...dated('2024-01-02T00:00:00.000Z') },
  ];
  const requests = { list: 0, lookUp: 0, post: 0 };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      const url = new URL(request.url!, 'http://localhost');
      if (request.method === 'POST') {
        requests.post++;
        const { input } = JSON.parse(body) as { input: Record<string, unknown> };
        const customer = { id: `cus_new${customers.length}`, ...input, ...dated(new Date().toISOString()) };
        customers.push(customer);
        response.statusCode = 201;
        response.end(JSON.stringify({ customer }));
        return;
      }
      const filter = url.searchParams.get('filter');
      if (filter) {
        requests.lookUp++;
        const username = decodeURIComponent(filter.replace(/^username\[equals\]=/, ''));
        response.end(JSON.stringify(customers.filter((customer) => customer.username === username)));
        return;
      }
      requests.list++;
      const n = customers.length;
      // Dated 3 s on: past the 2 s clock allowance from the first page, as on a real API, where a
      // page takes a round trip; here 10,000 pages can be read before 2 s have passed.
      customers.push({ id: `cus_new${n}`, name: `Alumno ${n}`, username: `alumno${n}`, ...dated(new Date(Date.now() + 3_000).toISOString()) });
      const skip = Number(url.searchParams.get('skip') ?? 0);
      response.end(JSON.stringify(customers.slice(skip, skip + 1)));
    });
  });
  const sender = await doubleSender(server);
  return { sender, requests, customers };
}

describe('upsert listing, while customers are created as fast as it reads them', () => {
  it('stops once it has read every customer there when it started and a thousand created since, and looks up the rows it did not list', async () => {
    const { sender, requests, customers } = await startGrowingDouble();
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), debug: () => {} } as unknown as Parameters<typeof createUpsertDelivery>[1]['logger'];
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX', logger });
    // Two customers there before, then one created a request, each page one customer: read until a
    // thousand created surely after it started (past the 2 s clock allowance), and more of those
    // than of the others; the most pages are far off.
    expect(requests.list).toBeGreaterThan(1_000);
    expect(requests.list).toBeLessThan(MAX_LISTING_PAGES);
    expect(delivery.pages).toBe(requests.list);
    expect(warnings).toEqual([expect.stringMatching(/^the listing of customers stopped after \d+ pages without reaching its end: customers were being created in Quentli faster than it could read them: rows not found in the listing are looked up by username/)]);
    // A customer created after the listing stopped reading: looked up, compared, not created twice.
    const late = customers.at(-1)!;
    expect(await delivery.deliver({ name: String(late.name), username: String(late.username) }, 2, undefined)).toEqual({ status: 'unchanged', customerId: late.id });
    expect(await delivery.deliver({ name: 'Ana López', username: 'ana' }, 3, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_old1' });
    expect(await delivery.deliver({ name: 'Carla Nueva', username: 'carla' }, 4, undefined)).toMatchObject({ status: 'created' });
    expect(requests.post).toBe(1);
    expect(customers.filter((customer) => customer.username === late.username)).toHaveLength(1);
  });

  it('stops after its most pages when the customers carry no creation date, with the same look-ups', async () => {
    const { sender, requests } = await startGrowingDouble({ undated: true });
    const listing = await loadCustomerIndex(sender, 'MX', { maxPages: 50 });
    expect(listing).toMatchObject({ pages: 50, cut: 'pages' });
    expect(requests.list).toBe(50);
    expect(listing.index.get('ana')?.id).toBe('cus_old1');
  });

  it('reads to the empty page, with no cut, when nobody creates customers meanwhile', async () => {
    const { sim, sender } = await senderToSimulator({ seed: 23 }, onTestFinished);
    sim.store.seed(Array.from({ length: 120 }, (_, i) => ({ name: `C ${i}`, username: `c${i}` })));
    const listing = await loadCustomerIndex(sender, 'MX');
    expect(listing.cut).toBeUndefined();
    expect(listing.index.size).toBe(120);
  });
});

describe('upsert delivery, against an API that stores metadata in a form of its own', () => {
  /** Pairs as an API that coerces values stores them: a number's text as the number, true/false as booleans. */
  const coerced = (pairs: { key: string; value: string }[]) =>
    pairs.map(({ key, value }) => ({ key, value: /^\d+(\.\d+)?$/.test(value) ? Number(value) : /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value }));

  it('values coerced ("001" answered as 1): the second night writes nothing, a changed value still writes', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { storeMetadata: coerced });
    const night = async (matricula: string) => (await createUpsertDelivery(sender, { defaultCountry: 'MX' })).deliver({ name: 'Ana López', username: 'ana', metadata: [{ key: 'grupo', value: '3A' }, { key: 'matricula', value: matricula }, { key: 'beca', value: 'TRUE' }] }, 2, undefined);
    expect(await night('001')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.matricula, metadata.beca' });
    expect(customer.metadata).toEqual([{ key: 'grupo', value: '3A' }, { key: 'matricula', value: 1 }, { key: 'beca', value: true }]);
    expect(await night('001')).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(await night('002')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.matricula' });
    expect(customer.meta).toEqual({ grupo: '3A', matricula: 2, beca: true });
    expect(requests.filter((request) => request.startsWith('PATCH '))).toHaveLength(2);
  });

  it('keys stored in lower case ("Matricula" held as "matricula"): the second night writes nothing, and a changed value does not add the key again', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { storeMetadata: (pairs) => pairs.map(({ key, value }) => ({ key: key.toLowerCase(), value })) });
    const night = async (matricula: string) => (await createUpsertDelivery(sender, { defaultCountry: 'MX' })).deliver({ name: 'Ana López', username: 'ana', metadata: [{ key: 'Grupo', value: '3A' }, { key: 'Matricula', value: matricula }] }, 2, undefined);
    expect(await night('A-1')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.Matricula' });
    expect(await night('A-1')).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(await night('A-2')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.Matricula' });
    expect(customer.metadata).toEqual([{ key: 'grupo', value: '3A' }, { key: 'matricula', value: 'A-2' }]);
    expect(requests.filter((request) => request.startsWith('PATCH '))).toHaveLength(2);
  });

  it('keys and values stored decomposed (é as e + ◌́): the second night writes nothing, and a changed value does not add the key again', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { storeMetadata: (pairs) => pairs.map(({ key, value }) => ({ key: key.normalize('NFD'), value: value.normalize('NFD') })) });
    const night = async (note: string) => (await createUpsertDelivery(sender, { defaultCountry: 'MX' })).deliver({ name: 'Ana López', username: 'ana', metadata: [{ key: 'Observación', value: note }] }, 2, undefined);
    expect(await night('Alérgica')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.Observación' });
    expect(await night('Alérgica')).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(await night('Sin alergias')).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: metadata.Observación' });
    expect(customer.metadata).toEqual([{ key: 'grupo', value: '3A' }, { key: 'Observación'.normalize('NFD'), value: 'Sin alergias' }]);
    expect(requests.filter((request) => request.startsWith('PATCH '))).toHaveLength(2);
  });
});

describe('upsert delivery, against a listing that leaves out fields (not even null)', () => {
  const contactsLeftOut = ['email', 'phoneNumber', 'acceptedServiceAgreement'];

  it('reads the customer before updating a field the listing did not show: an unchanged row writes nothing', async () => {
    const { sender, requests, customer } = await startPatchDouble('applied', { listedWithout: contactsLeftOut });
    customer.acceptedServiceAgreement = true;
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ name: 'Ana López', username: 'ana', email: 'ana@example.com', phoneNumber: '+525512345678', acceptedServiceAgreement: true }, 2, undefined)).toEqual({
      status: 'unchanged',
      customerId: 'cus_ana',
    });
    expect(requests.filter((request) => !request.startsWith('GET /v1/customers?'))).toEqual(['GET /v1/customers/cus_ana']);
  });

  it('still updates a field the row changed, and one the customer lacks (an answer that leaves out its nulls)', async () => {
    const { sender, requests } = await startPatchDouble('applied', { listedWithout: [...contactsLeftOut, 'secondaryPhoneNumber'] });
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ name: 'Ana López', username: 'ana', email: 'ana.nueva@example.com', secondaryPhoneNumber: '+525598765432' }, 2, undefined)).toEqual({
      status: 'updated',
      customerId: 'cus_ana',
      error: 'changed: email, secondaryPhoneNumber',
    });
    expect(requests.filter((request) => !request.startsWith('GET /v1/customers?'))).toEqual(['GET /v1/customers/cus_ana', 'PATCH /v1/customers/cus_ana']);
  });

  it('asks nothing more of a row that changes no field the listing left out', async () => {
    const { sender, requests } = await startPatchDouble('applied', { listedWithout: contactsLeftOut });
    const delivery = await createUpsertDelivery(sender, { defaultCountry: 'MX' });
    expect(await delivery.deliver({ name: 'Ana López', username: 'ana' }, 2, undefined)).toEqual({ status: 'unchanged', customerId: 'cus_ana' });
    expect(await delivery.deliver({ name: 'Ana López García', username: 'ana' }, 3, undefined)).toEqual({ status: 'updated', customerId: 'cus_ana', error: 'changed: name' });
    expect(requests.filter((request) => !request.startsWith('GET /v1/customers?'))).toEqual(['PATCH /v1/customers/cus_ana']);
  });
});
