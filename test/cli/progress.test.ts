import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src/pipeline/options.js';
import {
  CLEAR_LINE,
  colorAllowed,
  formatDuration,
  ProgressDisplay,
  progressFacts,
  progressLine,
  progressMode,
  estimateRows,
} from '../../src/cli/progress.js';

/** A terminal as the display sees it: `isTTY`, 80 columns, and every byte written. */
function fakeTty(columns = 80) {
  const chunks: string[] = [];
  return { isTTY: true, columns, chunks, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

function view(overrides: Partial<ImportProgress> = {}): ImportProgress {
  return {
    read: { bytesRead: 500, totalBytes: 1000 },
    rowsRead: 100,
    rowsDone: 90,
    succeeded: 80,
    refused: 6,
    failed: 2,
    inFlight: 2,
    requests: 85,
    startedAt: 0,
    ...overrides,
  };
}

describe('progressMode', () => {
  it('draws on a terminal, logs on a pipe or under CI, and is silent with --quiet', () => {
    expect(progressMode({ isTTY: true }, {}, false)).toBe('tty');
    expect(progressMode({ isTTY: false }, {}, false)).toBe('log');
    expect(progressMode({}, {}, false)).toBe('log');
    expect(progressMode({ isTTY: true }, { CI: 'true' }, false)).toBe('log');
    expect(progressMode({ isTTY: true }, {}, true)).toBe('off');
    expect(progressMode({ isTTY: false }, {}, true)).toBe('off');
  });

  it('takes CI=false or CI=0 on a terminal as a person there, and any other value as a CI', () => {
    for (const CI of ['false', 'FALSE', '0', '']) expect(progressMode({ isTTY: true }, { CI }, false), CI).toBe('tty');
    for (const CI of ['true', '1', 'yes', 'github']) expect(progressMode({ isTTY: true }, { CI }, false), CI).toBe('log');
  });

  it('honours NO_COLOR', () => {
    expect(colorAllowed({})).toBe(true);
    expect(colorAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed({ NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
  });
});

describe('progressFacts', () => {
  it('estimates the total from bytes read and the ETA from the rate so far', () => {
    // About 200 rows; 90 done in 10 s = 9 rows/s; 110 left ≈ 13 s.
    const facts = progressFacts(view(), 10_000, false, 200);
    expect(facts).toEqual({
      rowsRead: 100,
      sent: 84,
      succeeded: 80,
      refused: 6,
      failed: 2,
      inFlight: 2,
      requests: 85,
      rowsPerSecond: 9,
      estimatedRows: 200,
      percent: 45,
      etaSeconds: 13,
    });
  });

  it('has no percent nor ETA before anything was read, and no rows sent in a dry run', () => {
    const facts = progressFacts(view({ rowsRead: 0, rowsDone: 0, succeeded: 0 }), 1000, true);
    expect(facts.percent).toBeUndefined();
    expect(facts.etaSeconds).toBeUndefined();
    expect(facts.sent).toBe(0);
  });

  it('estimates the rows from the share of bytes behind the rows read, exactly once all are read', () => {
    expect(estimateRows(view({ read: { bytesRead: 0, totalBytes: 100_000 }, rowsRead: 0 }))).toBeUndefined();
    expect(estimateRows(view({ read: { bytesRead: 25_000, totalBytes: 100_000 }, rowsRead: 250 }))).toBe(1000);
    expect(estimateRows(view({ read: { bytesRead: 1000, totalBytes: 1000 }, rowsRead: 180 }))).toBe(180);
    const facts = progressFacts(view({ read: { bytesRead: 50_000, totalBytes: 100_000 }, rowsRead: 100, rowsDone: 90 }), 10_000, false, 200);
    expect(facts.percent).toBe(45);
    expect(facts.etaSeconds).toBe(13);
  });
});

describe('progressLine', () => {
  const facts = progressFacts(view(), 10_000, false, 200);

  it('shows rows read, sent, succeeded, refused, failed, rate, share and ETA', () => {
    expect(progressLine(facts, { width: 120, color: false })).toBe('100 read · 84 sent · 80 ok · 6 refused · 2 failed · 9 rows/s · 45% · ETA 0:13');
  });

  it('colors refusals only when colors are allowed', () => {
    const colored = progressLine(facts, { width: 120, color: true });
    expect(colored).toContain('\x1b[33m6 refused\x1b[0m');
    expect(colored).toContain('\x1b[31m2 failed\x1b[0m');
    expect(progressLine(facts, { width: 120, color: false })).not.toMatch(/\x1b/);
  });

  it('never wraps: cut to the terminal width less one column', () => {
    const line = progressLine(facts, { width: 30, color: false });
    expect(line.length).toBeLessThanOrEqual(29);
    expect(line.startsWith('100 read · 84 sent')).toBe(true);
  });

  it('leaves out a fact that does not fit whole, never shows part of one', () => {
    const big = progressFacts(view({ read: { bytesRead: 50_000, totalBytes: 100_000 }, rowsRead: 1234, rowsDone: 1180 }), 10_000, false, 200);
    const whole = progressLine(big, { width: 200, color: false });
    expect(whole).toMatch(/ · ETA \d+:\d\d$/);
    const withoutShare = whole.replace(/ · \d+%/, '');
    // Past the share, too narrow still: the ETA is left out, not cut to a wrong time.
    const line = progressLine(big, { width: withoutShare.length, color: false });
    expect(line).toBe(withoutShare.slice(0, withoutShare.lastIndexOf(' · ETA ')));
    for (const width of [30, 50, 70]) {
      const cut = progressLine(big, { width, color: false });
      expect(cut.length).toBeLessThanOrEqual(width - 1);
      expect(withoutShare.startsWith(cut)).toBe(true);
      expect(withoutShare.slice(cut.length) === '' || withoutShare.slice(cut.length).startsWith(' · ')).toBe(true);
    }
  });

  it('keeps the ETA on an 80-column terminal by leaving out a failed count of 0, then the share', () => {
    const large = { rowsRead: 123_456, sent: 123_400, succeeded: 123_350, refused: 28, failed: 0, inFlight: 8, requests: 123_420, rowsPerSecond: 850, percent: 45, etaSeconds: 190 };
    expect(progressLine(large, { width: 200, color: false })).toBe(
      '123,456 read · 123,400 sent · 123,350 ok · 28 refused · 0 failed · 850 rows/s · 45% · ETA 3:10',
    );
    expect(progressLine(large, { width: 80, color: false })).toBe('123,456 read · 123,400 sent · 123,350 ok · 28 refused · 850 rows/s · ETA 3:10');
    const smaller = { ...large, rowsRead: 12_345, sent: 12_300, succeeded: 12_250, rowsPerSecond: 85 };
    expect(progressLine(smaller, { width: 80, color: false })).toBe('12,345 read · 12,300 sent · 12,250 ok · 28 refused · 85 rows/s · 45% · ETA 3:10');
    // A failed count that is not 0 stays: the share goes first.
    expect(progressLine({ ...smaller, failed: 3, rowsRead: 999, sent: 990, succeeded: 950 }, { width: 80, color: false })).toBe(
      '999 read · 990 sent · 950 ok · 28 refused · 3 failed · 85 rows/s · ETA 3:10',
    );
  });

  it('shows the whole line, a failed count of 0 included, where it fits', () => {
    expect(progressLine(progressFacts(view({ failed: 0 }), 10_000, false, 200), { width: 120, color: false })).toContain(' · 0 failed · ');
  });

  it('says valid and drops sent and failed in a dry run', () => {
    expect(progressLine(progressFacts(view({ failed: 0 }), 10_000, true, 200), { width: 120, color: false, dryRun: true })).toBe(
      '100 read · 80 valid · 6 refused · 9 rows/s · 45% · ETA 0:13',
    );
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('ProgressDisplay on a terminal', () => {
  it('shows a share and an ETA from the bytes behind the rows read', () => {
    const tty = fakeTty();
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, now: () => 10_000, intervalMs: 60_000 });
    display.start(() => view({ read: { bytesRead: 0, totalBytes: 1000 }, rowsRead: 0, rowsDone: 0, succeeded: 0, refused: 0, failed: 0, inFlight: 0 }));
    display.tick();
    expect(tty.chunks[0]).not.toMatch(/%|ETA/); // nothing read yet: nothing to estimate from
    display.start(() => view());
    display.tick();
    expect(tty.chunks.at(-1)).toMatch(/ · 45% · ETA 0:13$/); // half the bytes hold 100 rows: 200, 90 done at 9 rows/s
    display.stop();
  });

  it('redraws one line in place with carriage return and erase-line', () => {
    const tty = fakeTty();
    let now = 10_000;
    let current = view();
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, now: () => now, intervalMs: 60_000 });
    display.start(() => current);
    display.tick();
    now = 20_000;
    current = view({ rowsRead: 150, rowsDone: 140, succeeded: 130 });
    display.tick();
    expect(tty.chunks).toEqual([
      `${CLEAR_LINE}100 read · 84 sent · 80 ok · 6 refused · 2 failed · 9 rows/s · 45% · ETA 0:13`,
      `${CLEAR_LINE}150 read · 134 sent · 130 ok · 6 refused · 2 failed · 7 rows/s · 46% · ETA 0:23`,
    ]);
    expect(tty.text()).not.toContain('\n'); // redrawn, never scrolled
    display.stop();
    expect(tty.chunks.at(-1)).toBe(CLEAR_LINE);
  });

  it('draws the whole line on a pseudo-terminal that reports 0 columns (script, an unsized pty)', () => {
    const tty = fakeTty(0);
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, now: () => 10_000, intervalMs: 60_000 });
    display.start(() => view());
    display.tick();
    expect(tty.chunks[0]).toBe(`${CLEAR_LINE}100 read · 84 sent · 80 ok · 6 refused · 2 failed · 9 rows/s · 45% · ETA 0:13`);
    display.stop();
  });

  it('clears the line before a log line and redraws it after, in one write', () => {
    const tty = fakeTty();
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, now: () => 10_000, intervalMs: 60_000 });
    display.writeAbove('info  before start\n'); // nothing drawn yet: written as is
    display.start(() => view());
    display.tick();
    display.writeAbove('warn  row 5: bad email\n');
    expect(tty.chunks[0]).toBe('info  before start\n');
    expect(tty.chunks[2]).toBe(`${CLEAR_LINE}warn  row 5: bad email\n100 read · 84 sent · 80 ok · 6 refused · 2 failed · 9 rows/s · 45% · ETA 0:13`);
    display.stop();
    display.writeAbove('summary\n');
    expect(tty.chunks.slice(-2)).toEqual([CLEAR_LINE, 'summary\n']);
  });

  it('writes nothing after stop, and stop without a drawn line writes nothing', () => {
    const tty = fakeTty();
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, intervalMs: 60_000 });
    display.start(() => view());
    display.stop();
    display.tick();
    expect(tty.chunks).toEqual([]);
  });

  it('redraws on its own timer', async () => {
    const tty = fakeTty();
    const display = new ProgressDisplay({ mode: 'tty', stream: tty, color: false, intervalMs: 10 });
    display.start(() => view({ startedAt: Date.now() - 10_000 }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    display.stop();
    expect(tty.chunks.length).toBeGreaterThanOrEqual(2);
    expect(tty.chunks.every((chunk) => chunk.startsWith(CLEAR_LINE))).toBe(true);
  });
});

describe('ProgressDisplay off a terminal', () => {
  it('logs the facts as one progress line and never draws', () => {
    const pipe = { chunks: [] as string[], write(text: string) { this.chunks.push(text); } };
    const logged: Array<[object, string]> = [];
    const display = new ProgressDisplay({ mode: 'log', stream: pipe, now: () => 10_000, intervalMs: 60_000 });
    display.useLogger({ info: ((facts: object, msg: string) => logged.push([facts, msg])) as never });
    display.start(() => view());
    display.tick();
    display.writeAbove('{"msg":"x"}\n');
    display.stop();
    expect(logged).toEqual([[progressFacts(view(), 10_000, false, estimateRows(view())), 'progress']]);
    expect(pipe.chunks).toEqual(['{"msg":"x"}\n']);
  });

  it('samples often but logs only every logEveryMs', () => {
    let now = 0;
    const logged: object[] = [];
    const display = new ProgressDisplay({ mode: 'log', stream: { write: () => true }, now: () => now, intervalMs: 60_000, logEveryMs: 5000 });
    display.useLogger({ info: ((facts: object) => logged.push(facts)) as never });
    display.start(() => view({ startedAt: 0 }));
    for (now = 200; now <= 10_000; now += 200) display.sample();
    expect(logged).toHaveLength(2);
    display.stop();
  });

  it('is silent when off', () => {
    const pipe = { chunks: [] as string[], write(text: string) { this.chunks.push(text); } };
    const display = new ProgressDisplay({ mode: 'off', stream: pipe });
    display.start(() => view());
    display.tick();
    display.stop();
    expect(pipe.chunks).toEqual([]);
  });
});
