import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { fixture, KEY, readReport, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// A server without a Date header whose clock runs minutes off ours: whether a customer found after
// a lost answer was created by our try or was there before cannot be read from its createdAt
// against our clock. It is read against the createdAt of the customers the run created, and an
// earlier run's customers are known from its journal.

const TEN_MINUTES = 600_000;

describe('a server without a Date header whose clock runs ten minutes off', () => {
  beforeAll(requireBuild);

  const importDemo = (sim: RunningSimulator, cwd: string) => run([fixture('roster-demo.csv'), '--api-url', sim.url, '--report', 'alumnos.csv'], { cwd, env: { QUENTLI_API_KEY: KEY } });
  const statuses = (cwd: string) => readReport(join(cwd, 'alumnos.csv')).map((line) => line.status);

  it('behind: the creates whose answers were cut, and that landed, are created, not exists', async ({ onTestFinished }) => {
    // Answers cut after the create from the first create answered on (the run has read the server's clock from it).
    const sim: RunningSimulator = await simulator({
      seed: 3,
      clockOffsetMs: -TEN_MINUTES,
      withoutDateHeader: true,
      onRequest: (event) => event.method === 'POST' && event.outcome === 201 && sim.faults.cutAfterCreateRate === 0 && sim.setFaults({ cutAfterCreateRate: 0.3 }),
    });
    onTestFinished(() => sim.close());
    const cwd = tempDir();
    const result = await importDemo(sim, cwd);
    expect(result.code, result.stderr).toBe(1); // the demo roster's refused rows
    expect(sim.stats.cuts).toBeGreaterThan(0);
    expect(statuses(cwd).filter((status) => status === 'created')).toHaveLength(52);
    expect(sim.store.size).toBe(52);
  });

  it('behind: creates whose answers were all cut, before any 201 told its clock, are created; the same file under another report name finds them exists', async ({ onTestFinished }) => {
    // Every create stored and its answer cut: no 201 ever reads the server's clock, and no journal knows the customers the second time.
    const sim = await simulator({ seed: 3, clockOffsetMs: -TEN_MINUTES, withoutDateHeader: true, cutAfterCreateRate: 1 });
    onTestFinished(() => sim.close());
    const cwd = tempDir();
    const result = await importDemo(sim, cwd);
    expect(result.code, result.stderr).toBe(1);
    expect(sim.stats.byStatus[201]).toBeUndefined();
    expect(statuses(cwd).filter((status) => status === 'created')).toHaveLength(52);
    expect(sim.store.size).toBe(52);

    const again = await run([fixture('roster-demo.csv'), '--api-url', sim.url, '--report', 'otra-vez.csv'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(again.code, again.stderr).toBe(1);
    const report = readReport(join(cwd, 'otra-vez.csv')).map((line) => line.status);
    expect(report.filter((status) => status === 'created')).toEqual([]);
    expect(report.filter((status) => status === 'exists')).toHaveLength(52);
    expect(sim.store.size).toBe(52);
  });

  it('ahead: a second run whose creates drew a 500 finds the first run\'s customers exists, none created', async ({ onTestFinished }) => {
    const sim = await simulator({ seed: 3, clockOffsetMs: TEN_MINUTES, withoutDateHeader: true });
    onTestFinished(() => sim.close());
    const cwd = tempDir();
    expect((await importDemo(sim, cwd)).code).toBe(1);
    expect(statuses(cwd).filter((status) => status === 'created')).toHaveLength(52);
    // A 500 stores nothing; the look-up after it finds last run's customer, created "ten minutes from now".
    sim.setFaults({ errorRate: 0.3 });
    const writes = sim.stats.writes;
    const second = await importDemo(sim, cwd);
    expect(second.code, second.stderr).toBe(1);
    expect(sim.stats.injectedErrors).toBeGreaterThan(0);
    expect(statuses(cwd).filter((status) => status === 'created')).toEqual([]);
    expect(statuses(cwd).filter((status) => status === 'exists')).toHaveLength(52);
    expect(sim.stats.writes).toBe(writes);
  });
});
