import type { CountryCode } from 'libphonenumber-js';
import type { MappingInput } from '../map/mapping-file.js';
import type { EngineLogger } from '../logger.js';
import type { ImportSummary } from '../report/summary.js';
import type { ReportEntry } from '../report/report-entry.js';
import type { ResolvedMapping } from '../map/resolve-mapping.js';
import type { RetryPolicy } from '../send/sender.js';
import type { ReadProgress } from '../read/source-row.js';

/** What `importCustomers` needs; only `file` is required (and `apiKey` unless `dryRun`). */
export interface ImportOptions {
  /** The roster: CSV (any common encoding and delimiter) or .xlsx. */
  file: string;
  /** API base URL including `/v1`. Default `https://api.quentli.com/v1`. Plain http only for loopback hosts. */
  apiUrl?: string | undefined;
  /** Organization API key (`sk_…`). Never logged nor reported. */
  apiKey?: string | undefined;
  /**
   * An HTTP proxy the API requests go through, tunnelled (CONNECT): `http://[user:password@]host:port`
   * (a school network that lets nothing out but through its proxy). Default: none, a direct connection.
   */
  proxy?: string | undefined;
  /** A mapping file path, or its parsed content. */
  mapping?: string | MappingInput | undefined;
  /** Region for phones without a country code. Default `MX`. */
  defaultCountry?: CountryCode | undefined;
  /** Most requests in flight at once. Default 8. */
  concurrency?: number | undefined;
  /** Read, map and validate every row; send nothing. */
  dryRun?: boolean | undefined;
  /** `create` (default) never updates; `upsert` creates new usernames and updates changed customers. */
  mode?: 'create' | 'upsert' | undefined;
  /** Results report path. Default `<input name>.results.csv` in the working directory. */
  reportPath?: string | undefined;
  /** Workbook sheet (name or 1-based number). */
  sheet?: string | number | undefined;
  /** Workbook header row number. */
  headerRow?: number | undefined;
  /** Longest wait for one API answer, ms. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retry limits; see `RetryPolicy` for defaults. */
  retry?: { [Limit in keyof RetryPolicy]?: RetryPolicy[Limit] | undefined } | undefined;
  /** Ignore the journal of an earlier run of the same input. */
  restart?: boolean | undefined;
  /**
   * Aborting stops sending: requests in flight get up to 10 s, the rest of the file is still read to
   * report its rows (`not_attempted`), and the promise resolves with `interrupted: true`.
   */
  signal?: AbortSignal | undefined;
  /** Where the engine logs; default a silent logger. */
  logger?: EngineLogger | undefined;
  /** Called as the run proceeds; the engine itself never prints. A throw in it is logged (warn) and ignored. */
  onEvent?: ((event: ImportEvent) => void) | undefined;
}

/** A live view of the run, for progress displays. */
export interface ImportProgress {
  read: ReadProgress;
  /** Data rows read so far. */
  rowsRead: number;
  /** Rows whose outcome is known. */
  rowsDone: number;
  succeeded: number;
  refused: number;
  failed: number;
  /** Rows being sent (a request out, or a retry's wait); not those queued for a free slot. */
  inFlight: number;
  requests: number;
  startedAt: number;
}

/** What the engine tells its caller while it runs. */
export type ImportEvent =
  | {
      type: 'start';
      format: 'csv' | 'xlsx';
      details: Record<string, string>;
      headerRow: number;
      mapping: ResolvedMapping;
      reportPath: string;
      errorsPath: string;
      progress: () => ImportProgress;
    }
  | { type: 'resume'; journalPath: string; confirmedRows: number; unconfirmedRows: number }
  | { type: 'warning'; message: string }
  | { type: 'row'; entry: ReportEntry }
  | { type: 'stopping'; reason: string }
  | { type: 'end'; summary: ImportSummary };
