import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logMessages, readCsvRecords, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// Contact lists exported by the programs that write them, end to end: the built CLI, a dry run,
// then an import into the simulator over real HTTP.

beforeAll(requireBuild);

/** The export written as the program writes it, into a temp folder of its own. */
function exportFile(name: string, lines: string[]): { cwd: string; file: string } {
  const cwd = tempDir();
  const file = join(cwd, name);
  writeFileSync(file, [...lines, ''].join('\r\n'));
  return { cwd, file };
}

describe('a Google Contacts export (Google CSV)', () => {
  const HEADER =
    'First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address';
  const ROWS = [
    // The landline first, the mobile second: the mobile is the phone.
    'Mariana,,Hernández Ruiz,,,,,,,,,,,,,,* myContacts ::: Clientes,* Home,mariana.hdz@gmail.com,,,Home,55 5264 1190,Mobile,55 3412 8870,Home,"Av. Universidad 1200, Coyoacán",Av. Universidad 1200,Ciudad de México,,CDMX,04360,México,',
    'José Luis,,Ramírez,,,,,,,,Taller Ramírez,,,,,,* myContacts,,jl.ramirez@outlook.com,,,* Móvil,+52 33 1456 2209,Trabajo,33 3615 4400,,,,,,,,,',
    // Two mobiles under one label (` ::: `), a landline after them: the landline's cell is kept as metadata.
    'Fernanda,,Ortiz Salas,,,,,,,,,,,,,,* myContacts,Work,fer.ortiz@empresa.mx,,,Mobile,81 1234 5678 ::: 81 8765 4321,Home,81 8340 1122,,,,,,,,,',
  ];

  it('takes each row\'s mobile for the phone whatever its column, and keeps every number', async ({ onTestFinished }) => {
    const { cwd, file } = exportFile('contacts.csv', [HEADER, ...ROWS]);
    const dry = await run([file, '--dry-run', '--report', join(cwd, 'dry.csv')], { cwd });
    expect(dry.code, dry.stderr).toBe(0);
    expect(logMessages(dry.stderr).join('\n')).toContain(`"Phone 1 - Value" → phoneNumber (each row's phones by their labels: one labelled as a mobile comes first, whichever its column)`);
    expect(readCsvRecords(join(cwd, 'dry.csv')).records.map((r) => [r.row, r.status, r.name])).toEqual([
      ['2', 'valid', 'Mariana Hernández Ruiz'],
      ['3', 'valid', 'José Luis Ramírez'],
      ['4', 'valid', 'Fernanda Ortiz Salas'],
    ]);

    const server = await simulator();
    onTestFinished(() => server.close());
    const result = await run([file, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
    expect(result.code, result.stderr).toBe(0);
    const byName = (name: string) => server.store.all().find((customer) => customer.name === name)!;
    expect(byName('Mariana Hernández Ruiz')).toMatchObject({ phoneNumber: '+525534128870', secondaryPhoneNumber: '+525552641190', email: 'mariana.hdz@gmail.com' });
    expect(byName('Mariana Hernández Ruiz').meta).toMatchObject({ 'Phone 1 - Label': 'Home', 'Phone 2 - Label': 'Mobile' });
    expect(byName('José Luis Ramírez')).toMatchObject({ phoneNumber: '+523314562209', secondaryPhoneNumber: '+523336154400' });
    expect(byName('Fernanda Ortiz Salas')).toMatchObject({ phoneNumber: '+528112345678', secondaryPhoneNumber: '+528187654321' });
    expect(byName('Fernanda Ortiz Salas').meta).toMatchObject({ 'Phone 2 - Value': '81 8340 1122' });
  });
});

describe('a Thunderbird address book export', () => {
  const HEADER =
    'First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Home Address,Home Address 2,Home City,Home State,Home ZipCode,Home Country,Work Address,Work Address 2,Work City,Work State,Work ZipCode,Work Country,Job Title,Department,Organization,Web Page 1,Web Page 2,Birth Year,Birth Month,Birth Day,Custom 1,Custom 2,Custom 3,Custom 4,Notes,';
  const ROWS = [
    'Guadalupe,Torres Méndez,Lupita Torres,Lupita,lupita.torres@gmail.com,,,,55 5598 2210,,,55 4021 7788,,,Ciudad de México,CDMX,03100,México,,,,,,,,,,,,,,,,,,,,',
    // A contact typed with a first and last name only: Thunderbird leaves its display name empty.
    'Ricardo,Castañeda,,,rcastaneda@prodigy.net.mx,,,33 3630 1020,,,,33 1908 4455,,,Guadalajara,Jalisco,44100,México,,,,,,,,,Ferretería Castañeda,,,,,,,,,,,',
    ',,,,sinnombre@gmail.com,,,,,,,55 1111 2222,,,,,,,,,,,,,,,Papelería El Árbol,,,,,,,,,,,',
  ];

  it('names a contact without a display name by its first and last name, and no contact by its organization', async ({ onTestFinished }) => {
    const { cwd, file } = exportFile('libreta.csv', [HEADER, ...ROWS]);
    const dry = await run([file, '--dry-run', '--report', join(cwd, 'dry.csv')], { cwd });
    expect(dry.code, dry.stderr).toBe(1);
    expect(logMessages(dry.stderr).join('\n')).toContain('"First Name" → metadata "First Name" (and name where "Display Name" is empty)');
    const report = readCsvRecords(join(cwd, 'dry.csv')).records;
    expect(report.map((r) => [r.row, r.status, r.name])).toEqual([
      ['2', 'valid', 'Lupita Torres'],
      ['3', 'valid', 'Ricardo Castañeda'],
      ['4', 'invalid', ''],
    ]);
    expect(report[2]!.error).toBe('row 4, "Display Name": is empty, and so are "First Name" and "Last Name": every customer needs a name');

    const server = await simulator();
    onTestFinished(() => server.close());
    const result = await run([file, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
    expect(result.code, result.stderr).toBe(1);
    expect(server.store.all().map((customer) => [customer.name, customer.email, customer.phoneNumber])).toEqual([
      ['Lupita Torres', 'lupita.torres@gmail.com', '+525540217788'],
      ['Ricardo Castañeda', 'rcastaneda@prodigy.net.mx', '+523319084455'],
    ]);
    expect(server.store.all()[1]!.meta).toMatchObject({ 'First Name': 'Ricardo', 'Last Name': 'Castañeda', Organization: 'Ferretería Castañeda' });
  });
});
