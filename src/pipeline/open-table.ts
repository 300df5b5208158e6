import { InputFileError, MissingNameColumnError } from '../errors/index.js';
import type { MappingFile } from '../map/mapping-file.js';
import { resolveMapping, type ResolvedMapping } from '../map/resolve-mapping.js';
import { openSource, type ReadOptions } from '../read/index.js';
import type { SourceTable } from '../read/source-row.js';

/** Rows below the first non-empty one that may still hold the header (under a title or a logo). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Opens the roster and maps its columns. In a workbook, when neither `--sheet` nor `--header-row`
 * was given and the first non-empty row of the first sheet names no name column, the header is
 * looked for a few rows further down (a title above it) and then on the following sheets (an
 * "Instrucciones" sheet before "Alumnos"), and a warning says where it was found. A file where no
 * such place exists fails as before, with a hint.
 */
export async function openMappedTable(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  warn: (message: string) => void,
): Promise<{ table: SourceTable; mapping: ResolvedMapping }> {
  const table = await openSource(file, readOptions);
  try {
    return { table, mapping: resolveMapping(table.headers, mappingFile) };
  } catch (error) {
    await table.close();
    if (!(error instanceof MissingNameColumnError) || table.format !== 'xlsx') throw error;
    const sheets = readOptions.sheet === undefined ? await (await import('../read/xlsx.js')).listSheets(file) : [table.details.sheet!];
    const start = sheets.indexOf(table.details.sheet!);
    for (const sheet of [...sheets.slice(start), ...sheets.slice(0, Math.max(start, 0))]) {
      const found = await findHeader(file, sheet, readOptions.headerRow, mappingFile, sheet === table.details.sheet ? table.headerRow : undefined);
      if (found) {
        warn(`the column names were found on sheet "${sheet}", row ${found.table.headerRow} (use --sheet and --header-row to choose another place)`);
        return found;
      }
    }
    const hint =
      readOptions.headerRow === undefined
        ? ` (sheet "${table.details.sheet}", row ${table.headerRow}; if the names are elsewhere, use --sheet and --header-row)`
        : '';
    throw new MissingNameColumnError(`${error.message}${hint}`);
  }
}

async function findHeader(
  file: string,
  sheet: string,
  headerRow: number | undefined,
  mappingFile: MappingFile | undefined,
  alreadyTried: number | undefined,
): Promise<{ table: SourceTable; mapping: ResolvedMapping } | undefined> {
  let first: SourceTable;
  try {
    first = await openSource(file, { sheet, ...(headerRow !== undefined ? { headerRow } : {}) });
  } catch (error) {
    if (error instanceof InputFileError) return undefined; // an empty sheet
    throw error;
  }
  const candidates = headerRow !== undefined ? [] : range(first.headerRow + 1, first.headerRow + HEADER_SEARCH_ROWS);
  if (first.headerRow !== alreadyTried) {
    const mapped = tryMapping(first, mappingFile);
    if (mapped) return mapped;
  }
  await first.close();
  for (const row of candidates) {
    let table: SourceTable;
    try {
      table = await openSource(file, { sheet, headerRow: row });
    } catch (error) {
      if (error instanceof InputFileError) continue; // an empty row
      throw error;
    }
    const mapped = tryMapping(table, mappingFile);
    if (mapped) return mapped;
    await table.close();
  }
  return undefined;
}

function tryMapping(table: SourceTable, mappingFile: MappingFile | undefined): { table: SourceTable; mapping: ResolvedMapping } | undefined {
  try {
    return { table, mapping: resolveMapping(table.headers, mappingFile) };
  } catch (error) {
    if (error instanceof MissingNameColumnError) return undefined;
    throw error;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
