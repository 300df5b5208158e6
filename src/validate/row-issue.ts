/** The closed set of reasons a row is refused. */
export type IssueCode =
  | 'required'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_boolean'
  | 'invalid_date'
  | 'invalid_value'
  | 'duplicate_username'
  | 'duplicate_customer'
  | 'missing_username'
  | 'cell_error'
  | 'formula_uncalculated'
  | 'malformed_row'
  | 'totals_row'
  | 'signature_row'
  | 'heading_row'
  | 'example_row'
  | 'header_row';

/** One problem of one row, kept raw: messages and summaries are derived from it. */
export interface RowIssue {
  row: number;
  /** The column's header as written in the file; absent when the whole row is at fault. */
  column?: string;
  code: IssueCode;
  /** The offending cell text, when there is one. */
  value?: string;
  /** What is wrong, without the row: `is not a valid email`. */
  rule: string;
}

/** `row 5, "Correo electrónico": "pedro@" is not a valid email` */
export function formatIssue(issue: RowIssue): string {
  return `row ${issue.row}, ${describeIssue(issue)}`;
}

/** The issue without its row number: `"Correo electrónico": "pedro@" is not a valid email`. */
export function describeIssue(issue: RowIssue): string {
  const where = issue.column !== undefined ? `"${issue.column}": ` : '';
  const what = issue.value !== undefined ? `${JSON.stringify(shown(issue.value))} ` : '';
  return `${where}${what}${issue.rule}`;
}

/** Longest value a message quotes whole: a cell of a megabyte (a file of one line) would fill the log, the report and the errors file. */
const SHOWN_CHARS = 300;

function shown(value: string): string {
  return value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS - 1)}… (${value.length.toLocaleString('en-US')} characters)` : value;
}

/**
 * What a line without a name holds when it is one cell (a group's heading, a note or a count typed
 * in another column than the name's): said after the name's rule, so the line can be found and deleted.
 */
export function lineHoldsOnly(value: string, header: string): string {
  return ` (the line holds only ${JSON.stringify(value)}, under "${header}": a heading or a note? delete the line)`;
}

/** A character as `U+200B`, for one a message cannot show, or one that looks like another. */
export function codePoint(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The rule of an email the schema refuses; a typing slip it can name follows it (`is not a valid email: it has more than one @`). */
export const INVALID_EMAIL_RULE = 'is not a valid email';

/**
 * The issue's kind for grouping in a summary: column and rule without the value, nor the slip
 * that follows an invalid email's rule: every address of a column the schema refuses is one group
 * (`12 rows: "Correo electrónico" is not a valid email (rows 5, 9, 14, …)`, as issue 6 shows it),
 * each row's own slip staying in its report line.
 */
export function issueGroupKey(issue: RowIssue): string {
  const rule = issue.code === 'invalid_email' && issue.rule.startsWith(`${INVALID_EMAIL_RULE}: `) ? INVALID_EMAIL_RULE : issue.rule;
  return issue.column !== undefined ? `"${issue.column}" ${rule}` : rule;
}
