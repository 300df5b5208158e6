// Runs one import in-process with the library and reports what the bench needs as JSON: the
// summary's counts, the requests made, and wall and CPU time from the first row read to the end
// (after the key check), i.e. the sending phase. Reading and validating run interleaved with the
// sending and are included: a few µs per row against hundreds per request.
import { importCustomers } from '../../src/index.js';

const [file, apiUrl, apiKey, concurrency, reportPath] = process.argv.slice(2);
let startedCpu: NodeJS.CpuUsage | undefined;
let startedAt = 0;
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
    }
  },
});
const cpu = process.cpuUsage(startedCpu);
process.stdout.write(
  JSON.stringify({
    counts: summary.counts,
    requests: summary.requests,
    elapsedMs: performance.now() - startedAt,
    cpuUs: cpu.user + cpu.system,
  }),
);
