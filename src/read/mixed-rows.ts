import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { UTF8_SEQUENCE } from './decode.js';
import { RowSample } from './row-sample.js';

/** How a CSV file's bytes split into rows: its line break and delimiter (bytes), and whether Excel's `sep=` line, no row, comes first. */
export interface RowSplit {
  lineBreak: number;
  delimiter: number;
  sepLine: boolean;
}

const QUOTE = 0x22;

/**
 * The rows of a file mixing UTF-8 and Windows-1252 that hold text in the encoding it did not start
 * in: in a UTF-8 file (`startedInUtf8`) those that are not UTF-8, in a Windows-1252 one those holding
 * a UTF-8 character. Rows are numbered as the reader numbers them: a quoted cell spanning lines is
 * one row, and a `sep=` line none. The file is read again from its start, once a mix was met (rare):
 * the decoder sees the text a chunk at a time and keeps no count of rows.
 */
export async function mixedEncodingRows(path: string, startedInUtf8: boolean, split: RowSplit): Promise<RowSample> {
  const rows = new RowSample();
  let row = split.sepLine ? 0 : 1;
  let rest: Buffer[] = [];
  const judge = (bytes: Buffer) => {
    if (startedInUtf8 ? !isUtf8(bytes) : UTF8_SEQUENCE.test(bytes.toString('latin1'))) rows.add(row);
  };
  // A quote opens a cell only at its start; in it, `""` is a quote and a line break is text.
  let quoted = false;
  let closing = false;
  let cellStart = true;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let at = 0; at < chunk.length; at++) {
      const byte = chunk[at]!;
      if (quoted) {
        if (!closing) {
          if (byte === QUOTE) closing = true;
          continue;
        }
        closing = false;
        if (byte === QUOTE) continue;
        quoted = false;
      }
      if (byte === QUOTE && cellStart) {
        quoted = true;
        cellStart = false;
      } else if (byte === split.lineBreak) {
        judge(rest.length ? Buffer.concat([...rest, chunk.subarray(start, at)]) : chunk.subarray(start, at));
        rest = [];
        row++;
        start = at + 1;
        cellStart = true;
      } else cellStart = byte === split.delimiter;
    }
    if (start < chunk.length) rest.push(chunk.subarray(start));
  }
  if (rest.length) judge(Buffer.concat(rest));
  return rows;
}
