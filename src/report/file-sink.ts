import { closeSync, fchmodSync, openSync, writeSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

/** Owner read and write only: reports, errors files and journals hold personal data of minors. */
export const PRIVATE_MODE = 0o600;

/**
 * Opens `path` for writing (truncating it) readable by its owner only: created with mode 0600, and
 * an existing file with wider permissions is narrowed before anything is written to it.
 */
export async function openPrivateStream(path: string): Promise<WriteStream> {
  const handle = await open(path, 'w', PRIVATE_MODE);
  try {
    await handle.chmod(PRIVATE_MODE);
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
    fchmodSync(fd, PRIVATE_MODE);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
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

  /** Appends text; resolves once the stream can take more. */
  async write(text: string): Promise<void> {
    const stream = await this.ready;
    if (this.failure) throw this.failure;
    if (!stream.write(text)) await once(stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const stream = await this.ready;
    if (this.failure) throw this.failure;
    stream.end();
    await once(stream, 'finish');
  }
}
