import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ImportError } from '../errors/index.js';

/** Held by a run while it writes its report, errors file and journal. */
export interface RunLock {
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Takes the lock file beside a run's report, so two runs never write the same report and journal
 * at once (a nightly cron run started while last night's is still sending would resume from a
 * journal being written and send its rows a second time). A lock left by a process of this machine
 * that is gone (a `kill -9`, a power cut) is taken over; a live one refuses the run, exit 2.
 */
export function acquireRunLock(lockPath: string, reportPath: string): RunLock {
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new ImportError('usage', `cannot create the lock file ${lockPath} (${code ?? (error as Error).message})`, { cause: error });
      const holder = readHolder(lockPath);
      if (attempt === 0 && (holder === undefined || isGone(holder))) {
        removeQuietly(lockPath);
        continue;
      }
      const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'another process';
      throw new ImportError(
        'in_use',
        `another import is writing ${reportPath} (${who}): wait for it to end, or give this run another --report (the lock is ${lockPath})`,
      );
    }
    const holder: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    closeSync(fd);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        if (readHolder(lockPath)?.pid === process.pid) removeQuietly(lockPath);
      },
    };
  }
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) } : undefined;
  } catch {
    return undefined; // gone meanwhile, or cut short by a crash while being written
  }
}

/** True when the holder was a process of this machine that no longer runs. */
function isGone(holder: Holder): boolean {
  if (holder.host !== hostname()) return false; // cannot tell: another machine sharing the folder
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
