import type { RequestFailures } from '../send/sender.js';
import { issueGroupKey, type IssueCode } from '../validate/row-issue.js';
import type { ReportEntry } from './report-entry.js';
import { ROW_STATUSES, type RowStatus } from './row-status.js';

/** Refused or failed rows that share one reason. */
export interface RefusalGroup {
  reason: string;
  count: number;
  /** The first rows with this reason (at most ten). */
  rows: number[];
}

/** What an import did, as `importCustomers` resolves it and `--summary-json` writes it. */
export interface ImportSummary {
  file: string;
  mode: 'create' | 'upsert';
  dryRun: boolean;
  /** True when the run was stopped (Ctrl-C, SIGTERM, the `signal` option aborted) before every row was sent. */
  interrupted: boolean;
  /** Data rows read (blank rows are not counted). */
  rows: number;
  counts: Record<RowStatus, number>;
  /** HTTP requests made to the API. */
  requests: number;
  /** Of those, the ones that got no useful answer (each retried, or its row failed): why a run was slow. */
  requestFailures: RequestFailures;
  elapsedMs: number;
  /** When the run started and ended, ISO 8601 in UTC: for a monitor reading last night's summary. */
  startedAt: string;
  finishedAt: string;
  rowsPerSecond: number;
  refusals: RefusalGroup[];
  reportPath: string;
  errorsPath: string;
  journalPath?: string;
  /**
   * Set when the file at the input's path holds rows this run did not read: `appended` after its
   * end was read (an export still being written), or `replaced`: another file of other content
   * renamed over it while it was read, or new content written over it in place after its rows were read. Their rows are in no report line and were not sent; the
   * CLI exits 1.
   */
  unreadInput?: 'appended' | 'replaced';
}

const FIRST_ROWS = 10;

/** The issues of a row that repeats an earlier one: its status says so, and they group as no cell problem does. */
const REPEAT_CODES: ReadonlySet<IssueCode> = new Set(['duplicate_username', 'duplicate_customer']);

/** Counts outcomes and groups refusals as entries arrive. */
export class SummaryBuilder {
  readonly counts = Object.fromEntries(ROW_STATUSES.map((status) => [status, 0])) as Record<RowStatus, number>;
  private rows = 0;
  private readonly groups = new Map<string, RefusalGroup>();

  /** Counts one row's entry. */
  add(entry: ReportEntry): void {
    this.rows++;
    this.counts[entry.status]++;
    if (entry.status === 'duplicate') this.group(entry.username === undefined ? 'the name and email or phone repeat an earlier row (no username)' : 'the username repeats an earlier row', entry.row);
    else if (entry.issues) {
      // Cell problems are grouped; a repeat of an earlier row (on an invalid row too) has no group.
      for (const issue of entry.issues) if (!REPEAT_CODES.has(issue.code)) this.group(issueGroupKey(issue), entry.row);
    } else if (entry.status === 'failed' && entry.error) this.group(entry.error, entry.row);
  }

  /** Rows counted so far. */
  get total(): number {
    return this.rows;
  }

  /** The summary at the end of the run. */
  build(facts: Omit<ImportSummary, 'rows' | 'counts' | 'rowsPerSecond' | 'refusals'>): ImportSummary {
    return {
      ...facts,
      rows: this.rows,
      counts: { ...this.counts },
      rowsPerSecond: facts.elapsedMs > 0 ? Math.round((this.rows / facts.elapsedMs) * 1000) : this.rows,
      refusals: [...this.groups.values()].sort((a, b) => b.count - a.count),
    };
  }

  private group(reason: string, row: number): void {
    let group = this.groups.get(reason);
    if (!group) {
      group = { reason, count: 0, rows: [] };
      this.groups.set(reason, group);
    }
    group.count++;
    // Rows finish out of order: keep the lowest row numbers, in order.
    if (group.rows.length === FIRST_ROWS && row > group.rows[FIRST_ROWS - 1]!) return;
    const at = group.rows.findIndex((seen) => seen > row);
    group.rows.splice(at === -1 ? group.rows.length : at, 0, row);
    if (group.rows.length > FIRST_ROWS) group.rows.pop();
  }
}
