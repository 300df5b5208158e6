import type { CountryCode } from 'libphonenumber-js';
import { columnLetters } from '../read/column-letters.js';
import type { SourceRow } from '../read/source-row.js';
import { ASSIGNEE_ID, isEmailAddress, type CustomerField, type CustomerInput, type MetadataPair } from '../validate/customer-schema.js';
import { codePoint, lineHoldsOnly, type IssueCode, type RowIssue } from '../validate/row-issue.js';
import { FIELD_SPECS } from './fields.js';
import { singleLine } from './header-key.js';
import { hasPhoneExtension, impossibleDateReason, leadingOneReadings, mayBePlaceholder, normalizeName, normalizePhone, parseBoolean, parseDateTime, PHONE_EXTENSION_END, placeholderPattern, splitTags, trimmed, withoutFormulaGuard } from './normalize.js';
import { fieldColumn, isErrorColumn, isExcelPlaceholderMetadata, nameColumn, type LabelledPair, type ResolvedMapping } from './resolve-mapping.js';
import { isListNumber, isListNumberHeader } from './template-row.js';

/** A row's customer input as mapped and normalized, not yet validated. */
export type CustomerDraft = { -readonly [K in keyof CustomerInput]?: CustomerInput[K] };

/** A source row after mapping: the draft payload and the problems found while normalizing its cells. */
export interface MappedRow {
  row: number;
  draft: CustomerDraft;
  issues: RowIssue[];
}

/** Options of the map stage. */
export interface MapOptions {
  /** Region for phone numbers written without a country code. */
  defaultCountry: CountryCode;
  /** Hears of each value found in a column without a header (not imported): its column index and row. */
  onUnheadedValue?: (column: number, row: number) => void;
  /** Hears of each value found in a metadata column headed as Excel names a table's column nobody named (`Columna1`): its column index and row. */
  onPlaceholderValue?: (column: number, row: number) => void;
  /**
   * The cells are a text file's (CSV), where a spreadsheet wrote its numbers as it shows them: a
   * long one formatted as Number with its digits past the 15th as zeros (a workbook's reader tells
   * a number's lost digits by the cell itself).
   */
  textFile?: boolean;
}

/** What a handler says of a cell it refuses; one constant object per handler, so the row loop allocates nothing for a good cell. */
interface CellRefusal {
  code: IssueCode;
  rule: string;
}

const MAILTO = /^mailto:/i;
/** `5.51E+09` (or `5,51E+09`): how Excel saves a long number it shows in scientific notation; the digits are gone. */
const SCIENTIFIC = /^[+-]?\d(?:[.,]\d+)?E\+?\d+$/i;
/**
 * What an office types where a student has no login yet: `N/A`, `-`, `?`, `S/N`, `sin matrícula`,
 * `no tiene`, `pendiente`. Not `0` (a count under the username makes a totals line) nor `NA` (initials).
 */
const USERNAME_PLACEHOLDER = placeholderPattern('s/n|s/d|sin (?:usuario|matr[ií]cula|clave|n[uú]mero|dato)s?|no (?:tiene|aplica|hay|asignado)|pendiente|por asignar');
const USERNAME_PLACEHOLDER_REFUSAL: CellRefusal = { code: 'invalid_value', rule: 'is not a username but a placeholder: leave the cell empty when the customer has none' };
/** `2.4001E+04`: a matrícula typed as a number, which Excel shows (and saves to a CSV) so in a narrow column, `2.024E+11` in any. */
const SCIENTIFIC_USERNAME: CellRefusal = {
  code: 'invalid_value',
  rule: 'was turned by Excel into a number in scientific notation (typed as a number, it is shown so when it is long or its column narrow), which may have lost digits: a username must be written as text; format the column as Text where the file was made, and type or export the usernames again',
};
/** `2.024E+11`, as Excel shows a long number (`2E5` or `1e3` are typed ids, not its notation). */
const SCIENTIFIC_AS_EXCEL_SHOWS = /^\d(?:[.,]\d+)?E\+\d+$/i;
/** A whole number with a `.0` tail. */
const WHOLE_NUMBER_AS_FLOAT = /^\d+\.0$/;
/** The exponent from which Excel's General format has dropped digits (it shows up to 11 digits: 12 and more in scientific notation). */
const LONGEST_NUMBER_SHOWN = 11;
const SCIENTIFIC_METADATA: CellRefusal = {
  code: 'invalid_value',
  rule: 'is a long number in scientific notation, which lost its digits when the file was saved: format the column as Text where the file was made and export the file again (or leave the column out with --mapping)',
};
const SCIENTIFIC_PHONE: CellRefusal = {
  code: 'invalid_phone',
  rule: 'is a number in scientific notation, which lost its digits when the file was saved: format the column as Text where the file was made, and type or export the numbers again',
};
/** `5,512,345,602.50`, `5512345602.5`: a number with a fraction that is not zero, as a phone column formatted as Number or Comma Style shows it. */
const FRACTION = /^(?:\d{1,3}(?:,\d{3})+|\d{7,15})\.\d*[1-9]\d*$/;
const FRACTION_PHONE: CellRefusal = {
  code: 'invalid_phone',
  rule: 'is a number with decimals that are not zero, which no phone number has (its column is formatted as a number where the file was made): format the column as Text there and type the number again',
};
const APOSTROPHE = 0x27;

/**
 * The totals line a school system prints under the roster: `Total de alumnos: 60`, `Gran total`
 * or `Subtotal 3° A` with the count or amount in a cell of its own, or the bare label (`Total:`,
 * `Suma`); in English `Grand Total`, `Sub-total`, `Sum`. Imported, it would be a customer named
 * "Total de alumnos: 60". A name that only starts with the word (`Total Play`, with no count) is
 * still a customer, and so is any name after `Suma` or `Sum` (a given name and a surname too).
 */
const TOTALS = /^(?:grand?\s+|sub[\s-]?)?totale?s?(?![\p{L}\p{N}])/iu;
/** The label alone, or Suma with its count in the name (`Suma: 45`): a totals line even without another cell's count. */
const TOTALS_LABEL = /^(?:(?:grand?\s+|sub[\s-]?)?totale?s?\s*:?$|(?:sumas?|sum)(?:\s+totale?s?)?\s*:?\s*(?:$|[\d$]))/iu;
const DIGIT = /\d/;
/** A Mexican taxpayer id (RFC): 3 letters (a company) or 4 (a person), the date, 3 characters. */
const RFC = /^\s*[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}\s*$/i;
const COUNT = /^\s*\d+\s*$/;
/** An amount in a cell of its own (`45,300.00`, `$12,000`): a totals line's only under a label that says so (`Total general`). */
const AMOUNT = /^\s*-?\$?\s*\d{1,3}(?:[,.]?\d{3})*(?:[.,]\d{1,2})?\s*$/;
/** `Total general`, `Total adeudo`, `Total a pagar`, `Total due`: the label of a balance's totals line; `Total Gas SA de CV` is a customer. */
const TOTALS_GENERAL =
  /^(?:grand?\s+|sub[\s-]?)?totale?s?\s+(?:generale?s?|adeudos?|a\s+pagar|pagados?|cobrados?|pendientes?|saldos?|importes?|facturados?|vencidos?|del\s+mes|due|owed|owing|paid|collected|outstanding|pending|balances?|amounts?|billed|invoiced|overdue|receivable|this\s+month|for\s+the\s+month)\s*:?$/iu;
/** A count where a login would be, on a line holding only it and the label (logins made of digits are student numbers). */
const SMALL_COUNT = /^\d{1,4}$/;

/** Cells of the list's numbering columns that hold a list's number. */
function listNumbers(values: string[], numbered: readonly number[]): number {
  let count = 0;
  for (const index of numbered) if (isListNumber(cellText(values[index]))) count++;
  return count;
}
/** Cells with text: a totals line holds its label and its count, and nothing else. */
function nonEmptyCells(values: string[]): number {
  let count = 0;
  for (const value of values) if (cellText(value) !== '') count++;
  return count;
}
/** The index of the line's one cell with text; undefined when it has none or more. */
function onlyFilledCell(values: string[]): number | undefined {
  let filled: number | undefined;
  for (let i = 0; i < values.length; i++) {
    if (cellText(values[i]) === '') continue;
    if (filled !== undefined) return undefined;
    filled = i;
  }
  return filled;
}
/** Every cell with text but one holds a count or an amount: `Total | 4 | | 10,400.00`, an Excel table's Total Row saved as CSV. */
function onlyLabelAndFigures(values: string[]): boolean {
  let words = 0;
  for (const value of values) {
    const text = cellText(value);
    if (text === '' || COUNT.test(text) || AMOUNT.test(text) || DECIMAL.test(text) || PERCENT.test(text) || LABELLED_COUNT.test(text)) continue;
    if (++words > 1) return false;
  }
  return true;
}
const PERCENT = /^\s*\d{1,3}(?:[.,]\d+)?\s*%\s*$/;
/** A grade book's average, as many decimals as it was calculated with (`85.3333`). */
const DECIMAL = /^\s*-?\d{1,6}[.,]\d+\s*$/;
/** `HOMBRES: 2`: a count with its label in one cell, as a school system's footer prints them side by side. */
const LABELLED_COUNT = /^[\p{L}\s.]{2,40}:\s*\d{1,6}$/u;
/**
 * The counts a school's list ends with, each with its label (`Hombres | 12`, `Mujeres: 14`,
 * `Alumnos inscritos | 26`, `Promedio de beca | 25%`; `Count | 2`, `Boys: 12`, `Number of
 * students | 26`), the count maybe under the username: no customers. Only with figures beside them,
 * or in the label. A grade book's `Class Average` and `Points Possible` over the assignments'
 * figures too (Google Classroom's export: with one name cell, the other empty).
 */
const COUNT_LABEL =
  /^(?:hombres|mujeres|varones|ni[ñn]os|ni[ñn]as|inscrit[oa]s|becad[oa]s|bajas|altas|(?:alumn[oa]s|estudiantes)(?:\s+(?:inscrit[oa]s|becad[oa]s|con\s+beca|sin\s+beca|activ[oa]s|hombres|mujeres|de\s+nuevo\s+ingreso|de\s+reingreso|dad[oa]s\s+de\s+baja|de\s+baja|en\s+total|por\s+grupo))?|promedio|(?:promedio|porcentaje)\s+(?:de|del|general)(?:\s+[\p{L}]+){0,2}|n[uú]mero\s+de\s+(?:alumn[oa]s|estudiantes)|(?:head\s*)?count|boys|girls|males?|females?|enrolled|enrol(?:l)?ment|withdrawals|(?:students|pupils)(?:\s+(?:enrolled|withdrawn|active|on\s+scholarship|with\s+scholarships?|per\s+(?:group|class)|in\s+total))?|(?:enrolled|active|new|returning|withdrawn|scholarship|male|female)\s+(?:students|pupils)|(?:number|no\.?|#)\s+of\s+(?:students|pupils|children)|(?:class|group|overall)\s+(?:average|mean)|average(?:\s+(?:score|grade|scholarship|discount))?|points\s+possible|(?:max(?:imum)?\s+|possible\s+|total\s+)points|percentage\s+of(?:\s+[\p{L}]+){1,2})\s*:?\s*(?:\d{1,6}(?:[.,]\d+)?\s*%?)?$/iu;
/**
 * A note or a section's heading alone on its line (`Nota: …`, `NOTA IMPORTANTE`, `Observaciones:
 * …`, `* Alumnos de nuevo ingreso`, `Página 1 de 2`, `Alumnos dados de baja`, `Lista actualizada
 * al 15 de agosto`, `*** Fin del reporte ***`, `Maestra: …`, `Fecha: …`; `Note: …`, `Page 1 of 2`,
 * `Withdrawn students`, `Last updated: …`, `End of report`, `Teacher: …`): created,
 * each was a customer, and without a username a new one every run. A note's word opens a note only
 * with its colon, or alone (`Atención Médica SC`, `Notes Café` are customers), and a page's only
 * with its number (`Page Smith` is a customer).
 */
const NOTE_LINE =
  /^(?:\*+\s*)?(?:(?:notas?|n\.\s*b\.|observaci[oó]n(?:es)?|obs\.|importante|avisos?|recuerde|recuerda|atenci[oó]n|advertencia|comentarios?|leyenda|simbolog[ií]a|claves?|abreviaturas?|notes?|nb|remarks?|comments?|observations?|important|reminder|remember|attention|warning|notice|legend|please\s+note)\s*(?::|$)|nota\s+importante$|important\s+notes?$|please\s+note\s|p[aá]gina\s+\d+|hoja\s+\d+\s+de\s+\d+|(?:page|sheet)\s+\d+(?:\s*(?:of|\/)\s*\d+)?$|lista\s+(?:actualizada|generada|elaborada|impresa)(?![\p{L}])|list\s+(?:updated|generated|printed|prepared|as\s+of)(?![\p{L}])|[uú]ltima\s+actualizaci[oó]n|actualizaci[oó]n\s*:|actualizad[oa]\s+(?:al|el)(?![\p{L}])|last\s+updated(?![\p{L}])|updated\s*(?::|(?:on|as\s+of)\s+\d)|as\s+of\s+\d|(?:alumn[oa]s|estudiantes)\s+(?:dad[oa]s\s+de\s+baja|de\s+baja|de\s+nuevo\s+ingreso|de\s+reingreso|becad[oa]s|con\s+beca|sin\s+beca|pendientes|irregulares|egresad[oa]s|inscrit[oa]s)\s*:?$|(?:bajas|altas|reingresos?|nuevo\s+ingreso)\s*:?$|(?:withdrawn|new|returning|transfer(?:red)?|inactive|dropped|pending|enrolled|graduat(?:ed|ing)|scholarship|irregular)\s+(?:students|pupils)\s*:?$|(?:students|pupils)\s+(?:withdrawn|who\s+(?:left|withdrew)|on\s+scholarship|with(?:out)?\s+scholarships?|pending|enrolled|transferred|dropped)\s*:?$|(?:withdrawals|withdrawn|drop-?outs|transfers|new\s+(?:enrollments?|admissions))\s*:?$|(?:fin\s+del?\s+(?:la\s+)?(?:reporte|informe|lista|listado|documento)|end\s+of\s+(?:the\s+)?(?:report|list))[\s*.\-]*$|(?:maestr[oa](?:\s+titular)?|profesor(?:a|\(a\))?(?:\s+titular)?|docente|titular|asesor(?:a|\(a\))?|teacher|fecha)\s*:)/iu;
/**
 * A group's or a grade's heading alone on its line, between the students of a list printed by
 * group: `Grupo 3B`, `GRUPO: 2° A`, `3° B`, `PRIMERO A`, `SEGUNDO GRADO`, `Primaria`; `Grade 3B`,
 * `3rd grade`, `First Grade A`, `Kindergarten`, `Morning shift`. `Year`, `Room` and `Form` only
 * with their number.
 */
const GROUP_HEADING =
  /^(?:(?:grupo|grado|sal[oó]n|secci[oó]n|grade|group|class|section|homeroom)(?:\s*[:.\-#]?\s*(?:[\p{N}°º"'“”\-/ ]|[a-h](?![\p{L}]))+)?|turno\s+(?:matutino|vespertino|mixto|nocturno)|ciclo\s+escolar(?:\s+[\d\s\-–/]+)?|generaci[oó]n\s+[\d\s\-–/]+|\d{1,2}\s*(?:[°º]|er|ro|do|to|vo|o)?\.?\s*(?:grado|a[ñn]o|semestre)?\s*(?:grupo\s*)?["'“”]?[a-h]?["'“”]?|(?:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[eé]ptim[oa]|octav[oa]|noven[oa])\s+(?:(?:grado|a[ñn]o|semestre)(?:\s+de\s+[\p{L}]+)?(?:\s+(?:grupo\s+)?["'“”]?[a-h]["'“”]?)?|(?:grupo\s+)?["'“”]?[a-h]["'“”]?)|(?:preescolar|k[ií]nder|maternal|lactantes|primaria|secundaria|preparatoria|bachillerato)(?:\s+(?:alta|baja|[a-h]|\d))?|(?:year|room|form)\s*[:.\-#]?\s*\d{1,3}\s*[a-h]?|\d{1,2}(?:st|nd|rd|th)\s+(?:grade|year|semester)(?:\s*[:.\-]?\s*(?:group\s+|section\s+)?["'“”]?[a-h]["'“”]?)?|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)\s+(?:grade|year|semester)(?:\s*[:.\-]?\s*(?:group\s+|section\s+)?["'“”]?[a-h]["'“”]?)?|(?:(?:pre-?k|pre-?kindergarten|kindergarten|pre-?school|nursery|elementary|primary|secondary)(?:\s+school)?|(?:middle|junior\s+high|high)\s+school)(?:\s+(?:[a-h]|\d))?|(?:morning|afternoon|evening)\s+shift|school\s+year(?:\s+[\d\s\-–/]+)?|class\s+of\s+\d{4})\s*:?$/iu;
/** What an office types where a name is not known yet: `Pendiente`, `Sin datos`, `N/A`, `--`, `TBD` (not `Na`, a name). */
const NAME_PLACEHOLDER =
  /^(?:n\/a|n\.\s?a\.|s\/n|s\/d|-+|–|—|\?+|x{2,}|\.+|sin (?:datos?|nombre)|ningun[oa]?|none|null|pendiente|vacante|por (?:asignar|definir|confirmar)|desconocid[oa]|no disponible|tbd|tba|unknown|vacant|no name|not available|to be (?:assigned|determined|confirmed))$/iu;
/** A company's legal form at the end of its name (`SA de CV`, `SC`, `AC`, `S de RL`, `Inc.`, `LLC`, `Ltd.`): a customer, whatever its first word. */
const COMPANY =
  /(?<![\p{L}])(?:s\.?\s*a\.?(?:\s*(?:de|p\.?\s*i\.?)\s*c\.?\s*v\.?)?|s\.?\s*c\.?|a\.?\s*c\.?|s\.?\s*de\s*r\.?\s*l\.?(?:\s*de\s*c\.?\s*v\.?)?|sapi(?:\s*de\s*cv)?|sab(?:\s*de\s*cv)?|inc|incorporated|l\.?\s*l\.?\s*[cp]|ltd|limited|corp|corporation|co|p\.?\s*l\.?\s*c|gmbh)\.?\s*$/iu;

/** A legend's line under the list: a code and what it means (`BE = Becado`, `Clave: B = Beca, R = Reinscrito`, `* = de nuevo ingreso`). */
const LEGEND_LINE = /^[^=]{1,30}=\s*[\p{L}\d]/u;
/** Two labels with their values in one cell (`Grupo: 1A   Maestra: Laura Méndez`): a heading printed over the list, no one's name. */
const TWO_LABELS = /\p{L}\.?\s*:\s*[^\s:][^:]*\p{L}\.?\s*:\s*\S/u;
/** `HOMBRES: 12, MUJERES: 14, TOTAL: 26`: counts with their labels, in one cell. */
const LABELLED_COUNTS = /^(?:[\p{L}\s.]{2,40}:\s*\d{1,6}\s*[,;|/]?\s*){2,}$/u;

/**
 * A line that reaches no one and names no one: a count with its label, a note, a group's heading
 * or a placeholder. Alone on its line but for a list's number (`3 | Pendiente`). Asked of no
 * company's name (`COMPANY`).
 */
function lineOfNoOne(name: string, values: string[], username: string | undefined, numbered: readonly number[]): { code: 'totals_row' | 'signature_row' | 'heading_row' | 'invalid_value'; rule: string } | undefined {
  if (username !== undefined && !SMALL_COUNT.test(username) && !LABELLED_COUNT.test(username)) return undefined;
  if (LABELLED_COUNTS.test(name)) return { code: 'totals_row', rule: TOTALS_ROW_RULE };
  if (COUNT_LABEL.test(name) && onlyLabelAndFigures(values) && (DIGIT.test(name) || values.some((value) => value !== '' && DIGIT.test(value)))) return { code: 'totals_row', rule: TOTALS_ROW_RULE };
  if (username !== undefined) return undefined;
  const cells = nonEmptyCells(values) - listNumbers(values, numbered);
  if (cells !== 1 && !(cells === 2 && isLabel(name))) return undefined;
  if (NOTE_LINE.test(name) || LEGEND_LINE.test(name) || TWO_LABELS.test(name)) return { code: 'signature_row', rule: SIGNATURE_ROW_RULE };
  if (GROUP_HEADING.test(name)) return { code: 'heading_row', rule: HEADING_ROW_RULE };
  if (NAME_PLACEHOLDER.test(name)) return { code: 'invalid_value', rule: NAME_PLACEHOLDER_RULE };
  return undefined;
}
/**
 * The rule of a line without a name that holds a totals line's label and its figures, each in a cell
 * of its own (`TOTAL | 2`, `Total de alumnos: | 35` in a SEP list's surname columns; `TOTAL` under
 * `No.`, the count under `Grupo`), naming the cells; undefined for any other line. The label stands
 * where the names do or left of them (`lastNameColumn`): right of them it is a student's own value
 * (`Female` under `Gender`, `Total` under `Beca`, beside a grade), the name left out by a slip.
 */
function totalsLineRule(values: string[], headers: readonly string[], lastNameColumn: number): string | undefined {
  let label: number | undefined;
  const filled: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const text = cellText(values[i]);
    if (text === '') continue;
    filled.push(i);
    if (COUNT.test(text) || AMOUNT.test(text) || DECIMAL.test(text) || PERCENT.test(text) || LABELLED_COUNT.test(text)) continue;
    if (label !== undefined) return undefined;
    label = i;
  }
  if (label === undefined || label > lastNameColumn || filled.length < 2 || filled.length > 6) return undefined;
  const text = cellText(values[label]);
  if (!TOTALS.test(text) && !TOTALS_LABEL.test(text) && !COUNT_LABEL.test(text)) return undefined;
  const cells = filled.map((index) => `${JSON.stringify(cellText(values[index]))} under ${JSON.stringify(headers[index] || `column ${columnLetters(index + 1)}`)}`);
  return `is empty, and the line holds only ${cells.slice(0, -1).join(', ')} and ${cells.at(-1)!}: a totals line, not a customer: delete the line`;
}
/** A label, its colon last (`Elaboró:`, `Nota:`, `GRUPO:`): no person's name. */
function isLabel(name: string): boolean {
  return name.charCodeAt(name.length - 1) === 0x3a /* : */;
}
/**
 * The signatures a school's list ends with, each alone on its line: `ATENTAMENTE`, `Vo. Bo.`,
 * `Directora`, `Elaboró: Secretaría Escolar`, `Elaborado por: …`, `Fecha de impresión: 15/08/2024`,
 * `Impreso el 15/08/2024`, `Firma del director`; `Sincerely,`, `Principal`, `Prepared by: …`, `Printed on 15/08/2024`, `Principal's
 * signature`, `School stamp`. The few lines alone under one of them (the director's name and
 * title) are signatures too (`SIGNATURE_FOLLOWERS`). Not `Seal` or `Stamp` alone: names too.
 */
const SIGNATURE =
  /^(?:(?:atentamente|atte|sufragio efectivo|vo\.?\s*bo|elabor[óo]|revis[óo]|autoriz[óo]|valid[óo]|fecha de (?:impresi[óo]n|emisi[óo]n|elaboraci[óo]n|corte)|impreso|(?:sub)?director(?:a|\(a\))?|coordinador(?:a|\(a\))?|secretari[oa] escolar|control escolar|approved|printed|date printed|print date|printing date|date of (?:issue|printing)|(?:vice[\s-]|assistant\s+)?principal|head\s*teacher|head\s+of\s+school|headmaster|headmistress|superintendent|registrar|school\s+secretary|coordinator)\s*\.?\s*:?(?:$|(?<=[.:])\s)|(?:firma|sello)(?:\s*[.:]?$|\s+(?:del?|de la)\s+(?:director|directora|escuela|plantel|colegio|instituci[óo]n|direcci[óo]n)(?![\p{L}]))|(?:sincerely|yours\s+(?:sincerely|truly|faithfully)|(?:best|kind|warm)?\s*regards|respectfully(?:\s+yours)?)\s*[,.]?$|(?:prepared|reviewed|approved|authori[sz]ed|checked|verified|compiled|signed|printed)\s+by(?![\p{L}])|(?:printed|generated|issued)\s+on\s*:?\s*\d|(?:elaborad[oa]|revisad[oa]|autorizad[oa]|aprobad[oa]|validad[oa]|capturad[oa]|impres[oa]|generad[oa])\s+por(?![\p{L}])|(?:(?:reporte|listado|documento|informe)\s+)?(?:impres[oa]|generad[oa]|emitid[oa]|elaborad[oa])\s+(?:el|en)\s*:?\s*(?:\d|$)|signature\s*(?::|$)|(?:(?:the\s+)?(?:principal|director|head\s*teacher|teacher|parent|guardian|registrar|coordinator|school)(?:['’]s)?\s+signature|signature\s+of\s+(?:the\s+)?(?:principal|director|head\s*teacher|teacher|parent|guardian|registrar|coordinator|school)|(?:school|official)\s+(?:seal|stamp)|(?:seal|stamp)\s+of\s+(?:the\s+)?(?:school|institution))[\s_.:]*$|(?:nombre\s*,?\s*(?:y\s+)?firma|firma\s+y\s+sello|sello\s+y\s+firma)(?![\p{L}]))/iu;
/** Lines of one cell under a signature that are its name and title, not customers. */
const SIGNATURE_FOLLOWERS = 3;
const SIGNATURE_ROW_RULE = 'looks like a signature or a note under the roster, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)';
const SIGNATURE_ROW_WITH_VALUE_RULE = 'looks like a signature or a note under the roster, its value under the username, not a customer: delete the line (or, if it is a customer, give it an email or phone, and its own username)';
const TOTALS_ROW_RULE = 'looks like a totals line, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)';
const TOTALS_ROW_WITH_COUNT_RULE = 'looks like a totals line, not a customer, its username a count: delete the line (or, if it is a customer, give it an email or phone, or a username other than a short number)';
const HEADING_ROW_RULE = "looks like a group's or a grade's heading, not a customer: delete the line (the group can go in a column of its own, imported as metadata)";
const NAME_PLACEHOLDER_RULE = 'is not a name but a placeholder: write the customer\'s name, or delete the line';
const NO_LETTER_RULE = "has no letters: a customer's name is needed here";
const MERGED_NAME_RULE = "is under a merged cell, whose value belongs to the row above it only (one customer over several rows?): put each customer on one row of its own, or unmerge the cell and write this row's name in full";
/** The name and the fields that reach a customer: a file of these alone has no column a title line leaves empty. */
const CONTACT_FIELDS: ReadonlySet<CustomerField> = new Set(['name', 'email', 'phoneNumber', 'secondaryPhoneNumber', 'username']);
const TABLE_BELOW_RULE =
  'reaches no one (no email, phone or username) and sits below a blank line, under customers who all do: another table under the roster? Delete it (or, if it is a customer, give it an email, phone or username)';
const HEADER_ROW_RULE = 'repeats the header row (two lists joined into one file?): delete the line';
const EXAMPLE_ROW_RULE = "looks like the template's example or hint line, not a customer: delete the line";
const EXAMPLE_EMAIL_RULE = "is at a placeholder domain, as on a template's example line, not a customer's address: delete the line (or, if it is a customer, write the customer's own email)";
const ROW_RULES = { totals_row: TOTALS_ROW_RULE, signature_row: SIGNATURE_ROW_RULE, invalid_value: NO_LETTER_RULE } as const;

/**
 * A template's example line in the name: `EJEMPLO: Juan Pérez López`, `Ejemplo - Juan`, `Ej: Juan`,
 * `Ejemplo` alone. Only with its colon or dash: `Ejemplo SA de CV`, `Example Industries` and `Ej.
 * San Pedro` (an ejido) are customers, and so is `Juan Ejemplo`.
 */
const EXAMPLE_NAME = /^(?:(?:ejemplos?|examples?)\s*(?:[:\-–—]|$)|ej\s*:)/iu;
/** A hint wholly in parentheses or brackets, `(Apellidos y nombre)`: an example line when the row reaches nobody (a CRM's `(Sin nombre)` with an email is a customer). */
const HINT_NAME = /^(?:\(.*\)|\[.*\])$/u;
/**
 * A word of a template's hint line under its header: whether the column must be filled
 * (`Obligatorio | Opcional`, `Required | Optional`) or the kind of value it takes (`Texto | Número |
 * Fecha | Sí/No`, `Text | Number | Date`).
 */
const TEMPLATE_HINT =
  /^\(?\s*(?:obligatori[oa]|opcional|requerid[oa]|required|optional|mandatory|texto|n[uú]mero|num[eé]rico|fecha|entero|decimal|moneda|booleano|s[ií]\s*\/\s*no|text|number|numeric|date|integer|boolean|yes\s*\/\s*no|true\s*\/\s*false)\s*\)?\s*\*?$/iu;
/** An instruction where the name should be, as a template's hint line opens: `Escriba el nombre completo`, `Anote aquí…`, `Enter the full name`. */
const INSTRUCTION_NAME = /^(?:escriba|escribir|anote|anotar|capture|capturar|ingrese|ingresar|llene|llenar|registre|coloque|write|enter|type|fill\s+in)\s+(?:el|la|los|las|aqu[ií]|su|sus|un|una|the|your|here)(?![\p{L}])/iu;

/**
 * A template's hint line: an instruction where the name should be, or every cell of two or more a
 * word of `TEMPLATE_HINT`. Asked of a line that reaches no one; the name first, a short word.
 */
function isTemplateHintLine(name: string, values: string[]): boolean {
  if (INSTRUCTION_NAME.test(name)) return true;
  if (name.length > 14 || !TEMPLATE_HINT.test(name)) return false;
  let filled = 0;
  for (const value of values) {
    const text = cellText(value);
    if (text === '') continue;
    if (!TEMPLATE_HINT.test(text)) return false;
    filled++;
  }
  return filled >= 2;
}

/** A phone read, or an address with an `@` (a hint line's `(correo del alumno)` is none): someone to reach. */
function reachableAtAll(draft: CustomerDraft): boolean {
  return draft.phoneNumber !== undefined || draft.secondaryPhoneNumber !== undefined || (draft.email !== undefined && draft.email.includes('@'));
}

/** The word alone in a cell of its own, as a template marks its example line under `No.`. */
const EXAMPLE_MARK = /^(?:ejemplos?|examples?)\s*:?$/iu;
/**
 * The domain a Spanish template's example address uses: `juan.perez@ejemplo.com`. Not correo.com
 * or dominio.com, which schools write for a family without email (`sincorreo@correo.com`), nor
 * example.com, which test and staging customers use.
 */
const PLACEHOLDER_DOMAIN = /@ejemplo\.com(?:\.mx)?$/i;

/**
 * The cell that marks a row as a template's example: the word alone left of the name (the column
 * index), or an email at a placeholder domain (no index).
 */
function exampleMark(values: string[], nameIndex: number, email: string | undefined): { index?: number; value: string; rule: string } | undefined {
  for (let i = 0; i < nameIndex; i++) {
    const text = cellText(values[i]);
    if ((text.charCodeAt(0) | 0x20) === 0x65 /* e */ && EXAMPLE_MARK.test(text)) return { index: i, value: text, rule: EXAMPLE_ROW_RULE };
  }
  if (email === undefined) return undefined;
  // The domain's initial first: nearly every address is at gmail, hotmail or a school's own.
  const initial = email.charCodeAt(lastAt(email) + 1) | 0x20;
  return initial === 0x65 /* e */ && PLACEHOLDER_DOMAIN.test(email) ? { value: email, rule: EXAMPLE_EMAIL_RULE } : undefined;
}

/**
 * `text.lastIndexOf('@')`, asked only of text with a second `@`: `lastIndexOf` is a call into the
 * runtime (about 450 instructions), `indexOf` a builtin (about 110), and an address holds one `@`.
 * (A loop of `charCodeAt` back from the end cost more: a cell of 13 characters or more is a slice
 * of the chunk read, and each of its characters went through a call.)
 */
function lastAt(text: string): number {
  const at = text.indexOf('@');
  return at === -1 || text.indexOf('@', at + 1) === -1 ? at : text.lastIndexOf('@');
}

/** Shared by every row without problems; frozen, so a push into it fails loudly. */
const NO_ISSUES = Object.freeze([]) as unknown as RowIssue[];

type CellHandler = (text: string, draft: CustomerDraft) => CellRefusal | undefined;

/**
 * Compiles a resolved mapping into a function from source rows to mapped rows. The per-column work
 * is decided once here, so the per-row loop only trims and calls each column's handler.
 * Empty cells are left out of the payload entirely, never sent as `""` or `null`.
 */
export function createRowMapper(mapping: ResolvedMapping, options: MapOptions): (source: SourceRow) => MappedRow {
  /** Each column read, with whether a long number's digits in it are checked as a text file's (a CSV's username or metadata: `lostDigits`). */
  const plan: { index: number; header: string; handle: CellHandler; field: CustomerField | undefined; keepsDigits: boolean }[] = [];
  const { nameParts, givenNamesFirst, nameFallback } = mapping;
  // A contact list's labelled phones and emails: each value column read as a field is read with its group, below.
  const groups = (mapping.labelled ?? []).map((group) => ({
    ...group,
    handlers: group.fields.map((field) => refusingErrors(fieldHandler(field, options, mapping.headerOf))),
    keepRest: new Map(group.pairs.flatMap((pair) => (pair.leftoverKey === undefined ? [] : [[pair, refusingErrors(metadataHandler(pair.leftoverKey))] as const]))),
  }));
  const grouped = new Set(groups.flatMap((group) => group.pairs.map((pair) => pair.value)));
  for (const column of mapping.columns) {
    if (nameParts?.includes(column.index)) continue; // joined into one name below
    const { target } = column;
    if (target.kind === 'field' && grouped.has(column.index)) continue;
    if (target.kind === 'field') plan.push({ index: column.index, header: column.header, handle: refusingErrors(fieldHandler(target.field, options, mapping.headerOf)), field: target.field, keepsDigits: options.textFile === true && target.field === 'username' });
    else if (target.kind === 'metadata') plan.push({ index: column.index, header: column.header, handle: refusingErrors(metadataHandler(target.key)), field: undefined, keepsDigits: options.textFile === true });
  }
  // Second columns of a phone or an email, for the rows whose first is empty; a value the field
  // refuses leaves the field empty (it is metadata all the same).
  const fallbacks = mapping.columns.flatMap((column) =>
    column.target.kind === 'metadata' && column.target.fills && !nameFallback?.includes(column.index) ? [{ index: column.index, field: column.target.fills, handle: fieldHandler(column.target.fills, options, mapping.headerOf) }] : [],
  );
  const headers = mapping.columns.map((column) => column.header);
  const nameHeader = mapping.headerOf.name;
  const emailHeader = mapping.headerOf.email;
  const headerKeys = headers.map(headerMatchKey);
  const unheaded = mapping.columns.filter((column) => column.target.kind === 'ignore' && column.header === '').map((column) => column.index);
  const { onUnheadedValue, onPlaceholderValue } = options;
  const placeholderNamed = mapping.columns.filter(isExcelPlaceholderMetadata).map((column) => column.index);
  const ignored = new Set(mapping.columns.filter((column) => column.target.kind === 'ignore').map((column) => column.index));
  // Our errors file's `error` column, imported again: its message is no cell of the line. Counted, a
  // group's heading or a signature was no longer alone on its line and was created as a customer,
  // and the header repeated mid-file no longer read as the header.
  const errorColumns = mapping.columns.filter((column) => column.target.kind === 'ignore' && isErrorColumn(column.header)).map((column) => column.index);
  const nameIndex = nameColumn(mapping);
  /** Every column the name is read from: one, or its joined parts. */
  const nameColumns = nameParts ?? (nameIndex === undefined ? [] : [nameIndex]);
  /** The rightmost of them: a totals line's label stands no further right (see `totalsLineRule`). */
  const lastNameColumn = Math.max(-1, ...nameColumns);
  /** The columns that number the list's lines: their numbers do not make a line more than a note. */
  const numbered = mapping.columns.filter((column) => column.target.kind !== 'field' && isListNumberHeader(column.header)).map((column) => column.index);

  const areaCodeIndex = mapping.areaCode;
  const phoneIndex = fieldColumn(mapping, 'phoneNumber');

  /** Lines of one cell under a signature line that are still its own (its name, its title). */
  let signatureLines = 0;
  /** The last row seen, to tell a blank line above a row (blank lines are not handed out). */
  let lastRow = 0;
  /** Rows read as customers so far that reach someone (an email, a phone, a username), and that reach no one. */
  let reachingRows = 0;
  let unreachedRows = 0;
  /** Set from a line that reaches no one after a blank line under such a roster, until a line reaches someone. */
  let tableBelow = false;
  // With only a name and ways to reach someone, a student with a name alone reads as a table's title:
  // told apart only where a roster line holds more (a group, an id), which a title lacks.
  const holdsMoreThanContacts = mapping.columns.some(
    (column) => column.target.kind === 'metadata' || (column.target.kind === 'field' && !CONTACT_FIELDS.has(column.target.field)),
  );

  return (source) => {
    const afterBlank = source.row > lastRow + 1;
    lastRow = source.row;
    const draft: CustomerDraft = {};
    let issues = NO_ISSUES; // most rows have none: no array for them
    /** A field's cell refused as a placeholder (`N/A`), forgiven when its second column fills the field. */
    let placeholders: Map<CustomerField, RowIssue> | undefined;
    /** A phone cell refused for what it holds (not a placeholder): the row has a phone, to be corrected. */
    let phoneRefused = false;
    const values = errorColumns.length === 0 ? source.values : withoutCells(source.values, errorColumns);
    if (nameParts) {
      let first = '';
      let rest = '';
      for (const index of nameParts) {
        const text = cellText(values[index]);
        if (!text) {
          // Given names joined by the importer: without them no surname makes a name (a group's
          // heading, `TOTAL` or a signature in a surname column is no customer).
          if (givenNamesFirst && index === nameParts[0]) break;
          continue;
        }
        const refusal = cellRefusal(text);
        if (refusal) {
          if (issues === NO_ISSUES) issues = [];
          issues.push({ row: source.row, column: headers[index]!, code: refusal.code, value: text, rule: refusal.rule });
          continue;
        }
        const lost = lostCharacter(text);
        if (lost) {
          if (issues === NO_ISSUES) issues = [];
          issues.push({ row: source.row, column: headers[index]!, code: lost.code, value: text, rule: lost.rule });
        }
        if (!first) {
          first = text;
          // A count under the given names (`TOTAL | | 35`) is judged alone, as it was.
          if (givenNamesFirst && index === nameParts[0] && !hasLetter(text)) break;
        } else rest = rest ? `${rest} ${text}` : text;
      }
      // A first column that already holds the whole name (`José García López`, or `GARCÍA LÓPEZ
      // JOSÉ`, under `Nombre`, `García`, `López` beside it) is not given the surnames twice.
      const name = rest ? joinedName(first, rest) : first;
      if (name) draft.name = normalizeName(name);
      else if (givenNamesFirst && nameParts.some((index) => cellText(values[index]) !== '')) {
        // Surnames without the given names make no name. Alone on the line (`Total: 35 alumnos`,
        // `GRUPO 1B` or `Elaboró: …` in a surname column of a SEP list) the cell is said, as in any
        // other column; beside other cells they are a student's, said here: the schema saw only the
        // line's group and called it "the line holds only", a heading to delete.
        const lone = onlyFilledCell(values);
        const totals = lone === undefined ? totalsLineRule(values, headers, lastNameColumn) : undefined;
        if (issues === NO_ISSUES) issues = [];
        issues.push(
          totals
            ? { row: source.row, column: nameHeader ?? headers[nameParts[0]!]!, code: 'totals_row', rule: totals }
            : { row: source.row, column: nameHeader ?? headers[nameParts[0]!]!, code: 'required', rule: `is empty: every customer needs a name${lone === undefined ? '' : lineHoldsOnly(cellText(values[lone]), headers[lone]!)}` },
        );
      }
    }
    for (const column of plan) {
      let text = cellText(values[column.index]);
      if (!text) continue;
      if (column.index === phoneIndex && areaCodeIndex !== undefined) text = withAreaCode(text, cellText(values[areaCodeIndex]));
      const refusal = text.length >= LOST_DIGITS_LENGTH && column.keepsDigits && lostDigits(text, values[column.index]!) ? LOST_DIGITS : column.handle(text, draft);
      if (refusal) {
        if (issues === NO_ISSUES) issues = [];
        const issue: RowIssue = { row: source.row, column: column.header, code: refusal.code, value: text, rule: refusal.rule };
        issues.push(issue);
        if (isPlaceholderRefusal(refusal) && column.field) (placeholders ??= new Map()).set(column.field, issue);
        else if (column.field && FIELD_SPECS[column.field].kind === 'phone') phoneRefused = true;
      }
    }
    for (const group of groups) {
      // Each value with its label (`Phone 1 - Label`; one label a value where the cell lists as many,
      // else the cell's for all of them): a mobile's first, the file's order otherwise. They fill
      // the fields in turn; a value that fills none keeps its cell as metadata (`Phone 1 - Value`).
      const entries: { text: string; pair: LabelledPair }[] = [];
      const preferred: { text: string; pair: LabelledPair }[] = [];
      for (const pair of group.pairs) {
        const cell = cellText(values[pair.value]);
        if (!cell) continue;
        const texts = group.splits && cell.includes(':::') ? cell.split(MULTI_VALUE).filter((text) => text !== '') : [cell];
        const label = pair.label === undefined ? '' : cellText(values[pair.label]);
        const labels = texts.length > 1 ? label.split(MULTI_VALUE) : [label];
        texts.forEach((text, i) => {
          const mobile = group.prefer === 'mobile' && MOBILE_LABEL.test((labels.length === texts.length ? labels[i]! : label).normalize('NFC'));
          (mobile ? preferred : entries).push({ text, pair });
        });
      }
      let slot = 0;
      let kept: Set<LabelledPair> | undefined;
      for (const { text, pair } of preferred.length > 0 ? [...preferred, ...entries] : entries) {
        const keep = group.keepRest.get(pair);
        if (slot < group.fields.length) {
          const field = group.fields[slot]!;
          const refusal = group.handlers[slot++]!(text, draft);
          if (refusal) {
            if (issues === NO_ISSUES) issues = [];
            const issue: RowIssue = { row: source.row, column: headers[pair.value]!, code: refusal.code, value: text, rule: refusal.rule };
            issues.push(issue);
            if (isPlaceholderRefusal(refusal)) (placeholders ??= new Map()).set(field, issue);
            else if (FIELD_SPECS[field].kind === 'phone') phoneRefused = true;
          }
        } else if (keep && !kept?.has(pair)) {
          (kept ??= new Set()).add(pair);
          const refusal = keep(cellText(values[pair.value]), draft);
          if (refusal) {
            if (issues === NO_ISSUES) issues = [];
            issues.push({ row: source.row, column: headers[pair.value]!, code: refusal.code, value: cellText(values[pair.value]), rule: refusal.rule });
          }
        }
      }
    }
    // A display name left empty: the given names and surnames beside it, as the contact list shows the contact.
    if (nameFallback && draft.name === undefined) {
      let first = '';
      let rest = '';
      for (const index of nameFallback) {
        const text = cellText(values[index]);
        if (!text || isSpreadsheetError(text)) continue;
        if (!first) first = text;
        else rest = rest ? `${rest} ${text}` : text;
      }
      const name = rest ? joinedName(first, rest) : first;
      if (name) draft.name = normalizeName(name);
    }
    for (const fallback of fallbacks) {
      if (draft[fallback.field] !== undefined) continue;
      const text = cellText(values[fallback.index]);
      if (!text) continue;
      const filled: CustomerDraft = {};
      if (!fallback.handle(text, filled)) {
        draft[fallback.field] = filled[fallback.field] as never;
        // `N/A` under Teléfono and the number under Celular: the placeholder said only that this column has none.
        const placeholder = placeholders?.get(fallback.field);
        if (placeholder) issues = issues.filter((issue) => issue !== placeholder);
      }
    }
    // The same number under both phone columns (copied across): one number, not a second one.
    if (draft.secondaryPhoneNumber !== undefined && draft.secondaryPhoneNumber === draft.phoneNumber) delete draft.secondaryPhoneNumber;
    // `sin correo`, `N/A` under the email of a row with a phone or a username: the customer has no
    // email, as an empty cell says, and is reached by phone or logs in (as a phone placeholder beside
    // a username, below). Without either the cell is refused, saying so; with the phone refused,
    // saying the phone is what to correct.
    const emailPlaceholder = placeholders?.get('email');
    if (emailPlaceholder) {
      const reachable = draft.phoneNumber !== undefined || draft.secondaryPhoneNumber !== undefined || (draft.username !== undefined && !phoneRefused);
      const rule = phoneRefused ? EMAIL_PLACEHOLDER_PHONE_REFUSED : EMAIL_PLACEHOLDER_NO_PHONE;
      issues = issues.flatMap((issue) => (issue !== emailPlaceholder ? [issue] : reachable ? [] : [{ ...issue, rule }]));
    }
    // `sin teléfono`, `N/A` under a phone of a row with an email, a username or its other phone: the
    // customer has no such phone, as an empty cell says. Without any, refused saying so (the cell's
    // rule); with the email refused, saying the email is what to correct.
    if (placeholders?.has('phoneNumber') || placeholders?.has('secondaryPhoneNumber')) {
      const byEmail = draft.email !== undefined && isEmailAddress(draft.email);
      for (const [field, other] of PHONE_FIELDS) {
        const placeholder = placeholders.get(field);
        if (!placeholder) continue;
        if (byEmail || draft.username !== undefined || draft[other] !== undefined) issues = issues.filter((issue) => issue !== placeholder);
        else if (draft.email !== undefined) issues = issues.map((issue) => (issue === placeholder ? { ...issue, rule: PHONE_PLACEHOLDER_EMAIL_REFUSED } : issue));
      }
    }
    if (onUnheadedValue) for (const index of unheaded) if (cellText(values[index])) onUnheadedValue(index, source.row);
    if (onPlaceholderValue) for (const index of placeholderNamed) if (cellText(values[index])) onPlaceholderValue(index, source.row);
    if (source.cellIssues) {
      for (const cell of source.cellIssues) {
        // An error value or an uncalculated formula in a column the mapping leaves out is nothing sent.
        if (cell.column !== undefined && cell.code !== 'malformed_row' && ignored.has(cell.column)) continue;
        const issue: RowIssue = { row: source.row, code: cell.code, rule: cell.message };
        if (cell.column !== undefined) issue.column = headers[cell.column] ?? `column ${cell.column + 1}`;
        if (cell.value !== undefined) issue.value = cell.value;
        if (issues === NO_ISSUES) issues = [];
        issues.push(issue);
      }
    }
    // A name, or a part of it, merged over several rows (a student over the rows of two tutors,
    // siblings' surnames): the value is the top row's, so this row's name is missing or cut short.
    if (source.mergedColumns) {
      const merged = nameColumns.find((index) => source.mergedColumns!.includes(index));
      if (merged !== undefined) {
        if (issues === NO_ISSUES) issues = [];
        // No value quoted: the cell under the merge is empty, and the name read beside it is not its text.
        issues.push({ row: source.row, column: headers[merged] || (nameHeader ?? 'name'), code: 'invalid_value', rule: MERGED_NAME_RULE });
      }
    }
    // The header again, where two exports were pasted one under the other: every cell its column's name.
    if (nameIndex !== undefined && isHeaderAgain(values, headers, headerKeys, nameIndex)) {
      return { row: source.row, draft: { name: draft.name! }, issues: [{ row: source.row, code: 'header_row', value: values.map((value) => value.trim()).filter(Boolean).join(' | '), rule: HEADER_ROW_RULE }] };
    }
    // A totals line has a label and a count, never a way to reach a customer (a count under the
    // username, `TOTAL ALUMNOS;4`, is no login either).
    const { name } = draft;
    if (name !== undefined) {
      const initial = name.charCodeAt(0) | 0x20;
      const reachable = draft.email !== undefined || draft.phoneNumber !== undefined || draft.secondaryPhoneNumber !== undefined;
      // A name ending in a legal form (`Total Gas SA de CV`) is a customer, whatever the line looks like; asked once.
      const company = !reachable && COMPANY.test(name);
      let code: 'totals_row' | 'signature_row' | 'heading_row' | 'example_row' | 'invalid_value' | undefined;
      if (
        (initial === 0x74 /* t */ || initial === 0x73 /* s */ || initial === 0x67) /* g */ &&
        !reachable &&
        !company &&
        (draft.username === undefined || (SMALL_COUNT.test(draft.username) && (nonEmptyCells(values) === 2 || (TOTALS_LABEL.test(name) && onlyLabelAndFigures(values))))) &&
        (TOTALS_LABEL.test(name) ||
          // `Total Home | THO900101XY1 | 100` is a customer: a totals line has no RFC.
          (TOTALS.test(name) && (DIGIT.test(name) || values.some((value) => COUNT.test(value))) && !values.some((value) => RFC.test(value))) ||
          (TOTALS_GENERAL.test(name) && values.some((value) => AMOUNT.test(value))))
      ) {
        code = 'totals_row';
      } else if (!hasLetter(name)) {
        // `6` under the names and `TOTAL` in the first column: the count of a totals line. Any other
        // name without a letter (`-`, `0`, `#N/D` aside) is no name to bill.
        code = !reachable && values.some((value) => TOTALS.test(trimmed(value))) ? 'totals_row' : 'invalid_value';
      } else if (
        (initial === 0x65 /* e */ && EXAMPLE_NAME.test(name)) ||
        (!reachableAtAll(draft) && (((initial === 0x28 /* ( */ || initial === 0x7b) /* [ */ && HINT_NAME.test(name)) || isTemplateHintLine(name, values)))
      ) {
        // The template's example or hint line, created, was a customer called `EJEMPLO: Juan Pérez`
        // (or `Obligatorio`, `Texto`, `Escriba el nombre completo`).
        code = 'example_row';
      }
      let rule: string | undefined;
      // `Elaboró: | Prof. Ramírez` with the value in the username's column (the second column of a
      // `Nombre | Usuario | …` list): the label's value, no login. Read as one, the signer was created.
      const labelledUsername =
        draft.username !== undefined && !reachable && isLabel(name) && nonEmptyCells(values) === 2 && (SIGNATURE.test(name) || NOTE_LINE.test(name) || GROUP_HEADING.test(name));
      const reachesSomeone = reachable || (draft.username !== undefined && !labelledUsername);
      if (code === undefined && !reachable && !company && headers.length > 1) {
        const noOne = lineOfNoOne(name, values, labelledUsername ? undefined : draft.username, numbered);
        if (noOne) ({ code, rule } = noOne);
      }
      // A list's signatures under it, each imported as a customer, and without a username a new one every run.
      if (code === undefined && headers.length > 1) {
        if (reachesSomeone) signatureLines = 0;
        else {
          const signs = !company && SIGNATURE.test(name);
          if (signs || signatureLines > 0) {
            // `Elaboró: | Prof. Ramírez`: the label in the name's column, its value in the next cell.
            const cells = nonEmptyCells(values);
            const alone = cells === 1 || (signs && cells === 2 && isLabel(name));
            signatureLines = !alone ? 0 : signs ? SIGNATURE_FOLLOWERS : signatureLines - 1;
            if (alone) code = 'signature_row';
          }
        }
      }
      // Another table under the roster, after a blank line (`Resumen por grupo`, then `Grupo | Alumnos`,
      // `2B | 2`): its lines fill the name's columns and were created as customers. Told by reaching
      // no one where every customer above did.
      if (code === undefined && holdsMoreThanContacts && !company) {
        if (reachesSomeone) tableBelow = false;
        // It starts at a title alone on its line (`Resumen por grupo`, `Pagos`): a line under the blank
        // with more on it (its group, its list number, a tutor's phone, an RFC) is the roster's next group.
        else if (tableBelow || (afterBlank && reachingRows >= 2 && unreachedRows === 0 && nonEmptyCells(values) === 1)) {
          tableBelow = true;
          code = 'invalid_value';
          rule = TABLE_BELOW_RULE;
        }
      }
      if (code === undefined) {
        if (reachesSomeone) reachingRows++;
        else unreachedRows++;
      }
      // The example line's cells are examples too (`(10 dígitos)` under the phone): one issue, and
      // nothing else of it to check, says to delete it.
      if (code === 'example_row') return { row: source.row, draft: { name }, issues: [{ row: source.row, column: nameHeader ?? 'name', code, value: name, rule: EXAMPLE_ROW_RULE }] };
      if (code) {
        if (issues === NO_ISSUES) issues = [];
        const said =
          code === 'totals_row' && draft.username !== undefined
            ? TOTALS_ROW_WITH_COUNT_RULE
            : code === 'signature_row' && labelledUsername
              ? SIGNATURE_ROW_WITH_VALUE_RULE
              : rule ?? ROW_RULES[code as keyof typeof ROW_RULES];
        issues.push({ row: source.row, column: nameHeader ?? 'name', code, value: name, rule: said });
      } else {
        // An example line with a real-looking name: `Ej.` under `No.`, or `juan.perez@ejemplo.com`.
        const example = exampleMark(values, nameIndex!, draft.email);
        if (example) {
          const column = example.index === undefined ? emailHeader! : headers[example.index]!;
          return { row: source.row, draft: { name }, issues: [{ row: source.row, column, code: 'example_row', value: example.value, rule: example.rule }] };
        }
      }
    } else {
      if (signatureLines > 0 && nonEmptyCells(values) > 1) signatureLines = 0;
      // `TOTAL | | | 2` with the name's cell empty (the label under `No.`, the count under `Grupo`):
      // said to be the totals line it is, not only a customer without a name.
      const totals = issues === NO_ISSUES && nameHeader !== undefined && !nameParts ? totalsLineRule(values, headers, lastNameColumn) : undefined;
      if (totals) issues = [{ row: source.row, column: nameHeader!, code: 'totals_row', rule: totals }];
    }
    return { row: source.row, draft, issues };
  };
}

const INVISIBLE_ENDS = /^[\s\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069]+|[\s\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069]+$/g;

/**
 * Zero-width space, non-joiner, joiner, word joiner, and the marks that set a text's direction
 * (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): WhatsApp and a phone's contacts put them around
 * a number they copy (`\u202a+52 1 55 1234 5678\u202c`), where they show nothing and mean nothing.
 */
function isInvisibleMark(code: number): boolean {
  return (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || code === 0x2060 || (code >= 0x2066 && code <= 0x2069);
}

/** How a cell is compared with its header: trimmed, on one line, in lower case, accents composed. */
function headerMatchKey(text: string): string {
  return singleLine(text.trim()).toLowerCase().normalize('NFC');
}

/**
 * Every non-empty cell is its column's header, the name's among them. Checked first, and by length
 * before any key is made: it runs on every row, and a name is rarely its header's length.
 */
function isHeaderAgain(values: string[], headers: string[], headerKeys: string[], nameIndex: number): boolean {
  const nameCell = values[nameIndex];
  const nameHeader = headers[nameIndex]!;
  // (A header typed on two lines, `Nombre\n(completo)`, is on one in the mapping.)
  if (!nameCell || nameHeader === '' || (trimmed(nameCell).length !== nameHeader.length && !nameCell.includes('\n') && !nameCell.includes('\r'))) return false;
  if (headerMatchKey(nameCell) !== headerKeys[nameIndex]) return false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value.trim() !== '' && headerMatchKey(value) !== headerKeys[i]) return false;
  }
  return true;
}

/** A cell's text, trimmed; `''` for an empty or missing cell. */
function cellText(raw: string | undefined): string {
  if (!raw) return '';
  let text = trimmed(raw);
  // Zero-width characters and direction marks a copy from a web page or a chat leaves at the ends:
  // unseen, yet `beto\u200b` would be a login other than `beto`. (trim() takes the BOM, not these.)
  if (isInvisibleMark(text.charCodeAt(0)) || isInvisibleMark(text.charCodeAt(text.length - 1))) text = text.replace(INVISIBLE_ENDS, '');
  // Our errors file writes `'` before text that a spreadsheet would run as a formula; the value
  // the row had is the one without it, so a fixed errors file imports the original. Before digits
  // it is Excel's mark for a number kept as text, which exports such as Shopify's write out.
  text = withoutFormulaGuard(text);
  // `="000123"`: how school and accounting systems export an id or a postcode so Excel keeps its
  // zeros (it shows 000123); the value is the text inside.
  if (text.charCodeAt(0) === 0x3d /* = */ && text.charCodeAt(1) === 0x22 /* " */) {
    const formula = TEXT_FORMULA.exec(text);
    if (formula) text = formula[1]!.replace(/""/g, '"').trim();
  }
  return text;
}
/** `="…"`, a formula whose value is its text (a quote inside doubled). */
const TEXT_FORMULA = /^="((?:[^"]|"")*)"$/;

function fieldHandler(field: CustomerField, options: MapOptions, headerOf: ResolvedMapping['headerOf']): CellHandler {
  switch (FIELD_SPECS[field].kind) {
    case 'name':
      return (text, draft) => {
        draft.name = normalizeName(text);
        const lost = lostCharacter(text);
        if (lost) return lost;
        // `Sí` or `No` under the name: a yes/no column taken for the names (a client list's `¿Estudiante?`).
        // Not a one-letter name (`S`, `N`: an initial is somebody).
        if (text.length > 1 && text.length <= 9 && hasLetter(text) && parseBoolean(text) !== undefined) return YES_NO_NAME;
        // A workbook's date cell, read as an ISO date-time (`2025-01-15T00:00:00.000Z`): its T and Z
        // are no letters of a name, and created it was a customer called so.
        return text.length === 24 && WORKBOOK_DATE.test(text) ? DATE_NAME : undefined;
      };
    case 'text':
      if (field === 'username') {
        return (text, draft) => {
          // `caro\u200bgil` from a chat looks like `carogil`, yet is a login nobody can type.
          const invisible = INVISIBLE.exec(text);
          if (invisible) return invisibleCharacter(invisible[0]);
          // `Jos\uFFFD`: a character lost before the file reached us (an export that could not convert it); no one's login.
          if (text.indexOf('\uFFFD') !== -1) return LOST_CHARACTER_USERNAME;
          // `josÃ©.luis`: the file read in the wrong encoding and saved again; not the login typed.
          if (isDoubleEncoded(text)) return DOUBLE_ENCODED_USERNAME;
          const initial = text.charCodeAt(0);
          if (initial >= 48 && initial <= 57 && SCIENTIFIC_AS_EXCEL_SHOWS.test(text)) return SCIENTIFIC_USERNAME;
          // `N/A`, `-`, `sin matrícula`: sent, the first was a customer whose login is `N/A`, and every later one its `duplicate`.
          if (mayBePlaceholder(initial) && USERNAME_PLACEHOLDER.test(text)) return USERNAME_PLACEHOLDER_REFUSAL;
          // `24001.0`: a column of student numbers with blanks, as pandas writes it (a float column).
          draft.username = text.charCodeAt(text.length - 2) === 0x2e /* . */ && WHOLE_NUMBER_AS_FLOAT.test(text) ? text.slice(0, -2) : text;
          return undefined;
        };
      }
      if (field === 'assigneeId') {
        // An `Asignado` column of a business's list holds staff names; every such row would fail
        // on the API (no user has that id), so the dry run says so.
        const notAnId: CellRefusal = {
          code: 'invalid_value',
          rule: `is not the id of a Quentli user (ids look like cmab12cd3000x1a2b3c4d5e6f): write the user's id, or keep the column as metadata with a mapping file (--mapping) such as ${JSON.stringify({ columns: { [headerOf.assigneeId ?? 'assigneeId']: `metadata.${headerOf.assigneeId ?? 'assigneeId'}` } })}`,
        };
        return (text, draft) => {
          if (!ASSIGNEE_ID.test(text)) return notAnId;
          draft.assigneeId = text;
          return undefined;
        };
      }
      return (text, draft) => {
        (draft as Record<string, unknown>)[field] = text;
        return undefined;
      };
    case 'email':
      return (text, draft) => {
        if (text.indexOf('@') === -1 && PLACEHOLDER.test(text)) return EMAIL_PLACEHOLDER;
        // A link copied from a mail program or a web page, or an address with its owner's name as a
        // mail program copies it (`Juan Pérez <juan@gmail.com>`), or Outlook's plain text of a link
        // (`<mailto:ana@x.mx>`, `ana@x.mx <mailto:ana@x.mx>`): the address is what is meant. The
        // separator a billing system or a mail program leaves after the last address of its list
        // (`a@b.mx;`, `Juan Pérez <juan@gmail.com>;` as Outlook copies its To line) goes first.
        const last = text.charCodeAt(text.length - 1);
        const listed = last === 0x3b /* ; */ || last === 0x2c /* , */ ? text.replace(TRAILING_SEPARATORS, '') : text;
        const named = listed.charCodeAt(listed.length - 1) === 0x3e /* > */ ? (NAMED_ADDRESS.exec(listed) ?? linkedAddress(listed)) : null;
        let email = named ? named[1]! : listed;
        if (MAILTO.test(email)) {
          email = email.slice(7).trim();
          // A link's `?subject=…` (a web page's contact link) is no part of the address.
          const query = email.indexOf('?');
          if (query !== -1) email = email.slice(0, query);
        }
        draft.email = email;
        const at = text.indexOf('@');
        if (at !== -1 && text.indexOf('@', at + 1) !== -1 && isSeveralEmails(text)) return SEVERAL_EMAILS;
        // An address with a note (`ana@gmail.com (mamá)`, `Papá: luis@gmail.com`): said so, not blamed on the note's accent.
        // Set apart by a mark: `ana lopez@gmail.com` is one address mistyped, not a note.
        if (email.indexOf(' ') !== -1 && NOTE_MARK.test(email)) {
          const address = email.split(NOTE_AND_ADDRESS).find((word) => isEmailAddress(word));
          if (address) return { code: 'invalid_email', rule: `holds more than the address ${JSON.stringify(address)}: keep the address alone in the cell (a note can go in a column of its own)` };
        }
        // Words with an accent but no `@` (`Correo de mamá`, a link's label) are no address at all: the schema says so.
        const foreign = email.indexOf('@') === -1 ? null : NON_ASCII.exec(email);
        if (foreign) return { code: 'invalid_email', rule: `has ${LETTER.test(foreign[0]) ? JSON.stringify(foreign[0]) : `an invisible or special character (${codePoint(foreign[0])})`}, which an email address cannot hold (no accents or ñ): check how the customer writes it` };
        return undefined;
      };
    case 'phone': {
      const invalid: CellRefusal = {
        code: 'invalid_phone',
        rule: `is not a valid phone number (numbers without a country code are read as ${options.defaultCountry})`,
      };
      // Two numbers in one cell: refused like any cell that is not one number, saying what to do.
      const twoNumbers: CellRefusal = {
        code: 'invalid_phone',
        rule:
          field === 'secondaryPhoneNumber'
            ? 'holds two phone numbers: keep one'
            : `holds two phone numbers: keep one here and put the other in ${headerOf.secondaryPhoneNumber ? `"${headerOf.secondaryPhoneNumber}"` : 'a column of its own, such as "Otro teléfono"'}`,
      };
      return (text, draft) => {
        // Words that only say what kind of phone it is (`Cel.`, `Tel/Cel`, `lada`, `casa`), before or
        // after the number, go; any other text stays, to be judged.
        // A WhatsApp link (`https://wa.me/5215512345678`), as a school's contact sheet keeps them: its number, in full.
        const lettered = hasLetter(text);
        const link = lettered ? WHATSAPP_LINK.exec(text) : null;
        if (link) text = `+${link[1]!}`;
        const hasLetters = link === null && lettered;
        const bare = hasLetters ? text.normalize('NFC').replace(PHONE_LABELS, ' ') : text;
        const phone = normalizePhone(bare, options.defaultCountry);
        if (phone !== undefined) {
          // libphonenumber-js finds a number inside text and keeps an extension apart: what else the
          // cell said would be lost without a word.
          if (hasLetters && LETTER.test(bare)) return PHONE_EXTENSION_END.test(bare) ? PHONE_EXTENSION : PHONE_WITH_TEXT;
          (draft as Record<string, unknown>)[field] = phone;
          return undefined;
        }
        if (options.defaultCountry === 'MX') {
          const readings = leadingOneReadings(bare);
          if (readings?.unitedStates && readings.mexico) {
            return { code: 'invalid_phone', rule: `may be a US or Canada number (${readings.unitedStates}) or a Mexican mobile written with its old 1 (${readings.mexico}): write it with its country code, +1 or +52` };
          }
        }
        if (isTwoPhones(text, bare, options.defaultCountry)) return twoNumbers;
        // `55 1234 5678 ext 12`, `#12`, `5512345678,,12`: an extension, as phone systems dial it;
        // one amid other words (`(oficina ext. 204)`) is text besides the number.
        if (hasPhoneExtension(bare, options.defaultCountry)) {
          return hasLetters && LETTER.test(bare) && !PHONE_EXTENSION_END.test(bare) ? PHONE_WITH_TEXT : PHONE_EXTENSION;
        }
        if (PLACEHOLDER.test(text)) return PHONE_PLACEHOLDER;
        if (options.defaultCountry === 'MX') {
          const dialled = droppedZeroPrefix(text);
          if (dialled) return dialled;
          const short = withoutAreaCode(bare.trim());
          if (short) return short;
        }
        if (FRACTION.test(text)) return FRACTION_PHONE;
        return SCIENTIFIC.test(text) ? SCIENTIFIC_PHONE : invalid;
      };
    }
    case 'boolean':
      return parsedField(field, parseBoolean, (text) => (CROSS_MARK.test(text) ? AMBIGUOUS_MARK : NOT_YES_NO));
    case 'datetime':
      return parsedField(field, parseDateTime, dateRefusal);
    case 'tags':
      return (text, draft) => {
        const tags = splitTags(text);
        if (tags.length > 0) draft.tags = tags;
        return undefined;
      };
  }
}

const LETTER = /\p{L}/u;

/** `values` with the cells at `indexes` empty. */
function withoutCells(values: readonly string[], indexes: readonly number[]): string[] {
  const kept = [...values];
  for (const index of indexes) if (index < kept.length) kept[index] = '';
  return kept;
}

/** Whether `text` holds a letter: a scan of char codes for a phone cell, the regex only past ASCII. */
function hasLetter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) return true;
    if (code >= 0x80) return LETTER.test(text);
  }
  return false;
}
/** `https://wa.me/5215512345678`, `api.whatsapp.com/send?phone=52…`: the number with its country code, without the `+`. */
const WHATSAPP_LINK = /^(?:https?:\/\/)?(?:www\.)?(?:wa\.me\/|(?:api|web)\.whatsapp\.com\/send\/?\?phone=)\+?(\d{8,15})(?:[/?&#].*)?$/i;
/** Words that say only what kind of phone a number is (`Whats`, `WA` and `wsp` are how Mexico shortens WhatsApp): dropped without loss. */
const PHONE_LABELS =
  /(?<![\p{L}\p{N}])(?:tel[eé]fonos?|tels?|cel(?:ular)?|cell|m[oó]vil|mobile|whats?(?:app)?|wats|wsp|wpp|wa|lada|casa|oficina|trabajo|fijo|particular|personal|home|work|office|phone|n[uú]m(?:ero)?)(?![\p{L}\p{N}])[.:]?/giu;
/** `445512345678`: a number dialled with 044 or 045 typed as a number, its leading 0 dropped by the spreadsheet. */
const DROPPED_ZERO = /^\s*(4[45])[\s.\-]*((?:\d[\s.\-]*){10})$/;
/**
 * A mobile dialled the old way (`044 55 1234 5678`) that a spreadsheet read as a number: its `0`
 * is gone and nothing tells the digits apart from a bad number but that. Said, not guessed: the
 * office writes the ten digits it meant.
 */
function droppedZeroPrefix(text: string): CellRefusal | undefined {
  const match = DROPPED_ZERO.exec(text);
  if (!match) return undefined;
  const digits = match[2]!.replace(/\D/g, '');
  if (normalizePhone(`0${match[1]}${digits}`, 'MX') === undefined) return undefined;
  // 44 is also the United Kingdom's calling code, and a UK number kept without its `+`
  // (`447911123456`) reads the same: both readings said, as a leading 1's are, never one picked.
  const abroad = normalizePhone(`+${match[1]}${digits}`, 'MX');
  if (abroad !== undefined) {
    return {
      code: 'invalid_phone',
      rule: `may be a UK number (${abroad}) or a mobile dialled with 0${match[1]} whose leading 0 the spreadsheet dropped (${digits}): write it with its country code, or the ten digits alone, and format the column as Text where the file was made`,
    };
  }
  return {
    code: 'invalid_phone',
    rule: `looks like a mobile dialled with 0${match[1]} whose leading 0 the spreadsheet dropped (as a number): write the ten digits alone (${digits}) and format the column as Text where the file was made`,
  };
}

/**
 * `1234 5678`, `8123-4567`: a local number as an old roster keeps it, dialled without its area code
 * (lada) before 2019, or a number missing a digit. "Not a valid phone number" does not say that the
 * digits are fine and short: said, with how many a Mexican number has. `55 1234`, `12345`: too short
 * even for a local number (7 or 8 digits), so digits are missing, not just the lada: said so too.
 * Plain digits only, or grouped as a phone column formatted Comma Style or Number shows them
 * (`55,123,456.00`, read as its digits as `normalizePhone` reads `5,512,345,678.00`).
 */
function withoutAreaCode(text: string): CellRefusal | undefined {
  const digits = GROUPED_WHOLE.test(text) ? text.replace(GROUPING, '') : text;
  if (!LOCAL_NUMBER.test(digits)) return undefined;
  const count = digits.replace(PHONE_SEPARATORS, '').length;
  if (count < 4 || count > 9) return undefined;
  const what =
    count < 7
      ? 'digits are missing, even for a number written without its area code (lada): check the number with the customer'
      : count < 9
        ? 'write it with its area code (lada) in front, such as 55 for Mexico City or 33 for Guadalajara'
        : 'a digit is missing';
  return { code: 'invalid_phone', rule: `has ${count} digits and a Mexican number has 10: ${what} (a number from abroad needs its + and country code)` };
}
/** Digits, in groups or not, with no `+` (four to nine of them, counted after). */
const LOCAL_NUMBER = /^\(?\d[\d\s()-]{2,14}\d$/;
/** A whole number with thousands separators, and Comma Style's `.00` if any (`55,123,456.00`); its commas and `.00` go. */
const GROUPED_WHOLE = /^\d{1,3}(?:,\d{3})+(?:\.00?)?$/;
const GROUPING = /,|\.00?$/g;
const PHONE_EXTENSION: CellRefusal = {
  code: 'invalid_phone',
  rule: 'has an extension, which a phone number in Quentli cannot hold: keep the number alone here and put the extension in a column of its own',
};
const PHONE_WITH_TEXT: CellRefusal = {
  code: 'invalid_phone',
  rule: 'has text besides the number: keep the number alone here (a note such as whose phone it is can go in a column of its own)',
};

/** Google Contacts' separator between the values of one label (`55 1234 5678 ::: 55 8765 4321`). */
const MULTI_VALUE = /\s*:::\s*/;
/**
 * A contact list's label that says a phone is a mobile: `Mobile`, `* Mobile` (Google's mark of the
 * primary one), `Móvil`, `Celular`, `Cel.`, `Work Mobile`, `WhatsApp`; not `Home`, `Casa`, `Main`, `Trabajo`.
 */
const MOBILE_LABEL = /(?<![\p{L}\p{N}])(?:mobile|m[oó]vil|celular|cel|cell(?:phone)?|whats?app)(?![\p{L}\p{N}])/iu;

/** Between two numbers in one cell: `/`, `;`, `,`, `|`, a line break, the word y, o, ó or u, or a dash between spaces. */
const PHONE_SEPARATOR = /[/;,|\n]|:::|\s[yoóu]\s|\s[-–—]\s/i;
/** A Mexican number of 7 or 8 digits, written before 2019 without its area code (`5555 1234`). */
function isLocalWithoutLada(text: string): boolean {
  if (!LOCAL_NUMBER.test(text)) return false;
  const count = text.replace(PHONE_SEPARATORS, '').length;
  return count === 7 || count === 8;
}
/** Longer than any two numbers with their separators: not worth splitting. */
const TWO_PHONES_MAX_LENGTH = 64;

/**
 * A cell holding exactly two valid numbers: set apart by a separator (`55 1234 5678 / 55 8765 4321`),
 * or only by spaces once the labels are gone (`bare`: `Tel: 5512345678 Cel: 5587654321`,
 * `+52 5512345678 +52 5587654321`), where some split between its words gives two numbers.
 */
function isTwoPhones(text: string, bare: string, country: CountryCode): boolean {
  if (text.length > TWO_PHONES_MAX_LENGTH) return false;
  const parts = text.split(PHONE_SEPARATOR).map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length > 1) {
    if (parts.length !== 2) return false;
    const whole = parts.filter((part) => normalizePhone(part, country) !== undefined).length;
    // The home number after the mobile without its lada, as rosters kept them (`55 1234 5678 / 5555 1234`): still two numbers.
    return whole === 2 || (whole === 1 && country === 'MX' && parts.some(isLocalWithoutLada));
  }
  const words = bare.trim().split(/\s+/);
  for (let at = 1; at < words.length; at++) {
    if (normalizePhone(words.slice(0, at).join(' '), country) !== undefined && normalizePhone(words.slice(at).join(' '), country) !== undefined) return true;
  }
  return false;
}

/** Characters that show nothing: zero-width ones, direction marks, the soft hyphen, a BOM, controls. */
// A non-breaking space too: it looks like a space, and `caro\u00a0gil` is not the login `caro gil`.
const INVISIBLE = /[\u0000-\u001f\u007f\u00a0\u00ad\u2007\u200b-\u200f\u202a-\u202f\u2060\u2066-\u2069\ufeff]/;
function invisibleCharacter(char: string): CellRefusal {
  return { code: 'invalid_value', rule: `has an invisible character inside (${codePoint(char)}), so it is not the login it looks like: type it again` };
}

/**
 * The error a spreadsheet shows for a formula that failed, saved as text in a CSV (`#N/A`,
 * Spanish Excel's `#¡VALOR!`, LibreOffice's `Err:502`): refused as a workbook's error cell is,
 * never sent as a name, a phone or a metadata value.
 */
const SPREADSHEET_ERROR = /^(?:#(?:N\/A|N\/D|VALUE!|REF!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|¡VALOR!|¡REF!|¡DIV\/0!|¿NOMBRE\?|¡NUM!|¡NULO!|¡DESBORDAMIENTO!|¡CALC!)|Err:\d{3})$/iu;
const NOT_YES_NO: CellRefusal = { code: 'invalid_boolean', rule: 'is not a yes/no value (use sí/no, true/false or 1/0)' };
/** A mark in a checklist's box: ticked (yes) to some, crossed out (no) to others. */
const CROSS_MARK = /^[xX×]$/;
const AMBIGUOUS_MARK: CellRefusal = { code: 'invalid_boolean', rule: 'is a mark that may mean yes or no: write Sí or No' };
/** A date-time as the workbook reader writes a date cell. */
const WORKBOOK_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE_NAME: CellRefusal = { code: 'invalid_value', rule: "is a date, not a name: check that this column holds the customers' names (map the right one with --mapping)" };
/**
 * `Jos? P?rez`, `Nguy?n`, `Mar\uFFFDa`, `Pepe ?? Soto`: a program that saved or converted the file
 * with an encoding without the character (Excel's "CSV" in Windows-1252 for a Vietnamese name or an
 * emoji, a system's export through ASCII) wrote `?` or U+FFFD in its place, and created so the
 * customer is named wrong. A `?` counts right after a letter, before a letter, a word or the end
 * (`Jos?` under given names), or as a word of its own, in a name with letters and no `¿`: a
 * question (`¿Ana Ruiz?`) is not a lost character. The refusal that names the mark, or undefined.
 */
function lostCharacter(name: string): CellRefusal | undefined {
  if (name.indexOf('\uFFFD') !== -1) return LOST_CHARACTER_REPLACEMENT;
  if (isDoubleEncoded(name)) return DOUBLE_ENCODED_NAME;
  return name.indexOf('?') !== -1 && name.indexOf('¿') === -1 && LOST_CHARACTER.test(name) && hasLetter(name) ? LOST_CHARACTER_QUESTION : undefined;
}
const LOST_CHARACTER = /\p{L}\?+(?:\p{L}|\s+\p{L}|\s*$)|(?:^|\s)\?+(?:\s|$)/u;
const lostCharacterRefusal = (mark: string): CellRefusal => ({
  code: 'invalid_value',
  rule: `has ${mark} where a character should be: one the file could not hold (an accent, a ñ, an emoji) was lost when it was saved; type the name again, or save the roster as "CSV UTF-8" and import that`,
});
/** Windows-1252's letters for the bytes 0x80–0x9F (`€`, `’`, `Œ`, …), which ISO-8859-1 leaves as controls. */
const CONTINUATION_1252 = '\\u0152\\u0153\\u0160\\u0161\\u0178\\u017D\\u017E\\u0192\\u02C6\\u02DC\\u2013\\u2014\\u2018-\\u201A\\u201C-\\u201E\\u2020-\\u2022\\u2026\\u2030\\u2039\\u203A\\u20AC\\u2122';
/**
 * An accent's UTF-8 bytes read as Windows-1252 (`JosÃ© PÃ©rez`, `NÃºÃ±ez`, `Oâ€™Brien`, `ðŸ˜€` for an
 * emoji): a UTF-8 CSV opened by double-click in Excel, which reads it so, then saved as "CSV UTF-8",
 * keeps the garbled letters for good. A lead byte read as a letter followed by as many characters
 * as a UTF-8 continuation byte reads as (Windows-1252's 0x80–0xBF, or ISO-8859-1's): `Ã` or `Â` and
 * one (the accents, `ñ`, `°`), `à`–`ï` and two (`’`, `€`), `ð`–`ô` and three (an emoji). No name is
 * written so: a Portuguese `JOÃO` has a letter after its `Ã`, and `JOSÉ` a no-break space after its
 * `É` (other two-byte leads, `É`, `Ñ`, are left alone for that).
 */
const CONTINUATION = `[\\u0080-\\u00BF${CONTINUATION_1252}]`;
/**
 * After a lead of three or four bytes, a continuation but the no-break space (byte 0xA0): in no
 * garbled letter a name holds there (`†`, a word joiner), while `José` and two no-break spaces
 * pasted from a web page (`José&nbsp;&nbsp;García`) read as `é` and two continuations.
 */
const CONTINUATION_NOT_NBSP = `[\\u0080-\\u009F\\u00A1-\\u00BF${CONTINUATION_1252}]`;
const DOUBLE_ENCODED = new RegExp(`[ÂÃ]${CONTINUATION}|[à-ï]${CONTINUATION_NOT_NBSP}{2}|[ð-ô]${CONTINUATION_NOT_NBSP}{3}`);
/**
 * Whether `text` holds a character garbled by a wrong encoding (see `DOUBLE_ENCODED`). A continuation
 * character is looked for first: every garbled letter holds one, and few names do, while most
 * Mexican names hold a lead (`á`, `é`, `í` and `ó` are among them).
 */
function isDoubleEncoded(text: string): boolean {
  return ANY_CONTINUATION.test(text) && DOUBLE_ENCODED.test(text);
}
const ANY_CONTINUATION = new RegExp(CONTINUATION);
const DOUBLE_ENCODED_NAME: CellRefusal = {
  code: 'invalid_value',
  rule:
    'has letters garbled by a wrong encoding ("Ã©" for "é", "Ã±" for "ñ"): the file was opened as Windows-1252 and saved again as UTF-8 ' +
    '(a UTF-8 CSV opened by double-click in Excel, then saved): import the original export instead, or type the names again',
};
const DOUBLE_ENCODED_USERNAME: CellRefusal = {
  code: 'invalid_value',
  rule: 'has letters garbled by a wrong encoding ("Ã©" for "é"), so it is not the login it looks like: import the original export instead, or type it again',
};
const LOST_CHARACTER_QUESTION = lostCharacterRefusal('"?"');
const LOST_CHARACTER_REPLACEMENT = lostCharacterRefusal('"\uFFFD" (U+FFFD)');
const LOST_CHARACTER_USERNAME: CellRefusal = {
  code: 'invalid_value',
  rule: 'has "\uFFFD" (U+FFFD) where a character should be: one was lost when the file was saved, so it is not the login it looks like; type it again',
};
const YES_NO_NAME: CellRefusal = { code: 'invalid_value', rule: "is a yes/no value, not a name: check that this column holds the customers' names (map the right one with --mapping)" };

/** The handler, for cells that hold no spreadsheet's error nor a saved formula. */
function refusingErrors(handle: CellHandler): CellHandler {
  return (text, draft) => cellRefusal(text) ?? handle(text, draft);
}

/** A spreadsheet's error or a saved formula where a value should be; one character is compared before each pattern. */
function cellRefusal(text: string): CellRefusal | undefined {
  if (isSpreadsheetError(text)) return SPREADSHEET_ERROR_REFUSAL;
  if (isSavedFormula(text)) return SAVED_FORMULA_REFUSAL;
  return undefined;
}

/**
 * A formula's text where its value should be (`=A2&" "&B2`, `=CONCATENAR(A2;" ";B2)`,
 * `=Hoja1!B2`): a CSV saved with LibreOffice's "Save cell formulas instead of calculated values".
 * Sent, it was a customer named `=A2&" "&B2`. Text after `=` that calls nothing and starts with no
 * cell reference (`= pagado`, `=)`, `=Beca (50%)`) is a value; `="00123"` was read as its text before this.
 */
function isSavedFormula(text: string): boolean {
  return text.charCodeAt(0) === 0x3d /* = */ && SAVED_FORMULA.test(text);
}
// A function's name is followed by its parenthesis, as Excel and LibreOffice write it: with a space
// between (`=Beca (50%)`, `= pagado (parcial)`) it is a note, not a call. Names may hold accents and
// ñ, as Spanish LibreOffice's do (`=AÑO(B2)`, `=DÍAS(B2;C2)`).
const SAVED_FORMULA = /^=\s*(?:[\p{L}_][\p{L}\p{N}_.]*\(|(?:(?:'[^']+'|[^\s'!&"=]+)!)?\$?[A-Za-z]{1,3}\$?\d+(?!\w))/u;
const SAVED_FORMULA_REFUSAL: CellRefusal = {
  code: 'formula_uncalculated',
  rule: 'is a formula, not its value: the file was saved with its formulas (LibreOffice\'s "Save cell formulas instead of calculated values"): save it again with the calculated values',
};

function isSpreadsheetError(text: string): boolean {
  const initial = text.charCodeAt(0);
  return (initial === 0x23 /* # */ || (initial === 0x45 /* E */ && text.length === 7)) && SPREADSHEET_ERROR.test(text);
}
const SPREADSHEET_ERROR_REFUSAL: CellRefusal = { code: 'cell_error', rule: "is a spreadsheet's error (a formula that failed where the file was saved): fix it in the file" };

/** What an office types where a customer has no phone or email: `N/A`, `-`, `0`, `sin correo`, `sin tel.`, `no tiene`, `no tiene correo (electrónico)`. */
const PLACEHOLDER = placeholderPattern('na|0+|x+|s/n|sin (?:correo(?: electr[oó]nico)?|e-?mail|tel[eé]fono|celular|n[uú]mero|dato)s?|sin (?:tel|cel)\\.?|no (?:tiene|aplica|hay|proporcion[oó])(?: (?:correo(?: electr[oó]nico)?|e-?mail|tel[eé]fono|celular|n[uú]mero))?');
function isPlaceholderRefusal(refusal: CellRefusal): boolean {
  return refusal === EMAIL_PLACEHOLDER || refusal === PHONE_PLACEHOLDER;
}
const EMAIL_PLACEHOLDER: CellRefusal = { code: 'invalid_email', rule: 'is not an email but a placeholder: leave the cell empty when the customer has none' };
/** The rule of an email placeholder in a row without a phone: a customer the school could not reach. */
const EMAIL_PLACEHOLDER_NO_PHONE = 'says the customer has no email, and the row has no phone or username either: write the email or a phone, or leave the cell empty if the customer has neither';
/** The rule of an email placeholder in a row whose phone is refused: read as no email once the phone is corrected. */
const EMAIL_PLACEHOLDER_PHONE_REFUSED = "says the customer has no email, and the row's phone is refused: correct the phone (this cell can then stay as it is), or write the email";
/** A phone placeholder's refusal, said where the row has no email, username or other phone: elsewhere it is read as no phone. */
const PHONE_PLACEHOLDER: CellRefusal = {
  code: 'invalid_phone',
  rule: 'says the customer has no phone, and the row has no email or username either: write the phone, an email or a username, or leave the cell empty if the customer has none',
};
/** The rule of a phone placeholder in a row whose email is refused: read as no phone once the email is corrected. */
const PHONE_PLACEHOLDER_EMAIL_REFUSED = "says the customer has no phone, and the row's email is refused: correct the email (this cell can then stay as it is), or write the phone";
/** Each phone field with the other, which reaches the customer when it holds a number. */
const PHONE_FIELDS = [
  ['phoneNumber', 'secondaryPhoneNumber'],
  ['secondaryPhoneNumber', 'phoneNumber'],
] as const;

const TRAILING_SEPARATORS = /[\s;,]+$/;
/** What sets a note apart from an address in one cell: parentheses, a colon, a comma or semicolon, a dash between spaces. */
const NOTE_MARK = /[():,;]|\s[-–—]\s/;
/** Between an address and its note's words. */
const NOTE_AND_ADDRESS = /[\s,;()<>]+/;
/** `Juan Pérez <juan.perez@gmail.com>`: a display name, then one address in angle brackets. */
const NAMED_ADDRESS = /^[^<>@]*<\s*([^<>\s@]+@[^<>\s@]+)\s*>$/;
/** `ana@x.mx <mailto:ana@x.mx>`: an address and its link, as Outlook writes a link in plain text. */
const LINKED_ADDRESS = /^([^<>\s@]+@[^<>\s@]+)\s*<\s*mailto:([^<>\s@]+@[^<>\s@]+)\s*>$/i;
/** The address of `ana@x.mx <mailto:ana@x.mx>`, when the link is to that address (in any case); null otherwise. */
function linkedAddress(text: string): RegExpExecArray | null {
  const linked = LINKED_ADDRESS.exec(text);
  return linked && linked[1]!.toLowerCase() === linked[2]!.toLowerCase() ? linked : null;
}
const NON_ASCII = /[^\x00-\x7f]/;
const SEVERAL_EMAILS: CellRefusal = {
  code: 'invalid_email',
  rule: 'holds more than one email: keep the one the customer uses (another can go in a column of its own, imported as metadata)',
};
/** A word joining two addresses: `papa@gmail.com y mama@gmail.com`. */
const CONJUNCTION = /^(?:y|e|o|u|ó|and|or|&)$/i;
const EMAIL_LIST_SEPARATOR = /(?:[\s;,/|]|:::)+/;

/** An address inside other text: after a name's `<`, a `mailto:`, a label's `:`. */
const ADDRESS_IN_TEXT = /[^\s<>;,:()]+@[^\s<>;,:()]+/g;

/**
 * `papa@example.mx; mama@example.mx`: every part of the cell an address the schema would take; or
 * two addresses with their owners' names or links (`Ana <ana@x.mx>; Luis <luis@x.mx>`), which
 * were refused as one address with a note.
 */
function isSeveralEmails(text: string): boolean {
  const parts = text.split(EMAIL_LIST_SEPARATOR).filter((part) => part !== '' && !CONJUNCTION.test(part));
  if (parts.length > 1 && parts.every((part) => isEmailAddress(part))) return true;
  const addresses = new Set((text.match(ADDRESS_IN_TEXT) ?? []).map((address) => address.toLowerCase()).filter((address) => isEmailAddress(address)));
  return addresses.size > 1;
}

const NOT_A_DATE: CellRefusal = { code: 'invalid_date', rule: 'is not a valid date (use dd/mm/yyyy or yyyy-mm-dd)' };
/** A date cell refused: a serial number, a date that does not exist (said why), or no date at all. */
function dateRefusal(text: string): CellRefusal {
  if (EXCEL_SERIAL.test(text)) return excelSerialRefusal(text.trim());
  const reason = impossibleDateReason(text);
  return reason === undefined ? NOT_A_DATE : { code: 'invalid_date', rule: reason };
}
/**
 * A day count as Excel keeps dates (45672 is 15/01/2025), shown as a number where the column's
 * format is General; a date-time's time of day is its fraction (45672.4375 is 10:30 that day), and
 * pandas writes a whole one with `.0`.
 */
const EXCEL_SERIAL = /^\s*[2-7]\d{4}(?:\.\d+)?\s*$/;
function excelSerialRefusal(serial: string): CellRefusal {
  const instant = new Date(Date.UTC(1899, 11, 30) + Math.round(Number(serial) * 86_400) * 1000).toISOString();
  const [year, month, day] = instant.slice(0, 10).split('-');
  const midnight = instant.slice(11, 19) === '00:00:00';
  const shown = `${day}/${month}/${year}${midnight ? '' : ` ${instant.slice(11, 19).replace(/:00$/, '')}`}`;
  const [what, format, write] = midnight ? ['a date', 'a date', 'dd/mm/yyyy'] : ['a date-time', 'a date and time', 'dd/mm/yyyy hh:mm'];
  return { code: 'invalid_date', rule: `is a number, not a date: if it is ${what} as Excel counts them (${serial} is ${shown}), format the column as ${format} where the file was made, or write ${write}` };
}

/** A field whose cell is parsed (yes/no, date): the value, or the refusal, told by the text, when it cannot be read. */
function parsedField(field: CustomerField, parse: (text: string) => string | boolean | undefined, refusal: (text: string) => CellRefusal): CellHandler {
  return (text, draft) => {
    const value = parse(text);
    if (value === undefined) return refusal(text);
    (draft as Record<string, unknown>)[field] = value;
    return undefined;
  };
}

/** The fewest digits where zeros past the 15th are taken for lost ones: two of them, one in ten of any number's ends in 0. */
const LOST_DIGITS_LENGTH = 17;
/** A whole number of 17 digits or more whose digits from the 16th on are zeros: how a spreadsheet writes one it kept 15 digits of. */
const ZEROS_PAST_FIFTEEN = /^[1-9]\d{14}0{2,}$/;
/**
 * Whether a CSV cell is a long number whose digits past the 15th a spreadsheet lost (a CLABE or an
 * id typed as a number, its column then formatted as Number to undo `1.2218E+17`): written as text
 * (`'…`, `="…"`) it is the value as typed.
 */
function lostDigits(text: string, raw: string): boolean {
  if (text.charCodeAt(text.length - 1) !== 0x30 /* 0 */ || !ZEROS_PAST_FIFTEEN.test(text)) return false;
  const first = raw.trimStart().charCodeAt(0);
  return first !== APOSTROPHE && first !== 0x3d /* = */;
}
const LOST_DIGITS: CellRefusal = {
  code: 'invalid_value',
  rule: "is a number longer than the 15 digits a spreadsheet keeps, and every digit past the 15th is 0: likely lost when the file was saved. Format the column as Text where the file was made and type or export the numbers again; if the value is right as written, import the file saved as .xlsx (a workbook tells text from a number), or put an apostrophe before it in the CSV ('…)",
};

function metadataHandler(key: string): CellHandler {
  return (text, draft) => {
    // `1.23457E+17`: how Excel saves a CSV of a long number (a CLABE, an account) it shows so; its digits are gone.
    if (text.charCodeAt(text.length - 3) === 0x2b /* + */ && SCIENTIFIC_AS_EXCEL_SHOWS.test(text) && Number(text.slice(-2)) >= LONGEST_NUMBER_SHOWN) return SCIENTIFIC_METADATA;
    const pair: MetadataPair = { key, value: text };
    if (draft.metadata) draft.metadata.push(pair);
    else draft.metadata = [pair];
    return undefined;
  };
}

/**
 * The given names and the surnames as one name, where the name cell may already hold some or all of
 * them (case, accents and commas aside): a list whose `Nombre` holds whole names for some rows.
 * All the surnames inside it (`José García López`, `PÉREZ LÓPEZ, JUAN`, `Luis Pérez López` beside
 * `Pérez`): the cell as written. Its end is their start (`Juan Pérez` beside `Pérez | López`): the
 * rest only, `Juan Pérez López`. So a given name ending in the surname (`María Cruz`, surname
 * `Cruz`) reads as that whole name: rarer than such a list.
 */
function joinedName(given: string, surnames: string): string {
  const all = words(given);
  const some = words(surnames);
  if (all.length > some.length) {
    for (let at = 0; at + some.length <= all.length; at++) if (some.every((word, i) => all[at + i] === word)) return given;
  }
  for (let overlap = Math.min(some.length - 1, all.length - 1); overlap >= 1; overlap--) {
    if (some.slice(0, overlap).every((word, i) => all[all.length - overlap + i] === word)) {
      return `${given} ${surnames.trim().split(/\s+/).slice(overlap).join(' ')}`;
    }
  }
  return `${given} ${surnames}`;
}

function words(value: string): string[] {
  return value.normalize('NFD').replace(NOT_A_LETTER_OR_SPACE, '').toLowerCase().split(/\s+/).filter(Boolean);
}
/** Accents (as NFD leaves them) and punctuation: `Pérez, Juan` → `Perez Juan`. */
const NOT_A_LETTER_OR_SPACE = /[\p{M},.;]/gu;

/**
 * A local number (`1234 5678`, `234-5678`) with its area code from the `Lada` column in front, when
 * together they make Mexico's ten digits; any other phone as written (it holds its area code already).
 */
function withAreaCode(phone: string, areaCode: string): string {
  const local = phone.replace(PHONE_SEPARATORS, '');
  const area = areaCode.replace(PHONE_SEPARATORS, '').replace(/^01/, ''); // 01 was the long-distance prefix
  // 52 is Mexico's country code, no area's: with it the number is still missing its area code.
  if (!/^\d{7,8}$/.test(local) || !/^\d{2,3}$/.test(area) || area === '52' || area.length + local.length !== 10) return phone;
  return `${area} ${phone}`;
}
const PHONE_SEPARATORS = /[\s().-]/g;
