import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/report/journal.js';

const IDENTITY = { inputSha256: 'abc', mode: 'create' };

describe('journal file mode', () => {
  it('is created 0600', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
    Journal.open(path, IDENTITY, false).journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([false, true])('narrows an existing journal to 0600 (resumed: %s)', (resumed) => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
    writeFileSync(path, resumed ? `${JSON.stringify({ journal: 1, ...IDENTITY })}\n` : 'stale\n');
    chmodSync(path, 0o644);
    const opened = Journal.open(path, IDENTITY, false);
    opened.journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
