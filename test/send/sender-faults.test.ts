import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, LookupError, Sender, SendStoppedError, type RetryPolicy } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { startSimulator, type StartSimulatorOptions } from '../../src/simulator/index.js';
import { doubleSender, simulatedSender } from './simulated-sender.js';

// The sender against the simulator's faults, over real HTTP.

/** When each request arrived and was answered, and how, by performance.now(). */
interface Seen {
  arrived: number;
  answered: number;
  outcome: number | string;
}

async function simulated(options: StartSimulatorOptions = {}, policy: Partial<RetryPolicy> = {}) {
  return simulatedSender({ seed: 5, ...options }, policy);
}

describe('Sender creates, against the simulator over HTTP', () => {
  it('never resends a row without a username after a 5xx: found created since by its name, email and phone, it is created; else its outcome is unknown', async () => {
    const { sim, sender } = await simulated({ errorAfterCreateRate: 1 });
    const outcome = await sender.create({ name: 'Sin Usuario', email: 'sin.usuario@x.mx', phoneNumber: '+525512345678' });
    expect(outcome, outcome.error).toEqual({ status: 'created', customerId: sim.store.all()[0]!.id });
    expect(sim.stats.byRoute['POST /customers']).toBe(1);
    expect(sim.stats.byRoute['GET /customers']).toBe(1);
    expect(sim.store.size).toBe(1);
    // Stored nothing: not found, so unknown, and not sent again.
    const nothing = await simulated({ errorRate: 1 });
    const unknown = await nothing.sender.create({ name: 'Sin Usuario' });
    expect(unknown.status).toBe('failed');
    // Every look-up failed too (5xx): the outcome is unknown, and so said.
    expect(unknown.error).toMatch(/^outcome unknown: HTTP 50[023]: .*look for it in Quentli before importing this row again$/);
    expect(nothing.sim.stats.byRoute['POST /customers']).toBe(1);
    expect(nothing.sim.store.size).toBe(0);
  });

  it('takes a customer for a lost create without a username only when it is the one created since, with the same name, email and phone', async () => {
    // One like it from before the try (an earlier import), another of the same name with another email: neither is this row's.
    const { sim, sender } = await simulated({ errorAfterCreateRate: 1 });
    const [earlier] = sim.store.seed([{ name: 'Ana Ruiz', email: 'ana@x.mx' }, { name: 'Ana Ruiz', email: 'otra@x.mx' }]);
    earlier!.createdAt = new Date(Date.now() - 60_000).toISOString();
    const outcome = await sender.create({ name: 'ANA  RUIZ', email: 'ana@x.mx' });
    expect(sim.store.size).toBe(3);
    expect(outcome).toEqual({ status: 'created', customerId: sim.store.all()[2]!.id });
    // Two created since with the same contacts: which one is this row's is not known.
    const twice = await simulated({ errorAfterCreateRate: 1 });
    twice.sim.store.seed([{ name: 'Beto Paz', phoneNumber: '+525587654321' }]);
    expect((await twice.sender.create({ name: 'Beto Paz', phoneNumber: '+525587654321' })).error).toMatch(/^outcome unknown: .*; 2 customers with its name, email and phone were created since it was sent, and which is this row's cannot be told/);
  });

  it('finds a lost create without a username whose phone the API answers without its + (525512345678): created, not "likely not created"', async () => {
    const { sim, sender } = await simulated({ cutAfterCreateRate: 1, phonesWithoutPlus: true });
    const outcome = await sender.create({ name: 'Sin Usuario', email: 'sin.usuario@x.mx', phoneNumber: '+525512345678' });
    expect(outcome, outcome.error).toEqual({ status: 'created', customerId: sim.store.all()[0]!.id });
    expect(sim.stats.byRoute['POST /customers']).toBe(1);
    // Another number, answered so, is still not this row's (a crashed run's try, looked for without a POST).
    const other = await simulated({ phonesWithoutPlus: true });
    const sentAt = Date.now() - 60_000;
    other.sim.store.seed([{ name: 'Beto Paz', phoneNumber: '+525587654321' }]);
    const unknown = await other.sender.create({ name: 'Beto Paz', phoneNumber: '+525511112222' }, { mayExist: true, earlierAttemptAt: sentAt });
    expect(unknown.status).toBe('failed');
    expect(unknown.error).toMatch(/^outcome unknown: .*no customer with its name, email and phone was created since it was sent/);
    expect(await other.sender.create({ name: 'Beto Paz', phoneNumber: '+525587654321' }, { mayExist: true, earlierAttemptAt: sentAt })).toEqual({ status: 'created', customerId: other.sim.store.all()[0]!.id });
    expect(other.sim.stats.byRoute['POST /customers']).toBe(0);
  });

  it('after a 5xx that stored nothing, resends a username with & in it: the filter the API refuses is not a look-up failure', async () => {
    // The first create gets a 500 with nothing stored; everything after it is answered normally.
    const { sim, sender } = await simulated({ errorRate: 1, onRequest: (event) => event.method === 'POST' && sim?.setFaults({ errorRate: 0 }) });
    const outcome = await sender.create({ name: 'Familia Núñez', username: 'fam&1' });
    expect(outcome.status, outcome.error).toBe('created');
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
    expect(sim.stats.byStatus[400]).toBe(1); // the raw filter, split at the &
    expect(sim.store.byUsername('fam&1')).toBeDefined();
  });

  it('after a 5xx that stored nothing, a username the API held before is exists, not created: a second run creates nothing', async () => {
    let failNextCreate = false;
    const { sim, sender } = await simulated({
      onRequest: (event) => {
        if (failNextCreate && event.method === 'POST') {
          failNextCreate = false;
          sim.setFaults({ errorRate: 0 });
        }
      },
    });
    expect((await sender.create({ name: 'Ana', username: 'ana' })).status).toBe('created');
    sim.store.byUsername('ana')!.createdAt = new Date(Date.now() - 86_400_000).toISOString(); // last night's run
    // The next create is answered 500 with nothing stored; the retry's look-up finds last night's customer.
    failNextCreate = true;
    sim.setFaults({ errorRate: 1 });
    const outcome = await sender.create({ name: 'Ana', username: 'ana' });
    expect(outcome).toMatchObject({ status: 'exists', customerId: sim.store.byUsername('ana')!.id });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
    expect(sim.store.size).toBe(1);
  });

  it('after a 5xx that stored the customer, finds a row with a username by look-up: created once, with its id', async () => {
    const { sim, sender } = await simulated({ errorAfterCreateRate: 1 });
    const outcome = await sender.create({ name: 'Ana', username: 'ana' });
    expect(outcome).toMatchObject({ status: 'created', customerId: sim.store.byUsername('ana')!.id });
    expect(sim.stats.byRoute['POST /customers']).toBe(1);
    expect(sim.store.size).toBe(1);
  });
});

describe('requests that got no useful answer', () => {
  it('are counted by kind, for the summary: a 5xx, a 429, a connection cut after the create', async () => {
    // The first POST is answered 500; the look-up after it, 429; the next POST is stored and cut.
    let requests = 0;
    const { sim, sender } = await simulated({
      errorRate: 1,
      onRequest: (event) => {
        requests++;
        if (requests === 1) sim.setFaults({ errorRate: 0, random429Rate: 1, random429RetryAfter: 0 });
        if (requests === 2) sim.setFaults({ random429Rate: 0, cutAfterCreateRate: 1 });
        if (event.method === 'POST' && requests > 2) sim.setFaults({ cutAfterCreateRate: 0 });
      },
    });
    const outcome = await sender.create({ name: 'Ana', username: 'ana' });
    expect(outcome).toMatchObject({ status: 'created', customerId: sim.store.byUsername('ana')!.id });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
    expect(sender.requestFailures).toEqual({ rateLimited: 1, serverError: 1, noAnswer: 1 });
  });

  it('an answer whose body stalls half-way is a lost answer: the create it stored is found by its username, not sent again', async ({ onTestFinished }) => {
    const sim = await startSimulator({ stallBodyRate: 1, onRequest: (event) => event.outcome === 'stall' && sim.setFaults({ stallBodyRate: 0 }) });
    const client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 300, connections: 2 });
    onTestFinished(async () => {
      await client.close();
      await sim.close();
    });
    const sender = new Sender(client, new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
    const outcome = await sender.create({ name: 'Ana', username: 'ana' });
    expect(outcome).toMatchObject({ status: 'created', customerId: sim.store.byUsername('ana')!.id });
    expect(sim.stats.stalls).toBe(1);
    expect(sim.stats.byRoute['POST /customers']).toBe(1);
    expect(sender.requestFailures).toEqual({ rateLimited: 0, serverError: 0, noAnswer: 1 });
  });
});

describe('a taken username answered with 400 or 422 (the API document promises no status)', () => {
  for (const conflictStatus of [400, 422]) {
    it(`on a ${conflictStatus} looks the username up: taken means exists, with the id; nothing is created twice`, async () => {
      const { sim, sender } = await simulated({ conflictStatus });
      const first = await sender.create({ name: 'Ana', username: 'ana' });
      expect(first.status).toBe('created');
      const second = await sender.create({ name: 'Ana', username: 'ana' });
      expect(second).toMatchObject({ status: 'exists', customerId: first.customerId });
      expect(sim.store.size).toBe(1);
      expect(sim.stats.byRoute['POST /customers']).toBe(2);
    });
  }

  it('on a 400 whose username no one holds, fails with the server message', async () => {
    const { sim, sender } = await simulated({ conflictStatus: 400 });
    // A payload our own validation would refuse, sent anyway to draw the API's 400.
    const outcome = await sender.create({ name: 'Beto', username: 'beto', email: 'beto@' } as never);
    expect(outcome).toEqual({ status: 'failed', error: expect.stringMatching(/^HTTP 400: .*email/i) });
    expect(outcome.error).not.toMatch(/username/);
    expect(sim.stats.byRoute['GET /customers']).toBe(1);
    expect(sim.store.size).toBe(0);
  });
});

describe('a taken username answered 200 with the customer holding it (a create that finds before it creates; the document promises no status)', () => {
  it('is exists, with that customer, when it was created long before the first try (last night); a new username is created', async () => {
    const { sim, sender } = await simulated({ answerTakenWithHolder: true });
    const [held] = sim.store.seed([{ name: 'Ana Ruiz', username: 'ana', phoneNumber: '+525511111111' }]);
    held!.createdAt = new Date(Date.now() - 3_600_000).toISOString();
    const again = await sender.create({ name: 'Ana Ruiz', username: 'ana', phoneNumber: '+525522222222' });
    expect(again).toEqual({ status: 'exists', customerId: held!.id, customer: held });
    const fresh = await sender.create({ name: 'Beto Paz', username: 'beto' });
    expect(fresh).toEqual({ status: 'created', customerId: sim.store.byUsername('beto')!.id });
    expect(sim.store.size).toBe(2);
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
  });

  it('is created, as answered, when the API answers every create 200 and its clocks disagree: a createdAt minutes behind its Date header, or without its zone', async () => {
    const { createServer } = await import('node:http');
    // Each create answered 200 (with a Date header) with a createdAt as the next test case writes it.
    const written: string[] = [];
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      const createdAt = written.shift();
      response.end(JSON.stringify({ customer: { id: `cus_${written.length}`, name: 'Ana Ruiz', username: 'ana', createdAt, updatedAt: createdAt } }));
    });
    const sender = await doubleSender(server);
    const behind = (ms: number) => new Date(Date.now() - ms).toISOString();
    // A database 3 s or 5 minutes behind the gateway that sets the Date header; local time written
    // without its zone (Mexico's, six hours behind UTC, read as UTC).
    const mexicoLocal = new Date(Date.now() - 6 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    for (const createdAt of [behind(3_000), behind(300_000), mexicoLocal]) {
      written.push(createdAt);
      expect((await sender.create({ name: 'Ana Ruiz', username: 'ana' })).status, createdAt).toBe('created');
    }
  });

  it('is created, as answered, from a server without a Date header: whether its clock runs behind cannot be told', async () => {
    const { createServer } = await import('node:http');
    // Every create answered 200, its createdAt on a clock ten minutes behind ours, and no Date header.
    const server = createServer((request, response) => {
      response.sendDate = false;
      response.setHeader('content-type', 'application/json');
      const createdAt = new Date(Date.now() - 600_000).toISOString();
      response.end(JSON.stringify({ customer: { id: 'cus_nuevo', name: 'Ana Ruiz', username: 'ana', createdAt, updatedAt: createdAt } }));
    });
    const sender = await doubleSender(server);
    expect(await sender.create({ name: 'Ana Ruiz', username: 'ana' })).toEqual({ status: 'created', customerId: 'cus_nuevo' });
  });
});

describe('an API that ignores the filter (the document does not rule it out): a look-up answers every customer, a page of them', () => {
  /** `others` customers of other usernames, created before the ones a test looks for. */
  const others = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `Otro Cliente ${i}`, username: `otro.${i}`, email: `otro${i}@x.mx` }));
  /** The `skip` of each listing of every customer (an unfiltered GET /customers), and the look-ups, as the simulator saw them. */
  function recorder() {
    const seen = { listings: [] as number[], filtered: 0 };
    const onRequest = (event: { method: string; url: string }) => {
      if (event.method !== 'GET' || !event.url.startsWith('/v1/customers?')) return;
      const query = new URLSearchParams(event.url.slice(event.url.indexOf('?') + 1));
      if (query.has('filter')) seen.filtered++;
      else seen.listings.push(Number(query.get('skip') ?? 0));
    };
    return { seen, onRequest };
  }

  it('a taken username past the first page, refused 400 with an empty body, is exists: found in a listing read once for every row', async () => {
    const { seen, onRequest } = recorder();
    const { sim, sender } = await simulated({ ignoreFilter: true, conflictStatus: 400, conflictWithoutReason: true, onRequest });
    sim.store.seed(others(150));
    const ours = sim.store.seed(Array.from({ length: 20 }, (_, i) => ({ name: `Alumno ${i}`, username: `alumno.${i}` })));
    for (const [i, customer] of ours.entries()) {
      expect(await sender.create({ name: `Alumno ${i}`, username: `alumno.${i}` })).toMatchObject({ status: 'exists', customerId: customer.id, customer: { username: `alumno.${i}` } });
    }
    // One look-up showed the filter ignored; every row after went to the listing, read once (two
    // pages and the empty one); each customer found there is fetched by id, as a look-up would.
    expect(seen).toEqual({ listings: [0, 100, 170], filtered: 1 });
    expect(sim.stats.byRoute['GET /customers/:id']).toBe(20);
    expect(sim.stats.byRoute['POST /customers']).toBe(20);
    expect(sim.store.size).toBe(170);
    // Refused for its email, a username nobody holds: not in the listing, read again from near its end (one page), and failed with the API's words.
    const refused = await sender.create({ name: 'Beto', username: 'beto', email: 'beto@' } as never);
    expect(refused).toEqual({ status: 'failed', error: expect.stringMatching(/^HTTP 400: .*email/i) });
    expect(seen.listings).toEqual([0, 100, 170, 160]);
    expect(sender.ignoresUsernameFilter).toBe(true);
  });

  it('a lost create is found in the listing read again from near its end, never sent twice', async () => {
    const { seen, onRequest } = recorder();
    const { sim, sender } = await simulated({ ignoreFilter: true, cutAfterCreateRate: 1, onRequest });
    sim.store.seed(others(150));
    for (const i of [1, 2, 3]) {
      const outcome = await sender.create({ name: `Alumno ${i}`, username: `alumno.${i}` });
      expect(outcome, outcome.error).toMatchObject({ status: 'created', customerId: sim.store.byUsername(`alumno.${i}`)!.id });
    }
    expect(sim.stats.byRoute['POST /customers']).toBe(3);
    expect(sim.store.size).toBe(153);
    // The first lost answer: one look-up, then the whole listing (it ended at 151). Each later one
    // lacks its own customer, created after the listing: read from 10 before its end (the customers
    // listed before show the order held), then the empty page.
    expect(seen).toEqual({ listings: [0, 100, 151, 141, 152, 142, 153], filtered: 1 });
  });

  it('a lost create is found in the listing read again when the API caps its pages at fewer customers than the overlap read again', async () => {
    // Pages of 5: the tail's first pages hold only customers listed before (the 10 read again on
    // purpose). Before: taken for the list's end, each lost create was "not found" and failed.
    const { seen, onRequest } = recorder();
    const { sim, sender } = await simulated({ ignoreFilter: true, cutAfterCreateRate: 1, pageSizeCap: 5, onRequest });
    sim.store.seed(others(12));
    for (const i of [1, 2, 3]) {
      const outcome = await sender.create({ name: `Alumno ${i}`, username: `alumno.${i}` });
      expect(outcome, outcome.error).toMatchObject({ status: 'created', customerId: sim.store.byUsername(`alumno.${i}`)!.id });
    }
    expect(sim.stats.byRoute['POST /customers']).toBe(3);
    expect(sim.store.size).toBe(15);
    // The whole listing (it ended at 13); then from 10 before each end: two pages listed before, then the new one, then the empty page.
    expect(seen).toEqual({ listings: [0, 5, 10, 13, 3, 8, 13, 14, 4, 9, 14, 15], filtered: 1 });
  });

  it('a read of the listing\'s tail that fails part-way is taken up where it failed: a username past that page is still found', async () => {
    const { seen, onRequest } = recorder();
    const { sim, sender, client } = await simulated({ ignoreFilter: true, onRequest });
    sim.store.seed(others(150));
    sim.store.seed([{ name: 'Alumno 0', username: 'alumno.0' }]);
    expect(await sender.create({ name: 'Alumno 0', username: 'alumno.0' })).toMatchObject({ status: 'exists' });
    expect(seen.listings).toEqual([0, 100, 151]);
    // 250 customers created since, the last one this row's: its tail is three pages.
    sim.store.seed(Array.from({ length: 250 }, (_, i) => ({ name: `Nuevo ${i}`, username: `nuevo.${i}` })));
    const [late] = sim.store.seed([{ name: 'Tarde', username: 'tarde' }]);
    // Its third page refused once (a 4xx is not retried).
    const listCustomers = client.listCustomers.bind(client);
    let refusals = 0;
    client.listCustomers = (skip, take) => (skip === 341 && refusals++ === 0 ? Promise.resolve({ status: 400, body: '' }) : listCustomers(skip, take));
    expect(await sender.create({ name: 'Tarde', username: 'tarde' })).toMatchObject({ status: 'failed', error: expect.stringMatching(/listing customers: HTTP 400/) });
    expect(seen.listings).toEqual([0, 100, 151, 141, 241]);
    // Read again from near the page that failed, not from the old end (whose pages it holds now, taken for the list's end).
    expect(await sender.create({ name: 'Tarde', username: 'tarde' })).toMatchObject({ status: 'exists', customerId: late!.id });
    expect(seen.listings).toEqual([0, 100, 151, 141, 241, 331, 402]);
    expect(sim.store.size).toBe(402);
  });

  it('a lost create without a username is looked for among all the customers created since, not the newest page only', async () => {
    // Before: the page of the 100 newest held none of its name, so it was "likely not created", inviting a second import.
    const { seen, onRequest } = recorder();
    const { sim, sender } = await simulated({ ignoreFilter: true, onRequest });
    const sentAt = Date.now() - 60_000;
    const [earlier] = sim.store.seed([{ name: 'Ana Ruiz', email: 'ana@x.mx' }]);
    earlier!.createdAt = new Date(sentAt - 3_600_000).toISOString(); // an earlier import's: not this row's
    const [ours] = sim.store.seed([{ name: 'Ana Ruiz', email: 'ana@x.mx' }]);
    sim.store.seed(others(150));
    expect(await sender.create({ name: 'ANA RUIZ', email: 'ana@x.mx' }, { mayExist: true, earlierAttemptAt: sentAt })).toEqual({ status: 'created', customerId: ours!.id });
    // The name look-up (ignored), then the newest first until one created before the try.
    expect(seen).toEqual({ listings: [0, 100], filtered: 1 });
    expect(sim.stats.byRoute['POST /customers']).toBe(0);
    // Known to ignore it now: the next one reads the newest straight.
    const beto = await sender.create({ name: 'Beto Paz', phoneNumber: '+525587654321' }, { mayExist: true, earlierAttemptAt: sentAt });
    expect(beto.error).toMatch(/^outcome unknown: .*no customer with its name, email and phone was created since it was sent, so it was likely not created/);
    expect(seen).toEqual({ listings: [0, 100, 0, 100], filtered: 1 });
  });

  it('finds a lost create without a username in an organization whose every customer was created since, while other rows create more', async () => {
    // A first import, 8 rows at once: each page read of the newest pushes the oldest into the next.
    // Before: each such page held one or two customers seen already, and the ten pages ran out: unknown.
    let pushed = 0;
    const { seen, onRequest } = recorder();
    const { sim, sender } = await simulated({
      ignoreFilter: true,
      onRequest: (event) => {
        onRequest(event);
        if (event.method === 'GET' && event.url.includes('orderBy=createdAt%3Ddesc') && !event.url.includes('filter=') && pushed++ < 30) sim.store.seed([{ name: `Otro ${pushed}` }]);
      },
    });
    const sentAt = Date.now() - 60_000;
    sim.store.seed(Array.from({ length: 5 }, (_, i) => ({ name: `Alumno ${i}` })));
    const [ours] = sim.store.seed([{ name: 'Ana Ruiz', email: 'ana@x.mx' }]);
    const outcome = await sender.create({ name: 'Ana Ruiz', email: 'ana@x.mx' }, { mayExist: true, earlierAttemptAt: sentAt });
    expect(outcome, outcome.error).toEqual({ status: 'created', customerId: ours!.id });
    // The first page (6), then the one holding the customer it pushed down, shorter: the list's end.
    expect(seen.listings).toEqual([0, 6]);
    expect(sim.stats.byRoute['POST /customers']).toBe(0);
  });

  it('says the outcome of a lost create without a username is unknown when more customers were created since than it reads', async () => {
    const { sim, sender } = await simulated({ ignoreFilter: true });
    const sentAt = Date.now() - 60_000;
    sim.store.seed([{ name: 'Ana Ruiz', email: 'ana@x.mx' }]);
    sim.store.seed(others(1_000));
    const outcome = await sender.create({ name: 'Ana Ruiz', email: 'ana@x.mx' }, { mayExist: true, earlierAttemptAt: sentAt });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^outcome unknown: .*it ignores the filter.*could not all be read \(more than 1000, or not listed newest first\); it may have been created/);
    expect(outcome.error).not.toMatch(/likely not created/);
    expect(sim.stats.byRoute['POST /customers']).toBe(0);
  });
});

describe('the retry wait (--max-retry-wait) bounds every wait of a row', () => {
  it('a 429 whose Retry-After is longer than any row may wait stops the run at once, naming it (exit 2, the rest not attempted)', async () => {
    // One request per 50 s: the second gets 429 with Retry-After: 50, and rows may wait 5 s.
    const { sim, sender } = await simulated({ rateLimit: 0.02 }, { maxRetryWaitMs: 5_000 });
    const started = Date.now();
    expect((await sender.create({ name: 'Ana', username: 'ana' })).status).toBe('created');
    const limited = await sender.create({ name: 'Beto', username: 'beto' }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ImportError);
    expect(limited).toMatchObject({
      code: 'rate_limited',
      message: 'the API answered 429 (too many requests) and asks to wait 50 s (Retry-After), longer than a row may wait (5 s, --max-retry-wait): the run stops here; run the same command again after that, to resume',
    });
    expect(await sender.create({ name: 'Carla', username: 'carla' }).catch((error: unknown) => error)).toBe(limited);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
  });

  it('a 429 is no failed try: rows of a rate-limited API wait their turn, however many 429s, and none fails', async () => {
    const { sim, sender } = await simulated({ random429Rate: 0.6, random429RetryAfter: 0, seed: 3 }, { maxAttempts: 2, maxRetryWaitMs: 20_000 });
    const outcomes = [];
    for (let row = 0; row < 20; row++) outcomes.push((await sender.create({ name: `Alumno ${row}`, username: `alumno${row}` })).status);
    expect(outcomes).toEqual(Array.from({ length: 20 }, () => 'created'));
    // Rows saw more 429s than their two tries: before, those rows failed "gave up after retries".
    expect(sim.stats.rateLimited).toBeGreaterThan(20);
    expect(sim.store.size).toBe(20);
  });

  it('an API answering only 429 for longer than a row may wait stops the run', async () => {
    const { sender } = await simulated({ random429Rate: 1, random429RetryAfter: 0 }, { maxRetryWaitMs: 300, maxAttempts: 1_000 });
    const started = Date.now();
    let stopped: unknown;
    for (let row = 0; !(stopped instanceof ImportError) && Date.now() - started < 5_000; row++) {
      stopped = await sender.create({ name: `Alumno ${row}`, username: `alumno${row}` }).catch((error: unknown) => error);
    }
    expect(stopped).toBeInstanceOf(ImportError);
    expect((stopped as ImportError).code).toBe('rate_limited');
    expect((stopped as Error).message).toMatch(/^the API has answered only 429 \(too many requests\) for \d+ s: the run stops here/);
  });

  it('a stop wakes a row waiting out a long pause at once', async () => {
    const { sender } = await simulated({ rateLimit: 0.02 });
    await sender.create({ name: 'Ana', username: 'ana' });
    const started = Date.now();
    const waiting = sender.create({ name: 'Beto', username: 'beto' }).catch((error: unknown) => error);
    setTimeout(() => sender.stop(), 200);
    expect(await waiting).toBeInstanceOf(SendStoppedError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('waits out the Retry-After of a 503 before asking again', async () => {
    const seen: Seen[] = [];
    const { sender } = await simulated(
      { errorRate: 1, unavailableRetryAfter: 1, onRequest: (event) => seen.push({ arrived: performance.now() - event.durationMs, answered: performance.now(), outcome: event.outcome }) },
      { maxAttempts: 4 },
    );
    const failure = await sender.findByUsername('ana').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LookupError);
    expect(seen).toHaveLength(4);
    expect(seen.some((request) => request.outcome === 503)).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      if (seen[i - 1]!.outcome === 503) expect(seen[i]!.arrived - seen[i - 1]!.answered).toBeGreaterThanOrEqual(990);
    }
  });

  it('a 503 whose Retry-After is longer than any row may wait stops the run, naming the Retry-After', async () => {
    const { sender } = await simulated({ errorRate: 1, unavailableRetryAfter: 30 }, { maxRetryWaitMs: 2_000 });
    const failure = await sender.findByUsername('ana').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect(failure).toMatchObject({ code: 'api_unreachable', message: expect.stringMatching(/^the API is unavailable \(503\) and asks to wait 30 s \(Retry-After\), longer than a row may wait \(2(\.0)? s, --max-retry-wait\)/) });
  });
});

describe('an API where every request fails for --max-retry-wait: the run stops (exit 2)', () => {
  it('stops every sender once requests have failed that long, counted from the first failure', async () => {
    const { sender } = await simulated({ errorRate: 1 }, { maxRetryWaitMs: 300, maxAttempts: 100 });
    // Rows spend their own retry wait and give up (LookupError) until a request finds the API failing
    // for longer than that: on a loaded machine that may be the first row's last request or a later one's.
    const started = Date.now();
    let stopped: unknown;
    for (let row = 0; !(stopped instanceof ImportError) && Date.now() - started < 5_000; row++) {
      stopped = await sender.findByUsername(`alumno${row}`).catch((error: unknown) => error);
      if (!(stopped instanceof ImportError)) expect(stopped).toBeInstanceOf(LookupError);
    }
    expect(stopped).toBeInstanceOf(ImportError);
    expect(stopped).toMatchObject({ code: 'api_unreachable', message: expect.stringMatching(/^every request to the API has failed for \d+ s \(.*HTTP 5\d\d/) });
    expect(await sender.create({ name: 'Carla', username: 'carla' }).catch((error: unknown) => error)).toBe(stopped);
  });

  it('a quiet stretch with nothing sent is no failure: one 5xx after it is retried as usual', async () => {
    let failOnce = false;
    const { sim, sender } = await simulated({ onRequest: () => failOnce && ((failOnce = false), sim.setFaults({ errorRate: 0 })) }, { maxRetryWaitMs: 300 });
    expect(await sender.findByUsername('ana')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 500)); // rows refused or already done: nothing sent
    failOnce = true;
    sim.setFaults({ errorRate: 1 });
    expect(await sender.findByUsername('beto')).toBeUndefined();
    expect(sim.stats.requests).toBe(3);
  });

  it('a 503 pause the API asked for is part of the failure: it does not start the count again', async () => {
    // Down for maintenance: every request answered 503 with Retry-After: 1, longer than any backoff here.
    const { sender } = await simulated({ errorRate: 1, unavailableRetryAfter: 1 }, { maxRetryWaitMs: 1_500, maxDelayMs: 100 });
    const started = Date.now();
    let outcome: unknown;
    for (let row = 0; Date.now() - started < 8_000; row++) {
      outcome = await sender.create({ name: `Alumno ${row}` }).catch((error: unknown) => error);
      if (outcome instanceof ImportError) break;
    }
    expect(outcome).toMatchObject({ code: 'api_unreachable' });
  });

  it('a quiet stretch after a failure starts the count again: two isolated failures are no outage', async () => {
    // A row that fails once and gives up (one attempt allowed), then rows that send nothing for longer than a backoff.
    const { sender } = await simulated({ errorRate: 1 }, { maxRetryWaitMs: 300, maxAttempts: 1 });
    expect(await sender.findByUsername('ana').catch((error: unknown) => error)).toBeInstanceOf(LookupError);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sender.findByUsername('beto').catch((error: unknown) => error)).toBeInstanceOf(LookupError);
  });

  it('our own stop cutting a request in flight is no outage, however long the API has been failing', async () => {
    // The first request fails; the look-up that follows hangs until the stop cuts it.
    const { sim, sender, client } = await simulated(
      { errorRate: 1, onRequest: () => sim.setFaults({ errorRate: 0, hangRate: 1 }) },
      { maxRetryWaitMs: 200 },
    );
    const cut = sender.create({ name: 'Ana', username: 'ana' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 400));
    sender.stop();
    await client.destroy();
    expect(await cut).not.toBeInstanceOf(ImportError);
    // Nor is it counted among the requests the API left unanswered.
    expect(sender.requestFailures).toEqual({ rateLimited: 0, serverError: 1, noAnswer: 0 });
  });
});
