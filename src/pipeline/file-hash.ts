import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Which file a path named, and which version of it: a replaced file is another inode, a rewritten one another size or time. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function identityOf(info: Stats): FileIdentity {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Whether the file at `path` has been written to since it was `at` (an export still being written
 * in place). Not when it was deleted or replaced by another: the one read, still open, was whole
 * (an exporter that renames its finished file over the old one). False when `at` is not known.
 */
export async function writtenInPlaceSince(path: string, at: FileIdentity | undefined): Promise<boolean> {
  if (!at) return false;
  const now = await stat(path).then(identityOf, () => undefined);
  return now !== undefined && writtenInPlace(at, now);
}

/** Whether `now` is the file that was `at`, written to since. */
function writtenInPlace(at: FileIdentity, now: FileIdentity): boolean {
  return now.dev === at.dev && now.ino === at.ino && !sameFile(at, now);
}

/**
 * A look at whether the file at `path`, `at` and hashed `sha256` when the run started, has been
 * written again in place since (truncated and rewritten by the next export): changed, and its
 * first `at.size` bytes no longer those. An export still being appended to leaves them as they
 * were (its unended last line is the risk there), and one deleted or replaced by another leaves
 * the file read whole. The prefix is hashed only when the file changed since the last look.
 */
export function rewriteWatch(path: string, at: FileIdentity, sha256: string): () => Promise<boolean> {
  let looked = at;
  return async () => {
    const now = await stat(path).then(identityOf, () => undefined);
    if (now === undefined || !writtenInPlace(looked, now)) return false;
    if (now.size < at.size) return true;
    const prefix = at.size === 0 ? [] : createReadStream(path, { start: 0, end: at.size - 1, highWaterMark: 1024 * 1024 });
    if ((await sha256Of(prefix)) !== sha256) return true;
    looked = now; // appended to: what was read is still the file's
    return false;
  };
}

/** SHA-256 of streamed bytes, hex. */
async function sha256Of(chunks: AsyncIterable<Buffer> | Buffer[]): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * SHA-256 of a file's content, streamed: how a resumed run knows the input did not change. With
 * the identity of the file hashed, as it was before and after (`steady`: not written meanwhile).
 */
export async function hashFile(path: string): Promise<{ sha256: string; identity: FileIdentity; steady: boolean }> {
  const handle = await open(path, 'r');
  try {
    const before = identityOf(await handle.stat());
    const sha256 = await sha256Of(handle.createReadStream({ highWaterMark: 1024 * 1024, start: 0, autoClose: false }));
    const after = identityOf(await handle.stat());
    return { sha256, identity: before, steady: sameFile(before, after) };
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a text, hex: fingerprints in the journal of what a run sends where. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
