/**
 * quentli-import as a library: `importCustomers(options)` runs an import and resolves to its
 * summary; nothing here prints or exits.
 */
export { importCustomers } from './pipeline/run.js';
// The CLI's exit code for a summary, so a program that reports like the CLI need not restate the rule.
export { EXIT, exitCodeOf } from './cli/exit-code.js';
export type { ImportEvent, ImportOptions, ImportProgress } from './pipeline/options.js';
export type { ImportSummary, RefusalGroup } from './report/summary.js';
export type { ReportEntry } from './report/report-entry.js';
export { ROW_STATUSES, type RowStatus } from './report/row-status.js';
export type { MappingFile, MappingInput } from './map/mapping-file.js';
export type { ResolvedMapping } from './map/resolve-mapping.js';
export type { ReadProgress } from './read/source-row.js';
export type { EngineLogger, Logger } from './logger.js';
export type { RetryPolicy } from './send/sender.js';
export type { RowIssue, IssueCode } from './validate/row-issue.js';
export { ImportError, InputFileError, NoDataRowsError, MappingError, MissingMappedHeaderError, MissingNameColumnError, ApiKeyError, type ImportErrorCode } from './errors/index.js';
