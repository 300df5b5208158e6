import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 of a file's content, streamed: how a resumed run knows the input did not change. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of a text, hex: fingerprints in the journal of what a run sends where. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
