import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { UTF8_SEQUENCE } from './decode.js';
import { RowSample } from './row-sample.js';

/**
 * The lines of a file mixing UTF-8 and Windows-1252 that hold text in the encoding it did not start
 * in: in a UTF-8 file (`startedInUtf8`) those that are not UTF-8, in a Windows-1252 one those holding
 * a UTF-8 character; lines end at `lineBreak` (a byte). The file is read again from its start, once
 * a mix was met (rare): the decoder sees the text a chunk at a time and keeps no count of lines.
 */
export async function mixedEncodingLines(path: string, startedInUtf8: boolean, lineBreak: number): Promise<RowSample> {
  const lines = new RowSample();
  let line = 1;
  let rest: Buffer[] = [];
  const judge = (bytes: Buffer) => {
    if (startedInUtf8 ? !isUtf8(bytes) : UTF8_SEQUENCE.test(bytes.toString('latin1'))) lines.add(line);
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(lineBreak); end !== -1; end = chunk.indexOf(lineBreak, start)) {
      judge(rest.length ? Buffer.concat([...rest, chunk.subarray(start, end)]) : chunk.subarray(start, end));
      rest = [];
      line++;
      start = end + 1;
    }
    if (start < chunk.length) rest.push(chunk.subarray(start));
  }
  if (rest.length) judge(Buffer.concat(rest));
  return lines;
}
