import { NoDataRowsError } from '../errors/index.js';
import type { SourceRow } from './source-row.js';

/**
 * Reads the first data row now, so a file with a header and nothing under it is refused before
 * the key is checked or anything is sent; the rows then start with it. No second generator
 * around the first: that would cost one more await a row.
 */
export async function withFirstRow(path: string, rows: AsyncGenerator<SourceRow>, headerWhere: string): Promise<AsyncIterable<SourceRow>> {
  const first = await rows.next();
  if (first.done) throw new NoDataRowsError(path, headerWhere);
  return {
    [Symbol.asyncIterator]: () => {
      let pending: IteratorResult<SourceRow> | undefined = first;
      return {
        next: () => {
          if (!pending) return rows.next();
          const result = pending;
          pending = undefined;
          return Promise.resolve(result);
        },
        return: (value?: unknown) => rows.return(value as undefined),
      };
    },
  };
}
