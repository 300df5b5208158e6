// The machine's own ceiling for sending: the bare API client, with no reading, mapping, pool or
// report, creating customers from `concurrency` loops against the same simulator (see
// create-loops.ts). The importer is compared with this as well as with Little's law.
import { QuentliClient } from '../../src/send/api-client.js';
import { benchArgs, measureCreates } from './create-loops.js';

const { apiUrl, apiKey, concurrency } = benchArgs();
const client = new QuentliClient({ baseUrl: apiUrl, apiKey, timeoutMs: 30_000, connections: concurrency + 2 });
await measureCreates(async (name, username) => (await client.createCustomer({ name, username })).status, 'ceiling', () => client.close());
