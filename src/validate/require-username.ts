import type { RowIssue } from './row-issue.js';
import type { ValidatedRow } from './validate-row.js';

/**
 * `--mode upsert` matches customers by username, so a row without one cannot be placed: it is
 * refused (`missing_username`), together with any other problem the row has. `column` is the
 * username column's header as written in the file.
 */
export function requireUsername(validated: ValidatedRow, column: string | undefined): ValidatedRow {
  const username = validated.ok ? validated.input.username : validated.draft.username;
  if (username !== undefined && username !== '') return validated;
  const issue: RowIssue = {
    row: validated.row,
    code: 'missing_username',
    rule: 'is empty: --mode upsert matches customers by username, so every row needs one',
    ...(column !== undefined ? { column } : {}),
  };
  if (validated.ok) return { row: validated.row, ok: false, issues: [issue], draft: validated.input };
  return { ...validated, issues: [...validated.issues, issue] };
}
