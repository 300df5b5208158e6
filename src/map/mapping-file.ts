import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MappingError } from '../errors/index.js';
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
export const unmappedPolicySchema = z.enum(['metadata', 'ignore', 'error']);
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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MappingError(`${path}: cannot read the mapping file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MappingError(`${path}: is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseMapping(json, path);
}
