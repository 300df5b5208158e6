import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { InputFileError } from '../errors/index.js';
import { fileReason } from '../errors/file-reason.js';
import { readCsv } from './csv.js';
import { sniffFileKind, UNREADABLE_KINDS, type FileKind } from './sniff.js';
import type { SourceTable } from './source-row.js';

export type { CellIssue, ReadProgress, SourceRow, SourceTable } from './source-row.js';

/** Options of the read stage. */
export interface ReadOptions {
  /** Workbook sheet by name or 1-based number; default the first sheet with data. */
  sheet?: string | number;
  /** Row holding the header (a CSV record number, or Excel's row number); default the first non-empty row. */
  headerRow?: number;
  /** Hears what was read but deserves a look (a CSV mixing two encodings), whenever the reader comes across it. */
  onWarning?: (message: string) => void;
}

/**
 * Opens a roster as a `SourceTable`, choosing the reader by the file's content, never by its name
 * alone: CSV text (any of the encodings and delimiters `readCsv` detects) or an .xlsx workbook.
 * Anything else is refused with one line that says what the file is and what to do.
 */
export async function openSource(path: string, options: ReadOptions = {}): Promise<SourceTable> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputFileError(path, 'is a folder, not a file');
    // A pipe (`<(export-roster)`, /dev/stdin on a pipe) or a device: a roster is read more than once.
    if (!info.isFile()) throw new InputFileError(path, 'is not a regular file (a pipe or a device, read only once): save the roster to a file and give its path');
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, fileReason(error), { cause: error });
  }
  let kind: FileKind;
  try {
    kind = await sniffFileKind(path);
  } catch (error) {
    throw new InputFileError(path, fileReason(error), { cause: error });
  }
  const lockOf = officeLockTarget(basename(path));
  if (lockOf !== undefined && kind !== 'xlsx') {
    throw new InputFileError(path, `is the lock file Excel or LibreOffice keeps beside ${lockOf} while it is open, not a roster: import ${lockOf} itself`);
  }
  if (kind !== 'xlsx' && kind !== 'text') throw new InputFileError(path, UNREADABLE_KINDS[kind]);
  // Loaded on demand: most rosters are CSV.
  if (kind === 'xlsx') return (await import('./xlsx.js')).readXlsx(path, options);
  if (/^\.xls[xm]$/i.test(extname(path))) {
    throw new InputFileError(path, `is a text (CSV) file named ${extname(path)}: rename it to .csv, or save it from Excel as a real .xlsx`);
  }
  // The "export to Excel" of many school systems: tab- or comma-separated text named .xls, which
  // Excel opens as text too (after a warning). A text .xlsx is no export's: it is refused above.
  if (/^\.xls$/i.test(extname(path))) options.onWarning?.(`${path}: a text (CSV) file named .xls, as many systems' "export to Excel" writes it: read as CSV`);
  return readCsv(path, { ...(options.headerRow !== undefined ? { headerRow: options.headerRow } : {}), ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
}

/**
 * The workbook an office program's lock file stands for: Excel's `~$lista.xlsx` (its owner's name
 * in 165 bytes), LibreOffice's `.~lock.lista.xlsx#` (a line of text, which would be read as a CSV).
 * Picked by mistake beside the roster (they show in a file dialog while the roster is open).
 */
function officeLockTarget(name: string): string | undefined {
  if (name.startsWith('~$') && name.length > 2) return name.slice(2);
  const libreOffice = /^\.~lock\.(.+)#$/.exec(name);
  return libreOffice?.[1];
}
