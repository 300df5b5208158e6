import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImportError } from '../errors/index.js';
import { checkOutputPath, runPaths, sameFileAt } from '../pipeline/paths.js';
import { outputError, writePrivateFile } from '../report/file-sink.js';
import type { CliArgs } from './args.js';

/**
 * Checks the --summary-json file and writes its "unfinished" marker: last night's summary goes at
 * once, so a run killed before its end (kill -9, a power cut) never leaves it to be read as
 * tonight's; the end of the run writes the real one. Returns its path (undefined for none or `-`).
 * Light on imports: the program calls it before loading the rest (a second or more on a busy
 * machine, long enough for a kill to find last night's summary in place).
 */
export function markSummaryUnfinished(args: CliArgs, cwd: string): string | undefined {
  if (!args.summaryJson || args.summaryJson === '-' || !args.file) return undefined;
  const summaryPath = resolve(cwd, args.summaryJson);
  const input = resolve(cwd, args.file);
  if (sameFileAt(summaryPath, input)) {
    throw new ImportError('usage', `the --summary-json file would overwrite the input file ${input}${summaryPath === input ? '' : ` (${summaryPath} is a link to it)`}: choose another path`);
  }
  // Nor the run's own files: the summary replaced the rows of a report, or a journal's resume.
  const own = (['csv', 'xlsx'] as const).map((format) => runPaths(args.file!, args.report, cwd, format));
  const clash = own
    .flatMap((paths) => [['report', paths.reportPath], ['errors file', paths.errorsPath], ['journal', paths.journalPath], ['lock', paths.lockPath]] as const)
    .find(([, path]) => sameFileAt(path, summaryPath));
  if (clash) throw new ImportError('usage', `the --summary-json file would overwrite the run's ${clash[0]} ${summaryPath}: choose another path`);
  checkOutputPath(summaryPath, '--summary-json file');
  // A pipe or a device (`>(jq …)`, /dev/stdout) takes one document: the summary, at the end.
  if (!regularOrAbsent(summaryPath)) return summaryPath;
  const marker = { error: { code: 'unfinished', message: `the run started at ${new Date().toISOString()} has not finished: it is still running, or it was killed` } };
  try {
    writePrivateFile(summaryPath, `${JSON.stringify(marker, null, 2)}\n`);
  } catch (error) {
    throw outputError(summaryPath, error);
  }
  return summaryPath;
}

/** Whether `path` is a regular file, or nothing yet: not a pipe or a device, which take one document and may block a second open. */
export function regularOrAbsent(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true; // not there yet (or not to be read): written as a file
  }
}
