import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { whenTestEnds } from './end-of-test.js';

/**
 * `child`, killed (SIGKILL) and awaited if it still runs when the test that started it ends (see
 * `whenTestEnds`): a test that failed half-way left its import retrying against a closed simulator
 * for minutes, or a `cat` waiting on a named pipe for ever, after the suite.
 */
export function killedWhenTestEnds<T extends ChildProcess>(child: T): T {
  whenTestEnds(async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return; // never started, or gone
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  });
  return child;
}
