import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MappingError } from '../errors/index.js';
import { fileReason } from '../errors/file-reason.js';
import { utf16ByteOrder } from '../read/decode.js';
import { CUSTOMER_FIELDS } from '../validate/customer-schema.js';

const FIELD_NAMES = new Set<string>(CUSTOMER_FIELDS);
const VALID_TARGETS = `${CUSTOMER_FIELDS.join(', ')}, "metadata.<key>" or null`;

const columnTarget = z.union([
  z.null(),
  z.string().refine((target) => FIELD_NAMES.has(target) || /^metadata\.\S/.test(target), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a field; use one of ${VALID_TARGETS}`,
  }),
]);

/** What to do with a column that neither the mapping file nor a known header names. */
const unmappedPolicySchema = z.enum(['metadata', 'ignore', 'error']);
export type UnmappedPolicy = z.infer<typeof unmappedPolicySchema>;

/** The `--mapping` file: `{"columns": {"<header>": "<field>" | "metadata.<key>" | null}, "unmapped": "metadata" | "ignore" | "error"}`. */
export const mappingFileSchema = z.strictObject({
  columns: z.record(z.string(), columnTarget).default({}),
  unmapped: unmappedPolicySchema.default('metadata'),
});

/** A parsed mapping file. A column's target is a field, `metadata.<key>`, or null to ignore it. */
export type MappingFile = z.infer<typeof mappingFileSchema>;

/** A mapping as a program passes it: `columns` and `unmapped` may be left out (their defaults apply). */
export type MappingInput = z.input<typeof mappingFileSchema>;

/** Whether a mapping file names columns: then the layout is the user's to say, and the guesses about it (two lists, a side table) are not made. */
export function namesColumns(mappingFile: MappingFile | undefined): boolean {
  return Object.keys(mappingFile?.columns ?? {}).length > 0;
}

/** Checks a mapping read from `source` (a file path, or a label): every problem is named with its entry. */
export function parseMapping(json: unknown, source: string): MappingFile {
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    // `{"Cliente": "name"}`: the columns written without their wrapper, the likeliest slip.
    // (Not when a stray key is a misspelt `columns` itself: its own message says so.)
    const strays = parsed.error.issues.find((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0);
    const given = json as Record<string, unknown>;
    if (strays?.code === 'unrecognized_keys' && given.columns === undefined && !strays.keys.some((key) => /^col/i.test(key))) {
      const columns = Object.fromEntries(strays.keys.map((key) => [key, given[key]]));
      const fixed = given.unmapped === undefined ? { columns } : { columns, unmapped: given.unmapped };
      throw new MappingError(`${source}: the columns go inside "columns": ${JSON.stringify(fixed)}`, { cause: parsed.error });
    }
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.map((part) => (typeof part === 'string' ? JSON.stringify(part) : String(part))).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    });
    throw new MappingError(`${source}: ${problems.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Reads and validates a mapping file; every problem is one line naming the file and the entry. */
export async function loadMappingFile(path: string): Promise<MappingFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MappingError(`${path}: the mapping file ${fileReason(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  const body = mappingText(bytes).replace(/^\uFEFF/, '');
  try {
    json = JSON.parse(body);
  } catch (error) {
    // The roster given as the mapping (`quentli-import mapping.json --mapping alumnos.csv`): its first header was "not valid JSON".
    const roster = ROSTER_EXTENSION.exec(path);
    if (roster) {
      throw new MappingError(`${path}: is a roster (.${roster[1]!.toLowerCase()}), not a mapping file: give the roster first and the mapping's .json file after --mapping`, { cause: error });
    }
    throw new MappingError(`${path}: is not valid JSON (${jsonProblem(body, (error as Error).message)})`, { cause: error });
  }
  return parseMapping(json, path);
}

const ROSTER_EXTENSION = /\.(csv|tsv|txt|xlsx|xlsm|xls|ods)$/i;

/**
 * A mapping file's text, as an editor saved it: UTF-8 (with or without BOM), UTF-16 with its BOM
 * (Notepad's "Unicode"), or Windows-1252 (Notepad's "ANSI", older Windows' default). Read as UTF-8,
 * the last two named no header of the file (`Matr\uFFFDcula`), blaming the roster. A wrong guess
 * cannot send anything wrong: a header it misreads is not found in the file, which stops the run.
 */
function mappingText(bytes: Buffer): string {
  const utf16 = utf16ByteOrder(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Binary (a PNG given as the mapping) stays binary: jsonProblem says it is no text.
    return bytes.includes(0) ? bytes.toString('utf8') : new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * JSON.parse's complaint as one line a person can act on: its position as a line and column, and
 * never the excerpt of the file it quotes otherwise (a PNG or a mapping with a line break in it
 * printed its bytes, line breaks and all, on the terminal).
 */
function jsonProblem(text: string, message: string): string {
  const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  if (at) {
    const position = Number(at[1]);
    const before = text.slice(0, position).split(/\r\n|\r|\n/);
    const where = `on line ${before.length}, column ${before.at(-1)!.length + 1}`;
    if (CURLY_QUOTE.test(text[position] ?? '')) return `${curlyQuotes(text[position]!)}, ${where}`;
    return `${message.slice(0, at.index)}, ${where}`;
  }
  if (/[\u0000\uFFFD]/.test(text)) return 'it is not text: give the mapping\'s .json file';
  const token = /^Unexpected token '([\s\S]*?)', [\s\S]* is not valid JSON$/.exec(message);
  if (token) {
    const char = token[1]!;
    if (CURLY_QUOTE.test(char)) return curlyQuotes(char);
    return `unexpected character ${/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) ? `"${char}"` : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`}: check its quotes, commas and braces`;
  }
  return message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** TextEdit, Word and phones type curly quotes: JSON takes only straight ones. */
const CURLY_QUOTE = /^[\u2018\u2019\u201c\u201d]$/;
function curlyQuotes(char: string): string {
  return `curly quotes ${char}: write straight quotes ", as a plain-text editor types them`;
}
