import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * An append-only text file written as the run proceeds, readable by its owner only (reports hold
 * personal data of minors). Waits on the stream's backpressure instead of buffering without bound.
 */
export class FileSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { mode: 0o600, flags: 'w' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Appends text; resolves once the stream can take more. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
