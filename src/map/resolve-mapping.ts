import { MappingError, MissingMappedHeaderError, MissingNameColumnError } from '../errors/index.js';
import type { CustomerField } from '../validate/customer-schema.js';
import { fieldForHeader, isWeakNameHeader } from './fields.js';
import { columnLetters } from '../read/column-letters.js';
import { headerKey, isExcelPlaceholderHeader, plainHeader, singleLine, writtenKey } from './header-key.js';
import { parseBoolean, PHONE_EXTENSION_END, withoutFormulaGuard } from './normalize.js';
import { namesColumns, type MappingFile } from './mapping-file.js';

/** Where one column's cells go. */
export type ColumnTarget =
  | { kind: 'field'; field: CustomerField }
  | { kind: 'metadata'; key: string; fills?: CustomerField }
  | { kind: 'ignore'; reason: string };

/** One column of the file and its target. */
export interface ColumnMapping {
  /** Index of the column in the file's headers. */
  index: number;
  header: string;
  target: ColumnTarget;
}

/**
 * A contact list's numbered label and value columns for one kind of contact (Google Contacts'
 * `Phone 1 - Label | Phone 1 - Value | Phone 2 - Label | …`), read together on each row: the label
 * says which value comes first, and a value cell may hold several, joined by ` ::: `.
 */
export interface LabelledValues {
  /** The fields the values fill, in order: `phoneNumber` then `secondaryPhoneNumber`, or `email`. */
  fields: CustomerField[];
  /** Which values come first: those whose label says mobile (`Mobile`, `* Móvil`, `Celular`); without, the file's order. */
  prefer?: 'mobile';
  /** Whether a value cell holding several (`A ::: B`) is read as several; only where what fills no field can be kept as metadata. */
  splits: boolean;
  /** The pairs, in their number's order. */
  pairs: LabelledPair[];
}

/** One numbered pair of a contact list: its label's column (if any) and its value's. */
export interface LabelledPair {
  label?: number;
  value: number;
  /**
   * For a value column read as a field: the metadata key under which its cell is kept, as written,
   * in a row where one of its values fills no field (a third number, or the second of `A ::: B`).
   * A value column kept as metadata (`Phone 3 - Value`) keeps its cell on every row already.
   */
  leftoverKey?: string;
}

/** The header → field plan for one file, checked before any row is read. */
export interface ResolvedMapping {
  columns: ColumnMapping[];
  /** The header of the column that fills each mapped field. */
  headerOf: Partial<Record<CustomerField, string>>;
  /** Things a person should know about the plan (a second column naming a taken field, a column without a header). */
  warnings: string[];
  /**
   * When the mapping file sends several columns to `name` (`Nombre(s)`, `Apellido paterno`,
   * `Apellido materno`): their indexes, in the mapping file's order (as JavaScript reads a JSON
   * object: keys that are whole numbers, such as a header `2`, come first), joined with spaces.
   */
  nameParts?: number[];
  /**
   * The name was joined by the importer itself (surname columns beside the given names, or a merged
   * `NOMBRE DEL ALUMNO`): `nameParts[0]` holds the given names, and a row without them (a group's
   * heading, a totals or a signature line in a surname column) gets no surnames for a name.
   */
  givenNamesFirst?: true;
  /**
   * A column of area codes (`Lada`) beside the phone's: its index. A phone written without its area
   * code (`1234 5678` beside `55`) is read with it, as older school systems keep them apart.
   */
  areaCode?: number;
  /** The name column holds given names only (`First Name`, or `Nombre` with the surnames in columns of their own): no name to tell two customers apart. */
  partialName?: true;
  /**
   * Where the name is a contact list's display name (Thunderbird's, Odoo's `Display Name`): the
   * given name, middle name and surname columns, in a full name's order, whose cells joined name a
   * row whose display name is empty. Each is metadata that `fills` the name.
   */
  nameFallback?: number[];
  /** A contact list's labelled phones and emails (Google Contacts'), read together on each row. */
  labelled?: LabelledValues[];
}

/** The columns Microsoft Forms writes before the questions, in Spanish and English: its stamp. */
const FORMS_STAMP: readonly (readonly [string, string])[] = [
  ['horadeinicio', 'horadefinalizacion'],
  ['starttime', 'completiontime'],
];
/** The start and end columns' keys when the headers begin as a Microsoft Forms export's do (`Id`, then the times). */
function formsStamp(headers: readonly string[]): readonly [string, string] | undefined {
  if (headers.length < 3 || headerKey(headers[0]!) !== 'id') return undefined;
  const keys = headers.slice(1, 4).map(headerKey);
  return FORMS_STAMP.find(([start, end]) => keys.includes(start) && keys.includes(end));
}

/** Forms' columns of the account that answered (a school's secretary filling it in for every family, or `anonymous`). */
const FORMS_RESPONDENT_KEYS: ReadonlyMap<string, 'email' | 'name'> = new Map([
  ['correoelectronico', 'email'],
  ['email', 'email'],
  ['nombre', 'name'],
  ['name', 'name'],
]);

/**
 * In a Microsoft Forms export (`Id | Hora de inicio | Hora de finalización | Correo electrónico |
 * Nombre | …questions`), the email and name columns before the questions: read as the fields,
 * every customer got the address of whoever filled the form in.
 */
function formsRespondentColumns(headers: readonly string[], explicit: ReadonlyMap<number, string | null>): number[] {
  const stamp = formsStamp(headers);
  if (!stamp) return [];
  const keys = headers.map(headerKey);
  const after = keys.indexOf(stamp[1]);
  const found: number[] = [];
  // One of each: a question headed `Nombre` or `Correo electrónico` after them is the form's own.
  const taken = new Set<string>();
  for (let index = after + 1; index < keys.length; index++) {
    const kind = FORMS_RESPONDENT_KEYS.get(keys[index]!);
    if (kind === undefined || taken.has(kind)) break;
    taken.add(kind);
    if (!explicit.has(index)) found.push(index);
  }
  return found;
}

/**
 * Questions of a Forms export headed as its account columns are, renamed by its export the way
 * Excel renames a table's repeated header (`Nombre2`, `Correo electrónico2`, `Name2`): the header
 * each is read as. Unread, the customer's name question went to metadata and, with no other name
 * question, every customer was named after the account that answered.
 */
function formsRenamedQuestions(headers: readonly string[], formsColumns: readonly number[]): Map<number, string> {
  const renamed = new Map<number, string>();
  if (formsColumns.length === 0) return renamed;
  for (let index = formsColumns[formsColumns.length - 1]! + 1; index < headers.length; index++) {
    const numbered = EXCEL_NUMBERED.exec(headers[index]!);
    if (!numbered) continue;
    const account = formsColumns.find((column) => headerKey(headers[column]!) === headerKey(numbered[1]!));
    if (account !== undefined) renamed.set(index, headers[account]!);
  }
  return renamed;
}
/** Whether a header key is the name's with a number after it: `Nombre del alumno 2`, `Nombre del alumno (2)`, `Nombre del alumno #3`. */
function isNumberedAgain(key: string, nameKey: string): boolean {
  return key.startsWith(nameKey) && NUMBER_AFTER.test(key.slice(nameKey.length));
}
const NUMBER_AFTER = /^(?:#|no|\()?[2-9]\)?$/;
/** A header with the number Excel adds to a repeated one, right after it (`Nombre2`; `Nombre 2` is typed, a second child's). */
const EXCEL_NUMBERED = /^(\D*\S)([2-9])$/;

/** Google Forms' first column, when its answers are downloaded (`Marca temporal`, `Timestamp`). */
const GOOGLE_FORMS_STAMP: ReadonlySet<string> = new Set(['marcatemporal', 'timestamp']);
/** The address Google Forms collects from whoever answers, right after the stamp, in Spanish and English. */
const GOOGLE_FORMS_RESPONDENT: ReadonlySet<string> = new Set(['direcciondecorreoelectronico', 'emailaddress']);

/**
 * In a Google Forms export (`Marca temporal | Dirección de correo electrónico | …questions`,
 * `Timestamp | Email Address | …`), the column of the address the form collected from whoever
 * answered: the school office's, when it filled the form in for every family. Read as the email
 * (as English's `Email Address` was), every customer got that one address.
 */
function googleFormsRespondentColumn(headers: readonly string[], explicit: ReadonlyMap<number, string | null>): number | undefined {
  if (headers.length < 3 || !GOOGLE_FORMS_STAMP.has(headerKey(headers[0]!))) return undefined;
  // A quiz's score comes between them: `Marca temporal | Puntuación | Dirección de correo electrónico`.
  const column = GOOGLE_FORMS_SCORE.has(headerKey(headers[1]!)) ? 2 : 1;
  return column < headers.length - 1 && !explicit.has(column) && GOOGLE_FORMS_RESPONDENT.has(headerKey(headers[column]!)) ? column : undefined;
}
const GOOGLE_FORMS_SCORE: ReadonlySet<string> = new Set(['puntuacion', 'score']);

/** The index of the column that fills `field`, if one does (the first of a joined name's parts: see `nameColumn`). */
export function fieldColumn(mapping: Pick<ResolvedMapping, 'columns'>, field: CustomerField): number | undefined {
  return mapping.columns.find((column) => column.target.kind === 'field' && column.target.field === field)?.index;
}

/** The name's column: the given names of a joined name, else the one name column. */
export function nameColumn(mapping: ResolvedMapping): number | undefined {
  return mapping.nameParts?.[0] ?? fieldColumn(mapping, 'name');
}

/**
 * Our errors file's `error` column, also as an office renames it before importing the file again
 * (`Errores`, `Motivo del error`), and `import error`, its name beside an `error` column of the input's own.
 */
const REPORT_ERROR_COLUMNS: ReadonlySet<string> = new Set(['error', 'errores', 'errors', 'motivo del error', 'error (no llenar)', 'import error'].map(headerKey));
/** A header key naming a password column: `Password`, `Contraseña inicial`, `PWD` (not `Clave` nor `Clave de acceso`, a login or a student's id to some schools). */
const PASSWORD = /password|passwd|contrasena|^pwd$/;
/** A header about a password, not one: `Password reset required`, `Cambiar contraseña`, a yes/no. */
const ABOUT_A_PASSWORD = /reset|chang|cambi|expir|requir|olvid|forgot|hint|pista|updated|actualiz/;
/** Whether a column holds passwords, by its header. */
function isPasswordHeader(header: string): boolean {
  const key = headerKey(header);
  return PASSWORD.test(key) && !ABOUT_A_PASSWORD.test(key);
}

/**
 * A column kept as metadata under the name Excel gives a table's column nobody named (`Columna1`):
 * a key only in the rows holding a value, each warned of once the file is read. Not one a mapping
 * file gives a key of its own: that names it.
 */
export function isExcelPlaceholderMetadata(column: ColumnMapping): boolean {
  return column.target.kind === 'metadata' && column.target.key === column.header && isExcelPlaceholderHeader(column.header);
}

/** The `error` column our errors file adds: ignored on input, reused (not doubled) by the next errors file. */
export function isErrorColumn(header: string): boolean {
  return REPORT_ERROR_COLUMNS.has(headerKey(header));
}

/**
 * A second list beside the first: the name column's header again (`again`) right of an empty
 * header (`gap`: the last one before it, past the name column), with at least one more of the
 * first list's headers (`others`) right of that gap.
 */
function secondListBeside(headers: string[], nameIndex: number): { again: number; gap: number; others: number[] } | undefined {
  const nameKey = headerKey(headers[nameIndex]!);
  const again = headers.findIndex((header, index) => index > nameIndex && headerKey(header) === nameKey);
  if (again === -1) return undefined;
  let gap = again - 1;
  while (gap > nameIndex && headers[gap]!.trim() !== '') gap--;
  if (gap === nameIndex) return undefined;
  const firstList = new Set(headers.slice(0, gap).map(headerKey).filter((key) => key !== '' && key !== nameKey));
  const others = headers.flatMap((header, index) => (index > gap && firstList.has(headerKey(header)) ? [index] : []));
  return others.length > 0 ? { again, gap, others } : undefined;
}

/**
 * Decides where every column goes: the mapping file first, then `metadata.<key>` headers, then
 * field names and their synonyms, then the unmapped policy (metadata keyed by the header, by default,
 * so no column of a roster is silently dropped). An `error` column (from our own errors file) is ignored.
 */
export function resolveMapping(
  writtenHeaders: string[],
  mappingFile?: MappingFile,
  options: { headerRowGiven?: boolean; nameColumns?: readonly number[]; nameColumnsAsWritten?: boolean } = {},
): ResolvedMapping {
  // Our errors file writes `'@Instagram` for a header `@Instagram` (a spreadsheet would run it):
  // the fixed file, imported again, maps and keys its columns as the roster did.
  const fileHeaders = writtenHeaders.map(withoutFormulaGuard);
  // A line break typed in a header reads as a space in matching and messages; metadata keeps the
  // header as written, the key a run before this reading stored (a nightly upsert changes nothing).
  const headers = fileHeaders.map(singleLine);
  const explicit = new Map<number, string | null>();
  const headerIndexes = new Map<string, number[]>();
  const headerKeyIndexes = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, index: number) => {
    const list = map.get(key);
    if (list) list.push(index);
    else map.set(key, [index]);
  };
  headers.forEach((header, index) => {
    add(headerIndexes, header, index);
    const key = writtenKey(header);
    if (key) add(headerKeyIndexes, key, index);
  });
  const missing: string[] = [];
  /** The mapping's header that named each column, to tell two entries naming one column apart. */
  const namedBy = new Map<number, string>();
  for (const [header, target] of Object.entries(mappingFile?.columns ?? {})) {
    const indexes = headerIndexes.get(singleLine(header.trim())) ?? headerKeyIndexes.get(writtenKey(header));
    if (indexes === undefined) {
      missing.push(header);
      continue;
    }
    // A header written twice in the file (`Correo | Correo`: the student's and a parent's): `null`
    // leaves out, and a metadata key keeps aside, each of its columns (the second was read as the
    // field otherwise); a field takes the first, as without a mapping.
    for (const index of isFieldTarget(target) ? indexes.slice(0, 1) : indexes) {
      const earlier = namedBy.get(index);
      if (earlier !== undefined && explicit.get(index) !== target) {
        throw new MappingError(
          `the mapping names the column ${JSON.stringify(headers[index])} twice, as ${JSON.stringify(earlier)} (to ${JSON.stringify(explicit.get(index))}) and as ${JSON.stringify(header)} (to ${JSON.stringify(target)}): keep one of them`,
        );
      }
      namedBy.set(index, header);
      explicit.set(index, target);
    }
  }
  // The parts a merged `NOMBRE DEL ALUMNO` label spans make the name, unless the mapping file says what the name is.
  if (options.nameColumns && ![...explicit.values()].includes('name') && options.nameColumns.every((index) => !explicit.has(index))) {
    for (const index of options.nameColumns) explicit.set(index, 'name');
  }
  if (missing.length > 0) {
    throw new MissingMappedHeaderError(
      `the mapping names ${quotedList(missing, 10)}, not found in the file's headers: ${quotedList(headers, 50)}`,
    );
  }

  // A title block above the roster (`Cliente | Colegio Vista | Tel. | 55 5678 1200`) names fields
  // too, yet is no header: the search for the header goes on below it.
  // (Not where --header-row says this line is the header.)
  if (explicit.size === 0 && !options.headerRowGiven && isLabelsAndValues(headers)) {
    throw new MissingNameColumnError(
      `no column holds the customer's name: the line holds labels and their values, not column names (${headers.filter((h) => h.trim() !== '').map((h) => JSON.stringify(h)).join(', ')}; if it is the header, say so with --header-row)`,
    );
  }
  const unmappedPolicy = mappingFile?.unmapped ?? 'metadata';
  const headerOf: Partial<Record<CustomerField, string>> = {};
  const metadataKeys = new Set<string>();
  const warnings: string[] = [];
  const unmapped: string[] = [];
  const columns: ColumnMapping[] = [];

  const claimField = (field: CustomerField, header: string): boolean => {
    if (headerOf[field] !== undefined) return false;
    headerOf[field] = header;
    return true;
  };
  const metadataTarget = (key: string, index?: number): Extract<ColumnTarget, { kind: 'metadata' }> => {
    let unique = key;
    for (let n = 2; metadataKeys.has(unique); n++) unique = `${key} (${n})`;
    metadataKeys.add(unique);
    // Said, not only shown in the dry run: a nightly upsert would store the value under the other key
    // (a header written twice, `Grado | Grado`, is told apart so, as the dry run shows, without a word).
    if (unique !== key && index !== undefined && headers.indexOf(headers[index]!) === index) {
      warnings.push(`${JSON.stringify(headers[index])} (column ${columnLetters(index + 1)}) is kept as metadata ${JSON.stringify(unique)}: an earlier column already has the key ${JSON.stringify(key)}`);
    }
    return { kind: 'metadata', key: unique };
  };
  // Two entries of the mapping file may not send different columns to one metadata key (the second
  // was stored as `grupo (2)`, unsaid). Keys are still given in the columns' order, as before: a
  // nightly upsert keeps the keys it stored.
  const keyNamedBy = new Map<string, string>();
  for (const [index, target] of explicit) {
    if (!target?.startsWith('metadata.')) continue;
    const key = metadataKeyOf(target);
    const earlier = keyNamedBy.get(key);
    if (earlier !== undefined && earlier !== namedBy.get(index)) {
      throw new MappingError(`the mapping sends both ${JSON.stringify(earlier)} and ${JSON.stringify(namedBy.get(index))} to metadata.${key}: give each its own key`);
    }
    keyNamedBy.set(key, namedBy.get(index)!);
  }

  // Explicit targets claim their fields first, so a synonym elsewhere in the file cannot take them.
  // Several columns may fill `name`, joined in the mapping's order: a name split into given names and surnames.
  const nameParts: number[] = [];
  for (const [index, target] of explicit) {
    if (!target || target.startsWith('metadata.')) continue;
    if (target === 'name') {
      nameParts.push(index);
      claimField('name', headers[index]!); // the first names the name's column in messages
    } else if (!claimField(target as CustomerField, headers[index]!)) {
      throw new MappingError(`the mapping sends both ${JSON.stringify(headerOf[target as CustomerField])} and ${JSON.stringify(headers[index])} to ${target}`);
    }
  }

  const formsColumns = formsRespondentColumns(headers, explicit);
  const formsRenamed = formsRenamedQuestions(headers, formsColumns);
  /** The field a column's header names, a renamed Forms question read as its title. */
  const fieldOfColumn = (header: string, index: number) => fieldForHeader(formsRenamed.get(index) ?? header);
  // A form each customer answers with their own account (a university's, a company's) asks no name: theirs is the account's.
  const asksTheName =
    formsColumns.length > 0 &&
    headers.some(
      (header, index) => !formsColumns.includes(index) && (explicit.has(index) ? explicit.get(index) === 'name' : fieldOfColumn(header, index) === 'name' || isWeakNameHeader(header)),
    );
  const googleRespondent = googleFormsRespondentColumn(headers, explicit);
  const respondent = [...(asksTheName ? formsColumns : []), ...(googleRespondent === undefined ? [] : [googleRespondent])];
  if (formsColumns.length > 0) {
    const named = formsColumns.map((index) => JSON.stringify(headers[index])).join(' and ');
    const are = formsColumns.length === 1 ? 'is' : 'are';
    warnings.push(
      asksTheName
        ? `this is a Microsoft Forms export: ${named} ${are} the account that answered the form, not the customer's, and ${are} kept as metadata (map a question's column with --mapping if no other column is read as the email)`
        : `this is a Microsoft Forms export whose questions ask no name: ${named} (the account that answered the form) ${are} read as the customer's; if someone answered for the customers, map the questions' columns with --mapping`,
    );
  }
  // A full-name column beside given-name ones (`Nombre(s) | Apellido paterno | … | Nombre completo`)
  // is the name, wherever it stands: the first would send first names only.
  const fullNameIndex =
    headerOf.name === undefined ? headers.findIndex((header, index) => !explicit.has(index) && FULL_NAME_KEYS.has(headerKey(header))) : -1;
  if (fullNameIndex !== -1) claimField('name', headers[fullNameIndex]!);
  // A CRM's mobile column beside its plain phone (Odoo's `Phone | Mobile`, HubSpot's `Phone Number |
  // Mobile Phone Number`) is the phone, as Outlook's `Mobile Phone` is: the other is often the
  // office's landline, which gets no WhatsApp. It fills the phone where the mobile is empty. Not
  // where another column names the phone too (a school's `Teléfono | Celular` beside them): the
  // file's own order decides there, as it did.
  const isCrmPhone = (header: string) => CRM_PHONE_KEYS.has(headerKey(header)) || MOBILE_KEYS.has(headerKey(header));
  const mobileIndex =
    headerOf.phoneNumber === undefined &&
    headers.some((header, index) => !explicit.has(index) && CRM_PHONE_KEYS.has(headerKey(header))) &&
    headers.every((header, index) => explicit.has(index) || isCrmPhone(header) || fieldForHeader(header) !== 'phoneNumber')
      ? headers.findIndex((header, index) => !explicit.has(index) && MOBILE_KEYS.has(headerKey(header)))
      : -1;
  if (mobileIndex !== -1) claimField('phoneNumber', headers[mobileIndex]!);

  // A business's `Cliente` or a CRM's `First Name` is the name only where no header names it better
  // and another column is read as a field: beside `Nombre del alumno` it is the tutor, and a title
  // line above a roster (`Cliente:`, `Colegio …`) is no header.
  let weakNameIndex = -1;
  const hasLegalName = headers.some((header) => headerKey(header) === LEGAL_NAME_KEY);
  // A student's number beside a CRM's `First Name` (a school system's `Student ID | First Name |
  // Last Name`) says whose names they are; beside a `Cliente` it is another person's, the tutor's.
  const hasGivenName = headers.some((header, index) => !explicit.has(index) && isWeakNameHeader(header) && GIVEN_NAME_KEYS.has(headerKey(header)));
  const speaksOfAnotherName = (header: string) =>
    speaksOfAName(header) && !(hasLegalName && TRADE_NAME_KEYS.has(headerKey(header))) && !(hasGivenName && isIdentifierHeader(header));
  if (
    headerOf.name === undefined &&
    fullNameIndex === -1 &&
    !headers.some((header, index) => !explicit.has(index) && !respondent.includes(index) && speaksOfAnotherName(header))
  ) {
    // A school's `Alumno` beside a business's `Cliente` is no name to take: the student's name and
    // the paying tutor, or a client list's yes/no `¿Estudiante?` column. The file is refused, with the mapping to write.
    const weak = (header: string, index: number) => !explicit.has(index) && !respondent.includes(index) && isWeakNameHeader(header);
    const isStudent = (header: string) => STUDENT_KEYS.has(headerKey(header));
    const both = headers.some((header, index) => weak(header, index) && isStudent(header)) && headers.some((header, index) => weak(header, index) && !isStudent(header));
    weakNameIndex = both ? -1 : headers.findIndex(weak);
    const otherField = headers.some((header, index) => index !== weakNameIndex && (explicit.has(index) ? isFieldTarget(explicit.get(index)) : fieldOfColumn(header, index) !== undefined));
    if (!otherField) weakNameIndex = -1;
  }
  // A CRM's `First Name` and `Last Name` make the name together, as a mapping joining them would.
  const lastNameIndex =
    weakNameIndex !== -1 && GIVEN_NAME_KEYS.has(headerKey(headers[weakNameIndex]!))
      ? headers.findIndex((header, index) => !explicit.has(index) && LAST_NAME_KEYS.has(headerKey(header)))
      : -1;
  // A middle name (`Segundo nombre`, `Middle Name`) goes between the given names and the surnames.
  const middleNameIndex = headers.findIndex((header, index) => !explicit.has(index) && MIDDLE_NAME_KEYS.has(headerKey(header)));
  if (lastNameIndex !== -1) nameParts.push(weakNameIndex, ...(middleNameIndex === -1 ? [] : [middleNameIndex]), lastNameIndex);
  headers.forEach((header, index) => {
    let target: ColumnTarget;
    if (explicit.has(index)) {
      const to = explicit.get(index);
      if (to === null || to === undefined) target = { kind: 'ignore', reason: 'ignored by the mapping' };
      else if (to.startsWith('metadata.')) target = metadataTarget(metadataKeyOf(to), index);
      else target = { kind: 'field', field: to as CustomerField };
    } else if (header === '') {
      // Not imported; the run warns only of such a column that holds values (an export's trailing
      // empty columns are not worth a word).
      target = { kind: 'ignore', reason: 'no header' };
    } else if (isErrorColumn(header)) {
      target = { kind: 'ignore', reason: "the importer's own error column" };
    } else if (isPasswordHeader(header)) {
      // Moodle, School Data Sync and Google Workspace exports carry them: as metadata, anyone who
      // opens the customer in Quentli would read them.
      target = { kind: 'ignore', reason: 'passwords' };
      warnings.push(`"${header}" holds passwords: not sent (as metadata anyone who opens the customer in Quentli would read them)`);
    } else if (/^metadata\.\S/i.test(header)) {
      target = metadataTarget(header.slice('metadata.'.length).trim(), index);
    } else if (respondent.includes(index)) {
      target = metadataTarget(fileHeaders[index]!, index);
    } else {
      const joinedPart = lastNameIndex !== -1 && (index === lastNameIndex || index === middleNameIndex);
      const field = index === weakNameIndex || joinedPart ? 'name' : fieldOfColumn(header, index);
      if (field && (index === fullNameIndex || index === mobileIndex || joinedPart || claimField(field, header))) {
        target = { kind: 'field', field };
      } else {
        // A second phone or email column (`Teléfono` and `Celular`) fills the field where the first is empty.
        const fills = field && FALLBACK_FIELDS.has(field) && unmappedPolicy === 'metadata' ? field : undefined;
        if (field) {
          // A header written twice (`Teléfono`, `Teléfono`) is told apart by its columns' letters.
          const first = headerOf[field]!;
          const repeated = (text: string) => headers.indexOf(text) !== headers.lastIndexOf(text);
          const here = repeated(header) ? `"${header}" (column ${columnLetters(index + 1)})` : `"${header}"`;
          const there = repeated(first) ? `"${first}" (column ${columnLetters(headers.indexOf(first) + 1)})` : `"${first}"`;
          warnings.push(`${here} also names ${field}, already filled from ${there}${fills ? `: it fills ${field} in the rows where ${there} is empty, and is kept as metadata` : ''}`);
        }
        if (fills) target = { ...metadataTarget(fileHeaders[index]!, index), fills };
        else if (unmappedPolicy === 'metadata') target = metadataTarget(fileHeaders[index]!, index);
        else if (unmappedPolicy === 'ignore') target = { kind: 'ignore', reason: 'not mapped' };
        else {
          unmapped.push(header);
          target = { kind: 'ignore', reason: 'not mapped' };
        }
      }
    }
    columns.push({ index, header, target });
  });

  // A name split over columns of one header line (`Nombre(s) | Apellido paterno | Apellido materno`)
  // makes the name together, given names first, as a merged `NOMBRE DEL ALUMNO` over them does:
  // alone, the given names named every customer `Ana Sofía`. Not where a mapping file names the
  // name, nor with a full-name column, nor with a tutor's surnames only.
  let joinedSurnames = false;
  // A mapping file that names a surname column (`"Apellido paterno": null`) has said where it goes:
  // the others are not joined without it. A second given-names column (`Nombres` beside `Nombre del
  // alumno`) says the name column holds the whole name.
  const mappedSurname = [...explicit.keys()].some((index) => isSurnameHeader(headers[index]!));
  const nameIndex = fieldColumn({ columns }, 'name');
  // Another column naming a name (the tutor's `Nombre`, `Nombres` beside `Nombre del alumno`): whose surnames are beside which is not known.
  const otherGiven = columns.some(
    (column) =>
      column.index !== nameIndex &&
      (GIVEN_NAME_KEYS.has(headerKey(column.header)) || fieldForHeader(column.header) === 'name') &&
      !DISPLAY_NAME_KEYS.has(headerKey(column.header)) &&
      headerKey(column.header) !== headerKey(headerOf.name ?? ''),
  );
  if (nameParts.length === 0 && nameIndex !== undefined && !mappedSurname && !otherGiven && !isWholeName(headerOf.name!)) {
    // Whatever the unmapped policy made of them: they are no longer unmapped columns.
    const leftOver = (column: ColumnMapping) =>
      !explicit.has(column.index) && (column.target.kind === 'metadata' ? !column.target.fills : column.target.kind === 'ignore' && column.target.reason === 'not mapped');
    // The parts sit beside the name, on one side: `PATERNO | MATERNO | NOMBRE`, `Nombre | Apellido
    // paterno | Apellido materno`. Parts on both sides are one person's and another's (a template
    // repeating the surnames for the tutor): which is the customer's is not known, nothing is joined.
    const isPart = (index: number) =>
      columns[index] !== undefined && leftOver(columns[index]!) && (index === middleNameIndex || SURNAME_RANKS.has(headerKey(columns[index]!.header)));
    const run = (step: number) => {
      const found: ColumnMapping[] = [];
      for (let index = nameIndex + step; isPart(index); index += step) found.push(columns[index]!);
      return found;
    };
    const [after, preceding] = [run(1), run(-1)];
    // Surnames after another person's name (`Nombre del tutor | Apellido paterno | Apellido materno | Nombre del alumno`) are that person's.
    const beforeThem = columns[nameIndex - preceding.length - 1];
    const before = beforeThem && (speaksOfAName(beforeThem.header) || isWeakNameHeader(beforeThem.header) || SOMEONE_ELSE.test(plainHeader(beforeThem.header))) ? [] : preceding;
    // A middle name right after the given names (`Apellido paterno | Apellido materno | Primer
    // nombre | Segundo nombre`) is the same person's, not a part on the other side.
    const afterMiddle = after[0]?.index === middleNameIndex ? after.slice(1) : after;
    const side = before.length > 0 && afterMiddle.length > 0 ? [] : [...before, ...after];
    const middle = side.find((column) => column.index === middleNameIndex);
    const own = [...(middle ? [middle] : []), ...ownSurnames(surnameColumnsInOrder(side.filter((column) => column !== middle)), nameIndex)];
    if (own.length > 0) {
      nameParts.push(nameIndex);
      for (const column of own) {
        if (column.target.kind === 'metadata') metadataKeys.delete(column.target.key);
        else unmapped.splice(unmapped.indexOf(column.header), 1);
        column.target = { kind: 'field', field: 'name' };
        nameParts.push(column.index);
      }
      joinedSurnames = true;
    }
  }
  const surnames = columns.filter((column) => column.target.kind === 'metadata' && isSurnameHeader(column.header));
  const partialName =
    nameParts.length <= 1 &&
    headerOf.name !== undefined &&
    ((surnames.length > 0 && !isWholeName(headerOf.name)) || GIVEN_NAME_KEYS.has(headerKey(headerOf.name)));
  // (A tutor's surname beside a name so joined is only the metadata it looks like; another is said.)
  /** Columns by header and letter: a template may repeat `Apellido paterno` for the tutor. */
  const named = (indexes: number[]) => indexes.map((index) => `${JSON.stringify(headers[index])} (column ${columnLetters(index + 1)})`).join(' and ');
  const leftSurnames = joinedSurnames ? surnames.filter((column) => !SOMEONE_ELSE.test(plainHeader(column.header))) : [];
  if (leftSurnames.length > 0) {
    warnings.push(
      `${named(leftSurnames.map((column) => column.index))} ${leftSurnames.length === 1 ? 'is' : 'are'} imported as metadata, not joined to the name, which is ${named(nameParts)}: if ${leftSurnames.length === 1 ? 'it is' : 'they are'} the customer's, give each person's columns headers of their own (such as "Apellido paterno del tutor"), or send the right ones to "name" with a mapping file (--mapping)`,
    );
  }
  if (surnames.length > 0 && !joinedSurnames && headerOf.name !== undefined && !isWholeName(headerOf.name)) {
    let advice = 'for full names, put them in one column such as "Nombre completo"';
    // The mapping that joins them, when the name is one column and the surnames are the student's own.
    const parts = nameParts.length > 1 ? [] : surnameColumnsInOrder(surnames);
    if (parts.length > 0) {
      const joining = { columns: Object.fromEntries([headerOf.name, ...parts.map((column) => column.header)].map((header) => [header, 'name'])) };
      advice += `, or join them with a mapping file (--mapping) such as ${JSON.stringify(joining)}`;
    }
    warnings.push(
      `${surnames.map((column) => JSON.stringify(column.header)).join(' and ')} ${surnames.length === 1 ? 'is' : 'are'} imported as metadata, not as part of the name from ${JSON.stringify(headerOf.name)}: ${advice}`,
    );
  }
  // A form that asks for each child of a family (`Nombre del alumno | Grado | Nombre del alumno 2 |
  // Grado 2`): the second child is metadata of the first, never created. Said, before anything is sent.
  const nameKey = headerOf.name === undefined ? undefined : headerKey(headerOf.name);
  const another = nameKey === undefined ? [] : columns.filter((column) => column.target.kind === 'metadata' && isNumberedAgain(headerKey(column.header), nameKey));
  if (another.length > 0) {
    const named = another.map((column) => `${JSON.stringify(column.header)} (column ${columnLetters(column.index + 1)})`).join(', ');
    warnings.push(
      `${named} ${another.length === 1 ? 'names another person' : 'name other people'} on the same line as ${JSON.stringify(headerOf.name)} (a family's second child?): kept as metadata of the customer named there, and not created. To import each child, put each on a line of their own (with the family's phone and email)`,
    );
  }
  // A parents' list (`Nombre | Parentesco | Alumno`): the customers are the people named, and each
  // child is metadata. Right for billing the tutors, not for a roster of students: said once.
  const studentColumn = headerOf.name === undefined || STUDENT_KEYS.has(headerKey(headerOf.name)) ? undefined : columns.find((column) => column.target.kind === 'metadata' && !explicit.has(column.index) && STUDENT_KEYS.has(headerKey(column.header)));
  if (studentColumn) {
    warnings.push(
      `the customers' names are read from ${JSON.stringify(headerOf.name)}, and ${JSON.stringify(studentColumn.header)} is kept as metadata: if the customers are the students, map it with a mapping file (--mapping) such as ${JSON.stringify({ columns: { [studentColumn.header]: 'name', [headerOf.name!]: `metadata.${headerOf.name}` } })}`,
    );
  }
  if (googleRespondent !== undefined && headerOf.email === undefined) {
    const header = headers[googleRespondent]!;
    warnings.push(
      `this is a Google Forms export: ${JSON.stringify(header)} is the address the form collected from whoever answered it (the office's, if it filled the form in for every family), not necessarily the customer's, and is kept as metadata: if each family answered with its own account, map it with a mapping file (--mapping) such as ${JSON.stringify({ columns: { [header]: 'email' } })}`,
    );
  }
  // A phone or an email under a header we do not know (`Celular mamá`, `Correo del tutor`) is kept
  // as metadata, and the customer would get no phone: said when that field has no column at all.
  for (const [fields, pattern, what] of CONTACT_HINTS) {
    // The customer's phone, not the secondary one beside it (`TEL-CEL | Tel. 2`: the second number alone was sent).
    if (headerOf[fields[0]!] !== undefined) continue;
    // Google Contacts' `Phone 1 - Type` says what kind of phone, beside `Phone 1 - Value`: no phone.
    const lookalikes = columns.filter(
      (column) => column.target.kind === 'metadata' && pattern.test(plainHeader(column.header)) && !KIND_OF_CONTACT.test(plainHeader(column.header)) && !respondent.includes(column.index),
    );
    if (lookalikes.length === 0) continue;
    const names = lookalikes.map((column) => JSON.stringify(column.header)).join(', ');
    const example = { columns: { [lookalikes[0]!.header]: fields[0] } };
    warnings.push(
      `no column is read as the customer's ${what}; ${names} ${lookalikes.length === 1 ? 'looks like one and is' : 'look like one and are'} imported as metadata: if it is the customer's, map it with a mapping file (--mapping) such as ${JSON.stringify(example)}`,
    );
  }
  // Two lists side by side (`Nombre | Correo | | Nombre | Correo`: one group beside another, as a
  // sheet is laid out for printing): read as one table, the second list's people were sent as
  // metadata of the customers on the same rows of the first, and never created. Unless a mapping
  // file names the columns (a tutor's block with the same headers, set apart by an empty column).
  const besideList = !namesColumns(mappingFile) && nameIndex !== undefined ? secondListBeside(headers, nameIndex) : undefined;
  if (besideList) {
    const { again, gap, others } = besideList;
    throw new MappingError(
      `the header names ${JSON.stringify(headers[again])} again in column ${columnLetters(again + 1)}, after the empty column ${columnLetters(gap + 1)}, with ${quotedList(others.map((index) => headers[index]!), 10)}: two lists side by side (one group beside another)? Read as one, the people of the second would be sent as metadata of the customers on the same rows of the first. Put the second list under the first, or on a sheet of its own, and import again; if the columns from ${columnLetters(gap + 2)} on are the same customers' (a tutor's), give them headers of their own (such as "Nombre del tutor") or name the columns with a mapping file (--mapping)`,
    );
  }
  if (unmapped.length > 0) {
    // A second column of a header the mapping sends to a field (`Correo | Correo`) cannot be named apart by it.
    const isRepeated = (header: string) => [...namedBy.keys()].some((index) => headers[index] === header);
    const repeated = unmapped.filter(isRepeated);
    const others = unmapped.filter((header) => !isRepeated(header));
    const advice = [
      ...(others.length > 0 ? [`add ${others.length === 1 ? 'it' : 'each'} to the mapping's "columns" (null leaves a column out)`] : []),
      ...(repeated.length > 0
        ? [
            `${quotedList(repeated, 10)} ${repeated.length === 1 ? 'is a header' : 'are headers'} of two columns, the first mapped to a field, and the mapping cannot name the second apart: give it a header of its own in the file, or map the header to null or "metadata.<key>" (every column of it then goes there)`,
          ]
        : []),
    ];
    throw new MappingError(`these columns are not mapped and the mapping says "unmapped": "error": ${quotedList(unmapped, 50)}; ${advice.join('; ')}`);
  }
  if (headerOf.name === undefined) {
    // One header of words set apart by runs of spaces: columns lined up, not delimited.
    const filled = headers.filter((header) => header.trim() !== '');
    if (filled.length === 1 && FIXED_WIDTH_HEADER.test(filled[0]!)) {
      throw new MissingNameColumnError(
        `no column holds the customer's name: the header ${JSON.stringify(filled[0]!.trim())} is columns lined up with spaces (fixed-width text, such as Excel's "Formatted Text (Space delimited)" .prn), not separated by a comma, semicolon or tab: save the file as CSV or .xlsx`,
      );
    }
    // Every column name in one cell (`Matrícula;Apellido paterno;…;Correo`): a CSV opened with another
    // separator than its own (Excel set for `,` opening a `;` file puts each line in column A), then saved.
    const joined = filled.map(joinedColumnNames).find((split) => split !== undefined);
    if (joined) {
      throw new MissingNameColumnError(
        `no column holds the customer's name: the column names are all in one cell, ${JSON.stringify(joined.cell.trim())}, set apart by ${JSON.stringify(joined.separator)}: the CSV was opened with another separator than its own and saved so, each line in one cell; import the CSV itself, or split the column (Data → Text to Columns, separator ${JSON.stringify(joined.separator)}) and save it again`,
      );
    }
    const weak = headers.find((header, index) => !explicit.has(index) && isWeakNameHeader(header));
    // `Nombre del tutor` in a list of tutors: the tutor may be the customer, which only the school knows.
    const someoneElses = headers.find((header, index) => !explicit.has(index) && NAME_LIKE.test(plainHeader(header)) && SOMEONE_ELSE.test(plainHeader(header)));
    let advice = '';
    if (weak) {
      // A given name's advice joins its middle and last name columns (`First_Name | Middle_Name |
      // Last_Name`, a school system's export): mapping the first alone sent given names only.
      const partOf = (keys: ReadonlySet<string>) => headers.find((header, index) => !explicit.has(index) && keys.has(headerKey(header)));
      const parts = GIVEN_NAME_KEYS.has(headerKey(weak)) ? [weak, partOf(MIDDLE_NAME_KEYS), partOf(LAST_NAME_KEYS)].filter((header) => header !== undefined) : [weak];
      const columns = Object.fromEntries(parts.map((header) => [header, 'name']));
      advice += `; ${JSON.stringify(weak)} is read as the name only where no other header speaks of a name or a student, and beside a column read as a field (an email, a phone, a username): if it holds the customers' names, map it with a mapping file (--mapping) such as ${JSON.stringify({ columns })}`;
    }
    if (someoneElses) {
      advice += `; ${JSON.stringify(someoneElses)} names another person, not the customer: if the customers are those people (a list of tutors), map it with a mapping file (--mapping) such as ${JSON.stringify({ columns: { [someoneElses]: 'name' } })}`;
    }
    // The headers read as the name, last: the line's start says what is wrong and what to do.
    const names = ['nombre', 'nombre completo', 'nombre del alumno', 'nombre(s)', 'full name', 'cliente', 'razón social', 'alumno'].map((h) => JSON.stringify(h)).join(', ');
    throw new MissingNameColumnError(
      `no column holds the customer's name; the headers are: ${headers.map((h) => JSON.stringify(h)).join(', ')}${advice}; a name column is headed such as ${names} (the README lists every one), or map one with --mapping`,
    );
  }
  const resolved: ResolvedMapping = { columns, headerOf, warnings };
  const areaCode = headerOf.phoneNumber === undefined ? undefined : columns.find((column) => column.target.kind === 'metadata' && AREA_CODE_KEYS.has(headerKey(column.header)));
  if (areaCode) resolved.areaCode = areaCode.index;
  if (nameParts.length > 1) resolved.nameParts = nameParts;
  // A contact list's other phones (Outlook's `Business Phone`, `Home Phone`, before its `Mobile
  // Phone`) fill the phone where the mobile is empty, in their order, without taking its place.
  if (headerOf.phoneNumber !== undefined && unmappedPolicy === 'metadata') {
    for (const column of columns) {
      if (column.target.kind === 'metadata' && !column.target.fills && !explicit.has(column.index) && OTHER_PHONE_KEYS.has(headerKey(column.header))) {
        column.target = { ...column.target, fills: 'phoneNumber' };
      }
    }
  }
  // A contact list's entry for a company alone (Google's `Organization Name`, Outlook's `Company`,
  // no first or last name) is named by the company, where it was refused for an empty name.
  if (lastNameIndex !== -1 && unmappedPolicy === 'metadata') {
    const organization = columns.find((column) => column.target.kind === 'metadata' && !column.target.fills && !explicit.has(column.index) && ORGANIZATION_KEYS.has(headerKey(column.header)));
    if (organization?.target.kind === 'metadata') organization.target = { ...organization.target, fills: 'name' };
  }
  // A display name left empty (Thunderbird's, for a contact typed with a first and last name
  // only) is made of the given names and surnames beside it, as the contact list shows it. Never
  // of a company (Odoo's `Company` is the seller's own).
  if (headerOf.name !== undefined && nameParts.length === 0 && unmappedPolicy === 'metadata' && DISPLAY_NAME_KEYS.has(headerKey(headerOf.name))) {
    const nameIndex = fieldColumn({ columns }, 'name')!;
    const spare = columns.filter((column) => column.target.kind === 'metadata' && !column.target.fills && !explicit.has(column.index));
    const given = spare.find((column) => GIVEN_NAME_KEYS.has(headerKey(column.header)));
    const middle = spare.find((column) => MIDDLE_NAME_KEYS.has(headerKey(column.header)));
    const parts = [...(given ? [given] : []), ...(middle ? [middle] : []), ...ownSurnames(surnameColumnsInOrder(spare), nameIndex)];
    if (given) {
      for (const column of parts) if (column.target.kind === 'metadata') column.target = { ...column.target, fills: 'name' };
      resolved.nameFallback = parts.map((column) => column.index);
    }
  }
  const labelled = labelledValues(headers, columns, explicit, unmappedPolicy === 'metadata', (index) => metadataTarget(fileHeaders[index]!).key);
  if (labelled.length > 0) resolved.labelled = labelled;
  if (partialName) resolved.partialName = true;
  if (joinedSurnames || (options.nameColumns !== undefined && !options.nameColumnsAsWritten && nameParts.length > 1 && nameParts[0] === options.nameColumns[0])) resolved.givenNamesFirst = true;
  return resolved;
}

/** `Phone 1 - Label`, `Phone 2 - Value`, `E-mail 1 - Type` (Google Contacts' older export), as `plainHeader` writes them. */
const LABELLED_HEADER = /^\s*(phone|e-?mail)\s*(\d{1,2})\s*-\s*(label|type|value)\s*$/;

/**
 * Google Contacts' phones and emails, numbered pairs of a label and a value, read together: the
 * phones fill `phoneNumber` and `secondaryPhoneNumber` (a mobile first, as its label says), the
 * first address of `E-mail 1 - Value` the email. Only where the first pair's value column is the
 * field as its header names it (no mapping file chose it); the second phone only where no other
 * column fills it. Under an unmapped policy other than metadata, a value cell is not split
 * (nowhere to keep the rest) and only the field columns take part.
 */
function labelledValues(
  headers: readonly string[],
  columns: ColumnMapping[],
  explicit: ReadonlyMap<number, string | null>,
  keepsRest: boolean,
  reserveKey: (index: number) => string,
): LabelledValues[] {
  const found = new Map<string, Map<number, { label?: number; value?: number }>>();
  headers.forEach((header, index) => {
    const match = LABELLED_HEADER.exec(plainHeader(header));
    if (!match || explicit.has(index)) return;
    const kind = match[1]!.startsWith('p') ? 'phone' : 'email';
    let pairs = found.get(kind);
    if (!pairs) found.set(kind, (pairs = new Map()));
    const number = Number(match[2]);
    const pair = pairs.get(number) ?? {};
    const role = match[3] === 'value' ? 'value' : 'label';
    if (pair[role] === undefined) pair[role] = index;
    pairs.set(number, pair);
  });
  const groups: LabelledValues[] = [];
  for (const [kind, numbered] of found) {
    const first = kind === 'phone' ? 'phoneNumber' : 'email';
    const second = kind === 'phone' ? 'secondaryPhoneNumber' : undefined;
    const pairs: LabelledPair[] = [];
    const fieldPairs: LabelledPair[] = [];
    for (const [, pair] of [...numbered].sort(([a], [b]) => a - b)) {
      if (pair.value === undefined) continue;
      const target = columns[pair.value]!.target;
      const isField = target.kind === 'field' && (target.field === first || target.field === second);
      // A phone's value column kept as metadata (`Phone 3 - Value`) takes part where its cell is
      // kept: its mobile is the phone. (`E-mail 2 - Value` stays metadata alone: which address a
      // customer reads is no label's to say.)
      if (!isField && !(kind === 'phone' && keepsRest && target.kind === 'metadata' && !target.fills)) continue;
      const entry: LabelledPair = { value: pair.value };
      if (pair.label !== undefined) entry.label = pair.label;
      if (isField) fieldPairs.push(entry);
      pairs.push(entry);
    }
    const firstColumn = fieldColumn({ columns }, first);
    if (firstColumn === undefined || !pairs.some((pair) => pair.value === firstColumn)) continue;
    // The second phone filled by a column of another kind (a mapping file's `Otro teléfono`) stays that column's.
    const secondColumn = second === undefined ? undefined : fieldColumn({ columns }, second);
    const takesSecond = second !== undefined && (secondColumn === undefined || pairs.some((pair) => pair.value === secondColumn));
    if (pairs.length < 2 && !keepsRest) continue;
    if (keepsRest) for (const pair of fieldPairs) pair.leftoverKey = reserveKey(pair.value);
    const group: LabelledValues = { fields: takesSecond ? [first, second] : [first], splits: keepsRest, pairs };
    if (kind === 'phone') group.prefer = 'mobile';
    groups.push(group);
  }
  return groups;
}

/** A contact list's phones besides the mobile one, and the address's beside Shopify's `Phone` (set only for an account made by phone). */
const OTHER_PHONE_KEYS: ReadonlySet<string> = new Set(['business phone', 'home phone', 'primary phone', 'company main phone', 'other phone', 'default address phone'].map(headerKey));
/** A CRM's mobile column, the phone beside a plain `Phone`. */
const MOBILE_KEYS: ReadonlySet<string> = new Set(['mobile', 'mobile phone', 'mobile number', 'mobile phone number'].map(headerKey));
/** A CRM's plain phone column, any kind of number (Odoo's `Phone`, HubSpot's `Phone Number`). */
const CRM_PHONE_KEYS: ReadonlySet<string> = new Set(['phone', 'phone number', 'telephone', 'telephone number'].map(headerKey));
/** A contact list's company column. */
const ORGANIZATION_KEYS: ReadonlySet<string> = new Set(['organization name', 'organization 1 - name', 'company', 'company name', 'default address company', 'empresa', 'organización', 'compañía'].map(headerKey));

/** Fields a second column of the same name fills where the first is empty: a way to reach the customer. */
const FALLBACK_FIELDS: ReadonlySet<CustomerField> = new Set(['email', 'phoneNumber', 'secondaryPhoneNumber']);

/** Headers (lower case, without accents) that look like a phone's or an email's, for fields no column fills. */
const CONTACT_HINTS: [CustomerField[], RegExp, string][] = [
  // Whole words (`Tel1`, `Cel_mamá` too): `Telesecundaria` and `Celebración` are no phones.
  [['phoneNumber', 'secondaryPhoneNumber'], /(?:^|[^a-z])(?:tel(?:efonos?|ephone|s)?|cel(?:ular(?:es)?)?|phone|movil|whats(?: ?app)?)(?![a-z])/, 'phone number'],
  [['email'], /(?:^|[^a-z])(?:correos?|e-?mail|mail)(?![a-z])/, 'email'],
];

/** Three words or more set apart by runs of two spaces or more: a fixed-width file's header line. */
const FIXED_WIDTH_HEADER = /^\s*\S+(?:\s\S+)*(?:\s{2,}\S+(?:\s\S+)*){2,}\s*$/;

/**
 * A header cell holding several column names set apart by a CSV's separator, two at least naming a
 * field or a surname (`Matrícula;Apellido paterno;Nombre(s);Correo`), or undefined.
 */
function joinedColumnNames(cell: string): { cell: string; separator: string } | undefined {
  for (const separator of [';', '\t', '|', ',']) {
    if (!cell.includes(separator)) continue;
    const names = cell.split(separator).map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
    if (names.length >= 3 && names.filter((name) => fieldForHeader(name) !== undefined || isSurnameHeader(name)).length >= 2) return { cell, separator };
  }
  return undefined;
}

/**
 * A header that labels a phone or an email rather than holding it, or holds a date about it
 * (`Fecha de baja WhatsApp`, `Email opt-out date`): mapped as the phone, every row would be refused.
 */
// Not `alta` alone: `Teléfono de alta`, `Correo de alta` (the one registered) and `Celular (alta
// prioridad)` hold the contact; its date says `fecha` (`Fecha de alta celular`).
const KIND_OF_CONTACT = /(?:^|[^a-z])(?:type|tipo|label|fecha|date|baja|opt(?:ed)?(?: ?-? ?(?:out|in))?)(?![a-z])/;

/**
 * Headers (as `headerKey` reduces them) of a customer's own number, most telling first: `Matrícula`,
 * `No. Socio`, `Código de cliente`, `Customer ID`, then a bare `ID`, `Clave` or `Código`, then `CURP`. A bare
 * `No.` or `Número` is a list's numbering, renumbered every term: never suggested.
 */
const IDENTIFIER_KEYS: RegExp[] = [
  // `No. de control`: the student's number in Mexico's technological high schools and institutes (DGETI, TecNM).
  /^(?:matricula|expediente|(?:no|num|numero)(?:de)?control)$/,
  /^(?:id|clave|codigo|code|no|nº|n°|num|numero|number|folio)(?:de|del)?(?:cliente|socio|alumno|estudiante|paciente|miembro|customer|client|member)$/,
  /^(?:cliente|socio|alumno|estudiante|paciente|customer|client|member|student|record)(?:id|no|num|numero|number|clave|codigo)$/,
  /^(?:id|clave|codigo)$/,
  // Mexico's personal registry code, one a person for life: a school roster's student's own when it
  // has no matrícula. (Not the RFC: sales to the general public share `XAXX010101000`.)
  /^curp(?:del?(?:alumno|estudiante|paciente|cliente|socio))?$/,
];

/** A header that names each customer's own number: `Matrícula`, `No. Socio`, `Customer ID`, `ID`, `Clave`. */
export function isIdentifierHeader(header: string): boolean {
  const key = headerKey(header);
  return IDENTIFIER_KEYS.some((pattern) => pattern.test(key));
}

/** A header that looks like a phone's or an email's, whoever's it is: `Celular mamá`, `Correo del tutor`. */
export function isContactHeader(header: string): boolean {
  const plain = plainHeader(header);
  return CONTACT_HINTS.some(([, pattern]) => pattern.test(plain)) && !KIND_OF_CONTACT.test(plain);
}

/**
 * Columns kept as metadata whose header names each customer's own number, for a file without a
 * username column: matched by it, a second import finds the customers instead of creating them again.
 */
export function identifierColumns(mapping: ResolvedMapping): string[] {
  // Microsoft Forms' `Id` numbers the answers, not the customers.
  const formsAnswerId = formsStamp(mapping.columns.map((column) => column.header)) ? 0 : -1;
  const metadata = mapping.columns.filter((column) => column.target.kind === 'metadata' && column.index !== formsAnswerId);
  return IDENTIFIER_KEYS.flatMap((pattern) => metadata.filter((column) => pattern.test(headerKey(column.header)))).map((column) => column.header);
}

/** A business's trade name beside its legal one (CONTPAQi's `Razón social | Nombre comercial`): the invoices' name, `Razón social`, is the customer's. */
const TRADE_NAME_KEYS: ReadonlySet<string> = new Set(['nombre comercial', 'nombre corto', 'trade name'].map(headerKey));
const LEGAL_NAME_KEY = headerKey('razón social');
/**
 * A header that speaks of a person's or a student's name (`Nombre comercial`, `Alumno`, `Student
 * name`): with one, a weak name header is not taken for it. A contact list's `Middle Name`,
 * `Nickname` or `Organization Name` is no such header.
 */
const NAME_LIKE = /nombre|alumn|estudiant|student|(?:contact|person|parent|guardian|tutor)\s*name/;

/** A school's weak name headers: the student, whom a roster bills; or a client list's yes/no column. */
const STUDENT_KEYS: ReadonlySet<string> = new Set(['alumno', 'alumna', 'estudiante', 'student'].map(headerKey));

/** A name header, or one that speaks of a person's name and is no other field, weak name or surname. */
function speaksOfAName(header: string): boolean {
  const field = fieldForHeader(header);
  return field === 'name' || (field === undefined && NAME_LIKE.test(plainHeader(header)) && !isWeakNameHeader(header) && !isSurnameHeader(header));
}

/**
 * The header of a roster whose column names take two rows, or undefined when `lower` is no second
 * header row: a school template's `NOMBRE DEL ALUMNO` merged over three columns, with
 * `APELLIDO PATERNO | APELLIDO MATERNO | NOMBRE(S)` in the row below, and `TELÉFONO` over `MAMÁ | PAPÁ`.
 * Every cell of `lower` is a column's name: two at least name a field, a surname or a given name
 * (one of them a part of the name: `NOMBRE(S)`, `APELLIDO PATERNO`), or one a field where nothing
 * stands under `upper`'s name column (`TELÉFONOS` over `Casa | Celular | Trabajo`), and one stands under an empty
 * cell of `upper` (a merged label's span); any other is an identifier's or a school column's name,
 * or stands in such a span. No value such as an email or a phone. Each column is named by `lower`,
 * where it names a column of its own (with its span's label when an earlier span has that name:
 * `CONTACTO DE EMERGENCIA TELÉFONO`), else by the label over its span before it
 * (`TELÉFONO MAMÁ`), else by `upper`.
 */
export function joinHeaderRows(upper: readonly string[], lower: readonly string[]): string[] | undefined {
  if (lower.length > upper.length) return undefined;
  // One label over the whole row is a title (`LISTA DE ALUMNOS 3° A` merged across): the row under it is the header.
  if (upper.filter((label) => label.trim() !== '').length < 2) return undefined;
  let terms = 0;
  let nameParts = 0;
  let underEmpty = false;
  const seen = new Set<string>();
  const labels = upper.map((label) => label.trim());
  const inSpan = (i: number) => labels[i] === '' || ((labels[i + 1] ?? '') === '' && (lower[i + 1] ?? '').trim() !== '');
  const joined = [...upper];
  const isSomeoneElses = (label: string) => label !== '' && SOMEONE_ELSES_DATA.test(plainHeader(label));
  /** A column name of the name or a part of it: `Nombre completo`, `Nombre(s)`, `Apellido paterno`. */
  const namesAName = (cell: string) => fieldForHeader(cell) === 'name' || namePart(headerKey(cell)) !== undefined;
  /**
   * The names under the customer's own spans (any but another person's): `Nombre` under `DATOS DEL
   * ALUMNO`; and whether those name the customer's name, in whole or in parts.
   */
  const ownKeys = new Set<string>();
  let ownName = false;
  let spanLabel = '';
  for (let i = 0; i < upper.length; i++) {
    if (labels[i] !== '') spanLabel = labels[i]!;
    const cell = (lower[i] ?? '').trim();
    if (cell === '' || isSomeoneElses(spanLabel)) continue;
    ownKeys.add(headerKey(cell));
    if (namesAName(cell)) ownName = true;
  }
  spanLabel = '';
  for (let i = 0; i < upper.length; i++) {
    if (labels[i] !== '') spanLabel = labels[i]!;
    const cell = (lower[i] ?? '').trim();
    if (cell === '') continue;
    if (isContactValue(cell)) return undefined;
    const key = headerKey(cell);
    const field = fieldForHeader(cell);
    const part = namePart(key);
    if (field !== undefined || part !== undefined) {
      terms++;
      if (field === 'name' || part !== undefined) nameParts++;
      // A name a second span repeats (the emergency contact's `TELÉFONO` after the tutor's) keeps its
      // span's label, and so does one under another person's label that the customer's own span
      // names too (`DATOS DEL PADRE O TUTOR` over `Nombre`, then `DATOS DEL ALUMNO` over `Nombre`):
      // the tutor's name, first in the file, was taken for the student's. So does another person's
      // name where the customer's span names the name under other words (the tutor's `Nombre
      // completo` after the student's `Apellido paterno | Apellido materno | Nombre(s)`): a full name
      // is the name wherever it stands, and the parents were created under the students' rows.
      const someoneElses = isSomeoneElses(spanLabel) && (ownKeys.has(key) || (ownName && namesAName(cell)));
      joined[i] = (seen.has(key) || someoneElses) && spanLabel !== '' ? `${spanLabel} ${cell}` : cell;
      if (!someoneElses) seen.add(key);
    } else if (isIdentifierHeader(cell) || SCHOOL_COLUMN_KEYS.has(key)) {
      joined[i] = cell;
    } else if (inSpan(i) && spanLabel !== '') {
      joined[i] = `${spanLabel} ${cell}`;
    } else {
      return undefined;
    }
    if (labels[i] === '') underEmpty = true;
  }
  if (terms >= 2 && nameParts >= 1 && underEmpty) return joined;
  // Sub-labels under one merged label only (`Nombre completo | Correo | TELÉFONOS` over `| | Casa |
  // Celular | Trabajo`): nothing under the upper row's name, which a customer's line would fill.
  const nameAbove = upper.some((label, i) => fieldForHeader(label) === 'name' && (lower[i] ?? '').trim() === '');
  return terms >= 1 && underEmpty && nameAbove ? joined : undefined;
}

/**
 * The columns a merged name label spans (`NOMBRE DEL ALUMNO` over `PRIMER APELLIDO | SEGUNDO
 * APELLIDO | NOMBRE(S)`), in the order a full name writes them: given names, then the surnames by
 * their place. Undefined unless such a span holds a given name and a surname, and nothing else.
 */
export function mergedNameColumns(upper: readonly string[], lower: readonly string[]): number[] | undefined {
  for (let start = 0; start < upper.length; start++) {
    const label = (upper[start] ?? '').trim();
    if (label === '' || fieldForHeader(label) !== 'name') continue;
    let end = start + 1;
    while (end < upper.length && (upper[end] ?? '').trim() === '') end++;
    const given: number[] = [];
    const surnames: number[] = [];
    for (let i = start; i < end; i++) {
      const key = headerKey((lower[i] ?? '').trim());
      if (key === '') continue;
      const part = key === 'nombre' ? 'given' : namePart(key);
      if (part === undefined) return undefined;
      (part === 'given' ? given : surnames).push(i);
    }
    if (given.length === 0 || surnames.length === 0) return undefined;
    surnames.sort((a, b) => SURNAME_RANKS.get(headerKey(lower[a]!.trim()))! - SURNAME_RANKS.get(headerKey(lower[b]!.trim()))! || a - b);
    return [...given, ...surnames];
  }
  return undefined;
}

/**
 * The name column and the columns without a header right after it, when those hold the rest of the
 * names (`Nombre del alumno` merged over `Ruiz | Peña | Ana Sofía`, no row naming the parts): in a
 * workbook, the columns its label is merged over (`merges`); and in the first rows that have a name,
 * the name's cell holds one word (two under a merge), most have a word beside it, varied, and next
 * to none anything but words. In the order written, which is all that is known. Undefined otherwise:
 * beside whole names (`Ana Ruiz Peña | Laura Peña`, a tutor; `| becada`, a note), the column stays
 * one without a header, which the run warns of.
 */
export function unheadedNameColumns(headers: readonly string[], rows: readonly (readonly string[])[], merges?: readonly (readonly [number, number])[]): number[] | undefined {
  const nameIndex = headers.findIndex((header) => header.trim() !== '' && fieldForHeader(header) === 'name');
  if (nameIndex === -1) return undefined;
  const run: number[] = [];
  for (let index = nameIndex + 1; index < headers.length && headers[index]!.trim() === ''; index++) run.push(index);
  if (run.length === 0) return undefined;
  // A workbook says what its label spans: the columns under it, or none.
  if (merges) {
    const span = merges.find(([first]) => first === nameIndex);
    if (!span) return undefined;
    run.splice(span[1] - nameIndex);
    if (run.length === 0) return undefined;
  } else if (run.length < 2) {
    // A CSV keeps no merges: only the common split, a surname then two columns more
    // (`Ruiz | Peña | Ana Sofía`), not one column of notes or cities beside a name.
    return undefined;
  }
  const nameWords = merges ? NAME_WORDS : CAPITALIZED_NAME_WORDS;
  let named = 0;
  let others = 0;
  let short = 0;
  const words = new Set<string>();
  let wordCells = 0;
  for (const values of rows.slice(0, NAME_SAMPLE_ROWS)) {
    const name = values[nameIndex]?.trim();
    if (!name) continue;
    named++;
    // With no merge to go by (a CSV), a surname alone (`Ruiz`, then `Peña | Ana Sofía`), as lists by surname begin.
    if (name.split(SPACES).length <= (merges ? 2 : 1)) short++;
    const parts = run.map((index) => values[index]?.trim() ?? '');
    if (parts.some((part) => part !== '' && (!nameWords.test(part) || parseBoolean(part) !== undefined))) others++;
    else if (parts[0] !== '') {
      wordCells++;
      words.add(parts[0]!.toLowerCase());
    }
  }
  // Names vary from row to row; a category (`Femenino`, `Primaria`, a group's `A`) repeats.
  const varied = wordCells < 4 || words.size * 2 >= wordCells;
  // The name column holds a part (`Ruiz`, `Ana Sofía` under a merge), not whole names beside a tutor's or a note.
  const nameIsAPart = short * 10 >= named * 9;
  return named > 0 && nameIsAPart && wordCells * 2 >= named && others * 10 <= named && varied ? [nameIndex, ...run] : undefined;
}
const SPACES = /\s+/;
const NAME_SAMPLE_ROWS = 200;
/** Letters, with the spaces, apostrophes, hyphens and dots a name holds. */
const NAME_WORDS = /^[\p{L}][\p{L}\p{M} .'’-]*$/u;
/** The same, each word capitalized as a name is (`Ana Sofía`, `PEÑA`, `de la Garza` aside: `becada`, `hermano de Ana` are notes). */
const CAPITALIZED_NAME_WORDS = /^\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+(?:(?:de|del|la|las|los|y)\s+)*\p{Lu}[\p{L}\p{M}.'’-]*)*$/u;

/** What part of a name a header (as `headerKey` reduces it) names alone: `Nombre(s)`, `Apellido paterno`. */
function namePart(key: string): 'given' | 'surname' | undefined {
  return GIVEN_NAME_KEYS.has(key) ? 'given' : SURNAME_RANKS.has(key) ? 'surname' : undefined;
}

/** A school roster's other column names, none of them a value a student's row would hold. */
const SCHOOL_COLUMN_KEYS: ReadonlySet<string> = new Set(
  ['grado', 'grupo', 'turno', 'nivel', 'sexo', 'genero', 'curp', 'rfc', 'edad', 'fecha de nacimiento', 'parentesco', 'domicilio', 'direccion', 'colonia', 'municipio', 'codigo postal', 'cp', 'observaciones', 'beca', 'ciclo escolar'].map(headerKey),
);

/**
 * A line of labels and their values above a roster, not a header: an email or a phone among its
 * cells (`Razón social | Colegio Vista | Correo | cobranza@…`, `Cliente | Colegio | Tel. | 55 5678 1200`),
 * or, on a short line, a label with a colon before a cell that names no field (`Nombre o razón social: | Colegio Vista`).
 */
function isLabelsAndValues(headers: string[]): boolean {
  const cells = headers.map((header) => header.trim()).filter((header) => header !== '');
  if (cells.some(isContactValue)) return true;
  if (cells.length > 4) return false;
  return cells.some((cell, i) => cell.endsWith(':') && i + 1 < cells.length && !cells[i + 1]!.endsWith(':') && fieldForHeader(cells[i + 1]!) === undefined && !isWeakNameHeader(cells[i + 1]!));
}
/**
 * Whether a first line is a customer's data like the row under it, not column names: an email or a
 * phone in its cells, and one in each of those columns of the next row too. An export without a
 * header row (FileMaker's CSV, a database's dump) reads so, where a title block's labels and
 * values stand over column names.
 */
export function isDataLineLike(first: readonly string[], below: readonly string[]): boolean {
  const contacts = first.flatMap((cell, i) => (cell.trim() !== '' && isContactValue(cell.trim()) ? [i] : []));
  return contacts.length > 0 && contacts.every((i) => {
    const cell = below[i]?.trim() ?? '';
    return cell !== '' && isContactValue(cell);
  });
}

/**
 * A cell that holds emails or phones and nothing else: `cobranza@x.mx`, `Cobranza <cobranza@x.mx>`,
 * `55 5678 1200 ext. 3`, `55 5678 1200 / 55 5678 1201`. A header's example (`Correo (ej. ana@mail.com)`),
 * a school year (`2025-2026`) or a date (`2025-09-01`) is not.
 */
function isContactValue(cell: string): boolean {
  const parts = cell.replace(PHONE_EXTENSION_END, '').split(/\s*[/;,]\s*/);
  return parts.every((part) => EMAIL_VALUE.test(part) || (PHONE_VALUE.test(part) && !YEARS_OR_DATE.test(part)));
}
const EMAIL_VALUE = /^(?:[^<>@]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/;
const PHONE_VALUE = /^[+(]?\d[\d\s().-]{6,}$/;
const YEARS_OR_DATE = /^\d{4}\s*[-/]\s*\d{2,4}(?:\s*[-/]\s*\d{2})?$/;

/** A surname's column: `Apellido paterno`, SEP's `PATERNO`, `Ap. Materno`, `Last name`; not `Nombre y apellidos`. */
function isSurnameHeader(header: string): boolean {
  return SURNAME_HEADER.test(header) && !/nombre|name|phonetic|yomi/i.test(header.replace(/last ?name|surname/gi, ''));
}
const SURNAME_HEADER = /apellido|surname|last ?name|paterno|materno/i;

/** A CRM's surname headers: joined after its `First Name`, and a surname among the others. */
const LAST_NAME_HEADERS = ['last name', 'surname', 'family name'];
const LAST_NAME_KEYS: ReadonlySet<string> = new Set(LAST_NAME_HEADERS.map(headerKey));

/** Headers of a column of telephone area codes. */
const AREA_CODE_KEYS: ReadonlySet<string> = new Set(['lada', 'clave lada', 'lada tel', 'lada teléfono', 'código de área', 'area code'].map(headerKey));

/** Name headers that hold given names only. */
const GIVEN_NAME_KEYS: ReadonlySet<string> = new Set(
  ['nombres', 'nombre(s)', 'first name', 'given name', 'primer nombre', 'nombre(s) del alumno', 'nombres del alumno', 'nombre(s) del estudiante', 'nombres del estudiante', 'student first name', 'student given name'].map(headerKey),
);
/** A second given name's column: joined after the given names. */
const MIDDLE_NAME_KEYS: ReadonlySet<string> = new Set(['segundo nombre', 'middle name', 'middle names', 'student middle name', 'student middle names'].map(headerKey));

/** The key of a mapping's `metadata.<key>` target, trimmed as a `metadata.<key>` header's is (`"metadata.grupo "` stored the space). */
function metadataKeyOf(target: string): string {
  return target.slice('metadata.'.length).trim();
}

/**
 * Headers quoted and listed, the first `most` of them and a count of the rest: a mapping written
 * for a 200,000-column export printed every name on one line of megabytes.
 */
function quotedList(items: readonly string[], most: number): string {
  const shown = items.slice(0, most).map((item) => JSON.stringify(item)).join(', ');
  return items.length > most ? `${shown} and ${items.length - most} more` : shown;
}

function isFieldTarget(target: string | null | undefined): boolean {
  return typeof target === 'string' && !target.startsWith('metadata.');
}

/** Name headers that say the column holds the whole name, surnames included. */
const FULL_NAME_KEYS: ReadonlySet<string> = new Set(
  ['nombre completo del alumno', 'nombre completo del estudiante', 'nombre completo', 'full name', 'nombre y apellidos', 'nombres y apellidos', 'nombre y apellido', 'apellidos y nombre', 'apellidos y nombres', 'apellidos, nombre', 'apellidos, nombres', 'apellidos, nombre(s)', 'apellido, nombre'].map(headerKey),
);
/**
 * A contact list's display name (Odoo's, Thunderbird's): the whole name, made from the given names
 * and surnames beside it, so no other person's; read as the name only where no header names it better.
 */
const DISPLAY_NAME_KEYS: ReadonlySet<string> = new Set(['display name', 'nombre mostrado'].map(headerKey));

/** A name column that holds the whole name: no surnames are joined to it, none are missing from it. */
function isWholeName(header: string): boolean {
  return FULL_NAME_KEYS.has(headerKey(header)) || DISPLAY_NAME_KEYS.has(headerKey(header));
}

/** A surname header as a form names it for the student too (`Apellido paterno del alumno`). */
function ownForms(header: string): string[] {
  return [header, `${header} del alumno`, `${header} del estudiante`, `${header} alumno`, `student ${header}`];
}

/** Headers of a column holding both surnames, as forms ask them: `Apellido paterno y materno`. */
const BOTH_SURNAMES_HEADERS = [
  'apellido paterno y materno',
  'apellidos paterno y materno',
  'apellidos (paterno y materno)',
  'apellido (paterno y materno)',
  'apellido paterno y apellido materno',
  'primer y segundo apellido',
  'primer y segundo apellidos',
  'apellidos completos',
];

/** Headers that name the customer's own surnames, by the place each takes in a full name. */
const SURNAME_RANKS: ReadonlyMap<string, number> = new Map([
  ...['apellido paterno', 'primer apellido', '1er apellido', '1° apellido', '1º apellido', 'apellido 1', 'paterno', 'ap. paterno', 'a. paterno', 'apellido pat.', 'ap. pat.'].flatMap(ownForms).map((header) => [headerKey(header), 0] as const),
  ...['apellidos', 'apellido', 'apellido(s)', ...BOTH_SURNAMES_HEADERS, ...LAST_NAME_HEADERS].flatMap(ownForms).map((header) => [headerKey(header), 1] as const),
  ...['apellido materno', 'segundo apellido', '2do apellido', '2o apellido', '2° apellido', '2º apellido', 'apellido 2', 'materno', 'ap. materno', 'a. materno', 'apellido mat.', 'ap. mat.'].flatMap(ownForms).map((header) => [headerKey(header), 2] as const),
]);

/** The columns among `columns` that are the customer's surnames, in the order a full name writes them (a tutor's are left out). */
function surnameColumnsInOrder(columns: ColumnMapping[]): ColumnMapping[] {
  return columns
    .filter((column) => SURNAME_RANKS.has(headerKey(column.header)))
    .sort((a, b) => SURNAME_RANKS.get(headerKey(a.header))! - SURNAME_RANKS.get(headerKey(b.header))! || a.index - b.index);
}

/**
 * One surname column of each place, the nearest the name column (a tutor's `Apellido paterno`
 * further on, under the same header, is not the customer's); `Apellidos` only where no paternal
 * or maternal column is (beside them it holds both again). A single `Apellido` (`Last Name`)
 * beside a second surname and no paternal one is the first surname: `Nombre | Apellido | Segundo
 * apellido`, as forms ask it, whose customers were named without their first surname.
 */
function ownSurnames(columns: ColumnMapping[], nameIndex: number): ColumnMapping[] {
  const nearest = new Map<number, ColumnMapping>();
  for (const column of columns) {
    const rank = SURNAME_RANKS.get(headerKey(column.header))!;
    const held = nearest.get(rank);
    if (!held || Math.abs(column.index - nameIndex) < Math.abs(held.index - nameIndex)) nearest.set(rank, column);
  }
  const surnames = nearest.get(1);
  if (surnames && (nearest.has(0) || (nearest.has(2) && !ONE_SURNAME_KEYS.has(headerKey(surnames.header))))) nearest.delete(1);
  return [...nearest.entries()].sort(([a], [b]) => a - b).map(([, column]) => column);
}
/** Headers of one surname, not both: beside a second surname alone, the first. */
const ONE_SURNAME_KEYS: ReadonlySet<string> = new Set(['apellido', ...LAST_NAME_HEADERS].flatMap(ownForms).map(headerKey));

/** A surname column of someone other than the customer. */
const SOMEONE_ELSE = /tutor|padre|madre|papa|mama|parent|guardian|father|mother|responsable|contacto|conyuge|esposo|esposa/;
/** A label over columns that are another person's (`DATOS DEL PADRE O TUTOR`); `DATOS DE CONTACTO` may be the customer's own. */
const SOMEONE_ELSES_DATA = /tutor|padre|madre|papa|mama|parent|guardian|father|mother|responsable|conyuge|esposo|esposa|emergencia|abuel/;
