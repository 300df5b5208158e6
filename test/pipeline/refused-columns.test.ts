import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { refusedColumns } from '../../src/pipeline/refused-columns.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('an API refusal naming a field', () => {
  const withRefusedColumns = refusedColumns({ name: 'Nombre del alumno', username: 'Usuario', email: 'Correo', phoneNumber: 'Celular', secondaryPhoneNumber: 'Tel. casa' });

  it('is given the columns behind the fields it names, as the API writes them', () => {
    expect(withRefusedColumns('HTTP 400: input.email must be an email')).toBe('HTTP 400: input.email must be an email (column "Correo")');
    expect(withRefusedColumns('HTTP 422: phoneNumber: is not a valid phone number; secondaryPhoneNumber: is not a valid phone number')).toBe(
      'HTTP 422: phoneNumber: is not a valid phone number; secondaryPhoneNumber: is not a valid phone number (columns "Celular", "Tel. casa")',
    );
    // `name` inside `username`, a capitalized word, another status, a message naming no field: as they are.
    expect(withRefusedColumns('HTTP 400: username must be shorter')).toBe('HTTP 400: username must be shorter (column "Usuario")');
    expect(withRefusedColumns('HTTP 400: Name is too long')).toBe('HTTP 400: Name is too long');
    expect(withRefusedColumns('HTTP 413: email')).toBe('HTTP 413: email');
    expect(withRefusedColumns('HTTP 400 (the API gave no reason)')).toBe('HTTP 400 (the API gave no reason)');
  });

  it('names every column of a name joined from several, any of which may be at fault', () => {
    const joined = refusedColumns({ name: 'Nombre(s)', email: 'Correo' }, ['Nombre(s)', 'Apellido paterno', 'Apellido materno']);
    expect(joined('HTTP 400: input.name must be shorter than or equal to 200 characters')).toBe(
      'HTTP 400: input.name must be shorter than or equal to 200 characters (columns "Nombre(s)", "Apellido paterno", "Apellido materno")',
    );
    expect(joined('HTTP 422: name: too long; email: invalid')).toBe('HTTP 422: name: too long; email: invalid (columns "Nombre(s)", "Apellido paterno", "Apellido materno", "Correo")');
    expect(joined('HTTP 400: input.email must be an email')).toBe('HTTP 400: input.email must be an email (column "Correo")');
    // Beside a label merged over them, the columns without a header of their own are the label's.
    const underLabel = refusedColumns({ name: 'Nombre del alumno' }, ['Nombre del alumno', '', '']);
    expect(underLabel('HTTP 400: input.name must be shorter than or equal to 200 characters')).toBe(
      'HTTP 400: input.name must be shorter than or equal to 200 characters (column "Nombre del alumno")',
    );
  });

  it('says the column in the report and the errors file of an import', async ({ onTestFinished }) => {
    // A NestJS app's ValidationPipe refusing one email; every other create is answered as documented.
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        if (req.method === 'GET') return res.end('[]');
        const { input } = JSON.parse(body) as { input: { name: string; username: string } };
        if (input.username === 'beto') return res.writeHead(400).end(JSON.stringify({ statusCode: 400, message: ['input.email must be an email'], error: 'Bad Request' }));
        if (input.name.length > 40) return res.writeHead(400).end(JSON.stringify({ statusCode: 400, message: ['input.name must be shorter than or equal to 40 characters'], error: 'Bad Request' }));
        res.writeHead(201).end(JSON.stringify({ customer: { id: `cus_${input.username}`, ...input } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const dir = temporaryFolder('qi-refused-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre,Usuario,Correo electrónico\nAna Ruiz,ana,ana@x.mx\nBeto Paz,beto,beto@x.mx\n');
    const reportPath = join(dir, 'alumnos.results.csv');
    const summary = await importCustomers({ file, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', reportPath });
    expect(summary.counts).toMatchObject({ created: 1, failed: 1 });
    const said = 'HTTP 400: input.email must be an email (column ""Correo electrónico"")';
    expect(readFileSync(reportPath, 'utf8')).toContain(`3,failed,,beto,"${said}",Beto Paz`);
    expect(readFileSync(join(dir, 'alumnos.results.errors.csv'), 'utf8')).toContain(`Beto Paz,beto,beto@x.mx,"${said}"`);

    // A name the importer joins from a school system's three columns: all three are named.
    const joined = join(dir, 'inscritos.csv');
    writeFileSync(joined, 'Nombre(s),Apellido paterno,Apellido materno,Usuario\nCarla,Soto,Vega,carla\nMaría de los Ángeles Guadalupe,Hernández,Villaseñor,mary\n');
    const joinedReport = join(dir, 'inscritos.results.csv');
    await importCustomers({ file: joined, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', reportPath: joinedReport });
    expect(readFileSync(joinedReport, 'utf8')).toContain(
      '3,failed,,mary,"HTTP 400: input.name must be shorter than or equal to 40 characters (columns ""Nombre(s)"", ""Apellido paterno"", ""Apellido materno"")",',
    );
  });
});
