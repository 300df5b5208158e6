import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { logMessages, readCsvRecords, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// A school's own template, filled in by hand: numbered lines and formulas under the students, notes
// in the headers, check marks for yes/no, the template's example line. The real CLI against the simulator.

beforeAll(requireBuild);

async function start(onTestFinished: (fn: () => Promise<void>) => void): Promise<RunningSimulator> {
  const sim = await simulator();
  onTestFinished(() => sim.close());
  return sim;
}

/** Lines written into a temp folder of their own, CRLF as Excel saves them. */
function template(name: string, lines: string[]): { cwd: string; file: string } {
  const cwd = tempDir();
  const file = join(cwd, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return { cwd, file };
}

/** `No.` typed 1–30 and a `Total` formula dragged down, under the students filled in. */
function numberedLines(students: string[], extra: Record<number, string> = {}): string[] {
  const lines = ['No.,Nombre completo,Matrícula,Correo electrónico,Colegiatura,Descuento,Total', ...students];
  for (let n = students.length + 1; n <= 30; n++) lines.push(extra[n] ?? `${n},,,,,,$0.00`);
  return lines;
}

describe.concurrent('a school template filled in by hand', () => {
  it('skips the numbered empty lines with one warning: exit 0, and the report holds the students alone', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const { cwd, file } = template('plantilla.csv', numberedLines(['1,Ana Sofía Ruiz Peña,20250101,ana.ruiz@example.mx,2500,10%,2250', '2,Bruno Díaz León,20250102,bruno.diaz@example.mx,2500,0%,2500']));
    const result = await run([file, '--api-url', server.url, '--summary-json', 'summary.json'], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
    expect(result.code, result.stderr).toBe(0);
    expect(readCsvRecords(join(cwd, 'plantilla.results.csv')).records.map((r) => [r.row, r.status])).toEqual([['2', 'created'], ['3', 'created']]);
    expect(logMessages(result.stderr).filter((message) => message.includes('template'))).toEqual([
      'rows 4–31 hold only a list number or a calculated 0 and no customer data: skipped as empty template rows',
    ]);
    const summary = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as { rows: number; counts: Record<string, number> };
    expect(summary.rows).toBe(2);
    expect(summary.counts.created).toBe(2);
    expect(server.store.size).toBe(2);
  });

  it('still refuses a numbered line with a student\'s number and no name: a forgotten name is reported, not skipped', async () => {
    const { cwd, file } = template('plantilla.csv', numberedLines(['1,Ana Sofía Ruiz Peña,20250101,ana.ruiz@example.mx,2500,10%,2250'], { 9: '9,,20250109,,2500,,2500', 12: '12,,,,,,pendiente' }));
    const result = await run([file, '--dry-run'], { cwd });
    expect(result.code, result.stderr).toBe(1);
    const report = readCsvRecords(join(cwd, 'plantilla.results.csv')).records;
    expect(report.map((r) => [r.row, r.status])).toEqual([['2', 'valid'], ['10', 'invalid'], ['13', 'invalid']]);
    expect(report[1]!.error).toBe('row 10, "Nombre completo": is empty: every customer needs a name');
    expect(logMessages(result.stderr)).toContain('rows 3–9, 11–12, 14–31 hold only a list number or a calculated 0 and no customer data: skipped as empty template rows');
  });

  it('reads headers with notes and line breaks, check marks and Sí., and refuses the example and hint lines and a bare X', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const { cwd, file } = template('alumnos.csv', [
      'No.;Nombre completo (apellidos y nombres);Correo electrónico (obligatorio);"Teléfono\n(celular)";"Celular\n(mamá)";Acepta contrato',
      ';EJEMPLO: Juan Pérez López;juan.perez@ejemplo.com;55 1111 2222;;✓',
      ';(Apellidos y nombres);(correo del alumno);(10 dígitos);(10 dígitos);(Sí/No)',
      '1;Ana Sofía Ruiz Peña;ana.ruiz@example.mx;55 1234 5678;55 8765 4321;✔',
      '2;Bruno Díaz León;bruno.diaz@example.mx;33 1234 5678;;Sí.',
      '3;Carla Ortiz Vega;carla.ortiz@example.mx;;;X',
      '4;Diego Soto Ruiz;diego.soto@ejemplo.com;;;☐',
    ]);
    const result = await run([file, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
    expect(result.code, result.stderr).toBe(1);
    const report = readCsvRecords(join(cwd, 'alumnos.results.csv'), ',').records;
    expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
      ['2', 'invalid', 'row 2, "Nombre completo (apellidos y nombres)": "EJEMPLO: Juan Pérez López" looks like the template\'s example or hint line, not a customer: delete the line'],
      // The hint line's other cells ("(10 dígitos)" under the phone) are not refused one by one.
      ['3', 'invalid', 'row 3, "Nombre completo (apellidos y nombres)": "(Apellidos y nombres)" looks like the template\'s example or hint line, not a customer: delete the line'],
      ['4', 'created', ''],
      ['5', 'created', ''],
      ['6', 'invalid', 'row 6, "Acepta contrato": "X" is a mark that may mean yes or no: write Sí or No'],
      ['7', 'invalid', 'row 7, "Correo electrónico (obligatorio)": "diego.soto@ejemplo.com" is at a placeholder domain, as on a template\'s example line, not a customer\'s address: delete the line (or, if it is a customer, write the customer\'s own email)'],
    ]);
    expect(server.store.all().map((customer) => [customer.name, customer.email, customer.phoneNumber, customer.acceptedServiceAgreement, customer.meta])).toEqual([
      ['Ana Sofía Ruiz Peña', 'ana.ruiz@example.mx', '+525512345678', true, { 'No.': '1', 'Celular\n(mamá)': '55 8765 4321' }],
      ['Bruno Díaz León', 'bruno.diaz@example.mx', '+523312345678', true, { 'No.': '2' }],
    ]);
  });
});
