import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import type { Customer, RunningSimulator } from '../../src/simulator/index.js';
import { call, usernameFilter } from './http.js';

const CUSTOMER_KEYS = [
  'id', 'createdAt', 'updatedAt', 'name', 'username', 'organizationId', 'acceptedServiceAgreement',
  'skipTaxInvoice', 'emailVerified', 'phoneNumberVerified', 'hasChangedPassword', 'email', 'phoneNumber',
  'secondaryPhoneNumber', 'archivedAt', 'archivedById', 'signatureAcceptedAt', 'optedOutWhatsappAt',
  'optedInWhatsappAt', 'startedWhatsappAt', 'replyWithAssistant', 'metadata', 'meta',
];

const FULL_INPUT = {
  name: 'Juan Perez',
  username: 'juan_perez_01',
  email: 'juan@example.com',
  phoneNumber: '+525512345678',
  secondaryPhoneNumber: '+525598765432',
  acceptedServiceAgreement: true,
  skipTaxInvoice: false,
  assigneeId: 'cmab12cd3000x1a2b3c4d5e6f',
  optedOutWhatsappAt: '2025-01-15T10:30:00.000Z',
  metadata: [{ key: 'studentId', value: 'A-1029' }],
  tags: ['VIP', 'Colegiatura'],
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 1 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.store.clear();
  sim.resetStats();
});

function create(input: Record<string, unknown>) {
  return call(sim, 'POST', '/customers', { body: { input } });
}

describe('auth', () => {
  it('refuses a missing or wrong key with 401 and a JSON error', async () => {
    for (const key of [null, 'sk_wrong', 'sk_test_simulatorX']) {
      const reply = await call(sim, 'GET', '/customers', { key });
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const unauthorizedPost = await call(sim, 'POST', '/customers', { key: 'sk_nope', body: { input: { name: 'x' } } });
    expect(unauthorizedPost.status).toBe(401);
    expect(sim.store.size).toBe(0);
  });

  it('says a header in another form than "Bearer <key>" is not that form, rather than missing', async () => {
    const missing = await call(sim, 'GET', '/customers', { key: null });
    expect(missing.json).toEqual({ error: { code: 'unauthorized', message: 'missing Authorization header (Bearer <API key>)' } });
    for (const authorization of [sim.apiKey, 'Basic c2tfdGVzdDo=', `Bearer${sim.apiKey}`]) {
      const reply = await call(sim, 'GET', '/customers', { authorization });
      expect(reply.status, authorization).toBe(401);
      expect(reply.json, authorization).toEqual({ error: { code: 'unauthorized', message: 'Authorization must be "Bearer <API key>"' } });
    }
    expect((await call(sim, 'GET', '/customers', { key: 'sk_wrong' })).json).toMatchObject({ error: { message: 'invalid API key' } });
  });

  it('takes the scheme in any case (RFC 9110, 11.1: `bearer`, `BEARER`)', async () => {
    // `bearer sk_…` was refused: 'Authorization must be "Bearer <API key>"'.
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const reply = await call(sim, 'GET', '/customers', { authorization: `${scheme} ${sim.apiKey}` });
      expect(reply.status, scheme).toBe(200);
    }
    expect((await call(sim, 'GET', '/customers', { authorization: 'bearer sk_wrong' })).json).toMatchObject({ error: { message: 'invalid API key' } });
  });

  it('accepts any configured key and refuses keys not starting with sk_', async () => {
    const other = await startSimulator({ apiKeys: ['sk_live_a', 'sk_live_b'] });
    try {
      expect(other.apiKey).toBe('sk_live_a');
      expect((await call(other, 'GET', '/customers', { key: 'sk_live_b' })).status).toBe(200);
    } finally {
      await other.close();
    }
    await expect(startSimulator({ apiKeys: ['pk_123'] })).rejects.toThrow(/sk_/);
  });
});

describe('POST /customers', () => {
  it('creates with 201 and answers exactly the documented shape, without tags', async () => {
    const reply = await create(FULL_INPUT);
    expect(reply.status).toBe(201);
    const { customer } = reply.json as { customer: Customer };
    expect(Object.keys(customer)).toEqual(CUSTOMER_KEYS);
    expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{20}$/);
    expect(customer).toMatchObject({
      name: 'Juan Perez',
      username: 'juan_perez_01',
      organizationId: 'org_simulator',
      acceptedServiceAgreement: true,
      skipTaxInvoice: false,
      emailVerified: false,
      phoneNumberVerified: false,
      hasChangedPassword: false,
      email: 'juan@example.com',
      phoneNumber: '+525512345678',
      archivedAt: null,
      optedOutWhatsappAt: '2025-01-15T10:30:00.000Z',
      replyWithAssistant: false,
      metadata: [{ key: 'studentId', value: 'A-1029' }],
      meta: { studentId: 'A-1029' },
    });
    expect(new Date(customer.createdAt).toISOString()).toBe(customer.createdAt);
    expect(customer).not.toHaveProperty('tags');
    expect(customer).not.toHaveProperty('assigneeId');
    expect(sim.store.tagsOf(customer.id)).toEqual(['VIP', 'Colegiatura']);
    expect(sim.store.recordOf(customer.id)?.assigneeId).toBe('cmab12cd3000x1a2b3c4d5e6f');
    expect(sim.store.byUsername('juan_perez_01')?.id).toBe(customer.id);
    expect(sim.stats).toMatchObject({ creates: 1, writes: 1, byStatus: { 201: 1 } });
  });

  it('answers in meta every pair of metadata, a __proto__ or constructor key included', async () => {
    const metadata = [{ key: '__proto__', value: 'x' }, { key: 'constructor', value: 'c' }, { key: 'grado', value: '3' }];
    const reply = await create({ name: 'Ana', metadata });
    expect(reply.status).toBe(201);
    const { customer } = reply.json as { customer: Customer };
    expect(customer.metadata).toEqual(metadata);
    expect(Object.entries(customer.meta)).toEqual(metadata.map(({ key, value }) => [key, value]));
  });

  it('fills defaults and nulls for a name-only customer', async () => {
    const reply = await create({ name: 'Ana' });
    expect(reply.status).toBe(201);
    expect((reply.json as { customer: Customer }).customer).toMatchObject({
      username: null,
      email: null,
      phoneNumber: null,
      acceptedServiceAgreement: false,
      metadata: [],
      meta: {},
    });
  });

  it('answers 409 for a taken username and writes nothing', async () => {
    expect((await create({ name: 'A', username: 'dup' })).status).toBe(201);
    const reply = await create({ name: 'B', username: 'dup' });
    expect(reply.status).toBe(409);
    expect(reply.json).toEqual({ error: { code: 'conflict', message: 'username already exists' } });
    expect(sim.store.size).toBe(1);
  });

  it('with usernamesIgnoreCase, answers 409 for a username taken in another case, keeps each as written, and its equals filter compares case', async () => {
    const folding = await startSimulator({ seed: 1, usernamesIgnoreCase: true });
    try {
      expect((await call(folding, 'POST', '/customers', { body: { input: { name: 'Ana', username: 'ANA.UNO' } } })).status).toBe(201);
      expect((await call(folding, 'POST', '/customers', { body: { input: { name: 'Ana', username: 'ana.uno' } } })).status).toBe(409);
      expect((await call(folding, 'GET', `/customers?${usernameFilter('ana.uno')}`)).json).toEqual([]);
      expect((await call(folding, 'GET', `/customers?${usernameFilter('ANA.UNO')}`)).json).toMatchObject([{ username: 'ANA.UNO' }]);
      expect(folding.store.byUsername('ANA.UNO')?.name).toBe('Ana');
      expect(folding.store.size).toBe(1);
    } finally {
      await folding.close();
    }
  });

  it('with phonesWithoutPlus, answers phones without their + everywhere, storing and filtering them as sent', async () => {
    const plain = await startSimulator({ seed: 1, phonesWithoutPlus: true });
    try {
      const created = await call(plain, 'POST', '/customers', { body: { input: { name: 'Ana', phoneNumber: '+525512345678', secondaryPhoneNumber: '+525598765432' } } });
      const { customer } = created.json as { customer: Customer };
      expect(customer).toMatchObject({ phoneNumber: '525512345678', secondaryPhoneNumber: '525598765432' });
      expect((await call(plain, 'GET', '/customers')).json).toMatchObject([{ phoneNumber: '525512345678' }]);
      expect((await call(plain, 'GET', `/customers/${customer.id}`)).json).toMatchObject({ phoneNumber: '525512345678' });
      const filter = encodeURIComponent(`phoneNumber[equals]=${encodeURIComponent('+525512345678')}`);
      expect((await call(plain, 'GET', `/customers?filter=${filter}`)).json).toMatchObject([{ id: customer.id }]);
      expect(plain.store.byId(customer.id)?.phoneNumber).toBe('+525512345678');
    } finally {
      await plain.close();
    }
  });

  it('with ignoreFilter, answers every customer whatever the filter, paged and ordered as asked', async () => {
    const loose = await startSimulator({ seed: 1, ignoreFilter: true, customers: Array.from({ length: 5 }, (_, i) => ({ name: `Alumno ${i}`, username: `alumno.${i}` })) });
    try {
      const usernames = (reply: { json: unknown }) => (reply.json as Customer[]).map((customer) => customer.username);
      expect(usernames(await call(loose, 'GET', `/customers?take=3&${usernameFilter('alumno.4')}`))).toEqual(['alumno.0', 'alumno.1', 'alumno.2']);
      const newest = encodeURIComponent('createdAt=desc');
      expect(usernames(await call(loose, 'GET', `/customers?skip=1&take=2&orderBy=${newest}&${usernameFilter('nadie')}`))).toEqual(['alumno.3', 'alumno.2']);
      // A filter it cannot parse (an unknown field) is still refused, as without the option.
      expect((await call(loose, 'GET', `/customers?filter=${encodeURIComponent('nickname[equals]=x')}`)).status).toBe(400);
    } finally {
      await loose.close();
    }
  });

  it('with conflictWithoutReason, refuses a taken username with an empty body, on create and update', async () => {
    const terse = await startSimulator({ seed: 1, conflictStatus: 400, conflictWithoutReason: true, customers: [{ name: 'Ana', username: 'ana' }, { name: 'Beto', username: 'beto' }] });
    try {
      const refused = await call(terse, 'POST', '/customers', { body: { input: { name: 'Ana', username: 'ana' } } });
      expect([refused.status, refused.json]).toEqual([400, undefined]); // an empty body
      const beto = terse.store.byUsername('beto')!;
      const update = await call(terse, 'PATCH', `/customers/${beto.id}`, { body: { input: { data: { username: 'ana' } } } });
      expect([update.status, update.json]).toEqual([400, undefined]);
      // Other refusals keep their message.
      expect(JSON.stringify((await call(terse, 'POST', '/customers', { body: { input: { name: '' } } })).json)).toContain('input.name');
    } finally {
      await terse.close();
    }
  });

  it('with answerTakenWithHolder, answers a create of a taken username 200 with the customer holding it, and refuses such an update', async () => {
    const finding = await startSimulator({ seed: 1, usernamesIgnoreCase: true, answerTakenWithHolder: true, customers: [{ name: 'Ana', username: 'ana' }, { name: 'Beto', username: 'beto' }] });
    try {
      const ana = finding.store.byUsername('ana')!;
      const taken = await call(finding, 'POST', '/customers', { body: { input: { name: 'Ana Otra', username: 'ANA', email: 'otra@x.mx' } } });
      expect([taken.status, taken.json]).toEqual([200, { customer: ana }]);
      expect(finding.store.size).toBe(2);
      expect(finding.stats.creates).toBe(0);
      // A new username is created as ever.
      expect((await call(finding, 'POST', '/customers', { body: { input: { name: 'Carla', username: 'carla' } } })).status).toBe(201);
      const beto = finding.store.byUsername('beto')!;
      expect((await call(finding, 'PATCH', `/customers/${beto.id}`, { body: { input: { data: { username: 'ana' } } } })).status).toBe(409);
    } finally {
      await finding.close();
    }
  });

  it('with clockOffsetMs, writes createdAt, updatedAt and the Date header by its own clock; with withoutDateHeader, sends no Date header', async () => {
    const behind = await startSimulator({ seed: 1, clockOffsetMs: -600_000 });
    const dateless = await startSimulator({ seed: 1, withoutDateHeader: true });
    try {
      const created = await call(behind, 'POST', '/customers', { body: { input: { name: 'Ana', username: 'ana' } } });
      const { customer } = created.json as { customer: Customer };
      const now = Date.now();
      for (const written of [Date.parse(customer.createdAt), Date.parse(customer.updatedAt), Date.parse(String(created.headers.date))]) {
        expect(Math.abs(written - (now - 600_000))).toBeLessThan(2_000);
      }
      expect((await call(sim, 'GET', '/customers')).headers.date).toBeDefined();
      expect((await call(dateless, 'GET', '/customers')).headers.date).toBeUndefined();
      expect((await call(dateless, 'POST', '/customers', { body: { input: { name: 'Ana' } } })).headers.date).toBeUndefined();
    } finally {
      await behind.close();
      await dateless.close();
    }
  });

  it.each([
    ['unknown field', { name: 'A', nickname: 'x' }, 'input'],
    ['empty-string email', { name: 'A', email: '' }, 'input.email'],
    ['invalid email', { name: 'A', email: 'pedro@' }, 'input.email'],
    ['non-E.164 phone', { name: 'A', phoneNumber: '55 1234 5678' }, 'input.phoneNumber'],
    ['+52 with 11 digits', { name: 'A', phoneNumber: '+5215512345678' }, 'input.phoneNumber'],
    ['missing name', { email: 'a@b.mx' }, 'input.name'],
    ['empty name', { name: '' }, 'input.name'],
    ['string boolean', { name: 'A', acceptedServiceAgreement: 'true' }, 'input.acceptedServiceAgreement'],
    ['date without time', { name: 'A', optedOutWhatsappAt: '2025-01-15' }, 'input.optedOutWhatsappAt'],
    ['metadata as object', { name: 'A', metadata: { a: '1' } }, 'input.metadata'],
    ['metadata value number', { name: 'A', metadata: [{ key: 'a', value: 1 }] }, 'input.metadata.0.value'],
    ['tags as string', { name: 'A', tags: 'VIP' }, 'input.tags'],
    ['null username', { name: 'A', username: null }, 'input.username'],
    ['numeric assigneeId', { name: 'A', assigneeId: 7 }, 'input.assigneeId'],
  ])('answers 400 validation_error for %s', async (_label, input, where) => {
    const reply = await create(input);
    expect(reply.status).toBe(400);
    const { error } = reply.json as { error: { code: string; message: string; issues: unknown[] } };
    expect(error.code).toBe('validation_error');
    expect(error.message.startsWith(`${where}: `)).toBe(true);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(sim.store.size).toBe(0);
  });

  it('refuses a body without input, with unknown top-level fields, bad JSON or the wrong content type', async () => {
    expect((await call(sim, 'POST', '/customers', { body: { name: 'A' } })).status).toBe(400);
    expect((await call(sim, 'POST', '/customers', { body: { input: { name: 'A' }, extra: 1 } })).status).toBe(400);
    const badJson = await call(sim, 'POST', '/customers', { rawBody: '{"input": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ error: { code: 'invalid_json' } });
    const text = await call(sim, 'POST', '/customers', { body: { input: { name: 'A' } }, contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect((await call(sim, 'POST', '/customers', { body: { input: { name: 'A' } }, contentType: 'application/json; charset=utf-8' })).status).toBe(201);
    expect(sim.store.size).toBe(1);
  });

  it('refuses a body that is not UTF-8 (Latin-1 text) with 400, storing nothing, and takes accents sent as UTF-8', async () => {
    const latin1 = await call(sim, 'POST', '/customers', { rawBody: Buffer.from('{"input":{"name":"José"}}', 'latin1'), contentType: 'application/json; charset=latin1' });
    expect(latin1.status).toBe(400);
    expect(latin1.json).toEqual({ error: { code: 'invalid_json', message: 'body is not UTF-8 text (JSON is sent as UTF-8)' } });
    expect(sim.store.size).toBe(0);
    const utf8 = await call(sim, 'POST', '/customers', { rawBody: Buffer.from('{"input":{"name":"José"}}', 'utf8') });
    expect(utf8.status).toBe(201);
    expect(sim.store.all().map((customer) => customer.name)).toEqual(['José']);
  });
});

describe('GET /customers', () => {
  it('rejects take outside 1..100, a negative or non-numeric skip, unknown parameters', async () => {
    for (const query of ['take=0', 'take=101', 'take=abc', 'skip=-1', 'skip=1.5', 'limit=5', 'take=5&take=6']) {
      const reply = await call(sim, 'GET', `/customers?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.json, query).toMatchObject({ error: { code: 'invalid_query' } });
    }
    expect((await call(sim, 'GET', '/customers?take=100')).status).toBe(200);
    expect((await call(sim, 'GET', '/customers?take=1&skip=0')).status).toBe(200);
  });

  it('answers a bare array, 20 by default', async () => {
    sim.store.seed(Array.from({ length: 25 }, (_, i) => ({ name: `N${i}` })));
    const reply = await call(sim, 'GET', '/customers');
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.json)).toBe(true);
    expect((reply.json as Customer[]).map((c) => c.name)).toEqual(Array.from({ length: 20 }, (_, i) => `N${i}`));
  });

  it('finds exactly the customer by a username with @, + and & (double-encoded filter)', async () => {
    const tricky = 'ana+test&co@example.com';
    sim.store.seed([
      { name: 'Ana', username: tricky },
      { name: 'Ana 2', username: 'ana test&co@example.com' },
      { name: 'Ana 3', username: 'ana+test' },
      { name: 'Ana 4', username: 'ANA+TEST&CO@EXAMPLE.COM' },
    ]);
    const reply = await call(sim, 'GET', `/customers?${usernameFilter(tricky)}`);
    expect(reply.status).toBe(200);
    expect((reply.json as Customer[]).map((c) => c.username)).toEqual([tricky]);
    expect((await call(sim, 'GET', `/customers?${usernameFilter('nobody@x.mx')}`)).json).toEqual([]);
    // Encoded only once, the + turns into a space (qs decoding) and the & splits the filter: not found.
    const once = `filter=${encodeURIComponent(`username[equals]=${tricky}`)}`;
    const onceReply = await call(sim, 'GET', `/customers?${once}`);
    expect(onceReply.status === 400 || (onceReply.json as Customer[]).every((c) => c.username !== tricky)).toBe(true);
  });

  it('filters with contains (case-insensitive), by other fields, ANDed', async () => {
    sim.store.seed([
      { name: 'John Smith', email: 'john@a.mx' },
      { name: 'Johnny B', email: 'jb@b.mx' },
      { name: 'Mary', email: 'mary@a.mx' },
    ]);
    const names = async (filter: string) =>
      ((await call(sim, 'GET', `/customers?filter=${encodeURIComponent(filter)}`)).json as Customer[]).map((c) => c.name);
    expect(await names('name[contains]=JOHN')).toEqual(['John Smith', 'Johnny B']);
    expect(await names('name[equals]=john smith')).toEqual([]);
    expect(await names('name[contains]=john&email[contains]=%40a.mx')).toEqual(['John Smith']);
    const id = sim.store.all()[2]!.id;
    expect(await names(`id[equals]=${id}`)).toEqual(['Mary']);
  });

  it('refuses unknown filter fields and operators, including in', async () => {
    for (const filter of ['nickname[equals]=x', 'username[in]=a,b', 'username[startsWith]=a', 'username=a', 'username[equals][x]=a']) {
      const reply = await call(sim, 'GET', `/customers?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(400);
    }
    for (const orderBy of ['email=asc', 'name=up', 'name']) {
      expect((await call(sim, 'GET', `/customers?orderBy=${encodeURIComponent(orderBy)}`)).status, orderBy).toBe(400);
    }
  });

  it('pages stably and completely with skip/take, in every order', async () => {
    const inputs = Array.from({ length: 237 }, (_, i) => ({ name: `Name ${i % 7}`, username: `user${String(i).padStart(3, '0')}` }));
    sim.store.seed(inputs);
    for (const orderBy of [undefined, 'createdAt=desc', 'name=asc', 'name=desc', 'username=desc', 'updatedAt=asc']) {
      const seen: string[] = [];
      for (let skip = 0; ; skip += 50) {
        const query = `skip=${skip}&take=50${orderBy ? `&orderBy=${encodeURIComponent(orderBy)}` : ''}`;
        const page = (await call(sim, 'GET', `/customers?${query}`)).json as Customer[];
        seen.push(...page.map((c) => c.id));
        if (page.length < 50) break;
      }
      expect(seen.length, orderBy).toBe(237);
      expect(new Set(seen).size, orderBy).toBe(237);
      const again = (await call(sim, 'GET', `/customers?skip=100&take=30${orderBy ? `&orderBy=${encodeURIComponent(orderBy)}` : ''}`)).json as Customer[];
      expect(again.map((c) => c.id), orderBy).toEqual(seen.slice(100, 130));
    }
    const all = sim.store.all().map((c) => c.id);
    const desc = (await call(sim, 'GET', `/customers?take=3&orderBy=${encodeURIComponent('createdAt=desc')}`)).json as Customer[];
    expect(desc.map((c) => c.id)).toEqual(all.slice(-3).reverse());
    const byName = (await call(sim, 'GET', `/customers?take=100&orderBy=${encodeURIComponent('name=asc')}`)).json as Customer[];
    const sortedNames = byName.map((c) => c.name);
    expect(sortedNames).toEqual([...sortedNames].sort());
  });
});

describe('GET /customers/{id}', () => {
  it('answers the customer, or the JSON null with 200', async () => {
    const [seeded] = sim.store.seed([{ name: 'Ana', username: 'ana' }]);
    const found = await call(sim, 'GET', `/customers/${seeded!.id}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual(seeded);
    const missing = await call(sim, 'GET', '/customers/cus_doesnotexist000000');
    expect(missing.status).toBe(200);
    expect(missing.json).toBeNull();
  });
});

describe('PATCH /customers/{id}', () => {
  it('merges given fields, replaces metadata, keeps the rest', async () => {
    const created = ((await create(FULL_INPUT)).json as { customer: Customer }).customer;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await call(sim, 'PATCH', `/customers/${created.id}`, {
      body: {
        input: {
          data: { email: 'nuevo@example.com', metadata: [{ key: 'grade', value: '3' }], tags: ['Nuevo'], emailVerified: true },
          otp: '123456',
        },
      },
    });
    expect(reply.status).toBe(200);
    const { customer } = reply.json as { customer: Customer };
    expect(Object.keys(customer)).toEqual(CUSTOMER_KEYS);
    expect(customer).toMatchObject({
      id: created.id,
      name: 'Juan Perez',
      username: 'juan_perez_01',
      phoneNumber: '+525512345678',
      email: 'nuevo@example.com',
      emailVerified: true,
      metadata: [{ key: 'grade', value: '3' }],
      meta: { grade: '3' },
      createdAt: created.createdAt,
    });
    expect(customer.updatedAt > created.updatedAt).toBe(true);
    expect(sim.store.tagsOf(created.id)).toEqual(['Nuevo']);
    expect(sim.stats.updates).toBe(1);
  });

  it('answers 404 for an unknown id, 409 for a taken username, 400 for bad data', async () => {
    const missing = await call(sim, 'PATCH', '/customers/cus_doesnotexist000000', { body: { input: { data: { name: 'X' } } } });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'not_found' } });

    const [a, b] = sim.store.seed([{ name: 'A', username: 'a' }, { name: 'B', username: 'b' }]);
    const taken = await call(sim, 'PATCH', `/customers/${b!.id}`, { body: { input: { data: { username: 'a' } } } });
    expect(taken.status).toBe(409);
    expect(sim.store.byUsername('b')?.id).toBe(b!.id);
    const same = await call(sim, 'PATCH', `/customers/${a!.id}`, { body: { input: { data: { username: 'a', name: 'A2' } } } });
    expect(same.status).toBe(200);
    const renamed = await call(sim, 'PATCH', `/customers/${b!.id}`, { body: { input: { data: { username: 'c' } } } });
    expect(renamed.status).toBe(200);
    expect(sim.store.byUsername('b')).toBeUndefined();
    expect(sim.store.byUsername('c')?.id).toBe(b!.id);

    for (const body of [
      { input: { name: 'x' } },
      { input: { data: { email: '' } } },
      { input: { data: { nickname: 'x' } } },
      { input: { data: {}, extra: 1 } },
      { input: { data: { phoneNumber: '+52551234' } } },
    ]) {
      expect((await call(sim, 'PATCH', `/customers/${a!.id}`, { body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('routing', () => {
  it('answers 404 for unknown routes and 405 for wrong methods', async () => {
    expect((await call(sim, 'GET', '/customer')).status).toBe(404);
    expect((await call(sim, 'GET', '/customers/a/b')).status).toBe(404);
    const wrong = await call(sim, 'DELETE', '/customers/cus_x');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PATCH');
    expect((await call(sim, 'PUT', '/customers')).status).toBe(405);
    expect(sim.stats.byRoute.other).toBe(4);
  });

  it('counts requests by route and status', async () => {
    await create({ name: 'A' });
    await call(sim, 'GET', '/customers');
    await call(sim, 'GET', '/customers/cus_x');
    await call(sim, 'PATCH', '/customers/cus_x', { body: { input: { data: {} } } });
    expect(sim.stats.requests).toBe(4);
    expect(sim.stats.byRoute).toEqual({
      'POST /customers': 1,
      'GET /customers': 1,
      'GET /customers/:id': 1,
      'PATCH /customers/:id': 1,
      other: 0,
    });
    expect(sim.stats.byStatus).toEqual({ 200: 2, 201: 1, 404: 1 });
    expect(sim.stats.inFlight).toBe(0);
  });

  it('answers 413 to a body over 1 MiB, storing nothing, and takes one just under it', async () => {
    const over = await create({ name: 'A', metadata: [{ key: 'nota', value: 'x'.repeat(1024 * 1024) }] });
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(sim.store.size).toBe(0);
    expect((await create({ name: 'A', metadata: [{ key: 'nota', value: 'x'.repeat(1024 * 1024 - 100) }] })).status).toBe(201);
  });
});

describe('store.seed', () => {
  it('validates like the API and refuses duplicates', () => {
    expect(() => sim.store.seed([{ name: '' }])).toThrow(/input|name/);
    expect(() => sim.store.seed([{ name: 'A', username: 'x' }, { name: 'B', username: 'x' }])).toThrow(/username/);
  });
});
