// The machine's own ceiling for sending: the bare API client, with no reading, mapping, pool or
// report, creating customers from `concurrency` loops against the same simulator. Prints
// `{requests, elapsedMs, cpuUs}` as JSON, measured after `warmup` creates (the JIT's work: with
// one warm-up create, 150 measured ones at concurrency 1 cost 2.6-3.5 ms CPU each, 1.4-1.8 warmed).
// The importer is compared with this as well as with Little's law.
import { QuentliClient } from '../../src/send/api-client.js';

const [apiUrl, apiKey, concurrencyText, requestsText, warmupText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const total = Number(requestsText);
const warmup = Math.max(1, Number(warmupText ?? 1));
const client = new QuentliClient({ baseUrl: apiUrl!, apiKey: apiKey!, timeoutMs: 30_000, connections: concurrency + 2 });
let failures = 0;

async function createFrom(loops: number, count: number, prefix: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < count) {
        const i = next++;
        const response = await client.createCustomer({ name: `Alumno ${i}`, username: `${prefix}.${i}` });
        if (response.status >= 300) failures++;
      }
    }),
  );
}

await createFrom(concurrency, warmup, 'ceiling-warmup');
const startedAt = performance.now();
const startedCpu = process.cpuUsage();
await createFrom(concurrency, total, 'ceiling');
const cpu = process.cpuUsage(startedCpu);
const elapsedMs = performance.now() - startedAt;
await client.close();
if (failures > 0) throw new Error(`${failures} creates failed`);
process.stdout.write(JSON.stringify({ requests: total, warmup, elapsedMs, cpuUs: cpu.user + cpu.system }));
