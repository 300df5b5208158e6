import { describe, expect, it } from 'vitest';
import { createRowMapper } from '../../src/map/map-row.js';
import { resolveMapping } from '../../src/map/resolve-mapping.js';
import type { SourceRow } from '../../src/read/source-row.js';
import { customerInputSchema } from '../../src/validate/customer-schema.js';
import { describeIssue, formatIssue, issueGroupKey, type RowIssue } from '../../src/validate/row-issue.js';
import { createRowValidator, type ValidatedRow } from '../../src/validate/validate-row.js';

const HEADERS = ['Nombre completo', 'Usuario', 'Correo electrónico', 'Teléfono', 'Otro teléfono', 'Acepta contrato', 'Sin factura', 'Baja WhatsApp', 'Etiquetas', 'Matrícula'];
const mapping = resolveMapping(HEADERS);
const mapRow = createRowMapper(mapping, { defaultCountry: 'MX' });
const validateRow = createRowValidator(mapping);
const check = (row: number, values: string[]): ValidatedRow => validateRow(mapRow({ row, values } satisfies SourceRow));
const messages = (result: ValidatedRow): string[] => (result.ok ? [] : result.issues.map(formatIssue));

describe('formatIssue', () => {
  it('names the row, the column as written, the value and the rule', () => {
    const issue: RowIssue = { row: 5, column: 'Correo electrónico', code: 'invalid_email', value: 'pedro@', rule: 'is not a valid email' };
    expect(formatIssue(issue)).toBe('row 5, "Correo electrónico": "pedro@" is not a valid email');
    expect(describeIssue(issue)).toBe('"Correo electrónico": "pedro@" is not a valid email');
    expect(issueGroupKey(issue)).toBe('"Correo electrónico" is not a valid email');
  });

  it('groups every email the schema refuses in a column as one, whatever slip its message names', () => {
    const slip: RowIssue = { row: 9, column: 'Correo electrónico', code: 'invalid_email', value: 'camila@@correo.mx', rule: 'is not a valid email: it has more than one @' };
    expect(formatIssue(slip)).toBe('row 9, "Correo electrónico": "camila@@correo.mx" is not a valid email: it has more than one @');
    expect(issueGroupKey(slip)).toBe('"Correo electrónico" is not a valid email');
    // Other refusals of an email are reasons of their own.
    const placeholder: RowIssue = { row: 4, column: 'Correo', code: 'invalid_email', value: 'N/A', rule: 'is not an email but a placeholder: leave the cell empty when the customer has none' };
    expect(issueGroupKey(placeholder)).toBe('"Correo" is not an email but a placeholder: leave the cell empty when the customer has none');
  });

  it('without a column or a value, and with quotes in the value', () => {
    expect(formatIssue({ row: 3, code: 'malformed_row', rule: 'has 4 cells but the header has 3' })).toBe('row 3, has 4 cells but the header has 3');
    expect(formatIssue({ row: 7, column: 'Nombre', code: 'required', rule: 'is empty' })).toBe('row 7, "Nombre": is empty');
    expect(formatIssue({ row: 8, column: 'Correo', code: 'invalid_email', value: 'a"b@', rule: 'is not a valid email' })).toBe('row 8, "Correo": "a\\"b@" is not a valid email');
    // A value of a megabyte (a line with no breaks) is quoted by its start and its length.
    expect(formatIssue({ row: 2, column: 'Correo', code: 'invalid_email', value: 'x'.repeat(1_000_000), rule: 'is not a valid email' })).toBe(
      `row 2, "Correo": "${'x'.repeat(299)}… (1,000,000 characters)" is not a valid email`,
    );
  });
});

describe('createRowValidator', () => {
  it('a valid row gives the payload, exactly as the schema parses it', () => {
    const result = check(2, ['Ana López', 'alopez', 'ana@example.com', '55 1234 5678', '', 'sí', '0', '2025-01-15', 'VIP, Colegiatura', 'A-1']);
    expect(result).toEqual({
      row: 2,
      ok: true,
      input: {
        name: 'Ana López',
        username: 'alopez',
        email: 'ana@example.com',
        phoneNumber: '+525512345678',
        acceptedServiceAgreement: true,
        skipTaxInvoice: false,
        optedOutWhatsappAt: '2025-01-15T00:00:00.000Z',
        tags: ['VIP', 'Colegiatura'],
        metadata: [{ key: 'Matrícula', value: 'A-1' }],
      },
    });
    if (result.ok) expect(customerInputSchema.parse(result.input)).toEqual(result.input);
  });

  it('the issue\'s message, exactly: row 5, "Correo electrónico": "pedro@" is not a valid email', () => {
    const result = check(5, ['Pedro Ramírez Solís', 'A-1026', 'pedro@', '+525588840986', '', 'SI', '', '', '', 'A-1026']);
    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual(['row 5, "Correo electrónico": "pedro@" is not a valid email']);
    if (!result.ok) expect(result.issues[0]).toEqual({ row: 5, column: 'Correo electrónico', code: 'invalid_email', value: 'pedro@', rule: 'is not a valid email' });
  });

  it('refuses the invalid emails of the demo roster and other broken addresses', () => {
    const tooLong = [`${'a'.repeat(65)}@gmail.com`, `ana@${'b'.repeat(250)}.mx`]; // past the standard's 64 before the @, 254 in all
    for (const email of ['pedro@', ...tooLong]) {
      const result = check(6, ['Ana', '', email, '', '', '', '', '', '', '']);
      expect(messages(result), email).toEqual([`row 6, "Correo electrónico": ${JSON.stringify(email)} is not a valid email`]);
    }
    // A slip of typing: said, as the thing to fix.
    const slips = [
      ['sin arroba', 'it has no @'],
      ['ana(at)gmail.com', 'it has no @'],
      ['ana＠gmail.com', 'it has "＠" (U+FF20, a wide at sign) where an @ should be: type the @ again'],
      ['ana﹫gmail.com', 'it has "﹫" (U+FE6B, a wide at sign) where an @ should be: type the @ again'],
      ['ana@@gmail.com', 'it has more than one @'],
      ['ana lopez@gmail.com', 'it has a space inside'],
      ['ana@ gmail.com', 'it has a space inside'],
      ['ana@gmail,com', 'it has a comma after the @ (a dot meant?)'],
      ['juan,perez@gmail.com', 'it has a comma before the @ (a dot meant?)'],
      ['ana@gmail..com', 'it has two dots in a row'],
      ['ana..lopez@gmail.com', 'it has two dots in a row'],
      ['ana@gmail.', 'it ends with a dot'],
      ['ana@gmail.com.', 'it ends with a dot'],
      ['ana.@gmail.com', 'it has a dot right before the @'],
      ['.ana@gmail.com', 'it has a dot at its start'],
      ['ana@gmail.con', 'no domain ends in .con (.com meant?)'],
      ['ANA@HOTMAIL.CMO', 'no domain ends in .CMO (.com meant?)'],
      ['ana@yahoo.com.mx.comm', 'no domain ends in .comm (.com meant?)'],
      ['@gmail.com', 'nothing comes before the @'],
      ['ana@x.m', "its ending .m is no domain's ending (such as .com or .mx)"],
      ['ana@gmail.123', "its ending .123 is no domain's ending (such as .com or .mx)"],
      ['ana@-gmail.com', 'a part of its domain starts with a hyphen'],
      ['"ana"@x.mx', 'it has "\\"", which the part before the @ cannot hold'],
      ['ana#1@gmail.com', 'it has "#", which the part before the @ cannot hold'],
      ['ana@gmail_mx.com', 'it has "_", which a domain cannot hold'],
      ['ana@gmail.com)', 'it has ")", which a domain cannot hold'],
      // Failing the pattern and a refinement of the schema both: one message, the slip to fix first.
      ['ana@gmial.com)', 'it has ")", which a domain cannot hold'],
      ['ana lopez@gmial.com', 'it has a space inside'],
      ['ana lopez@gmail.con', 'it has a space inside'],
      ['ana@gmial.com', 'gmial.com looks like gmail.com mistyped: check how the customer writes it'],
      ['ana@hotmial.com.mx', 'hotmial.com.mx looks like hotmail.com.mx mistyped: check how the customer writes it'],
      ['ANA@HOTMAI.COM', 'HOTMAI.COM looks like hotmail.com mistyped: check how the customer writes it'],
      ['ana@outlok.es', 'outlok.es looks like outlook.es mistyped: check how the customer writes it'],
      ['ana@yaho.com.mx', 'yaho.com.mx looks like yahoo.com.mx mistyped: check how the customer writes it'],
    ];
    for (const [email, slip] of slips) {
      const result = check(6, ['Ana', '', email!, '', '', '', '', '', '', '']);
      expect(messages(result), email).toEqual([`row 6, "Correo electrónico": ${JSON.stringify(email)} is not a valid email: ${slip}`]);
    }
    // A domain that stops before its ending: said, as the one thing to add.
    for (const email of ['ana.lopez@gmail', 'a@b', 'luis@hotmail-mx']) {
      const result = check(6, ['Ana', '', email, '', '', '', '', '', '', '']);
      expect(messages(result), email).toEqual([`row 6, "Correo electrónico": ${JSON.stringify(email)} is not a valid email: the domain after the @ has no ending (such as .com or .mx)`]);
    }
    // Colombia's .co and Cameroon's .cm are real endings; `con` before the @ or inside the domain is no slip.
    // Real providers one letter from gmail.com, and a misspelling as a subdomain's or a mailbox's name, are no slip.
    for (const email of ['ana.lopez@gmail.com', 'x+tag@escuela.edu.mx', 'renata.canedo@yahoo.com.mx', `${'a'.repeat(64)}@gmail.com`, 'ana@empresa.co', 'ana@mail.cm', 'con@con.mx', 'ana@con.com.mx', 'ana@mail.com', 'ana@email.com', 'ana@ymail.com', 'gmial@escuela.mx', 'ana@gmai.alumnos.escuela.edu.mx']) {
      expect(check(6, ['Ana', '', email, '', '', '', '', '', '', '']).ok, email).toBe(true);
    }
  });

  it('reports every problem of a row at once', () => {
    const result = check(14, ['', 'sflores', 'oscar@', '55 1234', '123', 'tal vez', 'quizá', '31/02/2025', '', '']);
    expect(messages(result)).toEqual([
      'row 14, "Teléfono": "55 1234" has 6 digits and a Mexican number has 10: digits are missing, even for a number written without its area code (lada): check the number with the customer (a number from abroad needs its + and country code)',
      'row 14, "Otro teléfono": "123" is not a valid phone number (numbers without a country code are read as MX)',
      'row 14, "Acepta contrato": "tal vez" is not a yes/no value (use sí/no, true/false or 1/0)',
      'row 14, "Sin factura": "quizá" is not a yes/no value (use sí/no, true/false or 1/0)',
      'row 14, "Baja WhatsApp": "31/02/2025" is not a date that exists: February 2025 has 28 days',
      'row 14, "Nombre completo": is empty: every customer needs a name',
      'row 14, "Correo electrónico": "oscar@" is not a valid email',
    ]);
    if (!result.ok) {
      expect(result.issues.map((i) => i.code)).toEqual(['invalid_phone', 'invalid_phone', 'invalid_boolean', 'invalid_boolean', 'invalid_date', 'required', 'invalid_email']);
      expect(result.draft).toMatchObject({ username: 'sflores', email: 'oscar@' });
    }
  });

  it('a missing name (empty or blank cell) is "required", naming the column', () => {
    for (const name of ['', '   ']) {
      const result = check(27, [name, 'pvelazquez', 'p@x.mx', '', '', '', '', '', '', '']);
      expect(messages(result)).toEqual(['row 27, "Nombre completo": is empty: every customer needs a name']);
      if (!result.ok) expect(result.issues[0]!.code).toBe('required');
    }
  });

  it("a contact list's empty display name says its first and last name, which would have named the row, are empty too", () => {
    const validate = createRowValidator(resolveMapping(['First Name', 'Last Name', 'Display Name', 'Primary Email']));
    const mapRow = createRowMapper(resolveMapping(['First Name', 'Last Name', 'Display Name', 'Primary Email']), { defaultCountry: 'MX' });
    const result = validate(mapRow({ row: 4, values: ['', '', '', 'sinnombre@gmail.com'] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map(formatIssue)).toEqual(['row 4, "Display Name": is empty, and so are "First Name" and "Last Name": every customer needs a name']);
  });

  it('a line without a name that holds one other cell says what it holds (a heading merged across, a note under the first column)', () => {
    expect(messages(check(6, ['', '', '', '', '', '', '', '', '', 'PRIMERO B']))).toEqual([
      'row 6, "Nombre completo": is empty: every customer needs a name (the line holds only "PRIMERO B", under "Matrícula": a heading or a note? delete the line)',
    ]);
    expect(messages(check(7, ['', '', '', '', '', '', '', '', 'beca', 'A-1001']))).toEqual(['row 7, "Nombre completo": is empty: every customer needs a name']);
  });

  it("a student with surnames and no given names is told the name is missing, not that the line holds only its group", () => {
    // A SEP list: the surnames make no name without the given names, so the draft held only the group,
    // and the office was told to delete a student's line as a heading or a note.
    const headers = ['PRIMER APELLIDO', 'SEGUNDO APELLIDO', 'NOMBRE(S)', 'GRUPO'];
    const validate = createRowValidator(resolveMapping(headers));
    const mapRow = createRowMapper(resolveMapping(headers), { defaultCountry: 'MX' });
    expect(messages(validate(mapRow({ row: 5, values: ['García', 'López', '', '1A'] })))).toEqual(['row 5, "NOMBRE(S)": is empty: every customer needs a name']);
    expect(messages(validate(mapRow({ row: 6, values: ['García', '', '', '1A'] })))).toEqual(['row 6, "NOMBRE(S)": is empty: every customer needs a name']);
    // A line whose one cell is under a surname, or under the group, is still said to hold only that.
    expect(messages(validate(mapRow({ row: 7, values: ['GRUPO 1B', '', '', ''] })))).toEqual([
      'row 7, "NOMBRE(S)": is empty: every customer needs a name (the line holds only "GRUPO 1B", under "PRIMER APELLIDO": a heading or a note? delete the line)',
    ]);
    expect(messages(validate(mapRow({ row: 8, values: ['', '', '', '1B'] })))).toEqual([
      'row 8, "NOMBRE(S)": is empty: every customer needs a name (the line holds only "1B", under "GRUPO": a heading or a note? delete the line)',
    ]);
  });

  it('one cell is reported once, even when zod would also complain about it', () => {
    const result = check(3, ['Ana', '', '', '55 1234', '', '', '', '', '', '']);
    expect(messages(result)).toHaveLength(1);
  });

  it('a reader\'s malformed row refuses the row even when its fields are valid', () => {
    const mapped = mapRow({ row: 4, values: ['Ana', '', 'ana@x.mx', '', '', '', '', '', '', ''], cellIssues: [{ code: 'malformed_row', message: 'has 11 cells but the header has 10' }] });
    const result = validateRow(mapped);
    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual(['row 4, has 11 cells but the header has 10']);
  });

  it('the schema refuses what must never be sent', () => {
    expect(customerInputSchema.safeParse({ name: 'Ana', email: '' }).success).toBe(false);
    expect(customerInputSchema.safeParse({ name: 'Ana', phoneNumber: '5512345678' }).success).toBe(false);
    expect(customerInputSchema.safeParse({ name: 'Ana', unknown: 1 }).success).toBe(false);
    expect(customerInputSchema.safeParse({ name: '  ' }).success).toBe(false);
    expect(customerInputSchema.safeParse({ name: 'Ana', metadata: [{ key: '', value: 'x' }] }).success).toBe(false);
    expect(customerInputSchema.safeParse({ name: 'Ana', optedOutWhatsappAt: '15/01/2025' }).success).toBe(false);
  });
});
