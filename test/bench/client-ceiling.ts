// The machine's own ceiling for sending: the bare API client, with no reading, mapping, pool or
// report, creating customers from `concurrency` loops against the same simulator. Prints
// `{requests, elapsedMs, cpuUs}` as JSON. The importer is compared with this as well as with
// Little's law: on a loaded 2-core machine the event loop's wake-ups alone cost milliseconds.
import { QuentliClient } from '../../src/send/api-client.js';

const [apiUrl, apiKey, concurrencyText, requestsText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const total = Number(requestsText);
const client = new QuentliClient({ baseUrl: apiUrl!, apiKey: apiKey!, timeoutMs: 30_000, connections: concurrency + 2 });
await client.createCustomer({ name: 'Calentamiento', username: 'ceiling.warmup' });
let next = 0;
let failures = 0;
const startedAt = performance.now();
const startedCpu = process.cpuUsage();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const response = await client.createCustomer({ name: `Alumno ${i}`, username: `ceiling.${i}` });
      if (response.status >= 300) failures++;
    }
  }),
);
const cpu = process.cpuUsage(startedCpu);
await client.close();
if (failures > 0) throw new Error(`${failures} creates failed`);
process.stdout.write(JSON.stringify({ requests: total, elapsedMs: performance.now() - startedAt, cpuUs: cpu.user + cpu.system }));
