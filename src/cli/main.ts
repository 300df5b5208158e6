#!/usr/bin/env node
import { closeSync, statSync, writeFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { setFlagsFromString } from 'node:v8';
import { isHumanTerminal } from './progress.js';

const onTerminal = [0, 1, 2].filter((fd) => isatty(fd));
/**
 * Ends the process with `code`. On exit Node puts back the terminal settings it found, and Node 20
 * aborts when the terminal has hung up since (an SSH session closed mid-run): a run that had written
 * its report ended "killed by SIGSEGV", exit 139 (or 134), not its own code. A hung-up terminal
 * no longer passes for one, and has nothing to put back: its descriptors are closed first, which
 * Node then skips.
 */
function leave(code: number): never {
  for (const fd of onTerminal) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
  process.exit(code);
}

// First Ctrl-C, SIGTERM or SIGHUP (the terminal or SSH session closed): stop reading, finish what
// is in flight, write the report (exit 130). Left to SIGHUP's default, a closed session killed the
// run without its report, as a kill -9 does.
// A second one (but see below for a SIGTERM just after the first, and for SIGHUP): leave at once;
// the journal already holds every confirmed outcome.
// The handlers go in before the rest of the program loads (half a second), so an early signal
// is an interruption like any other (only one during Node's own start-up, before this line, kills).
const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  signals++;
  if (signals === 1) controller.abort();
  else {
    const message = 'quentli-import: interrupted again: leaving now; run the same command to resume';
    // Off a terminal every stderr line is JSON, like the logger's (cron and CI parse them).
    process.stderr.write(isHumanTerminal(process.stderr, process.env) ? `${message}\n` : `${JSON.stringify({ level: 40, time: Date.now(), msg: message })}\n`);
    leave(130);
  }
};
process.on('SIGINT', onSignal);
// A service manager stops a service by signalling each of its processes (systemd's default
// KillMode, `kill -- -PGID`), and a wrapper that passes signals on (su, runuser, sudo, a shell's
// trap) sends its own a few milliseconds later: one stop asked twice, which left at once with the
// report unfinished (measured: runuser under a group SIGTERM). A SIGTERM within a second of the
// first is that same stop; later ones, or Ctrl-C, still leave at once.
const SAME_STOP_MS = 1_000;
let firstStopAt: number | undefined;
process.on('SIGTERM', () => {
  if (firstStopAt !== undefined && performance.now() - firstStopAt < SAME_STOP_MS) return;
  if (signals === 0) firstStopAt = performance.now();
  onSignal();
});
// A closed terminal or SSH session sends SIGHUP twice within a millisecond (the shell passes its own
// on to the job, and the hangup reaches the job too, measured with bash on a pty): a repeated
// SIGHUP is that same hangup, not a person asking to leave at once, which lost the report it was
// meant to keep. Ctrl-C or SIGTERM after it still leave at once.
process.on('SIGHUP', () => {
  if (signals === 0) onSignal();
});
// A log reader that goes away (`2>&1 | logger` restarted, `| head`): the import goes on without its
// log lines rather than die half-way with exit 1; the report, the journal and --summary-json say it all.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

// Last night's --summary-json is replaced by the "unfinished" marker before the rest loads (below).
let summaryMarked: string | undefined;

/**
 * A crash (a file missing from a broken install or a half-done deploy, a bug): one line and exit 2,
 * the code of a run that could not run or had to stop. Left to Node it was a stack trace and exit 1,
 * which says the run finished with refused rows, and a --summary-json still saying "still running,
 * or it was killed". The journal holds every confirmed outcome: the same command resumes.
 */
function crash(error: unknown): never {
  let message = `quentli-import: unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const key = process.env.QUENTLI_API_KEY?.trim();
  if (key !== undefined && key.length >= 8) message = message.replaceAll(key, '[the API key]');
  try {
    process.stderr.write(isHumanTerminal(process.stderr, process.env) ? `${message}\n` : `${JSON.stringify({ level: 50, time: Date.now(), code: 'unexpected', msg: message })}\n`);
    // Not into a pipe (`>(jq …)`): with its reader gone, opening it again waits forever.
    if (summaryMarked !== undefined && statSync(summaryMarked).isFile()) {
      const failure = { exitCode: 2, error: { code: 'unexpected', message: message.replace(/^quentli-import: /, '') } };
      writeFileSync(summaryMarked, `${JSON.stringify(failure, null, 2)}\n`, { mode: 0o600 });
    }
  } catch {
    // nowhere left to say it: the exit code does
  }
  leave(2);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

// V8 lets the old generation grow up to 4x its live data between full GCs when those are quick,
// and ours are (about 20 MB live): a long run then peaked anywhere from 140 to 185 MB of RSS, the
// same run. Growing it by half at most keeps the peak steady at a few more short full GCs. The
// library leaves such settings to its host; this is the CLI's own process.
setFlagsFromString('--heap-growing-percent=50');

// A working folder deleted since the command started in it throws at every look (ENOENT): runCli refuses the run.
let cwd: string | undefined;
try {
  cwd = process.cwd();
} catch {
  cwd = undefined;
}

// Last night's --summary-json is replaced by the "unfinished" marker before the rest loads: a kill
// in that second found it in place. A command line it cannot take is left to runCli to refuse.
try {
  const [{ parseCliArgs }, { markSummaryUnfinished }] = await Promise.all([import('./args.js'), import('./summary-file.js')]);
  const args = parseCliArgs(process.argv.slice(2));
  if (!args.help && !args.version && cwd !== undefined) summaryMarked = markSummaryUnfinished(args, cwd);
} catch {
  // said by runCli, with the logger's format
}

const { runCli } = await import('./run-cli.js');
const code = await runCli(process.argv.slice(2), {
  cwd,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  ...(summaryMarked !== undefined ? { summaryMarked } : {}),
});
// Leave now, with the handlers still in place. Left to end by itself, the process spent 20–450 ms in
// Node's teardown after its last line (more on a busy machine) with the signal handlers already
// gone: a SIGTERM or a second Ctrl-C then ended it "killed by SIGTERM" (exit 143), not 130, and a
// run that had succeeded too. Nothing is pending by now: the report, journal and summary are
// closed, and the logger and stdout write synchronously.
leave(code);
