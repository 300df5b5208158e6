// Runs one import in-process with the library and reports what the bench needs as JSON: the
// summary's counts, the requests made, and wall and CPU time from the first row read to the end
// (after the key check), i.e. the sending phase. Reading and validating run interleaved with the
// sending and are included: a few µs per row against hundreds per request.
// `steady` is the same measure from the row `warmupRows` on: a 600-row run at concurrency 1 spends
// a good part of its CPU compiling (JIT), which a 20,000-row run would spread much thinner.
import { importCustomers } from '../../src/index.js';
import type { ImportProgress } from '../../src/index.js';

const [file, apiUrl, apiKey, concurrency, reportPath, warmupText] = process.argv.slice(2);
const warmupRows = Number(warmupText ?? 0);
let startedCpu: NodeJS.CpuUsage | undefined;
let startedAt = 0;
let progress: (() => ImportProgress) | undefined;
let rowsDone = 0;
let mark: { cpu: NodeJS.CpuUsage; at: number; requests: number; created: number } | undefined;
let created = 0;
const summary = await importCustomers({
  file: file!,
  apiUrl: apiUrl!,
  apiKey: apiKey!,
  concurrency: Number(concurrency),
  reportPath: reportPath!,
  restart: true,
  onEvent: (event) => {
    if (event.type === 'start') {
      startedCpu = process.cpuUsage();
      startedAt = performance.now();
      progress = event.progress;
    }
    if (event.type === 'row') {
      if (event.entry.status === 'created') created++;
      if (++rowsDone === warmupRows) mark = { cpu: process.cpuUsage(), at: performance.now(), requests: progress!().requests, created };
    }
  },
});
const endedAt = performance.now();
const cpu = process.cpuUsage(startedCpu);
const steadyCpu = mark ? process.cpuUsage(mark.cpu) : undefined;
process.stdout.write(
  JSON.stringify({
    counts: summary.counts,
    requests: summary.requests,
    elapsedMs: endedAt - startedAt,
    cpuUs: cpu.user + cpu.system,
    ...(mark && steadyCpu
      ? { steady: { created: created - mark.created, requests: summary.requests - mark.requests, elapsedMs: endedAt - mark.at, cpuUs: steadyCpu.user + steadyCpu.system } }
      : {}),
  }),
);
