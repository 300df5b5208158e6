import { NoDataRowsError } from '../errors/index.js';
import type { SourceRow } from './source-row.js';

/**
 * Reads the first batch of data rows now, so a file with a header and nothing under it is refused
 * before the key is checked or anything is sent; the batches then start with it. No second
 * generator around the first: that would cost one more await a batch.
 */
export async function withFirstBatch(path: string, batches: AsyncGenerator<SourceRow[]>, headerWhere: string, headers?: readonly string[]): Promise<AsyncIterable<SourceRow[]>> {
  const first = await batches.next();
  if (first.done) throw new NoDataRowsError(path, headerWhere, headers);
  return {
    [Symbol.asyncIterator]: () => {
      let pending: IteratorResult<SourceRow[]> | undefined = first;
      return {
        next: () => {
          if (!pending) return batches.next();
          const result = pending;
          pending = undefined;
          return Promise.resolve(result);
        },
        return: (value?: unknown) => batches.return(value as undefined),
      };
    },
  };
}
