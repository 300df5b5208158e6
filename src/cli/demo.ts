import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.js';
import { runCli } from './run-cli.js';

/**
 * `npm run demo`: the main job on the built-in simulator. Starts it on a free loopback port,
 * imports the demo roster (Windows-1252, `;`, Spanish headers, a few deliberate mistakes), prints
 * the summary and both report paths, stops the simulator. Exits 0 when the import ran, whatever
 * the roster's own refusals (they are the point of the demo).
 */
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roster = join(projectRoot, 'fixtures', 'roster-demo.csv');

const simulator = await startSimulator({ latencyMs: 20, latencyJitterMs: 10 });
process.stderr.write(`Quentli API simulator on ${simulator.url}\n`);
process.stderr.write(`Importing ${relative(process.cwd(), roster)}\n\n`);
let code: number;
try {
  code = await runCli([roster, '--api-url', simulator.url, '--restart'], {
    cwd: process.cwd(),
    env: { ...process.env, QUENTLI_API_KEY: simulator.apiKey },
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.stderr.write(`\nThe simulator now holds ${simulator.store.size} customers; the rows it refused are in the errors file, ready to fix and import again.\n`);
} finally {
  await simulator.close();
}
process.exitCode = code === 0 || code === 1 ? 0 : code;
