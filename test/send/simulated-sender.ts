import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, Sender, type RetryPolicy } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../src/simulator/index.js';

/**
 * A sender to a fresh simulator over real HTTP (2 connections, retries 1 ms apart unless `policy`
 * says otherwise); the client and the simulator close when the calling test ends.
 */
export async function simulatedSender(
  options: StartSimulatorOptions,
  policy: Partial<RetryPolicy> = {},
): Promise<{ sim: RunningSimulator; sender: Sender; throttle: Throttle; client: QuentliClient }> {
  const sim = await startSimulator(options);
  const client = new QuentliClient({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 5_000, connections: 2 });
  onTestFinished(async () => {
    await client.close();
    await sim.close();
  });
  const throttle = new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} });
  return { sim, sender: new Sender(client, throttle, { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, ...policy }), throttle, client };
}

/**
 * A sender to an HTTP double of the test's own (`server`, not yet listening) on loopback, as
 * `simulatedSender` sets one up for the simulator; the client and the server close when the calling test ends.
 */
export async function doubleSender(server: Server): Promise<Sender> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 2 });
  onTestFinished(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });
  return new Sender(client, new Throttle({ maxConcurrency: 2, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
}
