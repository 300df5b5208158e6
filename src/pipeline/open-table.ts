import { InputFileError, MappingError, MissingMappedHeaderError, MissingNameColumnError, NoDataRowsError } from '../errors/index.js';
import { fieldForHeader, isWeakNameHeader } from '../map/fields.js';
import { namesColumns, type MappingFile } from '../map/mapping-file.js';
import { isDataLineLike, joinHeaderRows, mergedNameColumns, nameColumn, resolveMapping, unheadedNameColumns, type ResolvedMapping } from '../map/resolve-mapping.js';
import { tableBeside, type TableBeside } from '../map/table-beside.js';
import { columnLetters } from '../read/column-letters.js';
import { openSource, type ReadOptions } from '../read/index.js';
import { sniffFileKind } from '../read/sniff.js';
import type { SourceRow, SourceTable } from '../read/source-row.js';
import { REPORT_COLUMNS } from '../report/report-entry.js';

/** Rows below the first non-empty one that may still hold the header (under a title or a logo). */
const HEADER_SEARCH_ROWS = 10;
/** Sheet names of the notes a template keeps beside its roster. */
// The newer names only at the start: `Guías` or `Llenado 3° A` may be a roster's own sheet name.
const INSTRUCTIONS = /instruc|l[ée]eme|readme|ayuda|help|notas|notes|ejemplo|example|^(?:indicaci|gu[íi]a (?:de|para)|llenado$|c[óo]mo llenar|portada|resumen de exportaci[óo]n$|export summary$)/i;

type Mapped = { table: OpenedTable; mapping: ResolvedMapping };
/**
 * A table as opened here: with `widerLinesBelow` when its header may be a title block's (see
 * `widerLinesBelow`), and `tableBeside` when its first rows hold a small table right of the list.
 */
type OpenedTable = SourceTable & { widerLinesBelow?: true; tableBeside?: TableBeside };

/**
 * Opens the roster and maps its columns. When `--header-row` was not given and the first
 * non-empty row is not the header (no name column, or a header the mapping file names is
 * missing), the header is looked for up to ten rows further down (a title above it) and, in a
 * workbook without `--sheet`, on the other sheets; sheets named like instructions ("Instrucciones",
 * "Léeme") come last, even when first in the workbook. A row below the first counts as the header
 * only when it names two fields or more, so a line of instructions ("Nombre | Nombre del alumno")
 * is not taken for one. A warning says where the header was found. A file where no such place
 * exists fails as before, with a hint.
 */
export async function openMappedTable(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  warn: (message: string) => void,
): Promise<Mapped> {
  let found: Mapped;
  try {
    found = await findMappedTable(file, readOptions, mappingFile, warn);
  } catch (error) {
    // A mapping refusal names the headers and the row, but which file? A cron job importing
    // several rosters, or an office on its third export, must not have to guess.
    if (error instanceof MappingError) error.message = `${file}: ${error.message}`;
    throw error;
  }
  // Our own results report, picked for the roster: its `name` and `username` columns would import,
  // and a row with a name alone (no username) would be created a second time.
  if (REPORT_COLUMNS.every((column, i) => found.table.headers[i]?.trim() === column)) {
    await found.table.close();
    throw new InputFileError(file, `is the results report of an earlier import (${REPORT_COLUMNS.join(', ')}), not a roster: import the original file again, or the errors file beside the report, with its rows fixed`);
  }
  const beside = found.table.tableBeside;
  if (beside && !namesColumns(mappingFile) && isTableBesideImported(beside, found.mapping)) {
    await found.table.close();
    throw new MappingError(`${file}: ${tableBesideRefusal(beside, found.table.headers)}`);
  }
  if (found.table.format === 'xlsx' && readOptions.sheet === undefined) {
    try {
      await warnOfOtherSheets(file, found.table.details.sheet!, warn);
    } catch (error) {
      await found.table.close();
      throw error;
    }
  }
  return found;
}

/**
 * A workbook with one sheet per group ("3° A", "3° B") imports one sheet a run: a warning names the
 * other sheets that hold data, so the office does not take the first group for the whole school.
 */
async function warnOfOtherSheets(file: string, imported: string, warn: (message: string) => void): Promise<void> {
  const others = (await listSheets(file, { withData: true })).filter((sheet) => sheet !== imported && !INSTRUCTIONS.test(sheet));
  if (others.length === 0) return;
  const named = others.map((sheet) => JSON.stringify(sheet)).join(', ');
  warn(
    `only sheet ${JSON.stringify(imported)} is imported; the workbook's other ${others.length === 1 ? 'sheet' : 'sheets'} ${named} also ${others.length === 1 ? 'holds' : 'hold'} data: import ${others.length === 1 ? 'it' : 'each'} with --sheet and its own --report`,
  );
}

async function findMappedTable(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  warn: (message: string) => void,
): Promise<Mapped> {
  // A file opened more than once while the header is looked for says the same thing once.
  const said = new Set<string>();
  const onWarning = (message: string) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
  readOptions = { ...readOptions, onWarning };
  if (readOptions.headerRow !== undefined && readOptions.sheet === undefined && (await isWorkbook(file))) {
    const sheets = await listSheets(file, { withData: true });
    if (sheets.length > 0) return findAtHeaderRow(file, readOptions, mappingFile, warn, sheets);
  }
  let table: OpenedTable;
  try {
    table = await openTable(file, readOptions);
  } catch (error) {
    // A workbook whose first sheet is only a header (an empty template, a one-line note): the
    // roster may be on another sheet. A workbook by its content, as the reader tells it, whatever its name.
    if (!(error instanceof NoDataRowsError) || readOptions.sheet !== undefined || !(await isWorkbook(file))) throw error;
    const found = await searchSheets(file, readOptions, mappingFile, await listSheets(file), undefined, warn, []);
    if (found) return found;
    const roster = await findRosterAfterInstructions(file, readOptions, mappingFile, warn);
    if (roster) return roster;
    throw error;
  }
  const workbook = table.format === 'xlsx';
  // Other sheets are listed only when needed: the first sheet is named like notes, or is not the roster.
  const otherSheets = workbook && readOptions.sheet === undefined;
  let listed: Promise<string[]> | undefined;
  const sheetNames = () => (listed ??= listSheets(file));
  const defaultIsInstructions =
    otherSheets && INSTRUCTIONS.test(table.details.sheet ?? '') && (await sheetNames()).some((sheet) => !INSTRUCTIONS.test(sheet));
  let firstError: MappingError | undefined;
  /** The first line is a customer's data, as the row under it: the file has no header row. */
  let headerless = false;
  if (!defaultIsInstructions) {
    let mapping: ResolvedMapping | undefined;
    try {
      mapping = resolveMapping(table.headers, mappingFile, mappingOptions(table, readOptions.headerRow !== undefined));
    } catch (error) {
      if (error instanceof MissingNameColumnError && readOptions.headerRow === undefined) headerless = await firstRowRepeatsHeaderShape(table);
      await table.close();
      if (!isHeaderMiss(error)) throw error;
      firstError = error;
    }
    if (mapping) {
      // `Nombre | Colegio Vista Hermosa` over `Ciclo escolar | 2025-2026`: a label and its value above
      // the roster, read as a name column; the students' rows, header and all, became metadata of
      // customers named `Ciclo escolar` and `Grupo`. Column names below naming two fields or more are the header.
      if (readOptions.headerRow === undefined && mappingFile === undefined && table.widerLinesBelow && readsOneField(mapping)) {
        const below = await searchSheets(file, readOptions, mappingFile, [table.details.sheet], table, warn, []);
        if (below) {
          await table.close();
          return below;
        }
      }
      return { table, mapping };
    }
  } else {
    await table.close();
  }
  const elsewhere = `if the names are elsewhere, use ${workbook ? '--sheet and ' : ''}--header-row`;
  // The row --header-row named, on a CSV or the sheet --sheet named: which file (openMappedTable), sheet and row.
  if (readOptions.headerRow !== undefined) throw withPlace(firstError!, `(${placeOf(table, table.headerRow)}; ${elsewhere})`);

  const places = otherSheets ? await sheetNames() : [workbook ? table.details.sheet! : undefined];
  const nearMisses: NearMiss[] = [];
  const emptyRosters: NoDataRowsError[] = [];
  const found = await searchSheets(file, readOptions, mappingFile, places, defaultIsInstructions ? undefined : table, warn, nearMisses, emptyRosters);
  if (found) return found;
  if (defaultIsInstructions) {
    const roster = await findRosterAfterInstructions(file, readOptions, mappingFile, warn);
    if (roster) return roster;
  }
  // A template's title over its column names and no student yet: the header is there, the rows are not.
  if (emptyRosters[0]) throw emptyRosters[0];
  // `"Ana Ruiz","ana@x.mx","5512345678"` on the first line and the customers under it: told to use
  // --header-row, which cannot help, the office had no way on. The line to add is what is missing.
  if (headerless) {
    const cells = table.headers.filter((cell) => cell.trim() !== '');
    const shown = cells.slice(0, 4).map((cell) => JSON.stringify(cell)).join(', ') + (cells.length > 4 ? ', …' : '');
    throw new MissingNameColumnError(
      `no column holds the customer's name: the file has no header row (its first line, ${placeOf(table, table.headerRow)}, is a customer's data, ${shown}, as the line under it is): add a first line with the column names (such as Nombre, Correo, Teléfono) and import it again`,
    );
  }
  if (firstError instanceof MissingMappedHeaderError) throw withPlace(firstError, `(${placeOf(table, table.headerRow)}; ${elsewhere})`);
  // Column names under a title (`COLEGIO VISTA HERMOSA S.C.` on row 1, the header on row 4) whose
  // name column is the problem: what is wrong with them, not with the title.
  const nearMiss = nearMisses[0];
  if (nearMiss) throw new MissingNameColumnError(`${nearMiss.error.message} (${nearMiss.where}, the first line that looks like column names; ${elsewhere})`);
  const hint = `(${placeOf(table, table.headerRow)}; ${elsewhere})`;
  throw new MissingNameColumnError(`${firstError?.message ?? 'no sheet holds a column with the customer\'s name'} ${hint}`);
}

/**
 * `--header-row` without `--sheet` names a row of the sheet a run without it reads: the first with
 * data, those named like instructions passed over when another holds data (that row of an
 * "Indicaciones" sheet was the template's example customer, imported as one). Where that row is
 * not the header (no name column, no data under it, empty), the same row of the next sheet; failing
 * every one, the first sheet's refusal, which names it. `sheets`: the workbook's sheets with data.
 */
async function findAtHeaderRow(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  warn: (message: string) => void,
  sheets: readonly string[],
): Promise<Mapped> {
  const rosters = sheets.filter((sheet) => !INSTRUCTIONS.test(sheet));
  const places = rosters.length > 0 ? rosters : sheets;
  let refusal: InputFileError | MappingError | undefined;
  for (const sheet of places) {
    try {
      const found = await findMappedTable(file, { ...readOptions, sheet }, mappingFile, warn);
      if (sheet !== sheets[0]) warn(`the column names were found on sheet "${sheet}", ${rowsOf(found.table)} (use --sheet and --header-row to choose another place)`);
      return found;
    } catch (error) {
      if (!(error instanceof InputFileError || isHeaderMiss(error))) throw error;
      refusal ??= error;
    }
  }
  throw refusal;
}

/** The header miss with where the header was read: `(sheet "Lista", row 4; if the names are elsewhere, …)`. */
function withPlace(miss: MappingError, where: string): MappingError {
  return miss instanceof MissingMappedHeaderError ? new MissingMappedHeaderError(`${miss.message} ${where}`) : new MissingNameColumnError(`${miss.message} ${where}`);
}

/** Whether the file is a workbook, whatever its name; one that cannot be read is told so when it is opened. */
async function isWorkbook(file: string): Promise<boolean> {
  try {
    return (await sniffFileKind(file)) === 'xlsx';
  } catch {
    return false;
  }
}

/**
 * Looks for the header in each place (a sheet; `undefined` for a CSV), sheets named like
 * instructions last; `tried` is the table whose first row was already tried.
 */
async function searchSheets(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  places: (string | undefined)[],
  tried: SourceTable | undefined,
  warn: (message: string) => void,
  nearMisses: NearMiss[],
  emptyRosters: NoDataRowsError[] = [],
): Promise<Mapped | undefined> {
  const start = Math.max(places.indexOf(tried?.details.sheet), 0);
  const ordered = [...places.slice(start), ...places.slice(0, start)];
  const isNotes = (sheet: string | undefined) => sheet !== undefined && INSTRUCTIONS.test(sheet);
  for (const sheet of [...ordered.filter((place) => !isNotes(place)), ...ordered.filter(isNotes)]) {
    const alreadyTried = tried && sheet === tried.details.sheet ? tried.headerRow : undefined;
    const found = await findHeader(file, { ...readOptions, ...(sheet !== undefined ? { sheet } : {}) }, mappingFile, alreadyTried, nearMisses, emptyRosters);
    if (found) {
      warn(
        sheet === undefined
          ? `the column names were found on ${rowsOf(found.table)}, under the first lines (use --header-row to choose another row)`
          : `the column names were found on sheet "${sheet}", ${rowsOf(found.table)} (use --sheet and --header-row to choose another place)`,
      );
      return found;
    }
  }
  return undefined;
}

/**
 * Opens the roster at its header row. A second header row right under it (a school template's
 * `NOMBRE DEL ALUMNO` merged over `APELLIDO PATERNO | APELLIDO MATERNO | NOMBRE(S)`) joins it
 * (`joinHeaderRows`), and the data starts under both. Read as data, the lower row was a customer
 * named `APELLIDO PATERNO`, and the students were named by their first surname.
 */
async function openTable(file: string, options: ReadOptions): Promise<OpenedTable> {
  const table = await openSource(file, options);
  const batches = table.batches[Symbol.asyncIterator]();
  const first = await nextBatch(table, batches);
  const below = first.done ? undefined : first.value[0];
  const headers = below && below.row === table.headerRow + 1 && !below.cellIssues ? joinHeaderRows(table.headers, below.values) : undefined;
  if (!below || !headers) {
    const nameColumns = below && unheadedNameColumns(table.headers, (first.value as SourceRow[]).map((row) => row.values), table.headerMerges);
    const wider = below !== undefined && options.headerRow === undefined && widerLinesBelow(table, first.value as SourceRow[]);
    if (!nameColumns) {
      const beside = below && tableBeside(table.headers, first.value as SourceRow[]);
      return { ...table, ...(wider ? { widerLinesBelow: true } : {}), ...(beside ? { tableBeside: beside } : {}), batches: replayed(first, batches) };
    }
    const letters = nameColumns.slice(1).map((index) => columnLetters(index + 1));
    const columns = letters.length === 1 ? `column ${letters[0]!} has` : `columns ${letters.slice(0, -1).join(', ')} and ${letters.at(-1)!} have`;
    const example = (first.value as SourceRow[]).find((row) => nameColumns.every((index) => row.values[index]?.trim()));
    options.onWarning?.(
      `${columns} no header and hold the rest of the names beside "${table.headers[nameColumns[0]!]!}", as under a label merged over them: read with it as the name, in the order written${example ? ` ("${nameColumns.map((index) => example.values[index]!.trim()).join(' ')}", row ${example.row})` : ''}; if they are not, name the columns in the file`,
    );
    return { ...table, nameColumns, nameColumnsAsWritten: true, batches: replayed(first, batches) };
  }
  options.onWarning?.(`the column names take two rows, ${table.headerRow} and ${below.row}: read together as ${headers.map((header) => JSON.stringify(header)).join(', ')}`);
  let rest: IteratorResult<SourceRow[]> = { value: (first.value as SourceRow[]).slice(1) };
  if (rest.value.length === 0) {
    rest = await nextBatch(table, batches);
    if (rest.done) {
      await table.close();
      throw new NoDataRowsError(file, `rows ${table.headerRow} and ${below.row}`);
    }
  }
  const nameColumns = mergedNameColumns(table.headers, below.values);
  const beside = tableBeside(headers, rest.value as SourceRow[]);
  return { ...table, headers, headerRows: 2, ...(nameColumns ? { nameColumns } : {}), ...(beside ? { tableBeside: beside } : {}), batches: replayed(rest, batches) };
}

/**
 * Whether the table beside the list is read into the customers as metadata: right of the name, some
 * column of it imported, and none a customer's field (a phone column set apart, filled for the first
 * students only, is the list's own).
 */
function isTableBesideImported(beside: TableBeside, mapping: ResolvedMapping): boolean {
  const name = nameColumn(mapping);
  const targets = beside.columns.map((index) => mapping.columns[index]?.target);
  return (
    name !== undefined &&
    name < beside.gap &&
    targets.some((target) => target?.kind === 'metadata') &&
    !targets.some((target) => target?.kind === 'field' || (target?.kind === 'metadata' && target.fills !== undefined))
  );
}

/**
 * Why a table beside the list is refused: read as one with it, its cells were sent as metadata of
 * the customers on its rows. Refused rather than left out: a list's own columns set apart by an
 * empty one, filled only on its first rows, would lose their values with a warning nobody reads at night.
 */
function tableBesideRefusal(beside: TableBeside, headers: readonly string[]): string {
  const { gap, columns, firstRow, lastRow } = beside;
  const span = (from: number, to: number) => (from === to ? columnLetters(from + 1) : `${columnLetters(from + 1)}–${columnLetters(to + 1)}`);
  const empty = columns[0]! - 1 === gap ? `the empty column ${span(gap, gap)}` : `the empty columns ${span(gap, columns[0]! - 1)}`;
  const named = columns.slice(0, 10).map((index) => JSON.stringify(headers[index])).join(', ') + (columns.length > 10 ? ', …' : '');
  const rows = firstRow === lastRow ? `row ${firstRow}` : `rows ${firstRow}–${lastRow}`;
  const one = columns.length === 1;
  return `${one ? 'column' : 'columns'} ${span(columns[0]!, columns.at(-1)!)} (${named}), right of ${empty}, ${one ? 'holds' : 'hold'} values on ${rows} only, not along the list: a small table beside the list (a legend, a count by group)? Read as one, its cells would be sent as metadata of the customers on ${rows}. Move it to a sheet of its own, or delete it, and import again; if ${one ? 'the column is' : 'the columns are'} the customers' own, give ${empty.replace('the empty ', '')} a header, or name the columns with a mapping file (--mapping)`;
}

/** Whether one column only is read as a field: of a two-cell line (`Nombre | Colegio Vista Hermosa`, see `widerLinesBelow`), a title block's label and value. */
function readsOneField(mapping: ResolvedMapping): boolean {
  return mapping.columns.filter((column) => column.target.kind === 'field').length === 1;
}

/**
 * Whether a line within ten rows under a two-cell header is wider than it (cells past the header,
 * or column names naming two fields), after a few lines only and with as many rows under it at
 * least: a title block's labels over the roster's header. A roster of two columns with a table of
 * contacts under it (more rows above than below) is not one; nor, unread, is any file whose first
 * lines are as wide as its header, so a two-column workbook of 200,000 rows is not opened again.
 */
function widerLinesBelow(table: SourceTable, rows: readonly SourceRow[]): boolean {
  if (table.headers.filter((header) => header.trim() !== '').length !== 2) return false;
  for (let i = 0; i < rows.length && rows[i]!.row <= table.headerRow + HEADER_SEARCH_ROWS; i++) {
    const { values, cellIssues } = rows[i]!;
    const wider = cellIssues?.some((issue) => issue.code === 'malformed_row' && issue.column === undefined) || new Set(values.map(fieldForHeader).filter(Boolean)).size >= 2;
    if (wider) return i <= 5 && i <= rows.length - i - 1;
  }
  return false;
}

/**
 * Three cells or more, each a word or more and none a value (an email, a number), one of them
 * naming a field or a customer (`Alumno`): column names, where a title line is one cell or two.
 */
function looksLikeColumnNames(headers: readonly string[]): boolean {
  const named = headers.filter((header) => header.trim() !== '');
  return (
    named.length >= 3 &&
    named.every((header) => LETTER.test(header) && !header.includes('@') && !VALUE_LIKE.test(header)) &&
    named.some((header) => fieldForHeader(header) !== undefined || isWeakNameHeader(header))
  );
}
const LETTER = /\p{L}/u;
/** A cell that reads as a value: digits with a few letters, as a date or an id. */
const VALUE_LIKE = /\d{3,}/;

/** `row 4`, or `sheet "Lista", row 4`. */
function placeOf(table: SourceTable, row: number): string {
  return table.format === 'xlsx' ? `sheet "${table.details.sheet}", row ${row}` : `row ${row}`;
}

/** What the mapping needs to know of how the table was read. */
function mappingOptions(table: SourceTable, headerRowGiven: boolean): Parameters<typeof resolveMapping>[2] {
  return { headerRowGiven, ...(table.nameColumns ? { nameColumns: table.nameColumns } : {}), ...(table.nameColumnsAsWritten ? { nameColumnsAsWritten: true } : {}) };
}

/** The next batch; the file is closed when it cannot be read. */
async function nextBatch(table: SourceTable, batches: AsyncIterator<SourceRow[]>): Promise<IteratorResult<SourceRow[]>> {
  try {
    return await batches.next();
  } catch (error) {
    await table.close();
    throw error;
  }
}

/** The batches again, from one already taken off them. */
function replayed(taken: IteratorResult<SourceRow[]>, rest: AsyncIterator<SourceRow[]>): AsyncIterable<SourceRow[]> {
  let pending: IteratorResult<SourceRow[]> | undefined = taken;
  const iterator: AsyncIterator<SourceRow[]> = {
    next: () => {
      if (!pending) return rest.next();
      const result = pending;
      pending = undefined;
      return Promise.resolve(result);
    },
    return: (value?: unknown) => (rest.return ? rest.return(value) : Promise.resolve({ done: true, value: undefined })),
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

/** Where a table's column names are: `row 3`, or `rows 2 and 3`. */
function rowsOf(table: SourceTable): string {
  return table.headerRows === 2 ? `rows ${table.headerRow} and ${table.headerRow + 1}` : `row ${table.headerRow}`;
}

/** The workbook's sheet names; the workbook reader loads only when a workbook is read. */
async function listSheets(file: string, options: { withData?: boolean } = {}): Promise<string[]> {
  return (await import('../read/xlsx.js')).listSheets(file, options);
}

/**
 * The roster of a workbook whose first sheet with data is named like instructions, read from the
 * first other sheet with data, when no header was found anywhere; undefined when there is none.
 * That sheet's problem (no header row, no data rows) is the one to tell, not "Instrucciones has no
 * data rows under what was read as its column names" or "no sheet holds a column with the
 * customer's name (sheet "Instrucciones", row 1)".
 */
async function findRosterAfterInstructions(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  warn: (message: string) => void,
): Promise<Mapped | undefined> {
  const [first, ...rest] = await listSheets(file, { withData: true });
  const roster = first !== undefined && INSTRUCTIONS.test(first) ? rest.find((sheet) => !INSTRUCTIONS.test(sheet)) : undefined;
  return roster === undefined ? undefined : findMappedTable(file, { ...readOptions, sheet: roster }, mappingFile, warn);
}

/** Whether the table's first row holds an email or a phone in the columns where its header line does (see `isDataLineLike`). */
async function firstRowRepeatsHeaderShape(table: SourceTable): Promise<boolean> {
  try {
    const first = await table.batches[Symbol.asyncIterator]().next();
    const row = first.done ? undefined : first.value[0];
    return row !== undefined && isDataLineLike(table.headers, row.values);
  } catch {
    return false; // the reading error, if any, is for the import to meet and say
  }
}

/** The row read as the header is not the header: no name column, or a mapped header missing. */
function isHeaderMiss(error: unknown): error is MappingError {
  return error instanceof MissingNameColumnError || error instanceof MissingMappedHeaderError;
}

/**
 * `emptyRosters` collects the rows below the first that would be the header, naming two fields or
 * more, but have no data rows under them (a template's title over its column names, not filled in).
 */
async function findHeader(
  file: string,
  readOptions: ReadOptions,
  mappingFile: MappingFile | undefined,
  alreadyTried: number | undefined,
  nearMisses: NearMiss[],
  emptyRosters: NoDataRowsError[],
): Promise<Mapped | undefined> {
  const at = (row: number): ReadOptions => ({ ...readOptions, headerRow: row });
  let first: SourceTable;
  try {
    first = await openTable(file, readOptions);
  } catch (error) {
    if (error instanceof InputFileError) return undefined; // an empty sheet
    throw error;
  }
  if (first.headerRow !== alreadyTried) {
    const mapped = tryMapping(first, mappingFile, 1);
    if (mapped) return mapped;
  }
  await first.close();
  // A line naming two fields first; failing that, with a mapping file, the first line holding every
  // column it names (a title line `Maestra | Nombre | Laura Méndez` holds `Nombre` too, above the header).
  const named = namesColumns(mappingFile);
  let holdingTheMapping: number | undefined;
  for (let row = first.headerRow + 1; row <= first.headerRow + HEADER_SEARCH_ROWS; row++) {
    let table: SourceTable;
    try {
      table = await openTable(file, at(row));
    } catch (error) {
      if (error instanceof NoDataRowsError && error.headers && namesFields(error.headers, mappingFile, 2)) emptyRosters.push(error);
      if (error instanceof InputFileError) continue; // an empty row, or no data under it
      throw error;
    }
    const mapped = tryMapping(table, mappingFile, 2, nearMisses);
    if (mapped) return mapped;
    if (named && holdingTheMapping === undefined && tryMapping(table, mappingFile, 1)) holdingTheMapping = row;
    await table.close();
  }
  if (holdingTheMapping === undefined) return undefined;
  const table = await openTable(file, at(holdingTheMapping));
  const mapped = tryMapping(table, mappingFile, 1);
  if (!mapped) await table.close();
  return mapped;
}

/** Whether column names read as a header naming at least `minFields` fields (a name column among them). */
function namesFields(headers: readonly string[], mappingFile: MappingFile | undefined, minFields: number): boolean {
  try {
    const mapping = resolveMapping([...headers], mappingFile, { headerRowGiven: false });
    return mapping.columns.filter((column) => column.target.kind === 'field').length >= minFields;
  } catch {
    return false; // no name column, or column names the mapping cannot read: not this roster's header
  }
}

/** A line below the first that names fields as column names do, yet has no name column: why, and where. */
type NearMiss = { error: MappingError; where: string };

/**
 * The mapping of a candidate header that names at least `minFields` fields, if it is one; a miss
 * on a line naming that many is noted in `nearMisses`.
 */
function tryMapping(table: SourceTable, mappingFile: MappingFile | undefined, minFields: number, nearMisses?: NearMiss[]): Mapped | undefined {
  let mapping: ResolvedMapping;
  try {
    mapping = resolveMapping(table.headers, mappingFile, mappingOptions(table, false));
  } catch (error) {
    if (!isHeaderMiss(error)) throw error;
    if (error instanceof MissingNameColumnError && minFields > 1 && looksLikeColumnNames(table.headers)) {
      nearMisses?.push({ error, where: placeOf(table, table.headerRow) });
    }
    return undefined;
  }
  const fields = mapping.columns.filter((column) => column.target.kind === 'field').length;
  // Column names over two rows are a header already, even with one field among them.
  return fields >= (table.headerRows === 2 ? 1 : minFields) ? { table, mapping } : undefined;
}
