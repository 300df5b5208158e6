// The simulator in its own process (so the importer's CPU is its own), driven over IPC: it sends
// `{url, apiKey}` once listening, answers `stats` with its counters and resets them on `reset`.
import { startSimulator } from '../../src/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startSimulator>[0];
const simulator = await startSimulator({ port: 0, seed: 1, ...options });
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', stats: simulator.stats, stored: simulator.store.size });
  if (message.type === 'close') void simulator.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: simulator.url, apiKey: simulator.apiKey });
