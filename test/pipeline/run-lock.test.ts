import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { acquireRunLock } from '../../src/pipeline/run-lock.js';
import { killedWhenTestEnds } from '../child-process.js';
import { temporaryFolder } from '../temporary-folder.js';

const paths = () => {
  const dir = temporaryFolder('run-lock-');
  return { lock: join(dir, 'alumnos.results.lock'), report: join(dir, 'alumnos.results.csv') };
};

const A_PID_NEVER_USED = 2 ** 22 + 12345; // above Linux's largest pid_max

/** Writes a lock as another run would have, its heartbeat `ageMs` old. */
function writeLock(lock: string, holder: { pid: number; host: string }, ageMs = 0): void {
  writeFileSync(lock, JSON.stringify({ ...holder, startedAt: '2026-01-01T00:00:00.000Z' }));
  setAge(lock, ageMs);
}

function setAge(path: string, ageMs: number): void {
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
}

const TEN_MINUTES = 10 * 60_000;

describe('acquireRunLock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is held until released, and refuses a second run meanwhile, naming the holder', async () => {
    const { lock, report } = paths();
    const held = await acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    let refusal: unknown;
    try {
      await acquireRunLock(lock, report);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ImportError);
    expect(refusal).toMatchObject({ code: 'in_use', message: expect.stringContaining(`another import is writing ${report} (process ${process.pid} on ${hostname()}`) });
    held.release();
    expect(existsSync(lock)).toBe(false);
    (await acquireRunLock(lock, report)).release();
  });

  it('a lock file that cannot be created is a file of the run that cannot be written (code output), naming it', async () => {
    const { lock, report } = paths();
    writeFileSync(lock.replace(/[^/]+$/, 'not-a-folder'), '');
    const beneath = lock.replace(/[^/]+$/, 'not-a-folder/r.lock');
    await expect(acquireRunLock(beneath, report)).rejects.toMatchObject({ code: 'output', message: expect.stringContaining(`cannot write ${beneath} (ENOTDIR)`) });
  });

  it('refuses a second import in this process even when the held lock looks stale (its heartbeat late)', async () => {
    const { lock, report } = paths();
    const held = await acquireRunLock(lock, report);
    setAge(lock, TEN_MINUTES);
    await expect(acquireRunLock(lock, report)).rejects.toThrow(expect.objectContaining({ code: 'in_use' }));
    held.release();
  });

  it('takes over a lock left by a process of this machine that is gone (a kill -9), whatever its heartbeat', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: A_PID_NEVER_USED, host: hostname() });
    const held = await acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    held.release();
  });

  it.skipIf(process.platform !== 'linux')('takes over at once a lock of a run killed but not yet collected by its parent (a zombie: timeout -s KILL, a container\'s pid 1)', async () => {
    // sh forks `sleep 1`, then becomes `sleep 5`, which never collects it: a zombie from 1 s to 5 s.
    // (A `sleep 0` could end before the exec on a loaded machine, and sh collected it: no zombie.)
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
      const zombie = Number(line);
      for (let state = ''; state !== 'Z'; await new Promise((done) => setTimeout(done, 10))) {
        const stat = readFileSync(`/proc/${zombie}/stat`, 'latin1');
        state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      }
      const { lock, report } = paths();
      writeLock(lock, { pid: zombie, host: hostname() });
      const held = await acquireRunLock(lock, report);
      expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      held.release();
    } finally {
      parent.kill();
    }
  });

  it('refuses a lock of a live process of this machine whose heartbeat is fresh', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: process.ppid, host: hostname() }, 20_000);
    await expect(acquireRunLock(lock, report)).rejects.toThrow(expect.objectContaining({ code: 'in_use', message: expect.stringContaining(`process ${process.ppid} on ${hostname()}`) }));
  });

  it.each([
    ['pid 1 (node as pid 1 in a container)', 1],
    ['this very pid (an earlier container, or a pid reused after a power cut)', process.pid],
    ['a pid alive, of another program', process.ppid],
  ])('takes over a lock of this machine whose heartbeat stopped, its pid %s', async (_, pid) => {
    const { lock, report } = paths();
    writeLock(lock, { pid, host: hostname() }, TEN_MINUTES);
    const held = await acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    held.release();
  });

  it('refuses a lock holding this pid that this process does not hold while its heartbeat is fresh: another container may be writing', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: process.pid, host: hostname() }, 20_000);
    await expect(acquireRunLock(lock, report)).rejects.toThrow(expect.objectContaining({ code: 'in_use' }));
  });

  it('leaves a lock of another machine sharing the folder alone while its heartbeat is fresh', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: 1, host: 'otra-maquina' }, 20_000);
    await expect(acquireRunLock(lock, report)).rejects.toThrow(/process 1 on otra-maquina/);
  });

  it('takes over a lock of another machine (last night\'s container) whose heartbeat stopped', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: 1, host: 'otra-maquina' }, TEN_MINUTES);
    const held = await acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    held.release();
  });

  it('takes over a lock cut short by a crash while being written, but not one being written right now', async () => {
    const { lock, report } = paths();
    writeFileSync(lock, '');
    await expect(acquireRunLock(lock, report)).rejects.toThrow(/another import is writing .* \(another process\)/);
    writeFileSync(lock, '{"pid": 12');
    setAge(lock, 60_000);
    (await acquireRunLock(lock, report)).release();
  });

  it('removes a takeover file left by a crash and takes over the stale lock', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: 1, host: 'otra-maquina' }, TEN_MINUTES);
    writeFileSync(`${lock}.takeover`, '');
    setAge(`${lock}.takeover`, 60_000);
    const held = await acquireRunLock(lock, report);
    expect(existsSync(`${lock}.takeover`)).toBe(false);
    held.release();
  });

  it('refuses a second run of this process at once while the first waits to take a stale lock over, and lets the host go on meanwhile', async () => {
    const { lock, report } = paths();
    writeLock(lock, { pid: 1, host: 'otra-maquina' }, TEN_MINUTES);
    writeFileSync(`${lock}.takeover`, ''); // another run, elsewhere, is taking it over right now
    const first = acquireRunLock(lock, report);
    await expect(acquireRunLock(lock, report)).rejects.toThrow(expect.objectContaining({ code: 'in_use' }));
    // The first waits without blocking: a timer of the host fires meanwhile.
    const ticked = await Promise.race([new Promise((resolve) => setTimeout(() => resolve('ticked'), 20)), first.then(() => 'acquired')]);
    expect(ticked).toBe('ticked');
    unlinkSync(`${lock}.takeover`);
    const held = await first;
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    held.release();
  });

  it('keeps the lock alive: its mtime is refreshed every 30 s while held, and no longer once released', async () => {
    vi.useFakeTimers();
    const { lock, report } = paths();
    const held = await acquireRunLock(lock, report);
    setAge(lock, TEN_MINUTES);
    vi.advanceTimersByTime(30_000);
    expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(5_000);
    expect(vi.getTimerCount()).toBe(1);
    held.release();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tells the run at its next beat when another run took the lock over (this one was suspended)', async () => {
    vi.useFakeTimers();
    const { lock, report } = paths();
    let lost = 0;
    const held = await acquireRunLock(lock, report, () => lost++);
    vi.advanceTimersByTime(30_000);
    expect(lost).toBe(0);
    // What a takeover does: the stale lock goes, the new run's lock takes its place.
    unlinkSync(lock);
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid + 1, host: 'otra-maquina', startedAt: new Date().toISOString() })}\n`);
    vi.advanceTimersByTime(30_000);
    expect(lost).toBe(1);
    expect(vi.getTimerCount()).toBe(0); // no more beats on a lock that is not this run's
    held.release();
    expect(existsSync(lock)).toBe(true); // the other run's lock stays
  });
});

describe('acquireRunLock across processes', () => {
  let script: string;

  beforeAll(() => {
    script = compileForChildren();
  });

  it.each([
    ['its process gone (kill -9)', { pid: A_PID_NEVER_USED, host: hostname() }, 0],
    ['its heartbeat stopped, pid 1', { pid: 1, host: hostname() }, TEN_MINUTES],
    ['its heartbeat stopped, another machine', { pid: 1, host: 'otra-maquina' }, TEN_MINUTES],
  ])('8 runs started at once against one stale lock (%s): exactly one gets it, every time', async (_, holder, ageMs) => {
    for (let round = 0; round < 6; round++) {
      const { lock, report } = paths();
      writeLock(lock, holder, ageMs);
      const outcomes = await race(script, 8, lock, report);
      expect(outcomes.toSorted(), `round ${round}`).toEqual(['acquired', ...Array<string>(7).fill('in_use')]);
      expect(existsSync(`${lock}.takeover`)).toBe(false);
    }
  });
});

/**
 * Compiles run-lock.ts and what it imports to plain ESM in a temp folder (children cannot load
 * TypeScript, and `dist` may be stale), beside a child that takes the lock at the time it reads, prints what
 * happened, and holds the lock until its stdin ends. Returns the child's path.
 */
function compileForChildren(): string {
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  const out = temporaryFolder('run-lock-children-');
  const sources = ['pipeline/run-lock.ts', 'report/file-sink.ts', ...readdirSync(join(src, 'errors')).map((file) => `errors/${file}`)];
  for (const file of sources) {
    const { outputText } = ts.transpileModule(readFileSync(join(src, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const child = join(out, 'child.js');
  writeFileSync(
    child,
    `import { acquireRunLock } from ${JSON.stringify(pathToFileURL(join(out, 'pipeline/run-lock.js')).href)};
const [lock, report] = process.argv.slice(2);
process.stdout.write('ready\\n');
process.stdin.once('data', async (start) => {
  while (Date.now() < Number(start)); // all at once, as near as the clock allows
  let held;
  try {
    held = await acquireRunLock(lock, report);
    process.stdout.write('acquired\\n');
  } catch (error) {
    process.stdout.write(String(error.code ?? error) + '\\n');
  }
  process.stdin.on('end', () => held?.release()).resume();
});
`,
  );
  return child;
}

/** Starts `n` children, lets them all take the lock at once, and returns what each got. */
async function race(script: string, n: number, lock: string, report: string): Promise<string[]> {
  const children = Array.from({ length: n }, () => killedWhenTestEnds(spawn(process.execPath, [script, lock, report], { stdio: ['pipe', 'pipe', 'inherit'] })));
  const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const nextLine = async (at: number) => String((await lines[at]!.next()).value);
  expect(await Promise.all(children.map((_, at) => nextLine(at)))).toEqual(Array<string>(n).fill('ready'));
  const start = Date.now() + 100;
  for (const child of children) child.stdin.write(`${start}\n`);
  const outcomes = await Promise.all(children.map((_, at) => nextLine(at)));
  for (const child of children) child.stdin.end();
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  return outcomes;
}
