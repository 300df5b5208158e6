#!/usr/bin/env node
import { runCli } from './run-cli.js';

// First Ctrl-C or SIGTERM: stop reading, finish what is in flight, write the report (exit 130).
// A second one: leave at once; the journal already holds every confirmed outcome.
const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  signals++;
  if (signals === 1) controller.abort();
  else process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
