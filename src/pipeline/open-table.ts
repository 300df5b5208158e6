import { InputFileError, MissingNameColumnError } from '../errors/index.js';
import type { MappingFile } from '../map/mapping-file.js';
import { resolveMapping, type ResolvedMapping } from '../map/resolve-mapping.js';
import { openSource, type ReadOptions } from '../read/index.js';
import type { SourceTable } from '../read/source-row.js';

/** Rows below the first non-empty one that may still hold the header (under a title or a logo). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Opens the roster and maps its columns. When `--header-row` was not given and the first non-empty
 * row names no name column, the header is looked for a few rows further down (a title above it)
 * and, in a workbook without `--sheet`, on the following sheets (an "Instrucciones" sheet before
 * "Alumnos"); a warning says where it was found. A file where no such place exists fails as
 * before, with a hint.
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
    if (!(error instanceof MissingNameColumnError)) throw error;
    const workbook = table.format === 'xlsx';
    if (workbook ? readOptions.headerRow !== undefined && readOptions.sheet !== undefined : readOptions.headerRow !== undefined) throw error;
    let places: (string | undefined)[] = [undefined];
    if (workbook) {
      const sheets = readOptions.sheet === undefined ? await (await import('../read/xlsx.js')).listSheets(file) : [table.details.sheet!];
      const start = Math.max(sheets.indexOf(table.details.sheet!), 0);
      places = [...sheets.slice(start), ...sheets.slice(0, start)];
    }
    for (const sheet of places) {
      const found = await findHeader(file, sheet, readOptions.headerRow, mappingFile, sheet === table.details.sheet ? table.headerRow : undefined);
      if (found) {
        warn(
          sheet === undefined
            ? `the column names were found on row ${found.table.headerRow}, under the first lines (use --header-row to choose another row)`
            : `the column names were found on sheet "${sheet}", row ${found.table.headerRow} (use --sheet and --header-row to choose another place)`,
        );
        return found;
      }
    }
    const where = workbook ? `sheet "${table.details.sheet}", row ${table.headerRow}` : `row ${table.headerRow}`;
    throw new MissingNameColumnError(`${error.message} (${where}; if the names are elsewhere, use ${workbook ? '--sheet and ' : ''}--header-row)`);
  }
}

async function findHeader(
  file: string,
  sheet: string | undefined,
  headerRow: number | undefined,
  mappingFile: MappingFile | undefined,
  alreadyTried: number | undefined,
): Promise<{ table: SourceTable; mapping: ResolvedMapping } | undefined> {
  let first: SourceTable;
  try {
    first = await openSource(file, { ...(sheet !== undefined ? { sheet } : {}), ...(headerRow !== undefined ? { headerRow } : {}) });
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
      table = await openSource(file, { ...(sheet !== undefined ? { sheet } : {}), headerRow: row });
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
