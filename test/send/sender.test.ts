import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, Sender, type RetryPolicy } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { inTimeZone } from '../time-zone.js';

// An API double that the docs do not rule out: it decodes the filter only once (so a qs-encoded
// value stays encoded) and holds usernames without case. The sender must still find its customers.

interface Held {
  id: string;
  name: string;
  username: string;
}

let server: Server | undefined;
let client: QuentliClient | undefined;

afterEach(async () => {
  await client?.close();
  await new Promise((resolve) => server?.close(resolve));
  server = client = undefined;
});

/** Listens `server` on a free port and returns a sender for it (and sets `client`, closed after each test). */
async function listening(policy: Partial<RetryPolicy> = {}): Promise<Sender> {
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  client = new QuentliClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 2 });
  return new Sender(client, new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, ...policy });
}

async function looseApi(
  held: Held[],
  options: { takenStatus?: number; takenMessage?: string; storeLowerCase?: boolean; exactFilter?: boolean } = {},
): Promise<{ sender: Sender; filters: string[]; listings: number[] }> {
  const filters: string[] = [];
  /** The `skip` of each unfiltered GET /customers (a page of the whole list). */
  const listings: number[] = [];
  server = createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    response.setHeader('content-type', 'application/json');
    if (request.method === 'GET') {
      const byId = /^\/v1\/customers\/([^/]+)$/.exec(url.pathname);
      if (byId) {
        response.end(JSON.stringify(held.find((customer) => customer.id === decodeURIComponent(byId[1]!)) ?? null));
        return;
      }
      const filter = url.searchParams.get('filter');
      if (filter === null) {
        const skip = Number(url.searchParams.get('skip') ?? 0);
        listings.push(skip);
        response.end(JSON.stringify(held.slice(skip, skip + Number(url.searchParams.get('take') ?? 20))));
        return;
      }
      filters.push(filter);
      const value = filter.replace(/^username\[equals\]=/, ''); // no second decoding
      const equal = (username: string) => (options.exactFilter ? username === value : username.toLowerCase() === value.toLowerCase());
      response.end(JSON.stringify(held.filter((customer) => equal(customer.username))));
      return;
    }
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { input } = JSON.parse(body) as { input: { name: string; username: string } };
      if (held.some((customer) => customer.username.toLowerCase() === input.username.toLowerCase())) {
        response.statusCode = options.takenStatus ?? 409;
        response.end(JSON.stringify({ message: options.takenMessage ?? 'username taken' }));
        return;
      }
      const customer = { id: `cus_${held.length + 1}`, ...input, ...(options.storeLowerCase ? { username: input.username.toLowerCase() } : {}) };
      held.push(customer);
      response.statusCode = 201;
      response.end(JSON.stringify({ customer }));
    });
  });
  const sender = await listening();
  return { sender, filters, listings };
}

describe('Sender look-ups against a looser API', () => {
  it('tries a create 10 times by default, the key check 6: 30% of 5xx fails no row, a wrong address is said in seconds', async () => {
    const requests = { posts: 0, checks: 0 };
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'POST') {
        requests.posts++;
        response.statusCode = 503;
        response.end('{"error":"down"}');
      } else if (request.url!.includes('filter=')) {
        response.end('[]'); // the look-up before each resend: not created
      } else {
        requests.checks++;
        response.statusCode = 503;
        response.end('{"error":"down"}');
      }
    });
    const sender = await listening({ maxDelayMs: 2 });
    await expect(sender.checkAccess()).rejects.toThrow(/gave up after retries: HTTP 503/);
    expect(requests.checks).toBe(6);
    expect(await sender.create({ name: 'Ana Ruiz', username: 'aruiz' })).toMatchObject({ status: 'failed', error: expect.stringMatching(/^gave up after retries: HTTP 503/) });
    expect(requests.posts).toBe(10);
  });

  it('finds a username with @ and + when the API decodes the filter once', async () => {
    const { sender, filters } = await looseApi([{ id: 'cus_1', name: 'Ana', username: 'ana+tutor@escuela.mx' }]);
    expect((await sender.findByUsername('ana+tutor@escuela.mx'))?.id).toBe('cus_1');
    expect(filters).toEqual(['username[equals]=ana%2Btutor%40escuela.mx', 'username[equals]=ana+tutor@escuela.mx']);
    expect(await sender.findByUsername('nadie@escuela.mx')).toBeUndefined();
  });

  it('reports exists with the id when the API says a username differing in case is taken', async () => {
    const { sender } = await looseApi([{ id: 'cus_1', name: 'Ana', username: 'APerez' }]);
    expect(await sender.create({ name: 'Ana', username: 'aperez' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
  });

  it('reports exists with the id when an API storing usernames in lower case refuses a taken one with 422', async () => {
    const { sender } = await looseApi([], { takenStatus: 422, storeLowerCase: true });
    expect(await sender.create({ name: 'Familia Pérez', username: 'Fam.Perez1' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
    expect(await sender.create({ name: 'Familia Pérez', username: 'Fam.Perez1' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
  });

  it('after a 400 or 422 saying the username is taken, looks for it in lower case too (an API storing it so, its filter exact)', async () => {
    const { sender, listings } = await looseApi([], { takenStatus: 422, takenMessage: 'username already exists', storeLowerCase: true, exactFilter: true });
    expect(await sender.create({ name: 'Familia Pérez', username: 'Fam.Perez1' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
    expect(await sender.create({ name: 'Familia Pérez', username: 'Fam.Perez1' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    expect(listings).toEqual([]);
  });

  it('finds a customer held in another case by an API whose filter compares case, listing the customers once a run', async () => {
    const held = [
      { id: 'cus_1', name: 'Ana Uno', username: 'ANA.UNO' },
      { id: 'cus_2', name: 'Beto Dos', username: 'Beto.Dos' },
      ...Array.from({ length: 150 }, (_, i) => ({ id: `cus_${i + 3}`, name: `Otro ${i}`, username: `otro.${i}` })),
    ];
    const { sender, listings } = await looseApi(held, { exactFilter: true });
    expect(await sender.create({ name: 'Ana Uno', username: 'ana.uno' })).toMatchObject({ status: 'exists', customerId: 'cus_1', customer: { username: 'ANA.UNO' } });
    expect(await sender.create({ name: 'Beto Dos', username: 'beto.dos' })).toMatchObject({ status: 'exists', customerId: 'cus_2' });
    expect(listings).toEqual([0, 100, 152]); // two pages, then the empty one: once for both rows
    // Refused for another reason (no word of a taken name): no listing.
    await client!.close();
    await new Promise((resolve) => server!.close(resolve));
    const refused = await looseApi([{ id: 'cus_1', name: 'Ana', username: 'ANA' }], { exactFilter: true, takenStatus: 422, takenMessage: 'email is invalid' });
    expect(await refused.sender.create({ name: 'Ana', username: 'ana' })).toEqual({ status: 'failed', error: 'HTTP 422: email is invalid' });
    expect(refused.listings).toEqual([]);
  });

  it('after a 400 or 422, takes a match differing in case only when the filter returned nothing else', async () => {
    // An API whose filter answers every customer (it ignores the filter) holds no name equal to ours.
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') {
        response.end(JSON.stringify([{ id: 'cus_1', name: 'Ana', username: 'APEREZ' }, { id: 'cus_2', name: 'Luis', username: 'lgomez' }]));
        return;
      }
      request.resume();
      request.on('end', () => {
        response.statusCode = 422;
        response.end(JSON.stringify({ message: 'email is invalid' }));
      });
    });
    const sender = await listening();
    expect(await sender.create({ name: 'Ana', username: 'aperez' })).toEqual({ status: 'failed', error: expect.stringContaining('email is invalid') });
  });

  it('after a 5xx that stored the customer, a 400 or 422 of any words finds it in lower case: created, with its id', async () => {
    // Stores usernames in lower case, answers the first create 502 after storing it, refuses the
    // resend with a body that names no username (RFC 9457's bare title), and its filter compares case.
    const held: (Held & { createdAt: string })[] = [];
    let posts = 0;
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      const url = new URL(request.url!, 'http://localhost');
      if (request.method === 'GET') {
        const value = url.searchParams.get('filter')?.replace(/^username\[equals\]=/, '');
        response.end(JSON.stringify(held.filter((customer) => value === undefined || customer.username === decodeURIComponent(value))));
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { input } = JSON.parse(body) as { input: { name: string; username: string } };
        posts++;
        if (held.some((customer) => customer.username === input.username.toLowerCase())) {
          response.statusCode = 422;
          response.end(JSON.stringify({ type: 'about:blank', title: 'Unprocessable Entity', status: 422 }));
          return;
        }
        held.push({ id: `cus_${held.length + 1}`, name: input.name, username: input.username.toLowerCase(), createdAt: new Date().toISOString() });
        response.statusCode = 502;
        response.end('<html><title>502 Bad Gateway</title></html>');
      });
    });
    const sender = await listening();
    expect(await sender.create({ name: 'Mario Núñez', username: 'MNunez.2025' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
    expect(posts).toBe(2);
    expect(held).toHaveLength(1);
  });

  it('after a 5xx that stored nothing, a 400/422 about something else never takes an older customer held in lower case', async () => {
    // Holds `ana.uno` since 2020, its filter compares case; the first create fails (502, nothing
    // stored), the second is refused for its email. `Ana.Uno` is someone else.
    const held: (Held & { createdAt?: unknown })[] = [{ id: 'cus_lower', name: 'Ana Uno', username: 'ana.uno', createdAt: '2020-03-01T10:00:00.000Z' }];
    let posts = 0;
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') {
        const value = new URL(request.url!, 'http://localhost').searchParams.get('filter')?.replace(/^username\[equals\]=/, '');
        response.end(JSON.stringify(held.filter((customer) => value === undefined || customer.username === decodeURIComponent(value))));
        return;
      }
      request.resume();
      request.on('end', () => {
        response.statusCode = ++posts === 1 ? 502 : 422;
        response.end(JSON.stringify({ message: posts === 1 ? 'bad gateway' : 'email has already been taken' }));
      });
    });
    const sender = await listening();
    // Created in 2020 (ISO or Unix time), with no creation date, or one that is not a date (a compact date, microseconds): not known to be ours.
    for (const createdAt of ['2020-03-01T10:00:00.000Z', Date.parse('2020-03-01T10:00:00.000Z'), undefined, 'hoy', true, '202412011230', Date.now() * 1000]) {
      held[0]!.createdAt = createdAt;
      posts = 0;
      expect(await sender.create({ name: 'Ana Uno', username: 'Ana.Uno', email: 'papa.uno@gmail.com' }), String(createdAt)).toEqual({
        status: 'failed',
        error: 'HTTP 422: email has already been taken',
      });
    }
  });

  it('reads a list of field errors part by part: a taken email beside an invalid username, or a user that must exist, is no taken username', async () => {
    // A username ending in "no" before "existe" is still a taken one.
    {
      const { sender } = await looseApi([{ id: 'cus_m', name: 'Luis Moreno', username: 'fam.moreno' }], { exactFilter: true, takenStatus: 422, takenMessage: 'El usuario Fam.Moreno existe' });
      expect(await sender.create({ name: 'Luis Moreno', username: 'Fam.Moreno' })).toMatchObject({ status: 'exists', customerId: 'cus_m' });
    }
    for (const takenMessage of ['email: has already been taken; username: is invalid', 'user: must exist', 'username does not exist', "username doesn't exist"]) {
      if (server) {
        await client!.close();
        await new Promise((resolve) => server!.close(resolve));
      }
      const { sender, listings } = await looseApi([{ id: 'cus_1', name: 'Ana', username: 'APEREZ' }], { exactFilter: true, takenStatus: 422, takenMessage });
      expect(await sender.create({ name: 'Ana', username: 'aperez' }), takenMessage).toEqual({ status: 'failed', error: `HTTP 422: ${takenMessage}` });
      expect(listings).toEqual([]);
    }
  });

  it('never takes a customer differing in case for one of its own lost creates', async () => {
    const { sender } = await looseApi([{ id: 'cus_1', name: 'Ana', username: 'APerez' }]);
    expect(await sender.findByUsername('aperez')).toBeUndefined();
  });
});

describe('Sender after a lost answer, against an API whose clock runs behind', () => {
  /**
   * Stores each create, then cuts the connection: the answer is lost. Its clock (Date, createdAt) runs
   * `behindMs` late; `stamp` writes its createdAt.
   */
  async function laggingApi(behindMs: number, held: (Held & { createdAt: string })[], stamp = (ms: number) => new Date(ms).toISOString()): Promise<Sender> {
    server = createServer((request, response) => {
      const serverNow = Date.now() - behindMs;
      response.setHeader('date', new Date(serverNow).toUTCString());
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') {
        const filter = new URL(request.url!, 'http://localhost').searchParams.get('filter') ?? '';
        const value = decodeURIComponent(filter.replace(/^username\[equals\]=/, ''));
        response.end(JSON.stringify(held.filter((customer) => customer.username === value)));
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { input } = JSON.parse(body) as { input: { name: string; username: string } };
        held.push({ id: `cus_${held.length + 1}`, ...input, createdAt: stamp(serverNow) });
        request.socket.destroy();
      });
    });
    return listening();
  }

  it('reads the customer created by its own lost create as created, the API clock a minute behind', async () => {
    const sender = await laggingApi(60_000, []);
    expect(await sender.create({ name: 'Ana', username: 'ana' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
  });

  it('reads a createdAt written without a zone as UTC: a machine east of UTC still finds its own lost create created', async () => {
    inTimeZone('Asia/Tokyo');
    // A naive timestamp as an API serializes it (`2026-12-03T08:00:00.000`): read in Tokyo's zone it was 9 h before the try.
    const sender = await laggingApi(0, [], (ms) => new Date(ms).toISOString().replace('Z', ''));
    expect(await sender.create({ name: 'Ana', username: 'ana' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
  });

  it('still reads a customer created last night as there before', async () => {
    const lastNight = new Date(Date.now() - 60_000 - 86_400_000).toISOString();
    const sender = await laggingApi(60_000, [{ id: 'cus_1', name: 'Carla', username: 'carla', createdAt: lastNight }]);
    // Last night's run sent it an hour before it was killed; tonight's resumed run finds the customer.
    expect(await sender.create({ name: 'Carla', username: 'carla' }, { mayExist: true, earlierAttemptAt: Date.now() - 3_600_000 })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
  });
});

describe('Sender after a lost create without a username, against an API answering a missing field as ""', () => {
  /**
   * Stores each create, then answers 500: the customer may exist. The document gives the Customer's
   * fields no types, so this API answers a field the customer lacks as "" (and a phone formatted),
   * where the simulator answers null. `name[contains]` compares case, as Prisma's does by default.
   */
  async function emptyStringApi(held: Record<string, unknown>[], stamp: () => unknown = () => new Date().toISOString()): Promise<{ sender: Sender; posts: () => number }> {
    let posts = 0;
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') {
        const filter = new URL(request.url!, 'http://localhost').searchParams.get('filter') ?? '';
        const name = decodeURIComponent(filter.replace(/^name\[contains\]=/, ''));
        response.end(JSON.stringify(held.filter((customer) => String(customer.name).includes(name)).reverse()));
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        posts++;
        const { input } = JSON.parse(body) as { input: { name: string; email?: string; phoneNumber?: string } };
        const phone = input.phoneNumber?.replace(/^(\+52)(\d\d)(\d{4})(\d{4})$/, '$1 $2 $3 $4') ?? '';
        held.push({ id: `cus_${held.length + 1}`, createdAt: stamp(), username: '', name: input.name, email: input.email ?? '', phoneNumber: phone, secondaryPhoneNumber: '' });
        response.statusCode = 500;
        response.end('{"message":"Internal server error"}');
      });
    });
    return { sender: await listening(), posts: () => posts };
  }

  it('finds the customer its create made: created with its id, not "likely not created" (imported again, it was made twice)', async () => {
    const held: Record<string, unknown>[] = [];
    const { sender, posts } = await emptyStringApi(held);
    expect(await sender.create({ name: 'Sin Correo', phoneNumber: '+525512345678' })).toEqual({ status: 'created', customerId: 'cus_1' });
    expect(await sender.create({ name: 'Sin Teléfono', email: 'sin.telefono@x.mx' })).toEqual({ status: 'created', customerId: 'cus_2' });
    expect(await sender.create({ name: 'Solo Nombre' })).toEqual({ status: 'created', customerId: 'cus_3' });
    expect(posts()).toBe(3);
    // Still never another's: one of the same name just created holding an email the row lacks is not this row's.
    held.push({ id: 'cus_9', createdAt: new Date().toISOString(), username: '', name: 'Nombre Nuevo', email: 'otro@x.mx', phoneNumber: '' });
    expect(await sender.create({ name: 'Nombre Nuevo' })).toEqual({ status: 'created', customerId: 'cus_5' });
    expect(posts()).toBe(4);
  });

  // The document gives createdAt no format: a Unix time unread made a create that landed "likely not created".
  it.each([
    ['milliseconds', () => Date.now()],
    ['seconds', () => Math.floor(Date.now() / 1000) + 1],
    ['milliseconds as digits', () => String(Date.now())],
  ])('reads a createdAt given as a Unix time in %s', async (_, stamp) => {
    const { sender } = await emptyStringApi([], stamp);
    expect(await sender.create({ name: 'Sin Correo', phoneNumber: '+525512345678' })).toEqual({ status: 'created', customerId: 'cus_1' });
  });
});

describe('Sender after a lost create without a username, the name written otherwise since', () => {
  it('finds the customer by its email when the name filter, comparing as written, misses it (JOSE PEREZ for José Pérez)', async () => {
    const held = [{ id: 'cus_1', createdAt: new Date().toISOString(), username: null, name: 'José Pérez', email: 'jose@x.mx', phoneNumber: null }];
    const filters: string[] = [];
    let posts = 0;
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'POST') posts++;
      const filter = new URL(request.url!, 'http://localhost').searchParams.get('filter') ?? '';
      filters.push(filter);
      const [, field, value] = /^(\w+)\[(?:contains|equals)\]=(.*)$/.exec(filter) ?? [];
      const wanted = decodeURIComponent(value ?? '');
      // Compares as written, as Prisma's filters do by default.
      response.end(JSON.stringify(held.filter((customer) => (field === 'name' ? customer.name.includes(wanted) : field === 'email' ? customer.email === wanted : false))));
    });
    const sender = await listening();
    const sentAt = Date.now() - 60_000;
    expect(await sender.create({ name: 'JOSE PEREZ', email: 'jose@x.mx' }, { mayExist: true, earlierAttemptAt: sentAt })).toEqual({ status: 'created', customerId: 'cus_1' });
    expect(posts).toBe(0);
    expect(filters.at(-1)).toBe('email[equals]=jose%40x.mx');
  });
});

describe('Sender conflicts and the listing of every customer', () => {
  it('reads the usual words of a taken username, a database constraint\'s name and Spanish among them', async () => {
    const messages = ['El usuario ya existe', 'duplicate key value violates unique constraint "Customer_username_key"', 'Username has already been taken'];
    for (const [i, message] of messages.entries()) {
      if (i > 0) {
        await client!.close();
        await new Promise((resolve) => server!.close(resolve));
      }
      const { sender } = await looseApi([{ id: 'cus_1', name: 'Ana Uno', username: 'ANA.UNO' }], { exactFilter: true, takenStatus: 422, takenMessage: message });
      expect(await sender.create({ name: 'Ana Uno', username: 'ana.uno' }), message).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    }
  });

  it('takes a 400/422 for a conflict only when its message speaks of the username being taken', async () => {
    const { sender, listings } = await looseApi([{ id: 'cus_1', name: 'Otra familia', username: 'ANA.UNO' }], { exactFilter: true, takenStatus: 422, takenMessage: 'assigneeId does not exist' });
    expect(await sender.create({ name: 'Ana Uno', username: 'ana.uno' })).toEqual({ status: 'failed', error: 'HTTP 422: assigneeId does not exist' });
    expect(listings).toEqual([]);
  });

  it('reads the listing again for a row sent after it was read: a customer created since is found, once for all', async () => {
    const held = [{ id: 'cus_1', name: 'Ana Uno', username: 'ANA.UNO' }];
    const { sender, listings } = await looseApi(held, { exactFilter: true });
    expect(await sender.create({ name: 'Ana Uno', username: 'ana.uno' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    expect(listings).toEqual([0, 1]);
    // Created after that listing (by this run's own lost answer, or anyone): not in it.
    held.push({ id: 'cus_2', name: 'Luis Dos', username: 'LUIS.DOS' });
    expect(await sender.create({ name: 'Luis Dos', username: 'luis.dos' })).toMatchObject({ status: 'exists', customerId: 'cus_2' });
    expect(listings).toEqual([0, 1, 0, 2]);
    // Held all along and refused again: the second listing has it, no third is read.
    expect(await sender.create({ name: 'Ana Uno', username: 'ana.uno' })).toMatchObject({ status: 'exists', customerId: 'cus_1' });
    expect(listings).toEqual([0, 1, 0, 2]);
  });

  it('ends the listing at a page of customers listed before, when the server ignores skip', async () => {
    const held = Array.from({ length: 30 }, (_, i) => ({ id: `cus_${i + 1}`, name: `Alumno ${i}`, username: `alumno.${i}` }));
    let listed = 0;
    server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://localhost');
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') {
        if (url.searchParams.get('filter') === null) listed++;
        // The same customers whatever the skip, shuffled; the filter finds nobody (it compares case).
        response.end(JSON.stringify(url.searchParams.get('filter') === null ? [...held].sort(() => Math.random() - 0.5) : []));
        return;
      }
      request.resume();
      request.on('end', () => {
        response.statusCode = 409;
        response.end(JSON.stringify({ message: 'username taken' }));
      });
    });
    const sender = await listening();
    expect(await sender.create({ name: 'Zoé', username: 'zoe' })).toEqual({ status: 'failed', error: 'HTTP 409: username taken; no customer with username "zoe" was found' });
    expect(listed).toBe(2);
  });

  it('a 503 asking for a long pause after the run was stopped fails only its row, not the run (exit 130 stays 130)', async () => {
    let answer: (() => void) | undefined;
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        answer = () => {
          response.statusCode = 503;
          response.setHeader('retry-after', '600');
          response.end('{}');
        };
      });
    });
    const sender = await listening({ maxRetryWaitMs: 5_000 });
    const creating = sender.create({ name: 'Ana', username: 'ana' }).catch((error: unknown) => error);
    while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));
    sender.stop(); // Ctrl-C
    answer();
    // The row's own outcome (its answer was a 503), never an ImportError that would fail the whole run.
    expect(await creating).toMatchObject({ status: 'failed', error: expect.stringMatching(/^HTTP 503/) });
  });
});

describe('a create answered 2xx without the customer (a gateway\'s page, a cut body)', () => {
  /** An API behind a gateway: POSTs are answered 200 with a page, stored or not as `stores` says; look-ups reach the API. */
  async function behindGateway(stores: boolean): Promise<{ sender: Sender; held: Held[] }> {
    const held: Held[] = [];
    server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://localhost');
      if (request.method === 'GET') {
        response.setHeader('content-type', 'application/json');
        const filter = url.searchParams.get('filter') ?? '';
        const username = /^username\[equals\]=(.*)$/.exec(filter)?.[1];
        response.end(JSON.stringify(username === undefined ? held : held.filter((customer) => customer.username === username)));
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { input } = JSON.parse(body) as { input: { name: string; username: string } };
        if (stores) held.push({ id: `cus_${held.length + 1}`, createdAt: new Date().toISOString(), ...input } as Held);
        response.setHeader('content-type', 'text/html');
        response.end('<html><body>OK</body></html>');
      });
    });
    return { sender: await listening(), held };
  }

  it('is created, with its id, when the look-up by username finds the customer it created', async () => {
    const { sender, held } = await behindGateway(true);
    expect(await sender.create({ name: 'Ana Ruiz', username: 'aruiz' })).toMatchObject({ status: 'created', customerId: 'cus_1' });
    expect(held).toHaveLength(1);
  });

  it('is failed, saying nothing was created, when no customer has the username: never "created" with nothing in Quentli', async () => {
    const { sender } = await behindGateway(false);
    expect(await sender.create({ name: 'Ana Ruiz', username: 'aruiz' })).toEqual({
      status: 'failed',
      error: 'the API answered HTTP 200 without the customer, and no customer has the username "aruiz": it was not created',
    });
  });

  it('without a username, is looked for as a lost answer is: none found is an outcome unknown, not created', async () => {
    const { sender } = await behindGateway(false);
    const outcome = await sender.create({ name: 'Ana Ruiz', email: 'ana@example.com' });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/the API answered HTTP 200 without the customer/);
  });
});
