import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../src/simulator/faults.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator, StartSimulatorOptions } from '../../src/simulator/index.js';
import { call } from './http.js';

const started: RunningSimulator[] = [];
async function start(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ seed: 42, ...options });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

const create = (sim: RunningSimulator, input: Record<string, unknown>) =>
  call(sim, 'POST', '/customers', { body: { input } });

describe('startSimulator options', () => {
  it('refuses a misspelt option, which would start it without the fault a test relies on', async () => {
    await expect(startSimulator({ latency: 20 } as StartSimulatorOptions)).rejects.toThrow('unknown simulator option: latency');
  });
});

describe('errorRate', () => {
  it('at 1 answers every request 500/502/503 with a JSON body and writes nothing', async () => {
    const sim = await start({ errorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const reply = await create(sim, { name: `A${i}`, username: `a${i}` });
      expect([500, 502, 503]).toContain(reply.status);
      expect(reply.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      statuses.add(reply.status);
    }
    expect(statuses.size).toBeGreaterThan(1);
    expect(sim.store.size).toBe(0);
    expect(sim.stats).toMatchObject({ writes: 0, injectedErrors: 30 });
  });

  it('at 0.3 fails about that share, reproducibly for a seed', async () => {
    const failures = async () => {
      const sim = await start({ errorRate: 0.3, seed: 7 });
      const result: number[] = [];
      for (let i = 0; i < 100; i++) result.push((await call(sim, 'GET', '/customers?take=1')).status);
      await sim.close();
      return result;
    };
    const first = await failures();
    expect(await failures()).toEqual(first);
    const failed = first.filter((status) => status >= 500).length;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
  });

  it('can be switched on and off while running', async () => {
    const sim = await start();
    expect((await create(sim, { name: 'A' })).status).toBe(201);
    sim.setFaults({ errorRate: 1 });
    expect((await create(sim, { name: 'B' })).status).toBeGreaterThanOrEqual(500);
    sim.setFaults({ errorRate: 0 });
    expect((await create(sim, { name: 'C' })).status).toBe(201);
    expect(sim.store.all().map((c) => c.name)).toEqual(['A', 'C']);
    expect(() => sim.setFaults({ errorRate: 2 })).toThrow(RangeError);
  });
});

describe('rateLimit', () => {
  it('answers 429 with an integer Retry-After ≥ 1 over the limit, and writes nothing for those', async () => {
    const sim = await start({ rateLimit: 5 });
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(sim, { name: `N${i}`, username: `n${i}` })),
    );
    const limited = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    expect(limited).toHaveLength(7);
    for (const reply of limited) {
      const retryAfter = Number(reply.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expect(reply.json).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(sim.store.size).toBe(5);
    expect(sim.stats.rateLimited).toBe(7);
  });

  it('admits again once the window has passed', async () => {
    const sim = await start({ rateLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await call(sim, 'GET', '/customers')).status).toBe(200);
    expect((await call(sim, 'GET', '/customers')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
  });

  it('admits a limit with a fraction at that rate, not its whole part (1.5 and 2.5 a second)', () => {
    for (const limit of [1.5, 2.5, 0.5, 50]) {
      const limiter = new SlidingWindowLimiter(limit);
      // A client asking every 10 ms for 20 s, on the limiter's own clock.
      let admitted = 0;
      for (let now = 0; now < 20_000; now += 10) if (limiter.tryAdmit(now).admitted) admitted++;
      expect(admitted, `limit ${limit}`).toBeGreaterThanOrEqual(limit * 20);
      expect(admitted, `limit ${limit}`).toBeLessThanOrEqual(limit * 20 + Math.max(1, Math.floor(limit)));
    }
  });
});

describe('random429Rate', () => {
  it('answers about that share 429 with Retry-After: 1, whatever the rate, writing nothing for them', async () => {
    const sim = await start({ random429Rate: 0.3, seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const reply = await create(sim, { name: `R${i}`, username: `r${i}` });
      statuses.push(reply.status);
      if (reply.status === 429) expect(reply.headers['retry-after']).toBe('1');
    }
    const limited = statuses.filter((status) => status === 429).length;
    expect(limited).toBeGreaterThan(15);
    expect(limited).toBeLessThan(45);
    expect(statuses.filter((status) => status === 201)).toHaveLength(100 - limited);
    expect(sim.store.size).toBe(100 - limited);
    expect(sim.stats.rateLimited).toBe(limited);
  });

  it('sends random429RetryAfter, 0 included', async () => {
    const sim = await start({ random429Rate: 1, random429RetryAfter: 0 });
    const reply = await call(sim, 'GET', '/customers');
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('0');
    expect(() => sim.setFaults({ random429Rate: 1.5 })).toThrow(RangeError);
  });
});

describe('cutAfterCreateRate', () => {
  it('at 1 stores the customer but the client sees a socket error', async () => {
    const sim = await start({ cutAfterCreateRate: 1 });
    await expect(create(sim, { name: 'Cut', username: 'cut' })).rejects.toThrow();
    expect(sim.store.byUsername('cut')?.name).toBe('Cut');
    expect(sim.stats).toMatchObject({ cuts: 1, creates: 1 });
    // Only successful creates are cut: a conflict is answered, reads are answered.
    expect((await create(sim, { name: 'Cut again', username: 'cut' })).status).toBe(409);
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
    expect(sim.stats.inFlight).toBe(0);
  });
});

describe('latency', () => {
  it('delays every answer by latencyMs', async () => {
    const sim = await start({ latencyMs: 150 });
    const startedAt = performance.now();
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  it('holds every request at least latencyMs from its arrival, by performance.now()', async () => {
    const held: number[] = [];
    const sim = await start({ latencyMs: 7, onRequest: (event) => held.push(event.durationMs) });
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => create(sim, { name: `L${round}.${i}` })));
    }
    expect(held).toHaveLength(80);
    expect(Math.min(...held)).toBeGreaterThanOrEqual(7);
  });

  it('does the work on arrival and holds only the answer, which still comes after the latency', async () => {
    const sim = await start({ latencyMs: 400 });
    const startedAt = performance.now();
    const reply = create(sim, { name: 'Ana Uno', username: 'ana.uno' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.store.size).toBe(1); // stored long before the answer leaves
    expect((await reply).status).toBe(201);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(390);
  });

  it('a client that gives up during the latency leaves its create stored', async () => {
    const sim = await start({ latencyMs: 300 });
    await expect(call(sim, 'POST', '/customers', { body: { input: { name: 'Ana Uno', username: 'ana.uno' } }, timeoutMs: 50 })).rejects.toThrow();
    expect(sim.store.size).toBe(1);
  });

  it('with jitter stays within latency ± jitter', async () => {
    const sim = await start({ latencyMs: 60, latencyJitterMs: 40 });
    for (let i = 0; i < 5; i++) {
      const startedAt = performance.now();
      await call(sim, 'GET', '/customers');
      const took = performance.now() - startedAt;
      expect(took).toBeGreaterThanOrEqual(15);
      expect(took).toBeLessThan(1000);
    }
  });
});

describe('maxInFlight', () => {
  it('is 4 with 4 parallel slow requests, and back to 0 in flight after', async () => {
    const sim = await start({ latencyMs: 200 });
    await Promise.all(Array.from({ length: 4 }, (_, i) => create(sim, { name: `P${i}` })));
    expect(sim.stats.maxInFlight).toBe(4);
    expect(sim.stats.inFlight).toBe(0);
    sim.resetStats();
    for (let i = 0; i < 3; i++) await call(sim, 'GET', '/customers');
    expect(sim.stats.maxInFlight).toBe(1);
  });

  it('drops a request from flight when its client gives up', async () => {
    const sim = await start({ latencyMs: 300 });
    await expect(call(sim, 'GET', '/customers', { timeoutMs: 50 })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.stats.inFlight).toBe(0);
  });
});

describe('hangRate', () => {
  it('at 1 never answers; the client times out; nothing is written', async () => {
    const sim = await start({ hangRate: 1 });
    await expect(call(sim, 'POST', '/customers', { body: { input: { name: 'H' } }, timeoutMs: 200 })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.store.size).toBe(0);
    expect(sim.stats).toMatchObject({ hangs: 1, inFlight: 0, writes: 0 });
  });
});

describe('close()', () => {
  it('resolves promptly with keep-alive connections and hung requests open', async () => {
    const sim = await start();
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    try {
      for (let i = 0; i < 3; i++) {
        const reply = await call(sim, 'GET', '/customers', { dispatcher: agent });
        expect(reply.status).toBe(200);
      }
      sim.setFaults({ hangRate: 1 });
      const hung = request(`${sim.url}/customers`, {
        headers: { authorization: `Bearer ${sim.apiKey}` },
        dispatcher: agent,
      });
      const hungOutcome = hung.then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sim.stats.hangs).toBe(1);
      const startedAt = performance.now();
      await sim.close();
      expect(performance.now() - startedAt).toBeLessThan(1000);
      expect(await hungOutcome).toBe('failed');
    } finally {
      await agent.close().catch(() => undefined);
    }
  });

  it('clears pending latency timers', async () => {
    const sim = await start({ latencyMs: 5_000 });
    const pending = call(sim, 'GET', '/customers').catch(() => 'failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedAt = performance.now();
    await sim.close();
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(await pending).toBe('failed');
  });
});

describe('robustness', () => {
  it('survives a client that drops the connection in the middle of a body', async () => {
    const sim = await start();
    const { connect } = await import('node:net');
    const { port } = new URL(sim.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${sim.apiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"input":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.stats.inFlight).toBe(0);
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
    expect(sim.store.size).toBe(0);
  });

  it('limits below 1 request per second to one per 1/rate seconds', async () => {
    const sim = await start({ rateLimit: 0.5 });
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
    const limited = await call(sim, 'GET', '/customers');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBe(2);
  });
});

describe('errorAfterCreateRate', () => {
  it('at 1 stores the customer, then answers 500/502/503', async () => {
    const sim = await start({ errorAfterCreateRate: 1 });
    const reply = await create(sim, { name: 'Late', username: 'late' });
    expect([500, 502, 503]).toContain(reply.status);
    expect(reply.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(sim.store.byUsername('late')?.name).toBe('Late');
    expect(sim.stats).toMatchObject({ errorsAfterCreate: 1, creates: 1, injectedErrors: 0 });
    // Only stored creates fail this way: a conflict and a read are answered as usual.
    expect((await create(sim, { name: 'Late again', username: 'late' })).status).toBe(409);
    expect((await call(sim, 'GET', '/customers')).status).toBe(200);
  });
});

describe('conflictStatus', () => {
  it('answers a taken username on create and update with the chosen status', async () => {
    const sim = await start({ conflictStatus: 422 });
    expect((await create(sim, { name: 'Ana', username: 'ana' })).status).toBe(201);
    const beto = await create(sim, { name: 'Beto', username: 'beto' });
    const taken = await create(sim, { name: 'Ana 2', username: 'ana' });
    expect(taken.status).toBe(422);
    expect(taken.json).toMatchObject({ error: { code: 'conflict', message: 'username already exists' } });
    const id = (beto.json as { customer: { id: string } }).customer.id;
    sim.setFaults({ conflictStatus: 400 });
    expect((await call(sim, 'PATCH', `/customers/${id}`, { body: { input: { data: { username: 'ana' } } } })).status).toBe(400);
    expect(sim.store.size).toBe(2);
    expect(() => sim.setFaults({ conflictStatus: 418 })).toThrow(RangeError);
  });
});

describe('unavailableRetryAfter', () => {
  it('puts a Retry-After on the injected 503s only', async () => {
    const sim = await start({ errorRate: 1, unavailableRetryAfter: 7 });
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const reply = await call(sim, 'GET', '/customers');
      seen.add(reply.status);
      expect(reply.headers['retry-after']).toBe(reply.status === 503 ? '7' : undefined);
    }
    expect(seen.has(503)).toBe(true);
  });
});

describe('pageSizeCap', () => {
  it('answers at most that many customers a page, whatever take asks', async () => {
    const sim = await start({ pageSizeCap: 30 });
    sim.store.seed(Array.from({ length: 45 }, (_, i) => ({ name: `C ${i}` })));
    expect(((await call(sim, 'GET', '/customers?take=100')).json as unknown[]).length).toBe(30);
    expect(((await call(sim, 'GET', '/customers?skip=30&take=100')).json as unknown[]).length).toBe(15);
    expect(((await call(sim, 'GET', '/customers?take=10')).json as unknown[]).length).toBe(10);
  });
});
