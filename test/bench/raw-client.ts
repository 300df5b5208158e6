// What this machine allows any Node client: a tiny node:http client (keep-alive agent, no
// timeouts, retries or JSON beyond one parse) creating customers from `concurrency` loops against
// the same simulator, measured like client-ceiling.ts. Its CPU per request at concurrency 1 is the
// floor for the ≤ 0.5 ms target: on the 2-core VM it rose with the gap between requests (0.5 ms at
// 1 ms latency, 1.1-1.5 ms at 20 ms, 2.1 ms at 40 ms) for the same request: a process woken from
// idle runs cold.
import { Agent, request } from 'node:http';
import { benchArgs, measureCreates } from './create-loops.js';

const { apiUrl, apiKey, concurrency } = benchArgs();
const url = new URL(`${apiUrl.replace(/\/+$/, '')}/customers`);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency + 2 });

function create(name: string, username: string): Promise<number> {
  const body = JSON.stringify({ input: { name, username } });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          JSON.parse(text);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

await measureCreates(create, 'raw', () => agent.destroy());
