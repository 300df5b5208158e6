import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the package as npm packs it (`npm test` builds first)', () => {
  it('holds what a program imports and runs, and nothing that points at files it lacks', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = new Set(pack.files.map((file) => file.path));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; types: string; bin: Record<string, string>; exports: Record<string, Record<string, string>> };
    const entries = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((target) => Object.values(target))];
    for (const entry of entries) expect(files, entry).toContain(posix.normalize(entry));
    // Every module a packed one imports is packed too.
    for (const path of files) {
      if (!path.endsWith('.js') && !path.endsWith('.d.ts')) continue;
      for (const [, specifier] of readFileSync(join(ROOT, path), 'utf8').matchAll(/(?:\bfrom |\bimport\()'(\.{1,2}\/[^']+)'/g)) {
        const target = posix.join(posix.dirname(path), specifier!);
        expect(files, `${path} imports ${specifier}`).toContain(path.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target);
      }
    }
    // Source maps name src/*.ts, and the demo reads fixtures/: neither is packed.
    expect([...files].filter((path) => path.endsWith('.map') || path.includes('/demo.') || !/^(dist\/|README\.md$|LICENSE$|package\.json$|\.env\.example$)/.test(path))).toEqual([]);
    // The README's "see .env.example" holds for an installed package too.
    expect(files).toContain('.env.example');
  });
});
