import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ImportError } from '../errors/index.js';

/** Where a run writes: the report, its errors file and its journal. */
export interface RunPaths {
  reportPath: string;
  errorsPath: string;
  journalPath: string;
}

/**
 * `<input name>.results.csv` in the working directory unless a report path is given; the errors
 * file and the journal sit next to the report: `<report name>.errors.csv` (`.errors.xlsx` when the
 * input is a workbook, so it is fixed and imported again in the same program), `<report name>.journal`.
 */
export function runPaths(inputFile: string, reportPath: string | undefined, cwd = process.cwd(), inputFormat: 'csv' | 'xlsx' = 'csv'): RunPaths {
  const report = resolve(cwd, reportPath ?? join(cwd, `${basename(inputFile, extname(inputFile))}.results.csv`));
  const stem = report.slice(0, report.length - extname(report).length);
  return { reportPath: report, errorsPath: `${stem}.errors.${inputFormat === 'xlsx' ? 'xlsx' : 'csv'}`, journalPath: `${stem}.journal` };
}

/** Refuses, before anything is sent, a report that could not be written: no such folder, or not writable. */
export function checkReportFolder(paths: RunPaths): void {
  const folder = dirname(paths.reportPath);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new ImportError('usage', `cannot write the report ${paths.reportPath}: the folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new ImportError('usage', `cannot write the report ${paths.reportPath}: the folder ${folder} is not writable`);
  }
}
