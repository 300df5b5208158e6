import type { Logger } from '../logger.js';
import type { ImportProgress } from '../pipeline/options.js';

/** How progress is shown: a live line on a terminal, a log line every few seconds, or nothing. */
export type ProgressMode = 'tty' | 'log' | 'off';

/**
 * `tty` when stderr is a terminal and not under CI (env `CI` set), `log` on a pipe or under CI,
 * `off` with `--quiet`.
 */
export function progressMode(stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv, quiet: boolean): ProgressMode {
  if (quiet) return 'off';
  return isHumanTerminal(stderr, env) ? 'tty' : 'log';
}

/** A person's terminal: stderr is a TTY and `CI` is not set (`CI=false` and `CI=0` say it is not a CI). */
export function isHumanTerminal(stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return stderr.isTTY === true && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

/** Colors on unless `NO_COLOR` is set to something (no-color.org). */
export function colorAllowed(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}

/** The facts a progress line or progress log line shows. */
export interface ProgressFacts {
  rowsRead: number;
  /** Rows handed to the API: answered plus in flight. */
  sent: number;
  succeeded: number;
  refused: number;
  failed: number;
  inFlight: number;
  requests: number;
  rowsPerSecond: number;
  /** Data rows the file is estimated to hold; absent while unknown. */
  estimatedRows?: number;
  /** Share of the estimated rows done, 0..100; absent before anything is known. */
  percent?: number;
  /** Seconds left at the current rate; absent until there is a rate. */
  etaSeconds?: number;
}

/**
 * The data rows a file holds, estimated from the share of its bytes behind the rows read so far
 * (the readers report the position of the rows they have handed out, not of their read-ahead).
 * Unknown before the first row; exact once the last row is read.
 */
export function estimateRows(progress: ImportProgress): number | undefined {
  const { bytesRead, totalBytes } = progress.read;
  if (!(totalBytes > 0 && bytesRead > 0 && progress.rowsRead > 0)) return undefined;
  if (bytesRead >= totalBytes) return progress.rowsRead;
  return Math.max(progress.rowsRead, Math.round((progress.rowsRead * totalBytes) / bytesRead));
}

/**
 * Progress facts from the engine's live view. `estimatedRows` comes from `estimateRows`; with
 * it, the share done and the ETA: the rows left at the rate so far (rows in flight are not done).
 */
export function progressFacts(progress: ImportProgress, now: number, dryRun = false, estimatedRows?: number): ProgressFacts {
  const seconds = Math.max((now - progress.startedAt) / 1000, 0.001);
  const rate = progress.rowsDone / seconds;
  const facts: ProgressFacts = {
    rowsRead: progress.rowsRead,
    // A row just answered may still count in flight while its report line is written: clamp.
    sent: dryRun ? 0 : Math.min(progress.succeeded + progress.failed + progress.inFlight, progress.rowsRead - progress.refused),
    succeeded: progress.succeeded,
    refused: progress.refused,
    failed: progress.failed,
    inFlight: progress.inFlight,
    requests: progress.requests,
    rowsPerSecond: Math.round(rate),
  };
  if (estimatedRows !== undefined) {
    const total = Math.max(estimatedRows, progress.rowsRead, 1);
    facts.estimatedRows = total;
    facts.percent = Math.min(100, Math.floor((progress.rowsDone / total) * 100));
    if (rate > 0) facts.etaSeconds = Math.ceil((total - progress.rowsDone) / rate);
  }
  return facts;
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

const GROUP = new Intl.NumberFormat('en-US');
const YELLOW = '\x1b[33m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/**
 * The live line: `1,234 read · 1,180 sent · 1,150 ok · 28 refused · 2 failed · 85 rows/s · 45% · ETA 0:32`,
 * cut to `width` visible characters (a wrapped line could not be redrawn in place), only at a `·`:
 * the facts that do not fit whole are left out. A line too wide first drops a failed count of 0,
 * then the share, so that an 80-column terminal (tmux's and most terminals' default) still shows
 * the ETA of a run of 100,000 rows. With `color`,
 * refused counts are yellow and failed red when not zero.
 */
export function progressLine(facts: ProgressFacts, options: { width: number; color: boolean; dryRun?: boolean }): string {
  const room = Math.max(options.width - 1, 10); // the last column would wrap on some terminals
  let parts = lineParts(facts, options.dryRun === true);
  for (const spare of SPARED_FIRST) {
    if (visibleLength(parts) <= room) break;
    parts = parts.filter((part) => part[2] !== spare);
  }
  let line = '';
  let visible = 0;
  for (const [index, [text, tint]] of parts.entries()) {
    const piece = index === 0 ? text : ` · ${text}`;
    if (visible + piece.length > room) {
      // A fact is shown whole or not at all: "ETA 0:04" cut to "ETA 0:0" reads as a wrong time.
      if (index === 0) line += piece.slice(0, room);
      break;
    }
    visible += piece.length;
    if (tint && options.color) line += `${index === 0 ? '' : ' · '}${tint}${text}${RESET}`;
    else line += piece;
  }
  return line;
}

/** A fact of the live line: its text, its tint, and whether a line too wide leaves it out. */
type LinePart = [text: string, tint: string | undefined, spare?: 'zeroFailed' | 'percent'];
/** What a line too wide leaves out, in this order: a failed count of 0, then the share. */
const SPARED_FIRST = ['zeroFailed', 'percent'] as const;

/** The live line's facts in their order, each with its tint. */
function lineParts(facts: ProgressFacts, dryRun: boolean): LinePart[] {
  const parts: LinePart[] = [[`${GROUP.format(facts.rowsRead)} read`, undefined]];
  if (!dryRun) parts.push([`${GROUP.format(facts.sent)} sent`, undefined]);
  parts.push(
    [`${GROUP.format(facts.succeeded)} ${dryRun ? 'valid' : 'ok'}`, undefined],
    [`${GROUP.format(facts.refused)} refused`, facts.refused > 0 ? YELLOW : undefined],
  );
  if (!dryRun) parts.push(facts.failed > 0 ? [`${GROUP.format(facts.failed)} failed`, RED] : ['0 failed', undefined, 'zeroFailed']);
  parts.push([`${GROUP.format(facts.rowsPerSecond)} rows/s`, undefined]);
  if (facts.percent !== undefined) parts.push([`${facts.percent}%`, undefined, 'percent']);
  if (facts.etaSeconds !== undefined) parts.push([`ETA ${formatDuration(facts.etaSeconds)}`, undefined]);
  return parts;
}

/** The width of the parts joined by ` · `. */
function visibleLength(parts: readonly LinePart[]): number {
  return parts.reduce((length, [text], index) => length + text.length + (index === 0 ? 0 : 3), 0);
}

/** Carriage return and erase the whole line: the line is redrawn from its first column. */
export const CLEAR_LINE = '\r\x1b[2K';

/** Where the display writes: stderr, or a fake in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/** Options of `ProgressDisplay`. */
export interface ProgressDisplayOptions {
  mode: ProgressMode;
  stream: ProgressStream;
  /** Colors in the live line. Default true; pass `colorAllowed(env)`. */
  color?: boolean;
  /** A dry run sends nothing: no `sent`/`failed` counts. */
  dryRun?: boolean;
  /** How often the run is sampled (and the line redrawn on a terminal). Default 200 ms. */
  intervalMs?: number;
  /** How often the facts are logged off a terminal. Default 5 s. */
  logEveryMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Shows the run's progress on stderr. On a terminal a single line is redrawn in place; every other
 * write to stderr (log lines) goes through `writeAbove`, which clears the line, writes, and redraws
 * it, so log lines and the live line never interleave. Elsewhere the same facts are logged as one
 * `progress` line every few seconds. `stop` clears the line before the summary is printed.
 */
export class ProgressDisplay {
  private source: (() => ImportProgress) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private logger: Pick<Logger, 'info'> | undefined;
  private lastLogged = 0;
  private readonly now: () => number;

  constructor(private readonly options: ProgressDisplayOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The logger for `log` mode (it is created after the display, since its lines go through `writeAbove`). */
  useLogger(logger: Pick<Logger, 'info'>): void {
    this.logger = logger;
  }

  /** Starts showing the run whose live view `source` returns. */
  start(source: () => ImportProgress): void {
    if (this.options.mode === 'off') return;
    this.stopTimer();
    this.source = source;
    this.lastLogged = this.now();
    this.timer = setInterval(() => this.sample(), this.options.intervalMs ?? 200);
    this.timer.unref();
  }

  /** Samples the run: redraws the line (tty), or logs the facts when their time has come (log). */
  sample(): void {
    if (this.options.mode === 'log' && this.now() - this.lastLogged < (this.options.logEveryMs ?? 5000)) return;
    this.tick();
  }

  /** Draws the line now (tty) or logs the facts now (log). */
  tick(): void {
    if (!this.source) return;
    const facts = this.facts(this.source());
    if (this.options.mode === 'tty') this.draw(facts);
    else if (this.options.mode === 'log') {
      this.lastLogged = this.now();
      this.logger?.info({ ...facts }, 'progress');
    }
  }

  /** Writes text (a log line) to the stream without breaking the live line. */
  writeAbove(text: string): void {
    if (!this.drawn || !this.source) {
      this.options.stream.write(text);
      return;
    }
    this.options.stream.write(`${CLEAR_LINE}${text}${this.lineOf(this.facts(this.source()))}`);
  }

  /** Stops updating and erases the line, so what follows starts on a clean line. */
  stop(): void {
    this.stopTimer();
    this.source = undefined;
    if (this.drawn) this.options.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  private facts(progress: ImportProgress): ProgressFacts {
    return progressFacts(progress, this.now(), this.options.dryRun, estimateRows(progress));
  }

  private draw(facts: ProgressFacts): void {
    this.options.stream.write(`${CLEAR_LINE}${this.lineOf(facts)}`);
    this.drawn = true;
  }

  private lineOf(facts: ProgressFacts): string {
    // A pseudo-terminal nobody sized (`script` without a terminal, some `docker -t` and serial
    // consoles) reports 0 columns: cutting the line to that would leave "14 read ·".
    const columns = this.options.stream.columns;
    return progressLine(facts, {
      width: columns !== undefined && columns > 0 ? columns : 80,
      color: this.options.color ?? true,
      ...(this.options.dryRun ? { dryRun: true } : {}),
    });
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
