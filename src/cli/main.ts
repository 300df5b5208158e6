#!/usr/bin/env node
// First Ctrl-C or SIGTERM: stop reading, finish what is in flight, write the report (exit 130).
// A second one: leave at once; the journal already holds every confirmed outcome.
// The handlers go in before the rest of the program loads (half a second), so an early signal
// is an interruption like any other, never a kill.
const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  signals++;
  if (signals === 1) controller.abort();
  else {
    process.stderr.write('quentli-import: interrupted again: leaving now; run the same command to resume\n');
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const { runCli } = await import('./run-cli.js');
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
