import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whenTestEnds } from './end-of-test.js';

/**
 * A new folder in the system's temporary folder (`prefix` and six random characters), removed with
 * everything in it when the test that made it ends, or when its test file has run (see
 * `whenTestEnds`). Its files are rosters and reports of personal-looking data: every `npm test` left
 * 341 such folders behind.
 */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  whenTestEnds(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
