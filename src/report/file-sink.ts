import { closeSync, fchmodSync, fstatSync, openSync, writeSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { ImportError } from '../errors/index.js';

/** Owner read and write only: reports, errors files and journals hold personal data of minors. */
const PRIVATE_MODE = 0o600;

/**
 * Opens `path` for writing (truncating it) readable by its owner only: created with mode 0600, and
 * an existing file with wider permissions is narrowed before anything is written to it.
 */
export async function openPrivateStream(path: string): Promise<WriteStream> {
  const handle = await open(path, 'w', PRIVATE_MODE);
  try {
    // A device or a pipe (`--summary-json /dev/null`, `>(jq …)`) is no file of ours to narrow.
    if ((await handle.stat()).isFile()) await handle.chmod(PRIVATE_MODE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createWriteStream();
}

/** Writes a whole file readable by its owner only, also when it existed with wider permissions. */
export function writePrivateFile(path: string, text: string): void {
  const fd = openSync(path, 'w', PRIVATE_MODE);
  try {
    narrowIfFile(fd);
    // A nearly full disk takes part of a write without an error: the rest is written again, so the
    // disk says ENOSPC instead of the file ending half-way (a --summary-json cut at 4,096 bytes
    // that no script could parse, and the run exiting 0).
    const bytes = Buffer.from(text);
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
  } finally {
    closeSync(fd);
  }
}

/** Narrows a regular file to its owner; a device or a pipe is left as it is (root running `--summary-json /dev/null` made it 0600 for everyone). */
export function narrowIfFile(fd: number): void {
  if (fstatSync(fd).isFile()) fchmodSync(fd, PRIVATE_MODE);
}

/**
 * A file of the run that cannot be written (a full disk, a folder gone read-only): the run cannot
 * keep its record, so it stops, with one line that says which file and what to do.
 */
export function outputError(path: string, error: unknown): ImportError {
  if (error instanceof ImportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space there' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'make the folder writable' : 'check the disk';
  return new ImportError('output', `cannot write ${path} (${code ?? (error as Error).message}): the run stops here; ${hint}, then run the same command again (an import resumes where it stopped)`, { cause: error });
}

/**
 * An append-only text file written as the run proceeds, readable by its owner only (see
 * `openPrivateStream`). Waits on the stream's backpressure instead of buffering without bound.
 * Opening is asynchronous: a path that cannot be written fails the first `write` or `close`.
 */
export class FileSink {
  private readonly ready: Promise<WriteStream>;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.ready = openPrivateStream(path).then((stream) => {
      stream.on('error', (error) => {
        this.failure = error;
      });
      return stream;
    });
    this.ready.catch(() => {}); // reported by write() or close()
  }

  /** Appends text; resolves once the stream can take more. Rejects with an `ImportError` (`output`). */
  async write(text: string): Promise<void> {
    try {
      const stream = await this.ready;
      if (this.failure) throw this.failure;
      if (!stream.write(text)) await once(stream, 'drain');
    } catch (error) {
      throw outputError(this.path, error);
    }
  }

  /** Flushes and closes the file. Rejects with an `ImportError` (`output`), once the file is closed. */
  async close(): Promise<void> {
    let stream: WriteStream;
    try {
      stream = await this.ready;
    } catch (error) {
      throw outputError(this.path, error);
    }
    try {
      await closeAfter(stream, async () => {
        if (this.failure) throw this.failure;
        stream.end();
      });
    } catch (error) {
      throw outputError(this.path, error);
    }
  }
}

/**
 * Runs what ends `stream` (its `end()`, a workbook's commit), then waits until its file is closed,
 * and rejects if writing failed meanwhile; when ending fails, destroys the stream and still waits.
 * The descriptor is closed asynchronously, and a library caller handed the error before that (a
 * full disk, a run stopped) would still find the file open.
 */
export async function closeAfter(stream: WriteStream, ending: () => Promise<void>): Promise<void> {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  stream.on('error', onError);
  const closed = stream.closed ? Promise.resolve() : new Promise<void>((resolve) => stream.once('close', () => resolve()));
  try {
    const ended = ending();
    ended.catch(() => {}); // when the stream failed first, its error is the one thrown
    // A workbook's commit waits for the stream's 'finish': a stream that fails (a full disk) while
    // the zip is written closes without it, and the commit never settles.
    await Promise.race([ended, closed]);
    if (failure === undefined) await ended;
  } catch (error) {
    stream.destroy();
    throw error;
  } finally {
    await closed;
    stream.off('error', onError);
  }
  if (failure !== undefined) throw failure;
}
