import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MappingError } from '../../src/errors/index.js';
import { createRowMapper } from '../../src/map/map-row.js';
import { loadMappingFile, mappingFileSchema, type MappingFile } from '../../src/map/mapping-file.js';
import { identifierColumns, joinHeaderRows, mergedNameColumns, resolveMapping, type ColumnTarget } from '../../src/map/resolve-mapping.js';
import { CUSTOMER_FIELDS } from '../../src/validate/customer-schema.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);
const mapping = (file: Partial<MappingFile>): MappingFile => mappingFileSchema.parse(file);
/** header → target, in column order. */
const targets = (headers: string[], file?: MappingFile): [string, ColumnTarget][] =>
  resolveMapping(headers, file).columns.map((column) => [column.header, column.target]);
const field = (name: string) => ({ kind: 'field', field: name });
const metadata = (key: string) => ({ kind: 'metadata', key });

let dir: string;
beforeAll(() => {
  dir = temporaryFolder('qi-mapping-');
});
async function mappingFile(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('resolveMapping without a mapping file', () => {
  it("reads a header our errors file neutralized (`'@Instagram`) as the one written, for fields, metadata keys and the mapping file", () => {
    // The errors file puts `'` before a header a spreadsheet would run as a formula; the fixed file,
    // imported again, stored its values under `'@Instagram` where the roster had stored `@Instagram`.
    expect(targets(['Nombre', "'@Instagram", "'-Grupo-", "'+Info"])).toEqual([
      ['Nombre', field('name')],
      ['@Instagram', metadata('@Instagram')],
      ['-Grupo-', metadata('-Grupo-')],
      ['+Info', metadata('+Info')],
    ]);
    expect(targets(['Nombre', "'@Instagram"], mapping({ columns: { '@Instagram': 'metadata.instagram' } }))[1]).toEqual(['@Instagram', metadata('instagram')]);
  });

  it('maps the demo roster: known headers to fields, the rest to metadata keyed by the header', () => {
    const headers = ['Nombre completo', 'Usuario', 'Correo electrónico', 'Teléfono', 'Otro teléfono', 'Acepta contrato', 'Sin factura', 'Baja WhatsApp', 'Etiquetas', 'Matrícula', 'Grado', 'Tutor'];
    const resolved = resolveMapping(headers);
    expect(resolved.columns.map((c) => c.target)).toEqual([
      field('name'), field('username'), field('email'), field('phoneNumber'), field('secondaryPhoneNumber'),
      field('acceptedServiceAgreement'), field('skipTaxInvoice'), field('optedOutWhatsappAt'), field('tags'),
      metadata('Matrícula'), metadata('Grado'), metadata('Tutor'),
    ]);
    expect(resolved.columns.map((c) => c.index)).toEqual(headers.map((_, i) => i));
    expect(resolved.headerOf).toMatchObject({ name: 'Nombre completo', email: 'Correo electrónico', phoneNumber: 'Teléfono' });
    expect(resolved.warnings).toEqual([]);
  });

  it('maps a Google Forms export: the email the form asks for, not the address it collects from whoever answers', () => {
    const headers = ['Marca temporal', 'Dirección de correo electrónico', 'Nombre completo del alumno', 'Correo electrónico', 'Número de WhatsApp'];
    const resolved = resolveMapping(headers);
    expect(resolved.columns.map((c) => c.target)).toEqual([
      metadata('Marca temporal'), metadata('Dirección de correo electrónico'), field('name'), field('email'), field('phoneNumber'),
    ]);
  });

  it('reads a personal or school email, and an email\'s address, as the email; of two, the first, the second filling it where the first is empty', () => {
    // Each was metadata, with a look-alike warning, and the customer had no email.
    for (const header of ['Correo personal', 'Correo institucional', 'Correo electrónico personal', 'Email institucional', 'Dirección de email', 'Dirección de correo electrónico', 'Dirección de correo']) {
      expect(resolveMapping(['Nombre completo', header, 'Celular']), header).toMatchObject({ headerOf: { email: header }, warnings: [] });
    }
    const both = resolveMapping(['Nombre completo', 'Correo personal', 'Correo institucional']);
    expect(both.headerOf.email).toBe('Correo personal');
    expect(both.columns[2]!.target).toEqual({ kind: 'metadata', key: 'Correo institucional', fills: 'email' });
    expect(both.warnings).toEqual(['"Correo institucional" also names email, already filled from "Correo personal": it fills email in the rows where "Correo personal" is empty, and is kept as metadata']);
    // Whose it is still keeps it out: a tutor's.
    expect(resolveMapping(['Nombre completo', 'Correo personal (tutor)', 'Celular']).headerOf.email).toBeUndefined();
  });

  it('reads a template\'s plural in parentheses (`Correo(s)`, `Email(s)`) as the email, as `Correo` is', () => {
    for (const header of ['Correo(s)', 'Email(s)', 'Correo(s) electrónico(s)', 'E-mail(s)', 'CORREO(S) ELECTRÓNICO(S)', 'Correo(s) electrónico(s) (obligatorio)']) {
      expect(resolveMapping(['Nombre', header]).headerOf, header).toEqual({ name: 'Nombre', email: header });
    }
  });

  it('says when a form asks for each child of a family on one line: the second child is metadata of the first, never created', () => {
    const headers = ['Marca temporal', 'Dirección de correo electrónico', 'Celular', 'Nombre completo del alumno', 'Grado', 'Nombre completo del alumno 2', 'Grado 2', 'Nombre completo del alumno (3)'];
    const resolved = resolveMapping(headers);
    expect(resolved.headerOf.name).toBe('Nombre completo del alumno');
    expect(resolved.warnings).toContain(
      '"Nombre completo del alumno 2" (column F), "Nombre completo del alumno (3)" (column H) name other people on the same line as "Nombre completo del alumno" (a family\'s second child?): kept as metadata of the customer named there, and not created. To import each child, put each on a line of their own (with the family\'s phone and email)',
    );
    // Another number beside the name is no person: a grade, a student's number.
    expect(resolveMapping(['Nombre', 'Nombre 10', 'Celular']).warnings).toEqual([]);
    expect(resolveMapping(['Nombre del alumno', 'Celular', 'Celular 2']).warnings).toEqual([]);
  });

  it('keeps the address a Google Form collected from whoever answered as metadata, in English too, and says so when no column is the email', async () => {
    // roster-google-forms-english.csv: the office filled the form in for every family, its address on every row.
    const [headerLine] = (await readFile(fixture('roster-google-forms-english.csv'), 'utf8')).split('\r\n');
    const headers = headerLine!.split(',');
    const resolved = resolveMapping(headers);
    expect(resolved.headerOf).toEqual({ name: 'Nombre del alumno', phoneNumber: 'Celular' });
    expect(resolved.columns[1]!.target).toEqual(metadata('Email Address'));
    expect(resolved.warnings[0]).toMatch(/^this is a Google Forms export: "Email Address" is the address the form collected from whoever answered it .* \{"columns":\{"Email Address":"email"\}\}$/);
    // The mapping the warning offers, and the question the form asked, are named before the account's column.
    expect(resolved.warnings.some((w) => w.includes('"Correo del papá o mamá" looks like one') && w.includes('{"columns":{"Correo del papá o mamá":"email"}}'))).toBe(true);
    const draft = createRowMapper(resolved, { defaultCountry: 'MX' })({ row: 2, values: ['8/15/2024 10:23:45', 'secretaria.colegio@gmail.com', 'Valeria Torres Méndez', 'rocio.mendez@gmail.com', '5512345678'] }).draft;
    expect(draft.email).toBeUndefined();
    // Spanish: the lookalike's example is the form's question, not the account's column.
    const spanish = resolveMapping(['Marca temporal', 'Dirección de correo electrónico', 'Nombre completo del alumno', 'Correo electrónico de contacto']);
    expect(spanish.warnings.some((w) => w.includes('{"columns":{"Correo electrónico de contacto":"email"}}'))).toBe(true);
    expect(spanish.warnings.some((w) => w.includes('{"columns":{"Dirección de correo electrónico":"email"}}') && w.startsWith('this is a Google Forms export'))).toBe(true);
    // A mapping file that names it, or a file that is no form (Google Contacts' `E-mail Address` aside), reads it as the email.
    expect(resolveMapping(headers, mapping({ columns: { 'Email Address': 'email' } })).headerOf.email).toBe('Email Address');
    expect(resolveMapping(['Nombre', 'Email Address', 'Celular']).headerOf.email).toBe('Email Address');
    expect(resolveMapping(['Nombre del alumno', 'Timestamp', 'Email Address']).headerOf.email).toBe('Email Address');
    // The Spanish name too, as a form's own question or a school system's header (it was metadata, the customer left without an email).
    expect(resolveMapping(['Nombre', 'Dirección de correo electrónico', 'Celular']).headerOf.email).toBe('Dirección de correo electrónico');
    // A quiz form's score between the stamp and the address: still the form's (every customer got the office's address).
    for (const quiz of [['Marca temporal', 'Puntuación', 'Dirección de correo electrónico', 'Nombre del alumno', 'Celular'], ['Timestamp', 'Score', 'Email Address', 'Nombre del alumno', 'Celular']]) {
      expect(resolveMapping(quiz).columns[2]!.target, quiz[2]).toEqual(metadata(quiz[2]!));
    }
  });

  it('maps a Microsoft Forms export: the email and name of whoever answered stay metadata, said once; its Id is no customer number', () => {
    const spanish = ['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Hora de la última modificación', 'Nombre completo del alumno', 'Correo del padre o tutor', 'Correo', 'Teléfono celular'];
    const resolved = resolveMapping(spanish);
    expect(resolved.columns.map((c) => c.target)).toEqual([
      metadata('Id'), metadata('Hora de inicio'), metadata('Hora de finalización'), metadata('Correo electrónico'), metadata('Nombre'),
      metadata('Hora de la última modificación'), field('name'), metadata('Correo del padre o tutor'), field('email'), field('phoneNumber'),
    ]);
    expect(resolved.warnings[0]).toMatch(/^this is a Microsoft Forms export: "Correo electrónico" and "Nombre" are the account that answered the form/);
    expect(identifierColumns(resolved)).toEqual([]);
    const english = resolveMapping(['ID', 'Start time', 'Completion time', 'Email', 'Name', 'Full name', 'Parent email', 'Mobile phone']);
    expect(english.headerOf).toEqual({ name: 'Full name', phoneNumber: 'Mobile phone' });
    expect(english.warnings.some((w) => w.includes('"Parent email" looks like one'))).toBe(true);
    // A form each customer answered with their own account, asking no name: the account's are the customer's, said so.
    const ownAccounts = resolveMapping(['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Grupo', 'Teléfono']);
    expect(ownAccounts.headerOf).toEqual({ name: 'Nombre', email: 'Correo electrónico', phoneNumber: 'Teléfono' });
    expect(ownAccounts.warnings[0]).toMatch(/^this is a Microsoft Forms export whose questions ask no name: "Correo electrónico" and "Nombre" \(the account that answered the form\) are read as the customer's/);
    // Questions headed as the account's columns are the form's own: one account column of each kind.
    const repeated = resolveMapping(['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Nombre', 'Correo electrónico', 'Teléfono']);
    expect(repeated.columns.map((c) => c.target.kind)).toEqual(['metadata', 'metadata', 'metadata', 'metadata', 'metadata', 'field', 'field', 'field']);
    // Questions titled as the account's columns, renamed by the export as Excel renames a repeated header.
    const renamed = resolveMapping(['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Nombre2', 'Correo electrónico2', 'Teléfono']);
    expect(renamed.headerOf).toEqual({ name: 'Nombre2', email: 'Correo electrónico2', phoneNumber: 'Teléfono' });
    expect(renamed.columns.slice(3, 5).map((c) => c.target)).toEqual([metadata('Correo electrónico'), metadata('Nombre')]);
    expect(renamed.warnings[0]).toMatch(/^this is a Microsoft Forms export: "Correo electrónico" and "Nombre" are the account that answered/);
    expect(resolveMapping(['ID', 'Start time', 'Completion time', 'Email', 'Name', 'Name2', 'Grade']).headerOf).toEqual({ name: 'Name2' });
    // `Nombre 1` and `Nombre 2` are typed titles (two children's), not Excel's renaming.
    expect(resolveMapping(['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Nombre 2', 'Teléfono']).headerOf.name).not.toBe('Nombre 2');
    // A question `Alumno` is the name, the account's `Nombre` set aside.
    expect(resolveMapping(['Id', 'Hora de inicio', 'Hora de finalización', 'Correo electrónico', 'Nombre', 'Alumno', 'Correo del tutor', 'Teléfono']).headerOf).toEqual({ name: 'Alumno', phoneNumber: 'Teléfono' });
    // Not a Forms export (no Id and times first): `Correo electrónico` and `Nombre` are the customer's.
    expect(resolveMapping(['Nombre', 'Correo electrónico', 'Hora de inicio', 'Hora de finalización']).headerOf).toEqual({ name: 'Nombre', email: 'Correo electrónico' });
  });

  it('says so when a list names its customers beside a student column kept as metadata (a parents\' list)', () => {
    const parents = resolveMapping(['Nombre', 'Parentesco', 'Alumno', 'Grado', 'Correo', 'Celular']);
    expect(parents.headerOf).toEqual({ name: 'Nombre', email: 'Correo', phoneNumber: 'Celular' });
    expect(parents.warnings).toContain(
      'the customers\' names are read from "Nombre", and "Alumno" is kept as metadata: if the customers are the students, map it with a mapping file (--mapping) such as {"columns":{"Alumno":"name","Nombre":"metadata.Nombre"}}',
    );
    // Not where the student is the name, nor where the mapping file placed the column.
    expect(resolveMapping(['Alumno', 'Correo']).warnings).toEqual([]);
    expect(resolveMapping(['Nombre', 'Alumno'], { columns: { Alumno: 'metadata.Alumno' }, unmapped: 'metadata' }).warnings).toEqual([]);
  });

  it('`metadata.<key>` headers become the metadata pair <key>', () => {
    expect(targets(['Nombre', 'metadata.ciclo', 'Metadata.Beca', 'Turno'])).toEqual([
      ['Nombre', field('name')],
      ['metadata.ciclo', metadata('ciclo')],
      ['Metadata.Beca', metadata('Beca')],
      ['Turno', metadata('Turno')],
    ]);
  });

  it('two metadata columns with the same key do not overwrite each other', () => {
    const keys = resolveMapping(['Nombre', 'metadata.Grado', 'Grado']).columns.slice(1).map((c) => c.target);
    expect(keys[0]).toEqual(metadata('Grado'));
    expect(keys[1]).toMatchObject({ kind: 'metadata' });
    expect(keys[1]).not.toEqual(metadata('Grado'));
  });

  it('refuses two lists side by side (the name\'s header again after an empty column): the second list\'s people were metadata of the first\'s', () => {
    // Read as one table, Carla (1B) was sent as metadata "Nombre" of Ana (1A), on the same row, and never created.
    expect(() => resolveMapping(['Nombre', 'Correo', 'Celular', '', 'Nombre', 'Correo', 'Celular'])).toThrow(
      new MappingError(
        'the header names "Nombre" again in column E, after the empty column D, with "Correo", "Celular": two lists side by side (one group beside another)? Read as one, the people of the second would be sent as metadata of the customers on the same rows of the first. Put the second list under the first, or on a sheet of its own, and import again; if the columns from E on are the same customers\' (a tutor\'s), give them headers of their own (such as "Nombre del tutor") or name the columns with a mapping file (--mapping)',
      ),
    );
    // A SEP list beside another, its name joined from three columns; a blank column between fields before it.
    expect(() => resolveMapping(['No.', 'PATERNO', 'MATERNO', 'NOMBRE(S)', '', 'No.', 'PATERNO', 'MATERNO', 'nombre (s)'])).toThrow(/again in column I, after the empty column E/);
    expect(() => resolveMapping(['Nombre', '', 'Correo', '', 'Nombre', 'Correo'])).toThrow(/again in column E, after the empty column D, with "Correo"/);
    // An empty column between a roster's own fields, a tutor's block under headers of its own, the
    // same headers with no empty column between (the documented first-fills rule), or the name alone again: read as before.
    expect(() => resolveMapping(['Nombre', 'Correo', '', 'Celular', '', 'Grupo'])).not.toThrow();
    expect(() => resolveMapping(['Nombre', 'Correo', '', 'Nombre del tutor', 'Correo del tutor'])).not.toThrow();
    expect(() => resolveMapping(['Nombre', 'Correo', 'Nombre', 'Correo'])).not.toThrow();
    expect(() => resolveMapping(['Nombre', 'Correo', '', 'Nombre'])).not.toThrow();
    // A mapping file that names the columns has said what they are.
    expect(resolveMapping(['Nombre', 'Correo', '', 'Nombre', 'Correo'], mappingFileSchema.parse({ columns: { Nombre: 'name' } })).headerOf.name).toBe('Nombre');
  });

  it('an `error` column (our own errors file) is ignored, not metadata', () => {
    const [, , error] = targets(['Nombre', 'Correo', 'error']);
    expect(error![1].kind).toBe('ignore');
    expect(targets(['Nombre', ' Error '])[1]![1].kind).toBe('ignore');
    // As an office renames it before importing the file again.
    for (const header of ['Errores', 'ERRORS', 'Motivo del error', 'error (no llenar)']) expect(targets(['Nombre', header])[1]![1].kind, header).toBe('ignore');
    expect(targets(['Nombre', 'Observaciones'])[1]![1].kind).toBe('metadata');
  });

  it('a password column is never sent, with a warning; a mapping file may still send it', () => {
    for (const header of ['password', 'Contraseña inicial', 'Student Password', 'PWD']) {
      const resolved = resolveMapping(['Nombre', 'Usuario', header]);
      expect(resolved.columns[2]!.target, header).toEqual({ kind: 'ignore', reason: 'passwords' });
      expect(resolved.warnings, header).toEqual([`"${header}" holds passwords: not sent (as metadata anyone who opens the customer in Quentli would read them)`]);
    }
    expect(targets(['Nombre', 'Clave'])[1]![1]).toEqual(metadata('Clave')); // a student's id
    for (const header of ['Password reset required', 'Cambiar contraseña']) expect(targets(['Nombre', header])[1]![1], header).toEqual(metadata(header)); // about a password, not one
    expect(targets(['Nombre', 'Clave de acceso'])[1]![1]).toEqual(metadata('Clave de acceso')); // a login to some schools
    expect(targets(['Nombre', 'Password'], mapping({ columns: { Password: 'metadata.password' } }))[1]![1]).toEqual(metadata('password'));
  });

  it('a second column naming a taken field becomes metadata, with a warning; a phone\'s or an email\'s also fills its field where the first is empty', () => {
    const resolved = resolveMapping(['Nombre', 'Correo', 'E-mail', 'Teléfono', 'Celular', 'Nombre completo del tutor', 'Usuario', 'User']);
    expect(resolved.columns.map((c) => c.target)).toEqual([
      field('name'),
      field('email'),
      { ...metadata('E-mail'), fills: 'email' },
      field('phoneNumber'),
      { ...metadata('Celular'), fills: 'phoneNumber' },
      metadata('Nombre completo del tutor'),
      field('username'),
      metadata('User'),
    ]);
    expect(resolved.headerOf.email).toBe('Correo');
    expect(resolved.warnings).toEqual([
      '"E-mail" also names email, already filled from "Correo": it fills email in the rows where "Correo" is empty, and is kept as metadata',
      '"Celular" also names phoneNumber, already filled from "Teléfono": it fills phoneNumber in the rows where "Teléfono" is empty, and is kept as metadata',
      '"User" also names username, already filled from "Usuario"',
    ]);
    // The same header twice: told apart by the columns' letters.
    expect(resolveMapping(['Nombre', 'Teléfono', 'Correo', 'Teléfono']).warnings).toEqual([
      '"Teléfono" (column D) also names phoneNumber, already filled from "Teléfono" (column B): it fills phoneNumber in the rows where "Teléfono" (column B) is empty, and is kept as metadata',
    ]);
    expect(resolveMapping(['Nombre', 'Celular', 'Teléfono', 'Teléfono']).warnings).toEqual([
      '"Teléfono" (column C) also names phoneNumber, already filled from "Celular": it fills phoneNumber in the rows where "Celular" is empty, and is kept as metadata',
      '"Teléfono" (column D) also names phoneNumber, already filled from "Celular": it fills phoneNumber in the rows where "Celular" is empty, and is kept as metadata',
    ]);
  });

  it('a column without a header is not imported; the run, not the mapping, warns when it holds values', () => {
    const resolved = resolveMapping(['Nombre', '', 'Correo', '']);
    expect(resolved.columns[1]!.target).toEqual({ kind: 'ignore', reason: 'no header' });
    expect(resolved.warnings).toEqual([]);
  });

  it('no name column is a MappingError naming the headers', () => {
    expect(() => resolveMapping(['Participante', 'Correo'])).toThrow(MappingError);
    expect(() => resolveMapping(['Participante', 'Correo'])).toThrow(/name.*"Participante", "Correo"/s);
    // A fixed-width file (Excel's "Formatted Text (Space delimited)", .prn): one header of columns lined up with spaces.
    expect(() => resolveMapping(['Nombre              Correo              Telefono'])).toThrow(/is columns lined up with spaces \(fixed-width text.*save the file as CSV or \.xlsx$/);
    // A `;` CSV opened with `,` as the separator and saved: every column name in column A (a comma in a cell split the data lines).
    expect(() => resolveMapping(['Matrícula;Apellido paterno;Apellido materno;Nombre(s);Celular;Correo;Etiquetas', ''])).toThrow(
      /^no column holds the customer's name: the column names are all in one cell, "Matrícula;Apellido paterno;.*;Etiquetas", set apart by ";": the CSV was opened with another separator than its own and saved so, each line in one cell; import the CSV itself, or split the column \(Data → Text to Columns, separator ";"\) and save it again$/,
    );
    expect(() => resolveMapping(['"Nombre"|"Correo"|"Teléfono"'])).toThrow(/set apart by "\|"/);
    // A title with separators naming no two columns is no such line.
    expect(() => resolveMapping(['Lista de alumnos; Grupo A; Turno matutino'])).toThrow(/; a name column is headed such as/);
    expect(() => resolveMapping(['Participante  inscrito'])).toThrow(/the headers are: "Participante  inscrito"/);
  });
});

describe('resolveMapping with a mapping file', () => {
  const customHeaders = ['Alumno', 'Clave de acceso', 'Email tutor', 'Cel. tutor', 'Comentarios interno', 'Grupo'];

  it('fixtures/mapping-school.json on roster-custom-headers.csv', async () => {
    const file = await loadMappingFile(fixture('mapping-school.json'));
    expect(targets(customHeaders, file)).toEqual([
      ['Alumno', field('name')],
      ['Clave de acceso', field('username')],
      ['Email tutor', field('email')],
      ['Cel. tutor', field('phoneNumber')],
      ['Comentarios interno', { kind: 'ignore', reason: expect.any(String) }],
      ['Grupo', metadata('Grupo')],
    ]);
  });

  it('`metadata.<key>` targets and null; mapped headers matched like headers (case, accents)', () => {
    const file = mapping({ columns: { alumno: 'name', 'CICLO ESCOLAR': 'metadata.ciclo', Correo: null } });
    expect(targets(['Alumno', 'Ciclo escolar', 'Correo'], file)).toEqual([
      ['Alumno', field('name')],
      ['Ciclo escolar', metadata('ciclo')],
      ['Correo', { kind: 'ignore', reason: expect.any(String) }],
    ]);
  });

  it('a mapped header keeps its note: two headers that differ only there stay two columns', () => {
    const file = mapping({ columns: { 'teléfono (celular)': 'secondaryPhoneNumber' } });
    expect(targets(['Nombre', 'Teléfono (obligatorio)', 'Teléfono (celular)'], file).slice(1)).toEqual([
      ['Teléfono (obligatorio)', field('phoneNumber')],
      ['Teléfono (celular)', field('secondaryPhoneNumber')],
    ]);
  });

  it('an explicit target wins over a synonym elsewhere in the file', () => {
    const resolved = resolveMapping(['Nombre', 'Alumno'], mapping({ columns: { Alumno: 'name' } }));
    expect(resolved.headerOf.name).toBe('Alumno');
    expect(resolved.columns[0]!.target).toEqual(metadata('Nombre'));
    expect(resolved.warnings).toHaveLength(1);
  });

  it('two headers mapped to one field other than name is a MappingError', () => {
    expect(() => resolveMapping(['Alumno', 'Correo', 'Correo tutor'], mapping({ columns: { Correo: 'email', 'Correo tutor': 'email' } }))).toThrow(MappingError);
  });

  it('unmapped: "metadata" (default), "ignore", "error"', () => {
    const headers = ['Nombre', 'Turno', 'metadata.ciclo'];
    expect(targets(headers, mapping({}))[1]![1]).toEqual(metadata('Turno'));
    expect(targets(headers, mapping({ unmapped: 'ignore' }))).toEqual([
      ['Nombre', field('name')],
      ['Turno', { kind: 'ignore', reason: expect.any(String) }],
      ['metadata.ciclo', metadata('ciclo')],
    ]);
    expect(() => resolveMapping(headers, mapping({ unmapped: 'error' }))).toThrow(MappingError);
    expect(() => resolveMapping(headers, mapping({ unmapped: 'error' }))).toThrow(/"Turno"/);
    expect(() => resolveMapping(['Nombre', 'Turno'], mapping({ unmapped: 'error', columns: { Turno: null } }))).not.toThrow();
  });

  it('a mapped header missing from the file is a MappingError naming it and the headers', () => {
    const file = mapping({ columns: { Alumno: 'name', 'Clave de acceso': 'username' } });
    expect(() => resolveMapping(['Alumno', 'Usuario'], file)).toThrow(MappingError);
    expect(() => resolveMapping(['Alumno', 'Usuario'], file)).toThrow(/"Clave de acceso".*not found.*"Alumno", "Usuario"/);
  });

  it('a header written twice: null and a metadata key take each of its columns, a field the first', () => {
    // `"Correo": null` left the second `Correo` (a parent's) to be read as the customer's email.
    const headers = ['Nombre', 'Correo', 'Correo', 'Teléfono', 'Teléfono'];
    expect(targets(headers, mapping({ columns: { Correo: null, teléfono: 'metadata.tel' } })).slice(1)).toEqual([
      ['Correo', { kind: 'ignore', reason: expect.any(String) }],
      ['Correo', { kind: 'ignore', reason: expect.any(String) }],
      ['Teléfono', metadata('tel')],
      ['Teléfono', metadata('tel (2)')],
    ]);
    expect(targets(headers, mapping({ columns: { Correo: 'email' } })).slice(1, 3)).toEqual([
      ['Correo', field('email')],
      ['Correo', { ...metadata('Correo'), fills: 'email' }],
    ]);
    // Under "unmapped": "error" the second column cannot be named apart: the message says what to do instead.
    expect(() => resolveMapping(headers, mapping({ columns: { Correo: 'email', Teléfono: null }, unmapped: 'error' }))).toThrow(
      /"unmapped": "error": "Correo"; "Correo" is a header of two columns, the first mapped to a field, and the mapping cannot name the second apart/,
    );
    expect(() => resolveMapping(['Nombre', 'Turno'], mapping({ unmapped: 'error' }))).toThrow(/"Turno"; add it to the mapping's "columns" \(null leaves a column out\)$/);
  });

  it('two entries naming one column with different targets is a MappingError; with the same target it is fine', () => {
    // `{"Nombre": "name", "NOMBRE": "metadata.x"}`: the last won, and the run failed saying no column held the name.
    expect(() => resolveMapping(['Nombre', 'Correo'], mapping({ columns: { Nombre: 'name', NOMBRE: 'metadata.nombre' } }))).toThrow(
      /the mapping names the column "Nombre" twice, as "Nombre" \(to "name"\) and as "NOMBRE" \(to "metadata\.nombre"\): keep one of them/,
    );
    expect(() => resolveMapping(['Nombre', 'Correo'], mapping({ columns: { Correo: 'email', correo: null } }))).toThrow(MappingError);
    expect(targets(['Nombre', 'Correo'], mapping({ columns: { Correo: null, CORREO: null } }))[1]![1].kind).toBe('ignore');
  });

  it('a metadata key taken by an earlier column is renamed with a warning; two entries to one key is a MappingError', () => {
    // The mapping's `"Grupo": "metadata.grupo"` was stored as "grupo (2)" beside a `metadata.grupo` column, unsaid.
    const resolved = resolveMapping(['Nombre', 'metadata.grupo', 'Grupo', 'Grado', 'Grado'], mapping({ columns: { Grupo: 'metadata.grupo' } }));
    expect(resolved.columns.slice(1).map((column) => column.target)).toEqual([metadata('grupo'), metadata('grupo (2)'), metadata('Grado'), metadata('Grado (2)')]);
    // A header written twice is told apart without a word, as before (the dry run shows it).
    expect(resolved.warnings).toEqual(['"Grupo" (column C) is kept as metadata "grupo (2)": an earlier column already has the key "grupo"']);
    // A key is trimmed, as a `metadata.<key>` header's is: `"metadata.grupo "` stored the space.
    expect(targets(['Nombre', 'Grupo'], mapping({ columns: { Grupo: 'metadata.grupo ' } }))[1]![1]).toEqual(metadata('grupo'));
    expect(() => resolveMapping(['Nombre', 'Grupo', 'Salón'], mapping({ columns: { Grupo: 'metadata.grupo', Salón: 'metadata.grupo ' } }))).toThrow(
      /the mapping sends both "Grupo" and "Salón" to metadata\.grupo: give each its own key/,
    );
  });

  it('a long list of missing headers is cut short: one line, not megabytes', () => {
    const columns = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`Columna ${i}`, null]));
    const error = (() => {
      try {
        resolveMapping(['Nombre', ...Array.from({ length: 300 }, (_, i) => `Campo ${i}`)], mapping({ columns }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect(error!.message).toMatch(/"Columna 9" and 4990 more, not found in the file's headers: "Nombre", "Campo 0", .*"Campo 48" and 251 more$/);
  });

  it('a mapping that leaves no name column is a MappingError', () => {
    expect(() => resolveMapping(['Nombre', 'Correo'], mapping({ columns: { Nombre: null } }))).toThrow(MappingError);
  });
});

describe('loadMappingFile', () => {
  it('reads fixtures/mapping-school.json', async () => {
    expect(await loadMappingFile(fixture('mapping-school.json'))).toEqual({
      columns: { Alumno: 'name', 'Clave de acceso': 'username', 'Email tutor': 'email', 'Cel. tutor': 'phoneNumber', 'Comentarios interno': null },
      unmapped: 'metadata',
    });
  });

  it('fixtures/mapping-bad-field.json: a wrong field is a MappingError naming the file, the entry and every valid field', async () => {
    const error = await loadMappingFile(fixture('mapping-bad-field.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingError);
    const message = (error as Error).message;
    expect(message).toContain('mapping-bad-field.json');
    expect(message).toContain('"Alumno"');
    expect(message).toContain('"nombre_completo"');
    for (const name of CUSTOMER_FIELDS) expect(message).toContain(name);
    expect(message).toContain('metadata.<key>');
    expect(message).not.toContain('\n');
  });

  it('bad JSON is one line with its line and column, never the bytes JSON.parse quotes', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['comma.json', '{"columns": {"Alumno": "name"}\n"unmapped": "ignore"}', /comma\.json: is not valid JSON \(Expected ',' or '\}' after property value, on line 2, column 1\)$/],
      ['unquoted.json', '{\r\n  "columns": {\r\n    "Alumno": name\r\n  }\r\n}', /unquoted\.json: is not valid JSON \(unexpected character "a": check its quotes, commas and braces\)$/],
      // A PNG given as the mapping printed "Unexpected token '\uFFFD', "\uFFFDPNG\r\n\x1A\n..." on the terminal, over two lines.
      ['logo.json', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /logo\.json: is not valid JSON \(it is not text: give the mapping's \.json file\)$/],
      ['curly.json', '{\u201ccolumns\u201d: {}}', /curly\.json: is not valid JSON \(curly quotes \u201c: write straight quotes ", as a plain-text editor types them, on line 1, column 2\)$/],
      ['curly-value.json', '{"columns": {"Alumno": \u201cname\u201d}}', /curly-value\.json: is not valid JSON \(curly quotes \u201c: write straight quotes ", as a plain-text editor types them\)$/],
      // The roster given as the mapping, arguments swapped.
      ['alumnos.csv', 'Matrícula,Nombre\nA1,Ana\n', /alumnos\.csv: is a roster \(\.csv\), not a mapping file: give the roster first and the mapping's \.json file after --mapping$/],
      ['Alumnos.XLSX', Buffer.from('504b030414000600', 'hex'), /Alumnos\.XLSX: is a roster \(\.xlsx\), not a mapping file/],
    ];
    for (const [name, content, pattern] of cases) {
      const error = await loadMappingFile(await mappingFile(name, content)).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(MappingError);
      expect((error as Error).message, name).toMatch(pattern);
      expect((error as Error).message, name).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('reads a mapping saved as UTF-16 (Notepad\'s "Unicode") or Windows-1252 (its "ANSI")', async () => {
    // Read as UTF-8 they named `Matr\uFFFDcula`, "not found in the file's headers", or "not text".
    const json = '{"columns": {"Matrícula": "username"}}';
    const expected = { columns: { Matrícula: 'username' }, unmapped: 'metadata' };
    const utf16be = Buffer.from(json, 'utf16le').swap16();
    expect(await loadMappingFile(await mappingFile('utf16le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])))).toEqual(expected);
    expect(await loadMappingFile(await mappingFile('utf16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])))).toEqual(expected);
    expect(await loadMappingFile(await mappingFile('ansi.json', Buffer.from(json, 'latin1')))).toEqual(expected);
  });

  it('a BOM is fine; defaults apply', async () => {
    expect(await loadMappingFile(await mappingFile('bom.json', '\uFEFF{"columns": {"Alumno": "name"}}'))).toEqual({ columns: { Alumno: 'name' }, unmapped: 'metadata' });
    expect(await loadMappingFile(await mappingFile('empty-object.json', '{}'))).toEqual({ columns: {}, unmapped: 'metadata' });
  });

  it('refuses bad JSON, unknown keys, a wrong unmapped policy, a non-string target, a missing file', async () => {
    const cases: [string, RegExp][] = [
      ['{"columns": {"Alumno": "name",}}', /not valid JSON/],
      ['{"columns": {}, "unmaped": "ignore"}', /unmaped/],
      ['{"unmapped": "drop"}', /unmapped/],
      ['{"columns": {"Alumno": 3}}', /Alumno/],
      ['{"columns": {"Alumno": "metadata."}}', /Alumno/],
      ['[]', /mapping/],
      // The columns without their wrapper: the message shows them wrapped, `unmapped` kept; a misspelt wrapper is named as such.
      ['{"Cliente": "name", "RFC": null}', /the columns go inside "columns": \{"columns":\{"Cliente":"name","RFC":null\}\}$/],
      ['{"unmapped": "ignore", "Usuario": "username"}', /the columns go inside "columns": \{"columns":\{"Usuario":"username"\},"unmapped":"ignore"\}$/],
      ['{"colums": {"Cliente": "name"}}', /Unrecognized key: "colums"/],
    ];
    for (const [i, [text, pattern]] of cases.entries()) {
      const error = await loadMappingFile(await mappingFile(`bad-${i}.json`, text)).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(MappingError);
      expect((error as Error).message, text).toMatch(pattern);
    }
    await expect(loadMappingFile(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: the mapping file does not exist$/);
  });

  it("joins given names and the customer's own surnames on one header line into the name, given names first", () => {
    const plan = resolveMapping(['Apellido materno', 'Apellido paterno', 'Nombre(s)', 'Usuario', 'Apellido del tutor']);
    expect(plan.headerOf.name).toBe('Nombre(s)');
    expect(plan.nameParts).toEqual([2, 1, 0]);
    expect(plan.columns.map((c) => c.target)).toEqual([field('name'), field('name'), field('name'), field('username'), metadata('Apellido del tutor')]);
    expect(plan.partialName).toBeUndefined();
    expect(plan.warnings).toEqual([]);
    // SEP's PATERNO / MATERNO and the abbreviations templates use.
    expect(resolveMapping(['No.', 'PATERNO', 'MATERNO', 'NOMBRE', 'TELÉFONO']).nameParts).toEqual([3, 1, 2]);
    expect(resolveMapping(['Nombre', 'Ap. Paterno', 'Ap. Materno', 'Correo']).nameParts).toEqual([0, 1, 2]);
    expect(resolveMapping(['Nombres', '1er Apellido', '2do Apellido']).nameParts).toEqual([0, 1, 2]);
    // Other ways forms and templates name the parts.
    const parts = (headers: string[]) => resolveMapping(headers).nameParts;
    expect(parts(['Nombre(s)', 'Apellido(s)', 'Correo'])).toEqual([0, 1]);
    expect(parts(['Nombre', '1° Apellido', '2º Apellido'])).toEqual([0, 1, 2]);
    expect(parts(['Marca temporal', 'Nombre(s) del alumno', 'Apellido paterno del alumno', 'Apellido materno del alumno', 'Nombre del padre o tutor'])).toEqual([1, 2, 3]);
    // A middle name goes between the given names and the surnames, in English too.
    expect(parts(['Primer nombre', 'Segundo nombre', 'Apellido paterno', 'Apellido materno'])).toEqual([0, 1, 2, 3]);
    expect(parts(['First Name', 'Middle Name', 'Last Name', 'Email'])).toEqual([0, 1, 2]);
    // Surnames first, then both given names, as forms lay them out: the middle name after the given
    // names is the same person's (nothing was joined: every customer was named by the first given name).
    expect(parts(['Apellido paterno', 'Apellido materno', 'Primer nombre', 'Segundo nombre', 'Correo'])).toEqual([2, 3, 0, 1]);
    expect(parts(['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'PRIMER NOMBRE', 'SEGUNDO NOMBRE'])).toEqual([2, 3, 0, 1]);
    // A surname past the middle name is still a part on the other side: which person's is not known.
    expect(parts(['Apellido paterno', 'Primer nombre', 'Segundo nombre', 'Apellido materno'])).toBeUndefined();
    // The whole name in one column, surnames first: no parts.
    expect(resolveMapping(['Apellidos, Nombre', 'Correo']).headerOf.name).toBe('Apellidos, Nombre');
    expect(resolveMapping(['Apellidos, Nombre', 'Correo']).partialName).toBeUndefined();
    // Whatever the unmapped policy: they are part of the name, not unmapped columns.
    expect(resolveMapping(['Nombre', 'Apellidos', 'Correo'], mapping({ columns: { Correo: 'email' }, unmapped: 'error' })).nameParts).toEqual([0, 1]);
    expect(resolveMapping(['Nombre', 'Apellidos', 'Notas'], mapping({ columns: {}, unmapped: 'ignore' })).columns.map((c) => c.target.kind)).toEqual(['field', 'field', 'ignore']);
  });

  it("joins the customer's own surnames only: one of each, the nearest the name, where a template repeats them for the tutor", () => {
    const plan = resolveMapping(['No.', 'Nombre', 'Apellido paterno', 'Apellido materno', 'Grado', 'Nombre del tutor', 'Apellido paterno', 'Apellido materno', 'Celular']);
    expect(plan.nameParts).toEqual([1, 2, 3]);
    expect(plan.columns.slice(6, 8).map((c) => c.target)).toEqual([metadata('Apellido paterno (2)'), metadata('Apellido materno (2)')]);
    // Said, by column, since the headers alone cannot tell them apart.
    expect(plan.warnings).toEqual([expect.stringMatching(/^"Apellido paterno" \(column G\) and "Apellido materno" \(column H\) are imported as metadata, not joined to the name, which is "Nombre" \(column B\)/)]);
    // Surnames right after another person's name are that person's: nothing is joined.
    expect(resolveMapping(['Nombre del tutor', 'Apellido paterno', 'Apellido materno', 'Nombre del alumno', 'Correo']).nameParts).toBeUndefined();
    expect(resolveMapping(['Tutor', 'Ap. pat.', 'Ap. mat.', 'Nombre']).nameParts).toBeUndefined();
    expect(resolveMapping(['CURP', 'PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)']).nameParts).toEqual([3, 1, 2]);
    // `Apellidos` beside the paternal and maternal columns holds them both again.
    expect(resolveMapping(['Nombre(s)', 'Apellidos', 'Apellido paterno', 'Apellido materno']).nameParts).toEqual([0, 2, 3]);
    // A single `Apellido` beside a second surname alone is the first surname (a form's `Nombre |
    // Apellido | Segundo apellido`): the customers were named `Ana Sofía Peña`, with a warning only.
    const form = resolveMapping(['Nombre', 'Apellido', 'Segundo apellido', 'Correo']);
    expect(form.nameParts).toEqual([0, 1, 2]);
    expect(form.warnings).toEqual([]);
    expect(resolveMapping(['Nombre del alumno', 'Apellido del alumno', 'Segundo apellido del alumno']).nameParts).toEqual([0, 1, 2]);
    // A column that says it holds both surnames, as forms ask them: the given names alone were sent.
    for (const header of ['Apellido paterno y materno', 'Apellidos (paterno y materno)', 'Primer y segundo apellido']) {
      const both = resolveMapping(['Nombre', header, 'Correo']);
      expect(both.nameParts, header).toEqual([0, 1]);
      expect(both.warnings, header).toEqual([]);
    }
    // Beside a paternal column it is another's, as `Apellidos` is.
    expect(resolveMapping(['Nombre', 'Apellido paterno', 'Apellido', 'Apellido materno']).nameParts).toEqual([0, 1, 3]);
    // A tutor's own headers stay metadata, unsaid.
    expect(resolveMapping(['Nombre', 'Apellido paterno', 'Apellido paterno del tutor']).warnings).toEqual([]);
    // A second given-names column says the name column holds the whole name: nothing is joined.
    expect(resolveMapping(['Matrícula', 'Nombre del alumno', 'Apellido paterno', 'Apellido materno', 'Nombres', 'Correo']).nameParts).toBeUndefined();
    expect(resolveMapping(['Nombre completo del alumno', 'Nombre del tutor', 'Apellido paterno', 'Apellido materno']).nameParts).toBeUndefined();
  });

  it('keeps surnames as metadata where a mapping file names the name alone or places them, and shows the mapping that joins them', () => {
    const alone = mapping({ columns: { Nombre: 'name' } });
    const plan = resolveMapping(['Nombre', 'Apellido paterno', 'Apellido materno', 'Usuario'], alone);
    expect(plan.nameParts).toBeUndefined();
    expect(plan.partialName).toBe(true);
    expect(plan.columns[1]!.target).toEqual(metadata('Apellido paterno'));
    expect(plan.warnings).toEqual([expect.stringMatching(/"Apellido paterno" and "Apellido materno" are imported as metadata/)]);
    const suggested = JSON.parse(/such as (\{.*\})$/.exec(plan.warnings[0]!)![1]!) as MappingFile;
    expect(resolveMapping(['Nombre', 'Apellido paterno', 'Apellido materno', 'Usuario'], mapping(suggested)).nameParts).toEqual([0, 1, 2]);
    // A surname the mapping file places says where the surnames go: none is joined without it.
    const placed = resolveMapping(['Nombre', 'Apellido paterno', 'Apellido materno'], mapping({ columns: { 'Apellido materno': 'metadata.materno' } }));
    expect(placed.nameParts).toBeUndefined();
    expect(placed.columns[2]!.target).toEqual(metadata('materno'));
    // A full-name column is the name: the surnames beside it are not added to it.
    expect(resolveMapping(['Nombre completo', 'Apellido paterno']).nameParts).toBeUndefined();
  });

  it('takes a full-name column for the name wherever it stands, over given names before it, with no surname advice', () => {
    const plan = resolveMapping(['Nombre(s)', 'Apellido paterno', 'Apellido materno', 'Nombre completo', 'Usuario']);
    expect(plan.headerOf.name).toBe('Nombre completo');
    expect(plan.columns.map((c) => c.target)).toEqual([metadata('Nombre(s)'), metadata('Apellido paterno'), metadata('Apellido materno'), field('name'), field('username')]);
    expect(plan.warnings).toEqual(['"Nombre(s)" also names name, already filled from "Nombre completo"']);
    // A mapping's own choice stands.
    expect(resolveMapping(['Nombre(s)', 'Nombre completo'], mapping({ columns: { 'Nombre(s)': 'name' } })).headerOf.name).toBe('Nombre(s)');
    expect(resolveMapping(['Full name', 'Nombre'], undefined).headerOf.name).toBe('Full name');
  });

  it('reads a line break in a header as a space in fields, messages and the mapping file; metadata keeps the header as written', () => {
    const plan = resolveMapping(['Nombre completo\n(apellidos y nombres)', 'Teléfono\r\n(celular)', 'Grado \n y grupo', 'Teléfono\n(mamá)']);
    // The key a run before stored: a nightly upsert changes nothing.
    expect(plan.columns.map((column) => [column.header, column.target])).toEqual([
      ['Nombre completo (apellidos y nombres)', field('name')],
      ['Teléfono (celular)', field('phoneNumber')],
      ['Grado y grupo', metadata('Grado \n y grupo')],
      ['Teléfono (mamá)', metadata('Teléfono\n(mamá)')],
    ]);
    expect(plan.headerOf).toMatchObject({ name: 'Nombre completo (apellidos y nombres)', phoneNumber: 'Teléfono (celular)' });
    expect(targets(['Nombre', 'Teléfono\n(mamá)'], mapping({ columns: { 'Teléfono (mamá)': 'phoneNumber' } }))[1]).toEqual(['Teléfono (mamá)', field('phoneNumber')]);
  });

  it('reads the date a customer left WhatsApp under the headers an office gives it', () => {
    for (const header of ['Fecha de baja WhatsApp', 'Fecha baja WhatsApp', 'WhatsApp opt-out date', 'WhatsApp opted out at']) {
      const plan = resolveMapping(['Nombre', 'Correo', header]);
      expect(plan.headerOf.optedOutWhatsappAt, header).toBe(header);
      expect(plan.warnings, header).toEqual([]);
    }
    // A header that names no date may hold Sí/No: kept as metadata, not refused row by row as no date.
    for (const header of ['WhatsApp opt-out', 'Opted out of WhatsApp', 'Baja de WhatsApp']) expect(resolveMapping(['Nombre', 'Correo', header]).headerOf.optedOutWhatsappAt, header).toBeUndefined();
  });

  it('says when no column is read as a phone or an email but some header looks like one', () => {
    const plan = resolveMapping(['Nombre', 'Celular mamá', 'Teléfono del tutor', 'Correo del tutor', 'Cancelado', 'Excelencia']);
    expect(plan.warnings).toEqual([
      'no column is read as the customer\'s phone number; "Celular mamá", "Teléfono del tutor" look like one and are imported as metadata: if it is the customer\'s, map it with a mapping file (--mapping) such as {"columns":{"Celular mamá":"phoneNumber"}}',
      'no column is read as the customer\'s email; "Correo del tutor" looks like one and is imported as metadata: if it is the customer\'s, map it with a mapping file (--mapping) such as {"columns":{"Correo del tutor":"email"}}',
    ]);
    // A secondary phone alone is no customer's phone: `Teléfono (casa) | Tel. 2` sent the second number only, unsaid.
    expect(resolveMapping(['Nombre', 'Teléfono (casa)', 'Tel. 2']).warnings).toEqual([
      'no column is read as the customer\'s phone number; "Teléfono (casa)" looks like one and is imported as metadata: if it is the customer\'s, map it with a mapping file (--mapping) such as {"columns":{"Teléfono (casa)":"phoneNumber"}}',
    ]);
    // The WhatsApp number is the phone, the second one beside it the secondary phone.
    expect(resolveMapping(['Nombre', 'Teléfono (WhatsApp)', 'Tel. 2'])).toMatchObject({ headerOf: { phoneNumber: 'Teléfono (WhatsApp)', secondaryPhoneNumber: 'Tel. 2' }, warnings: [] });
    // `TEL-CEL` is `Tel/Cel` written with a dash: the phone.
    expect(resolveMapping(['Nombre', 'TEL-CEL', 'Tel. 2']).headerOf.phoneNumber).toBe('TEL-CEL');
    // With the field filled, other such columns are the metadata they look like; "No. Celular" is a phone.
    expect(resolveMapping(['Nombre', 'Teléfono', 'Celular mamá', 'Correo', 'Correo del tutor']).warnings).toEqual([]);
    expect(resolveMapping(['Nombre', 'No. Celular']).headerOf.phoneNumber).toBe('No. Celular');
    expect(resolveMapping(['Nombre', 'Cancelado', 'Mailing', 'Telesecundaria', 'Celebración']).warnings).toEqual([]);
    expect(resolveMapping(['Nombre', 'Tel1']).headerOf.phoneNumber).toBe('Tel1');
    for (const header of ['Tel. casa', 'Tel3', 'Cel_mamá', 'Telefono_casa']) expect(resolveMapping(['Nombre', header]).warnings, header).toHaveLength(1);
    expect(resolveMapping(['Nombre', 'email_papa']).warnings).toEqual([expect.stringMatching(/^no column is read as the customer's email; "email_papa"/)]);
    // A date about the phone or the email is no phone or email: mapped so, every row would be refused.
    for (const header of ['Fecha de alta celular', 'Email opt-out date', 'Correo dado de baja']) expect(resolveMapping(['Nombre', header]).warnings, header).toEqual([]);
    // `alta` is no date: the phone or email registered (`de alta`), or a priority, is one to suggest.
    for (const header of ['Teléfono de alta', 'Correo de alta', 'Celular (alta prioridad)']) expect(resolveMapping(['Nombre', header]).warnings, header).toEqual([expect.stringMatching(/^no column is read as the customer's (?:phone number|email); /)]);
    // A note saying whose it is keeps such a header out of the field, and the warning still names it.
    expect(resolveMapping(['Nombre', 'Teléfono (mamá)', 'Correo (tutor)']).warnings).toEqual([
      expect.stringMatching(/^no column is read as the customer's phone number; "Teléfono \(mamá\)" looks like one/),
      expect.stringMatching(/^no column is read as the customer's email; "Correo \(tutor\)" looks like one/),
    ]);
  });

  it('suggests a joining mapping only with the customer\'s own surnames, in the order a full name writes them', () => {
    const suggestion = (headers: string[], file: MappingFile = mapping({ columns: { Nombre: 'name' } })) => /such as (\{.*\})$/.exec(resolveMapping(headers, file).warnings[0] ?? '')?.[1];
    expect(suggestion(['Apellido materno', 'Apellido paterno', 'Nombre'])).toBe('{"columns":{"Nombre":"name","Apellido paterno":"name","Apellido materno":"name"}}');
    expect(suggestion(['Nombre', 'Apellido', 'Nombre del tutor', 'Apellido del tutor'])).toBe('{"columns":{"Nombre":"name","Apellido":"name"}}');
    // Only a tutor's surname: the warning, and no mapping to copy.
    expect(resolveMapping(['Nombre', 'Apellido del tutor']).warnings).toEqual([expect.stringMatching(/"Apellido del tutor" is imported as metadata.*"Nombre completo"$/)]);
    // A mapping that already joins some parts: no suggestion that would drop them.
    const joined = mapping({ columns: { 'NOMBRE(S)': 'name', 'PRIMER APELLIDO': 'name' } });
    expect(suggestion(['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)'], joined)).toBeUndefined();
  });

  it('joins the columns a mapping file sends to name, in the mapping\'s order', () => {
    const headers = ['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)', 'CURP'];
    const plan = resolveMapping(headers, mapping({ columns: { 'NOMBRE(S)': 'name', 'PRIMER APELLIDO': 'name', 'SEGUNDO APELLIDO': 'name' } }));
    expect(plan.nameParts).toEqual([2, 0, 1]);
    expect(plan.headerOf.name).toBe('NOMBRE(S)');
    expect(plan.columns.map((column) => column.target)).toEqual([field('name'), field('name'), field('name'), metadata('CURP')]);
    expect(plan.warnings).toEqual([]);
    // One column to name: no parts. Two columns to another field: still an error.
    expect(resolveMapping(headers, mapping({ columns: { 'NOMBRE(S)': 'name' } })).nameParts).toBeUndefined();
    expect(() => resolveMapping(headers, mapping({ columns: { 'NOMBRE(S)': 'name', CURP: 'username', 'PRIMER APELLIDO': 'username' } }))).toThrow(
      /sends both "CURP" and "PRIMER APELLIDO" to username/,
    );
  });
});

describe('a business\'s client list', () => {
  it('reads the headers of business exports: Cliente, Razón social, First Name; numbered phones and emails; Etiqueta', () => {
    for (const header of ['Cliente', 'Razón social', 'Nombre o razón social', 'First Name', 'Customer name', 'Nombre del estudiante']) {
      expect(resolveMapping([header, 'Correo']).headerOf.name, header).toBe(header);
    }
    // CONTPAQi-style numbered columns: the first phone is the customer's, the second the secondary one.
    const contpaqi = resolveMapping(['Código', 'Razón social', 'Teléfono 1', 'Teléfono 2', 'Email 1', 'Email 2']);
    expect(contpaqi.headerOf).toMatchObject({ name: 'Razón social', phoneNumber: 'Teléfono 1', secondaryPhoneNumber: 'Teléfono 2', email: 'Email 1' });
    // Google Contacts: the values are read, the kinds stay metadata and are no phone look-alike.
    const google = resolveMapping(['First Name', 'Last Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Phone 2 - Type', 'Phone 2 - Value']);
    expect(google.headerOf).toMatchObject({ email: 'E-mail 1 - Value', phoneNumber: 'Phone 1 - Value', secondaryPhoneNumber: 'Phone 2 - Value' });
    // First Name and Last Name make the name together, as a mapping joining them would.
    expect(google.nameParts).toEqual([0, 1]);
    expect(google.columns[1]!.target).toEqual(field('name'));
    expect(google.warnings).toEqual([]);
    expect(resolveMapping(['Nombre', 'Phone 1 - Type', 'Tipo de teléfono']).warnings).toEqual([]);
    // The phones are read together, by their labels; the email's first address only (its cell kept where it holds more).
    expect(google.labelled).toEqual([
      { fields: ['email'], splits: true, pairs: [{ label: 2, value: 3, leftoverKey: 'E-mail 1 - Value' }] },
      { fields: ['phoneNumber', 'secondaryPhoneNumber'], prefer: 'mobile', splits: true, pairs: [{ label: 4, value: 5, leftoverKey: 'Phone 1 - Value' }, { label: 6, value: 7, leftoverKey: 'Phone 2 - Value' }] },
    ]);
    expect(resolveMapping(['Nombre', 'Etiqueta']).headerOf.tags).toBe('Etiqueta');
  });

  it('takes a business\'s weak name header (Cliente, Socio, First Name) only where no header names the customer better and another field is read', () => {
    // Beside the student's name, "Cliente" is the paying tutor and "Socio" a yes/no column: metadata.
    expect(resolveMapping(['Cliente', 'Nombre del alumno', 'Correo']).headerOf.name).toBe('Nombre del alumno');
    expect(resolveMapping(['Socio', 'Nombre', 'Correo']).headerOf.name).toBe('Nombre');
    expect(resolveMapping(['Razón social', 'RFC', 'Nombre completo']).headerOf.name).toBe('Nombre completo');
    // A title line above a roster is no header: a label (`Cliente:`), or a weak header with no other field beside it.
    expect(() => resolveMapping(['Cliente:', 'Colegio Montessori del Valle', ''])).toThrow(MappingError);
    expect(() => resolveMapping(['Cliente', 'Colegio Montessori del Valle'])).toThrow(
      /"Cliente" is read as the name only where no other header speaks of a name or a student, and beside a column read as a field \(an email, a phone, a username\): if it holds the customers' names, map it with a mapping file \(--mapping\) such as \{"columns":\{"Cliente":"name"\}\}; a name column is headed such as/,
    );
    expect(resolveMapping(['Cliente', 'Teléfono']).headerOf.name).toBe('Cliente');
    // A school's Alumno or Estudiante beside a Cliente: the student and the paying tutor, or a yes/no column. Refused: map it.
    expect(() => resolveMapping(['Matrícula', 'Alumno', 'Cliente', 'Correo'])).toThrow(MappingError);
    expect(() => resolveMapping(['Cliente', 'Estudiante', 'Correo'])).toThrow(/"Cliente" is read as the name only where/);
    expect(resolveMapping(['Matrícula', 'Alumno', 'Correo']).headerOf.name).toBe('Alumno');
    expect(resolveMapping(['Alumno(a)', 'Grupo', 'Tel./Cel.']).headerOf).toEqual({ name: 'Alumno(a)', phoneNumber: 'Tel./Cel.' });
    expect(resolveMapping(['Nombre completo del alumno', 'Teléfono(s)']).headerOf).toEqual({ name: 'Nombre completo del alumno', phoneNumber: 'Teléfono(s)' });
    // Alone, or beside a header that speaks of a name: refused (map it).
    expect(() => resolveMapping(['Alumno', 'Grupo'])).toThrow(MappingError);
    expect(() => resolveMapping(['Alumno', 'Nombre del tutor', 'Correo'])).toThrow(MappingError);
    // A list of tutors: the message says first what is wrong, then how to take the tutor as the customer.
    expect(() => resolveMapping(['Nombre del tutor', 'Parentesco', 'Correo'])).toThrow(
      /^no column holds the customer's name; the headers are: "Nombre del tutor", "Parentesco", "Correo"; "Nombre del tutor" names another person, not the customer: if the customers are those people \(a list of tutors\), map it with a mapping file \(--mapping\) such as \{"columns":\{"Nombre del tutor":"name"\}\}; a name column is headed such as "nombre"/,
    );
    // A header that speaks of a name the importer does not know: the file is refused (map it), never read with the tutor for the name.
    expect(() => resolveMapping(['Cliente', 'Nombre comercial', 'Teléfono'])).toThrow(MappingError);
    // An ERP's client list (CONTPAQi, Bind): the legal name beside the trade name is the customer's, the invoices' name.
    expect(resolveMapping(['Código', 'Razón social', 'Nombre comercial', 'RFC', 'Correo electrónico', 'Teléfono 1', 'Contacto']).headerOf).toEqual({ name: 'Razón social', email: 'Correo electrónico', phoneNumber: 'Teléfono 1' });
    // The customer's own contact columns, named after the customer, a clinic's patient or a gym's member.
    expect(resolveMapping(['Cliente', 'Tel. cliente', 'Email cliente']).headerOf).toEqual({ name: 'Cliente', phoneNumber: 'Tel. cliente', email: 'Email cliente' });
    expect(resolveMapping(['Nombre del paciente', 'Teléfono del paciente', 'Correo del paciente']).headerOf).toEqual({ name: 'Nombre del paciente', phoneNumber: 'Teléfono del paciente', email: 'Correo del paciente' });
    expect(resolveMapping(['Socio', 'Celular del socio']).headerOf).toEqual({ name: 'Socio', phoneNumber: 'Celular del socio' });
    expect(resolveMapping(['Nombre del alumno', 'Correo del alumno', 'Celular del alumno', 'Correo del tutor']).headerOf).toEqual({ name: 'Nombre del alumno', email: 'Correo del alumno', phoneNumber: 'Celular del alumno' });
    expect(resolveMapping(['Paciente', 'Celular', 'Contacto de emergencia']).headerOf.name).toBe('Paciente');
    // A contact list's entry for a company alone is named by the company.
    const contacts = resolveMapping(['First Name', 'Last Name', 'Organization Name', 'E-mail 1 - Value']);
    expect(contacts.columns[2]!.target).toEqual({ kind: 'metadata', key: 'Organization Name', fills: 'name' });
    // A school system's student number beside First Name says whose names they are; beside a Cliente it is the tutor's.
    expect(resolveMapping(['Student ID', 'First Name', 'Last Name', 'Email', 'Mobile', 'Grade']).headerOf).toEqual({ name: 'First Name', email: 'Email', phoneNumber: 'Mobile' });
    expect(resolveMapping(['First Name', 'Last Name', 'ID alumno', 'Correo']).headerOf.name).toBe('First Name');
    expect(() => resolveMapping(['Cliente', 'Student ID', 'Correo'])).toThrow(/"Cliente" is read as the name only where/);
    // A school system's export with no field beside the names (its emails are the guardians'): the
    // advice maps the given, middle and last name columns together, or the customers got first names only.
    expect(() => resolveMapping(['Student_Number', 'First_Name', 'Middle_Name', 'Last_Name', 'Guardian_Email'])).toThrow(
      /map it with a mapping file \(--mapping\) such as \{"columns":\{"First_Name":"name","Middle_Name":"name","Last_Name":"name"\}\}; /,
    );
    expect(() => resolveMapping(['First Name', 'Surname', 'Grade'])).toThrow(/such as \{"columns":\{"First Name":"name","Surname":"name"\}\}; /);
    // An English school system names the student's name parts so: joined, and the parent's stay metadata.
    const english = resolveMapping(['Parent First Name', 'Parent Last Name', 'Student First Name', 'Student Middle Name', 'Student Last Name', 'Parent Email']);
    expect(english.headerOf.name).toBe('Student First Name');
    const mapEnglish = createRowMapper(english, { defaultCountry: 'MX' });
    expect(mapEnglish({ row: 2, values: ['Rosa', 'García', 'Ana', 'María', 'López', 'rosa@example.com'] }).draft.name).toBe('Ana María López');
    expect(english.columns[0]!.target).toEqual({ kind: 'metadata', key: 'Parent First Name' });
    expect(resolveMapping(['Student First Name', 'Student Last Name', 'Student Email', 'Student Mobile', 'Parent Email']).headerOf).toEqual({ name: 'Student First Name', email: 'Student Email', phoneNumber: 'Student Mobile' });
    // Shopify's customer export names the company so.
    expect(resolveMapping(['Customer ID', 'First Name', 'Last Name', 'Email', 'Default Address Company']).columns[4]!.target).toEqual({ kind: 'metadata', key: 'Default Address Company', fills: 'name' });
    const mapContact = createRowMapper(contacts, { defaultCountry: 'MX' });
    expect(mapContact({ row: 3, values: ['', '', 'Farmacias del Centro', 'compras@fcentro.mx'] }).draft).toMatchObject({ name: 'Farmacias del Centro', email: 'compras@fcentro.mx' });
    expect(mapContact({ row: 2, values: ['Juan', 'Pérez', 'Consultorio Pérez', ''] }).draft.name).toBe('Juan Pérez');
    // Outlook's phones: the mobile is the phone, the business or home phone fills it where the mobile is empty.
    const outlook = resolveMapping(['First Name', 'Last Name', 'Business Phone', 'Home Phone', 'Mobile Phone', 'E-mail Address']);
    expect(outlook.headerOf.phoneNumber).toBe('Mobile Phone');
    const mapOutlook = createRowMapper(outlook, { defaultCountry: 'MX' });
    expect(mapOutlook({ row: 3, values: ['Mike', 'Brown', '55 5250 0000', '', '', 'mike@x.com'] }).draft.phoneNumber).toBe('+525552500000');
    expect(mapOutlook({ row: 2, values: ['Fer', 'Castillo', '55 5250 0000', '', '55 1234 9876', ''] }).draft.phoneNumber).toBe('+525512349876');
    // Not in a school's list: the student's name empty beside a parent's employer is refused, not named by it.
    expect(resolveMapping(['Nombre del alumno', 'Empresa', 'Correo']).columns[1]!.target).toEqual(metadata('Empresa'));
    // A title block's labels and values are no header, though they name fields.
    expect(() => resolveMapping(['Razón social', 'Colegio Vista Hermosa SC', 'Correo', 'cobranza@colegiovista.mx'])).toThrow(/the line holds labels and their values/);
    expect(() => resolveMapping(['Cliente', 'Colegio Vista Hermosa SC', 'Tel.', '55 5678 1200'])).toThrow(/the line holds labels and their values/);
    expect(() => resolveMapping(['Nombre o razón social:', 'Colegio Vista Hermosa SC'])).toThrow(/the line holds labels and their values/);
    expect(resolveMapping(['Nombre:', 'Usuario:', 'Correo:']).headerOf.name).toBe('Nombre:');
    // Google Contacts' and Outlook's name parts are no other name: First Name is read.
    expect(resolveMapping(['First Name', 'Middle Name', 'Last Name', 'Nickname', 'Organization Name', 'E-mail 1 - Value', 'Phone 1 - Value']).headerOf.name).toBe('First Name');
    // Another person's name under any header that speaks of it stops the tutor's "Cliente" from being the name;
    // the student's full name is the name, as `Nombre completo del alumno` is.
    expect(() => resolveMapping(['Cliente', 'Nombre y apellidos de la mamá', 'Teléfono'])).toThrow(MappingError);
    expect(resolveMapping(['Cliente', 'Nombre y apellidos del alumno', 'Teléfono']).headerOf.name).toBe('Nombre y apellidos del alumno');
    expect(resolveMapping(['Nombre y apellidos', 'Correo']).partialName).toBeUndefined();
    // Title lines with an extension, two numbers, or a named address are labels and values too.
    expect(() => resolveMapping(['Cliente', 'Colegio Vista SA', 'Tel.', '55 5678 1200 ext. 3'])).toThrow(/the line holds labels and their values/);
    expect(() => resolveMapping(['Cobranza', 'Cobranza <cobranza@x.mx>', 'Nombre'])).toThrow(/the line holds labels and their values/);
    // A school year or a date as a header is no phone; --header-row says a line is the header.
    expect(resolveMapping(['Nombre', 'Grado', '2025-2026', 'Correo']).headerOf.name).toBe('Nombre');
    expect(resolveMapping(['Nombre', 'Correo', '2025-09-01', '2025-10-01']).headerOf.name).toBe('Nombre');
    expect(resolveMapping(['Nombre:', 'Grado'], undefined, { headerRowGiven: true }).headerOf.name).toBe('Nombre:');
    // A header's example is no value; a username header is no other name.
    expect(resolveMapping(['Nombre completo', 'Correo (ej. ana@mail.com)', 'Celular (10 dígitos)']).headerOf.name).toBe('Nombre completo');
    expect(resolveMapping(['Cliente', 'Username', 'Email']).headerOf).toMatchObject({ name: 'Cliente', username: 'Username' });
    // A mapping file's field counts as the other field.
    expect(resolveMapping(['Cliente', 'Cel'], mapping({ columns: { Cel: 'phoneNumber' } })).headerOf.name).toBe('Cliente');
  });

  it("reads an Odoo contacts export by its Display Name, not by the Company every row shares", () => {
    // Odoo's `Company` is the database's own company (the seller), the same on every row: read as
    // the name, every customer was named after it.
    const odoo = resolveMapping(['Display Name', 'Email', 'Phone', 'Mobile', 'Tags', 'Company', 'Is a Company', 'Related Company', 'Tax ID']);
    expect(odoo.headerOf).toMatchObject({ name: 'Display Name', email: 'Email', tags: 'Tags' });
    expect(odoo.columns[5]!.target).toEqual(metadata('Company'));
    // Odoo in Spanish, which was refused for having no name column.
    expect(resolveMapping(['Nombre mostrado', 'Correo electrónico', 'Teléfono', 'Móvil', 'Etiquetas', 'Compañía']).headerOf.name).toBe('Nombre mostrado');
    // Thunderbird's address book: its Display Name is the whole name, and its Primary Email the email (it was metadata).
    const thunderbird = resolveMapping(['First Name', 'Last Name', 'Display Name', 'Nickname', 'Primary Email', 'Secondary Email', 'Work Phone', 'Home Phone', 'Mobile Number']);
    expect(thunderbird.headerOf).toMatchObject({ name: 'Display Name', email: 'Primary Email', phoneNumber: 'Mobile Number' });
    // Its first and last name stay metadata, and name a row whose display name is empty.
    expect(thunderbird.columns[0]!.target).toEqual({ ...metadata('First Name'), fills: 'name' });
    expect(thunderbird.columns[1]!.target).toEqual({ ...metadata('Last Name'), fills: 'name' });
    expect(thunderbird.nameFallback).toEqual([0, 1]);
    // Odoo's has no given name beside its display name: no fallback, and never its Company.
    expect(odoo.nameFallback).toBeUndefined();
    expect(odoo.columns.some((column) => column.target.kind === 'metadata' && column.target.fills === 'name')).toBe(false);
  });

  it('makes a display name left empty of the given name, middle name and surnames, in that order, wherever their columns stand', () => {
    const odoo = resolveMapping(['Last name', 'Display Name', 'Email', 'Company', 'First name', 'Middle Name']);
    expect(odoo.nameFallback).toEqual([4, 5, 0]);
    expect(odoo.columns[3]!.target).toEqual(metadata('Company'));
    // Spanish surnames, by their place in a full name.
    expect(resolveMapping(['Nombre mostrado', 'Apellido materno', 'Apellido paterno', 'Nombres', 'Correo']).nameFallback).toEqual([3, 2, 1]);
    // A roster whose name is joined from its parts has no display name to fall back from.
    expect(resolveMapping(['Nombre', 'Apellido paterno', 'Apellido materno', 'Nombre mostrado', 'Correo']).nameFallback).toBeUndefined();
    // A mapping file that names the parts, or an unmapped policy that does not keep them: theirs to say.
    expect(resolveMapping(['First Name', 'Last Name', 'Display Name'], mapping({ columns: { 'First Name': null } })).nameFallback).toBeUndefined();
    expect(resolveMapping(['First Name', 'Last Name', 'Display Name'], mapping({ unmapped: 'ignore' })).nameFallback).toBeUndefined();
  });

  it('joins a roster\'s given names and surnames beside a display-name column, which names the same person', () => {
    // `Nombre mostrado` read as a second name column stopped the join: every customer was named by their given names only.
    const roster = resolveMapping(['Nombre', 'Apellido paterno', 'Apellido materno', 'Nombre mostrado', 'Correo']);
    expect(roster.nameParts).toEqual([0, 1, 2]);
    expect(roster.partialName).toBeUndefined();
    // A display name read as the name is a whole one: no advice to join the surnames to it.
    const thunderbird = resolveMapping(['First Name', 'Last Name', 'Display Name', 'Primary Email']);
    expect(thunderbird.headerOf.name).toBe('Display Name');
    expect(thunderbird.partialName).toBeUndefined();
    expect(thunderbird.warnings).toEqual([]);
  });

  it("takes a CRM's mobile for the phone over its plain Phone, which fills it where the mobile is empty, as Outlook's", () => {
    // Odoo's Phone is often the office's landline (no WhatsApp); HubSpot's Mobile Phone Number was not read at all.
    for (const [phone, mobile] of [['Phone', 'Mobile'], ['Phone Number', 'Mobile Phone Number']] as const) {
      const crm = resolveMapping(['First Name', 'Last Name', 'Email', phone, mobile]);
      expect(crm.headerOf.phoneNumber).toBe(mobile);
      expect(crm.columns[3]!.target).toEqual({ kind: 'metadata', key: phone, fills: 'phoneNumber' });
      expect(crm.warnings).toEqual([`"${phone}" also names phoneNumber, already filled from "${mobile}": it fills phoneNumber in the rows where "${mobile}" is empty, and is kept as metadata`]);
      const map = createRowMapper(crm, { defaultCountry: 'MX' });
      expect(map({ row: 2, values: ['Ana', 'Torres', '', '+52 844 411 2233', '+52 1 844 123 4567'] }).draft.phoneNumber).toBe('+528441234567');
      expect(map({ row: 3, values: ['Hotel', 'Brisa', '', '+52 998 881 2233', ''] }).draft.phoneNumber).toBe('+529988812233');
    }
    // A mapping file that names the phone is followed; a school's `Teléfono | Celular` keeps its first column.
    expect(resolveMapping(['Name', 'Phone', 'Mobile'], mapping({ columns: { Phone: 'phoneNumber' } })).headerOf.phoneNumber).toBe('Phone');
    expect(resolveMapping(['Nombre', 'Teléfono', 'Celular']).headerOf.phoneNumber).toBe('Teléfono');
    // English CRM columns beside a roster's own phone columns do not take it over.
    expect(resolveMapping(['Nombre', 'Teléfono', 'Celular', 'Phone', 'Mobile']).headerOf.phoneNumber).toBe('Teléfono');
    expect(resolveMapping(['Nombre', 'Celular', 'Phone', 'Mobile']).headerOf.phoneNumber).toBe('Celular');
  });

  it("fills the phone from Shopify's Default Address Phone where the customer's own Phone is empty", () => {
    // Shopify's `Phone` is set only for an account made by phone; the checkout's number is the address's.
    const shopify = resolveMapping(['Customer ID', 'First Name', 'Last Name', 'Email', 'Default Address Company', 'Default Address Phone', 'Phone', 'Tags']);
    expect(shopify.headerOf.phoneNumber).toBe('Phone');
    expect(shopify.columns[5]!.target).toEqual({ kind: 'metadata', key: 'Default Address Phone', fills: 'phoneNumber' });
    const map = createRowMapper(shopify, { defaultCountry: 'MX' });
    expect(map({ row: 2, values: ["'7123456789013", 'Carlos', '', 'carlos@tiendita.mx', 'La Tiendita', '+522221234567', '', ''] }).draft.phoneNumber).toBe('+522221234567');
    expect(map({ row: 3, values: ["'7123456789012", 'Valeria', 'Martínez', '', '', '+525512345678', '+525587654321', 'VIP, Mayoreo'] }).draft).toMatchObject({ phoneNumber: '+525587654321', tags: ['VIP', 'Mayoreo'] });
  });

  it('says when the name column holds given names only, where two customers may share it', () => {
    expect(resolveMapping(['Nombre', 'Correo']).partialName).toBeUndefined();
    expect(resolveMapping(['Nombre', 'Apellido paterno', 'Correo']).partialName).toBeUndefined(); // joined into the name
    expect(resolveMapping(['Nombre', 'Apellido del tutor', 'Correo']).partialName).toBe(true);
    expect(resolveMapping(['First Name', 'E-mail 1 - Value']).partialName).toBe(true);
    expect(resolveMapping(['First Name', 'Last Name', 'E-mail 1 - Value']).partialName).toBeUndefined();
    expect(resolveMapping(['Nombre(s)', 'Correo']).partialName).toBe(true);
    // SEP's PATERNO / MATERNO, and Ap. Paterno, are surnames too: a mapping naming the name alone leaves the given names.
    const alone = (name: string) => mapping({ columns: { [name]: 'name' } });
    expect(resolveMapping(['No.', 'PATERNO', 'MATERNO', 'NOMBRE', 'TELÉFONO'], alone('NOMBRE')).partialName).toBe(true);
    expect(resolveMapping(['Nombre', 'Ap. Paterno', 'Ap. Materno', 'Correo'], alone('Nombre')).partialName).toBe(true);
    expect(resolveMapping(['Nombre(s)', 'Apellidos'], mapping({ columns: { 'Nombre(s)': 'name', Apellidos: 'name' } })).partialName).toBeUndefined();
  });

  it('names the columns that hold each customer\'s own number, for a file without a username', () => {
    const identifiers = (headers: string[]) => identifierColumns(resolveMapping(headers));
    // Most telling first: a SEP list's `No.` (its numbering) is never suggested over its `Matrícula`.
    expect(identifiers(['No.', 'No. Socio', 'Nombre', 'ID', 'Clave', 'Código de cliente', 'Record ID', 'Matrícula', 'Expediente', 'Customer ID', 'Student ID'])).toEqual([
      'Matrícula', 'Expediente', 'No. Socio', 'Código de cliente', 'Record ID', 'Customer ID', 'Student ID', 'ID', 'Clave',
    ]);
    expect(identifiers(['Nombre', 'No.', 'Nº', 'Número', 'Number', 'Folio', 'Número de contacto', 'Contact number', 'No. contacto', 'Número de hermanos', 'Clave de la escuela', 'No. de lista', 'Identificación oficial'])).toEqual([]);
    expect(identifiers(['Nombre', 'No. de control', 'Correo'])).toEqual(['No. de control']);
    expect(identifiers(['Número de control', 'Nombre', 'Control de pagos'])).toEqual(['Número de control']);
    // A column mapped to a field (a username, a phone) is not one to suggest.
    expect(identifiers(['Nombre', 'No. celular', 'ID'])).toEqual(['ID']);
    // A student's CURP, one a person for life, after any number of the school's own; never a tutor's, nor an RFC.
    expect(identifiers(['Nombre del alumno', 'CURP', 'Matrícula'])).toEqual(['Matrícula', 'CURP']);
    expect(identifiers(['Nombre del alumno', 'CURP del alumno', 'CURP del tutor', 'RFC'])).toEqual(['CURP del alumno']);
  });
});

describe('joinHeaderRows', () => {
  const upper = ['No.', 'NOMBRE DEL ALUMNO', '', '', 'Grupo', 'TELÉFONO', '', 'Correo'];

  it('keeps a span\'s label on a name an earlier span has (the emergency contact\'s phone after the tutor\'s)', () => {
    const spans = ['TUTOR', '', '', 'CONTACTO DE EMERGENCIA', ''];
    expect(joinHeaderRows(spans, ['NOMBRE', 'TELÉFONO', 'CORREO', 'NOMBRE', 'TELÉFONO'])).toEqual(['NOMBRE', 'TELÉFONO', 'CORREO', 'CONTACTO DE EMERGENCIA NOMBRE', 'CONTACTO DE EMERGENCIA TELÉFONO']);
  });

  it('labels the tutor\'s columns that the student\'s own span names too, when the tutor\'s come first', () => {
    const spans = ['DATOS DEL PADRE O TUTOR', '', '', 'DATOS DEL ALUMNO', '', ''];
    const joined = joinHeaderRows(spans, ['Nombre', 'Correo', 'Celular', 'Nombre', 'Matrícula', 'Grupo'])!;
    expect(joined).toEqual(['DATOS DEL PADRE O TUTOR Nombre', 'Correo', 'Celular', 'Nombre', 'Matrícula', 'Grupo']);
    const resolved = resolveMapping(joined);
    expect(resolved.headerOf).toMatchObject({ name: 'Nombre', email: 'Correo', phoneNumber: 'Celular' });
    expect(resolved.columns[0]!.target).toEqual(metadata('DATOS DEL PADRE O TUTOR Nombre'));
    // A tutors' list with no student span: the tutor is the customer.
    expect(joinHeaderRows(['DATOS DEL TUTOR', '', 'DATOS DE CONTACTO', ''], ['Nombre', 'Parentesco', 'Correo', 'Celular'])).toEqual(['Nombre', 'Parentesco', 'Correo', 'Celular']);
  });

  it('labels the tutor\'s full name when the student\'s span names the name in parts', () => {
    // The student's `Apellido paterno | Apellido materno | Nombre(s)`, then the tutor's `Nombre completo`:
    // a full name is the name wherever it stands, and every parent was created under a student's row.
    const spans = ['DATOS DEL ALUMNO', '', '', '', 'DATOS DEL PADRE, MADRE O TUTOR', '', '', ''];
    const joined = joinHeaderRows(spans, ['Matrícula', 'Apellido paterno', 'Apellido materno', 'Nombre(s)', 'Nombre completo', 'Parentesco', 'Correo electrónico', 'Celular'])!;
    expect(joined).toEqual(['Matrícula', 'Apellido paterno', 'Apellido materno', 'Nombre(s)', 'DATOS DEL PADRE, MADRE O TUTOR Nombre completo', 'Parentesco', 'Correo electrónico', 'Celular']);
    const resolved = resolveMapping(joined);
    expect(resolved.headerOf).toMatchObject({ name: 'Nombre(s)', email: 'Correo electrónico', phoneNumber: 'Celular' });
    expect(resolved.columns.filter((column) => column.target.kind === 'field' && column.target.field === 'name').map((column) => column.header)).toEqual(['Apellido paterno', 'Apellido materno', 'Nombre(s)']);
    expect(resolved.columns[4]!.target).toEqual(metadata('DATOS DEL PADRE, MADRE O TUTOR Nombre completo'));
  });

  it('joins a school template\'s labels merged over the columns under them', () => {
    expect(joinHeaderRows(upper, ['', 'APELLIDO PATERNO', 'APELLIDO MATERNO', 'NOMBRE(S)', '', 'MAMÁ', 'PAPÁ', ''])).toEqual([
      'No.',
      'APELLIDO PATERNO',
      'APELLIDO MATERNO',
      'NOMBRE(S)',
      'Grupo',
      'TELÉFONO MAMÁ',
      'TELÉFONO PAPÁ',
      'Correo',
    ]);
  });

  it('joins sub-labels under one merged label, nothing under the name above: the phone among them', () => {
    // Was read as data: the sub-label row refused, the home phone kept as metadata "TELÉFONOS", the
    // mobile and the office numbers in columns without a header (not imported), no customer's phone.
    const phones = ['Nombre completo', 'Correo', 'TELÉFONOS', '', ''];
    expect(joinHeaderRows(phones, ['', '', 'Casa', 'Celular', 'Trabajo'])).toEqual(['Nombre completo', 'Correo', 'TELÉFONOS Casa', 'Celular', 'TELÉFONOS Trabajo']);
    expect(resolveMapping(joinHeaderRows(phones, ['', '', 'Casa', 'Celular', 'Trabajo'])!).headerOf.phoneNumber).toBe('Celular');
    // A customer's line fills the name, a sub-label row with no field's name says nothing of the fields, and values are data.
    expect(joinHeaderRows(phones, ['Ana Ruiz', '', 'Casa', 'Celular', 'Trabajo'])).toBeUndefined();
    expect(joinHeaderRows(phones, ['', '', 'Casa', 'Oficina', 'Trabajo'])).toBeUndefined();
    expect(joinHeaderRows(phones, ['', '', '55 5555 1234', 'Celular', ''])).toBeUndefined();
  });

  it.each([
    ['a student with names only', ['1', 'GARCÍA', 'LÓPEZ', 'ANA SOFÍA', '3A', '', '', '']],
    ['a student with a phone and an email', ['', 'Apellido paterno', 'Apellido materno', 'Nombre(s)', '', '55 1234 5678', '', 'ana@x.mx']],
    ['labels under no merged span', ['', '', '', '', 'Nombre', 'Correo', '', '']],
    ['a single label', ['', 'NOMBRE(S)', '', '', '', '', '', '']],
    ['a row wider than the header', ['', 'APELLIDO PATERNO', 'APELLIDO MATERNO', 'NOMBRE(S)', '', '', '', '', 'Notas']],
    ['a word that names no column outside a span', ['Ana', 'APELLIDO PATERNO', 'APELLIDO MATERNO', 'NOMBRE(S)', '', '', '', '']],
    ['a student whose cells name fields but no part of a name', ['', 'García', 'López', 'Ana', 'Sin factura', 'WhatsApp', '', '']],
    ['a surname that only holds the word', ['', 'Abuelo paterno', 'Tía materna', 'Ana', '', '', '', '']],
  ])('leaves %s as data', (_, lower) => {
    expect(joinHeaderRows(upper, lower)).toBeUndefined();
  });
});

describe('mergedNameColumns', () => {
  it('gives the columns a merged name label spans, given names first and the surnames by their place', () => {
    expect(mergedNameColumns(['No.', 'NOMBRE DEL ALUMNO', '', '', 'Grupo'], ['', 'APELLIDO MATERNO', 'NOMBRE(S)', 'APELLIDO PATERNO', ''])).toEqual([2, 3, 1]);
    expect(mergedNameColumns(['Nombre', '', 'Correo'], ['Nombres', 'Apellidos', ''])).toEqual([0, 1]);
  });

  it('gives none for a span of other labels, of given names or surnames alone, or under another label', () => {
    expect(mergedNameColumns(['NOMBRE DEL ALUMNO', '', ''], ['APELLIDO PATERNO', 'APELLIDO MATERNO', 'CURP'])).toBeUndefined();
    expect(mergedNameColumns(['NOMBRE DEL ALUMNO', ''], ['APELLIDO PATERNO', 'APELLIDO MATERNO'])).toBeUndefined();
    expect(mergedNameColumns(['TUTOR', '', ''], ['NOMBRE(S)', 'APELLIDO PATERNO', 'TELÉFONO'])).toBeUndefined();
  });

  it('makes the name of a mapping, unless the mapping file names the name itself', () => {
    const headers = ['No.', 'APELLIDO PATERNO', 'APELLIDO MATERNO', 'NOMBRE(S)'];
    expect(resolveMapping(headers, undefined, { nameColumns: [3, 1, 2] }).nameParts).toEqual([3, 1, 2]);
    expect(resolveMapping(headers, { columns: { 'NOMBRE(S)': 'name' }, unmapped: 'metadata' }, { nameColumns: [3, 1, 2] }).nameParts).toBeUndefined();
  });
});

describe("Google Contacts' labelled phones", () => {
  const HEADER = ['First Name', 'Middle Name', 'Last Name', 'Labels', 'E-mail 1 - Label', 'E-mail 1 - Value', 'E-mail 2 - Label', 'E-mail 2 - Value', 'Phone 1 - Label', 'Phone 1 - Value', 'Phone 2 - Label', 'Phone 2 - Value', 'Phone 3 - Label', 'Phone 3 - Value'];

  it('reads the phones of every pair together, a third one kept as metadata as it was, and keeps the label columns as metadata', () => {
    const google = resolveMapping(HEADER);
    expect(google.headerOf).toMatchObject({ phoneNumber: 'Phone 1 - Value', secondaryPhoneNumber: 'Phone 2 - Value', email: 'E-mail 1 - Value', tags: 'Labels' });
    const phones = google.labelled!.find((group) => group.prefer === 'mobile')!;
    expect(phones.pairs).toEqual([
      { label: 8, value: 9, leftoverKey: 'Phone 1 - Value' },
      { label: 10, value: 11, leftoverKey: 'Phone 2 - Value' },
      { label: 12, value: 13 },
    ]);
    expect(google.columns[13]!.target).toEqual(metadata('Phone 3 - Value'));
    for (const index of [4, 6, 8, 10, 12]) expect(google.columns[index]!.target).toEqual(metadata(HEADER[index]!));
    // E-mail 2 stays metadata alone.
    expect(google.labelled!.find((group) => group.fields[0] === 'email')!.pairs.map((pair) => pair.value)).toEqual([5]);
    expect(google.warnings).toEqual([]);
  });

  it('keeps a cell whole under a key of its own, where a metadata column already holds the header as its key', () => {
    const google = resolveMapping(['First Name', 'Phone 1 - Label', 'Phone 1 - Value', 'metadata.Phone 1 - Value']);
    expect(google.columns[3]!.target).toEqual(metadata('Phone 1 - Value'));
    expect(google.labelled![0]!.pairs).toEqual([{ label: 1, value: 2, leftoverKey: 'Phone 1 - Value (2)' }]);
  });

  it('leaves the phones alone where a mapping file chooses them, and splits no cell where the unmapped columns are not kept', () => {
    const chosen = resolveMapping(HEADER, mapping({ columns: { 'Phone 2 - Value': 'phoneNumber' } }));
    expect(chosen.headerOf.phoneNumber).toBe('Phone 2 - Value');
    expect(chosen.labelled?.some((group) => group.prefer === 'mobile')).toBeFalsy();
    // A second phone the mapping file sends elsewhere stays that column's: only the phone is the pairs'.
    const other = resolveMapping([...HEADER, 'Otro teléfono'], mapping({ columns: { 'Otro teléfono': 'secondaryPhoneNumber' } }));
    expect(other.labelled!.find((group) => group.prefer === 'mobile')!.fields).toEqual(['phoneNumber']);
    const ignoring = resolveMapping(HEADER, mapping({ unmapped: 'ignore' }));
    expect(ignoring.labelled).toEqual([{ fields: ['phoneNumber', 'secondaryPhoneNumber'], prefer: 'mobile', splits: false, pairs: [{ label: 8, value: 9 }, { label: 10, value: 11 }] }]);
  });

  it('is no other list than a contact list\'s: `Teléfono 1 | Teléfono 2` are read as they were', () => {
    expect(resolveMapping(['Razón social', 'Teléfono 1', 'Teléfono 2', 'Email 1']).labelled).toBeUndefined();
  });
});
