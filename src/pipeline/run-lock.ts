import { closeSync, fstatSync, futimesSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ImportError } from '../errors/index.js';
import { outputError } from '../report/file-sink.js';

/** Held by a run while it writes its report, errors file and journal. */
export interface RunLock {
  /** When the lock this run took over was last touched: a run that never finished (killed) wrote until about then. */
  readonly leftAt: number | undefined;
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/** What a look at a lock file found: its holder (undefined when it does not parse) and its mtime. */
interface Found {
  holder: Holder | undefined;
  mtimeMs: number;
}

/** A held lock's mtime is refreshed this often: its heartbeat. */
const HEARTBEAT_MS = 30_000;
/** A lock whose heartbeat is older than this was left by a run that is gone (four beats missed). */
const STALE_AFTER_MS = 120_000;
/**
 * Longer than any step of taking a lock lasts (milliseconds): a takeover file this old was left by
 * a crash, and so was a lock this old that does not parse (a fresh one may be being written).
 */
const SETTLE_MS = 10_000;
/** How long a run waits before looking again while another run takes over a stale lock. */
const RECHECK_MS = 50;

/** Locks this process holds (resolved paths): the pid in them cannot tell this process's own runs apart. */
const heldHere = new Set<string>();
/**
 * The locks this process holds, released if it leaves mid-run: the CLI's second Ctrl-C calls
 * process.exit, and its lock stayed behind, harmless on this machine (its pid is gone) but refusing
 * a run from another container on the same volume for 2 minutes. Only kill -9 and power cuts leave a
 * lock now. One listener for them all (twelve imports at once in one process are no warning).
 */
const releasedOnExit = new Set<() => void>();
let exitListening = false;
function releaseAllOnExit(): void {
  for (const release of [...releasedOnExit]) release();
}
/** Locks a run of this process is waiting to take over: a second run of the same report is refused, as while one holds it. */
const takingHere = new Set<string>();

/**
 * Takes the lock file beside a run's report, so two runs never write the same report and journal
 * at once (a nightly cron run started while last night's is still sending would resume from a
 * journal being written and send its rows a second time). While held, the lock's mtime is refreshed
 * every 30 s. A lock is stale, and taken over, when its heartbeat stopped (2 minutes), or at once
 * when its process was of this machine and is gone (a `kill -9`); a live one refuses the run, exit 2.
 * Stale locks are taken over under `<lock>.takeover`, created exclusively, so that of runs racing
 * for one stale lock exactly one gets it. A run whose lock was taken over (it was suspended past
 * the stale age) hears of it at its next beat, through `onLost`.
 */
export async function acquireRunLock(lockPath: string, reportPath: string, onLost: () => void = () => {}): Promise<RunLock> {
  let holder: Holder | undefined;
  let leftAt: number | undefined;
  const path = resolve(lockPath);
  if (heldHere.has(path) || takingHere.has(path)) {
    holder = inspect(lockPath)?.holder; // a program running two imports of one report at once
  } else {
    takingHere.add(path);
    try {
      for (const deadline = Date.now() + 2 * SETTLE_MS; ; ) {
        const fd = createLock(lockPath);
        if (fd !== undefined) return hold(lockPath, fd, onLost, leftAt);
        const found = inspect(lockPath);
        if (found === undefined) continue; // released meanwhile: try again
        holder = found.holder;
        leftAt = found.mtimeMs;
        if (isLive(found) || Date.now() > deadline) break;
        if (!takeOver(lockPath)) await delay(RECHECK_MS); // another run is taking it over: see what it left (a host program's other work goes on meanwhile)
      }
    } finally {
      takingHere.delete(path);
    }
  }
  const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'another process';
  throw new ImportError(
    'in_use',
    `another import is writing ${reportPath} (${who}): wait for it to end, or give this run another --report (the lock is ${lockPath})`,
  );
}

/** Creates the lock file exclusively; undefined when it exists. */
function createLock(lockPath: string): number | undefined {
  try {
    return openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    throw outputError(lockPath, error);
  }
}

function hold(lockPath: string, fd: number, onLost: () => void, leftAt: number | undefined): RunLock {
  const holder: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } catch (error) {
    closeSync(fd);
    removeQuietly(lockPath);
    throw outputError(lockPath, error);
  }
  const key = resolve(lockPath);
  heldHere.add(key);
  // Through the descriptor: a lock taken over from this run (its heartbeat late) is never refreshed.
  const heartbeat = setInterval(() => {
    // Taken over while this run was suspended past the stale age (Ctrl-Z, a laptop asleep): another
    // run writes the report and journal now, so this one must stop writing them.
    if (isSameFile(lockPath, fd) === false) {
      clearInterval(heartbeat);
      onLost();
      return;
    }
    try {
      const now = new Date();
      futimesSync(fd, now, now);
    } catch {
      // the next beat tries again; a lock without beats for 2 minutes may be taken over
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    releasedOnExit.delete(release);
    if (releasedOnExit.size === 0 && exitListening) {
      // No hook is left on a library host's process once its imports are done.
      process.removeListener('exit', releaseAllOnExit);
      exitListening = false;
    }
    clearInterval(heartbeat);
    heldHere.delete(key);
    if (isSameFile(lockPath, fd) === true) removeQuietly(lockPath);
    closeSync(fd);
  };
  releasedOnExit.add(release);
  if (!exitListening) {
    exitListening = true;
    process.on('exit', releaseAllOnExit);
  }
  return { leftAt, release };
}

/** Reads a lock's holder and mtime from one descriptor; undefined when there is no lock. */
function inspect(lockPath: string): Found | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ImportError('usage', `cannot read the lock file ${lockPath} (${code ?? (error as Error).message})`, { cause: error });
  }
  try {
    return { holder: parseHolder(readFileSync(fd, 'utf8')), mtimeMs: fstatSync(fd).mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    const valid = Number.isInteger(parsed.pid) && parsed.pid! > 0 && typeof parsed.host === 'string';
    return valid ? { pid: parsed.pid!, host: parsed.host!, startedAt: String(parsed.startedAt) } : undefined;
  } catch {
    return undefined; // being written right now, or cut short by a crash while being written
  }
}

/**
 * A lock another process wrote is live while its heartbeat is fresh and its holder may run:
 * another machine's, or this machine's with a pid that exists. A pid that exists proves little (a
 * reused pid, node as pid 1 in each new container), so past 2 minutes without a beat it is stale.
 */
function isLive({ holder, mtimeMs }: Found): boolean {
  const age = Date.now() - mtimeMs;
  if (holder === undefined) return age < SETTLE_MS;
  if (age > STALE_AFTER_MS) return false;
  // Another machine's, or this pid's from another container or an earlier life: only the heartbeat tells.
  if (holder.host !== hostname() || holder.pid === process.pid) return true;
  return pidExists(holder.pid); // this machine's run that is gone (kill -9) is taken over at once
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: it exists, another user's
  }
  return !isZombie(pid);
}

/**
 * A killed process stays a zombie until its parent collects it, and `kill(pid, 0)` still finds it:
 * after `timeout -s KILL` (which dies with its child) the orphan waited seconds here for pid 1 to
 * collect it, and forever under a container's pid 1 that collects nothing, while the rerun was
 * refused as if the dead run still wrote. Linux shows the state in /proc; elsewhere the pid alone counts.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false; // no /proc (macOS), or gone since
  }
  // "pid (command) state …": the command may hold spaces and parentheses, the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/**
 * Removes a stale lock while holding `<lock>.takeover`: only its creator may, and it judges the lock
 * again first (another run may have taken it over since it was read). False when another run holds
 * the takeover file.
 */
function takeOver(lockPath: string): boolean {
  const claimPath = `${lockPath}.takeover`;
  let claim: number;
  try {
    claim = openSync(claimPath, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new ImportError('usage', `cannot create ${claimPath} to take over a stale lock (${code ?? (error as Error).message})`, { cause: error });
    if (isOlderThan(claimPath, SETTLE_MS)) removeQuietly(claimPath); // left by a crash while taking over
    return false;
  }
  try {
    const found = inspect(lockPath);
    if (found !== undefined && !isLive(found)) {
      try {
        unlinkSync(lockPath);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') throw new ImportError('usage', `cannot remove the stale lock file ${lockPath} (${code ?? (error as Error).message})`, { cause: error });
      }
    }
  } finally {
    if (isSameFile(claimPath, claim) === true) removeQuietly(claimPath);
    closeSync(claim);
  }
  return true;
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false; // gone meanwhile
  }
}

/**
 * Whether `path` is still the file open as `fd`: false when it was removed or replaced by another
 * run's, undefined when a check that fails otherwise (EIO, a network share's ESTALE) cannot tell.
 */
function isSameFile(path: string, fd: number): boolean | undefined {
  try {
    const [atPath, open] = [statSync(path), fstatSync(fd)];
    return atPath.ino === open.ino && atPath.dev === open.dev;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
