import { linkSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunPaths, runPaths, sameFileAt } from '../../src/pipeline/paths.js';

function folderWithExport(): { cwd: string; input: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'qi-paths-'));
  const input = join(cwd, 'export.csv');
  writeFileSync(input, 'Nombre,Usuario\nAna,ana.uno\n');
  return { cwd, input };
}

describe('checkRunPaths', () => {
  it('refuses a report that is the input under a link (symbolic or hard): writing it would overwrite the export', () => {
    const { cwd, input } = folderWithExport();
    symlinkSync(input, join(cwd, 'symbolic.csv'));
    linkSync(input, join(cwd, 'hard.csv'));
    for (const report of ['symbolic.csv', 'hard.csv']) {
      expect(() => checkRunPaths(runPaths(input, report, cwd), input)).toThrow(
        new RegExp(`the report would overwrite the input file ${input} \\(${join(cwd, report)} is a link to it\\)`),
      );
    }
  });

  it('accepts a report beside the input, and one not written yet', () => {
    const { cwd, input } = folderWithExport();
    writeFileSync(join(cwd, 'export.results.csv'), 'row,status\n');
    expect(() => checkRunPaths(runPaths(input, undefined, cwd), input)).not.toThrow();
    expect(() => checkRunPaths(runPaths(input, 'nuevo.csv', cwd), input)).not.toThrow();
  });
});

describe('sameFileAt', () => {
  it('is true for one path, a link to it, and false for a copy or a path not there', () => {
    const { cwd, input } = folderWithExport();
    symlinkSync(input, join(cwd, 'link.csv'));
    writeFileSync(join(cwd, 'copy.csv'), 'Nombre,Usuario\nAna,ana.uno\n');
    expect(sameFileAt(input, input)).toBe(true);
    expect(sameFileAt(join(cwd, 'link.csv'), input)).toBe(true);
    expect(sameFileAt(join(cwd, 'copy.csv'), input)).toBe(false);
    expect(sameFileAt(join(cwd, 'missing.csv'), input)).toBe(false);
  });
});
