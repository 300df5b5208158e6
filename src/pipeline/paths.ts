import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ImportError } from '../errors/index.js';

/** Where a run writes: the report, its errors file and its journal, and the lock held meanwhile. */
export interface RunPaths {
  reportPath: string;
  errorsPath: string;
  journalPath: string;
  lockPath: string;
}

/**
 * `<input name>.results.csv` in the working directory unless a report path is given; the errors
 * file and the journal sit next to the report: `<report name>.errors.csv` (`.errors.xlsx` when the
 * input is a workbook, so it is fixed and imported again in the same program), `<report name>.journal`.
 */
export function runPaths(inputFile: string, reportPath: string | undefined, cwd = process.cwd(), inputFormat: 'csv' | 'xlsx' = 'csv'): RunPaths {
  const report = resolve(cwd, reportPath ?? join(cwd, `${basename(inputFile, extname(inputFile))}.results.csv`));
  const stem = report.slice(0, report.length - extname(report).length);
  return { reportPath: report, errorsPath: `${stem}.errors.${inputFormat === 'xlsx' ? 'xlsx' : 'csv'}`, journalPath: `${stem}.journal`, lockPath: `${stem}.lock` };
}

/**
 * Refuses a report path that names no file: a path ending in a separator (a folder, which would
 * otherwise be written as a file of that name when it does not exist), or `-` (reports are files;
 * only `--summary-json -` goes to stdout). `name` is the option as the caller gave it
 * (`the option reportPath`, `--report`).
 */
export function checkReportOption(reportPath: string | undefined, name: string): void {
  if (reportPath === undefined) return;
  if (reportPath === '-') throw new ImportError('usage', `${name} - would write a file named "-": reports are files; give a file name`);
  if (/[\\/]$/.test(reportPath)) throw new ImportError('usage', `${name} ${reportPath} names a folder: give a file name, such as ${reportPath}alumnos.results.csv`);
}

/**
 * Refuses, before anything is read or sent, a report that could not be written (no such folder,
 * not writable) or that would overwrite the input: importing a fixed errors file with the report
 * name of the run that wrote it would make its new errors file the file being read.
 */
export function checkRunPaths(paths: RunPaths, inputFile: string): void {
  // Named like a journal or a lock, the report is one: `r.journal` is its own journal (and the journal
  // of `r.csv`), written over by report lines, so a file without usernames imported again under
  // that name was created twice; `r.lock` is its own lock, deleted with the report when the run ended.
  const ownFile = paths.reportPath.toLowerCase() === paths.journalPath.toLowerCase() ? 'journal' : paths.reportPath.toLowerCase() === paths.lockPath.toLowerCase() ? 'lock file' : undefined;
  if (ownFile !== undefined) {
    throw new ImportError('usage', `the report ${paths.reportPath} would be the run's own ${ownFile} (<report name>${extname(paths.reportPath)}): give the report another extension, such as .csv`);
  }
  const input = resolve(inputFile);
  for (const [what, path] of [
    ['report', paths.reportPath],
    ['errors file', paths.errorsPath],
    ['journal', paths.journalPath],
    ['lock file', paths.lockPath],
  ] as const) {
    if (sameFileAt(path, input)) {
      throw new ImportError('usage', `the ${what} would overwrite the input file ${input}${path === input ? '' : ` (${path} is a link to it)`}: choose another report path`);
    }
  }
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
  checkOutputFile(paths.reportPath, 'report');
  checkOutputFile(paths.errorsPath, 'errors file');
  checkOutputFile(paths.journalPath, 'journal');
}

/**
 * Whether two paths name one file: the same path, or a link to it (a symbolic link, or a hard link
 * of the nightly export), which writing the report would overwrite as surely.
 */
export function sameFileAt(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const [first, second] = [statSync(a), statSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false; // one of them does not exist yet
  }
}

/**
 * Refuses an output path that could not be written once the run is over: its folder missing or
 * not writable, or the path already taken by a folder or by a file this user may not write (the
 * rows would be sent, and the report lost at the end).
 */
export function checkOutputPath(path: string, what: string): void {
  const folder = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new ImportError('usage', `cannot write the ${what} ${path}: the folder ${folder} does not exist`);
  if (!existsSync(path)) {
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      throw new ImportError('usage', `cannot write the ${what} ${path}: the folder ${folder} is not writable`);
    }
  }
  checkOutputFile(path, what);
}

/** An existing output path must be a file this user may write. */
function checkOutputFile(path: string, what: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return; // created when the run writes it
  }
  if (stats.isDirectory()) throw new ImportError('usage', `cannot write the ${what} ${path}: it is a folder; give a file name`);
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new ImportError('usage', `cannot write the ${what} ${path}: the file exists and is not writable`);
  }
}

/**
 * An errors file changed well after the report written with it (the office fixed its rows after a
 * dry run, then imported the roster itself): moved aside as `<name>.edited.<ext>` (`.edited-2`, …)
 * instead of written over, and its new path returned. Written over, the fixes were lost unseen.
 * `unfinishedRunAt`: when the lock left by a run that never finished (killed) was last touched. A
 * JSON or .xlsx report is written whole at the end, so such a run's report stayed as it began while
 * its errors file grew; the lock, touched every 30 seconds, says how late that run still wrote.
 */
export async function keepEditedErrorsFile(paths: RunPaths, unfinishedRunAt = 0): Promise<string | undefined> {
  const [report, errors] = await Promise.all([stat(paths.reportPath).catch(() => undefined), stat(paths.errorsPath).catch(() => undefined)]);
  if (!report?.isFile() || !errors?.isFile() || errors.mtimeMs - Math.max(report.mtimeMs, unfinishedRunAt) < EDITED_AFTER_MS) return undefined;
  const extension = extname(paths.errorsPath);
  const stem = paths.errorsPath.slice(0, paths.errorsPath.length - extension.length);
  for (let n = 1; ; n++) {
    const aside = `${stem}.edited${n === 1 ? '' : `-${n}`}${extension}`;
    if (existsSync(aside)) continue;
    await rename(paths.errorsPath, aside);
    return aside;
  }
}
/** A run closes its report and errors file together: a minute apart, someone saved the errors file since. */
const EDITED_AFTER_MS = 60_000;
