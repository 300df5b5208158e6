import { existsSync, linkSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { checkRunPaths, keepEditedErrorsFile, runPaths, sameFileAt } from '../../src/pipeline/paths.js';
import { temporaryFolder } from '../temporary-folder.js';

function folderWithExport(): { cwd: string; input: string } {
  const cwd = temporaryFolder('qi-paths-');
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

  it('refuses a report named like a journal or a lock, which would be the run\'s own journal or lock file', () => {
    const { cwd, input } = folderWithExport();
    for (const [report, what] of [
      ['alumnos.journal', 'journal'],
      ['alumnos.JOURNAL', 'journal'],
      ['alumnos.lock', 'lock file'],
    ] as const) {
      expect(() => checkRunPaths(runPaths(input, report, cwd), input), report).toThrow(
        expect.objectContaining({ code: 'usage', message: `the report ${join(cwd, report)} would be the run's own ${what} (<report name>${report.slice(report.lastIndexOf('.'))}): give the report another extension, such as .csv` }),
      );
    }
    expect(() => checkRunPaths(runPaths(input, 'alumnos.journal.csv', cwd), input)).not.toThrow();
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

describe('an errors file saved after the run that wrote it', () => {
  it('is kept aside by the next run (its fixed rows), not written over; one written with its report is written over', async () => {
    const { cwd, input } = folderWithExport();
    const paths = runPaths(input, undefined, cwd);
    writeFileSync(paths.reportPath, 'row,status\n2,invalid\n');
    writeFileSync(paths.errorsPath, 'Nombre,Usuario,error\nAna,ana.uno,row 2 …\n');
    // Written together by a run: nothing to keep.
    expect(await keepEditedErrorsFile(paths)).toBeUndefined();
    // Fixed by the office ten minutes later.
    const later = new Date(Date.now() + 10 * 60_000);
    utimesSync(paths.errorsPath, later, later);
    const kept = await keepEditedErrorsFile(paths);
    expect(kept).toBe(join(cwd, 'export.results.errors.edited.csv'));
    expect(readFileSync(kept!, 'utf8')).toContain('ana.uno');
    expect(existsSync(paths.errorsPath)).toBe(false);
    // Again, beside the first: `.edited-2`.
    writeFileSync(paths.errorsPath, 'Nombre,Usuario,error\n');
    utimesSync(paths.errorsPath, later, later);
    expect(await keepEditedErrorsFile(paths)).toBe(join(cwd, 'export.results.errors.edited-2.csv'));
  });

  it('is not one a killed run left growing after its report (a JSON or .xlsx report is written at the end): its lock was touched as late', async () => {
    const { cwd, input } = folderWithExport();
    const paths = runPaths(input, 'export.results.json', cwd);
    writeFileSync(paths.reportPath, '{"rows": [\n');
    writeFileSync(paths.errorsPath, 'Nombre,Usuario,error\nAna,ana.uno,row 2 …\n');
    const began = new Date(Date.now() - 15 * 60_000);
    const killed = new Date(Date.now() - 5 * 60_000);
    utimesSync(paths.reportPath, began, began);
    utimesSync(paths.errorsPath, killed, killed);
    expect(await keepEditedErrorsFile(paths, killed.getTime() - 20_000)).toBeUndefined();
    // Fixed by the office after that run: kept.
    expect(await keepEditedErrorsFile(paths, began.getTime())).toBe(join(cwd, 'export.results.errors.edited.csv'));
  });

  it('is written over by the run resuming a killed one, whose lock it takes over', async () => {
    const { cwd, input } = folderWithExport();
    writeFileSync(input, 'Nombre,Correo\nAna,ana@example.com\nLuis,luis@\n');
    const paths = runPaths(input, 'export.results.json', cwd);
    writeFileSync(paths.reportPath, '{"rows": [\n');
    writeFileSync(paths.errorsPath, '\ufeffNombre,Correo,error\nLuis,luis@,row 3 …\n');
    writeFileSync(paths.lockPath, `${JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), startedAt: new Date().toISOString() })}\n`);
    const began = new Date(Date.now() - 15 * 60_000);
    const killed = new Date(Date.now() - 5 * 60_000);
    utimesSync(paths.reportPath, began, began);
    utimesSync(paths.errorsPath, killed, killed);
    utimesSync(paths.lockPath, new Date(killed.getTime() - 20_000), new Date(killed.getTime() - 20_000));
    const warnings: string[] = [];
    await importCustomers({ file: input, dryRun: true, reportPath: paths.reportPath, onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(existsSync(join(cwd, 'export.results.errors.edited.csv'))).toBe(false);
    expect(warnings.filter((warning) => warning.includes('edited'))).toEqual([]);
  });

  it('is kept aside by a real import after a dry run, with a warning naming both files', async () => {
    const { cwd, input } = folderWithExport();
    writeFileSync(input, 'Nombre,Correo\nAna,ana@example.com\nLuis,luis@\n');
    const reportPath = join(cwd, 'export.results.csv');
    await importCustomers({ file: input, dryRun: true, reportPath });
    const errorsPath = join(cwd, 'export.results.errors.csv');
    writeFileSync(errorsPath, '\ufeffNombre,Correo,error\nLuis,luis@example.com,\n');
    const later = new Date(Date.now() + 10 * 60_000);
    utimesSync(errorsPath, later, later);
    const warnings: string[] = [];
    await importCustomers({ file: input, dryRun: true, reportPath, onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(readFileSync(join(cwd, 'export.results.errors.edited.csv'), 'utf8')).toContain('luis@example.com');
    expect(readFileSync(errorsPath, 'utf8')).toContain('luis@,');
    expect(warnings).toContain(`${errorsPath} was saved after the run that wrote it (rows fixed in it?): kept as ${join(cwd, 'export.results.errors.edited.csv')} instead of written over; import that file to send its rows`);
  });
});
