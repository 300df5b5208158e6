import { afterEach, describe, expect, it } from 'vitest';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, Sender, type RetryPolicy } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../src/simulator/index.js';

// The sender against the simulator's faults, over real HTTP.

let sim: RunningSimulator | undefined;
let client: QuentliClient | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
  sim = client = undefined;
});

async function simulated(options: StartSimulatorOptions = {}, policy: Partial<RetryPolicy> = {}): Promise<{ sim: RunningSimulator; sender: Sender; throttle: Throttle }> {
  sim = await startSimulator({ seed: 5, ...options });
  client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 5_000, connections: 2 });
  const throttle = new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} });
  return { sim, sender: new Sender(client, throttle, { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, ...policy }), throttle };
}

describe('Sender creates, against the simulator over HTTP', () => {
  it('never resends a row without a username after a 5xx: the customer may exist, the row fails as outcome unknown', async () => {
    const { sim, sender } = await simulated({ errorAfterCreateRate: 1 });
    const outcome = await sender.create({ name: 'Sin Usuario' });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^outcome unknown: HTTP 50[023]: .*look for it in Quentli before importing this row again$/);
    expect(sim.stats.byRoute['POST /customers']).toBe(1);
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
