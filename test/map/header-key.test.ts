import { describe, expect, it } from 'vitest';
import { fieldForHeader, FIELD_SPECS } from '../../src/map/fields.js';
import { headerKey, isStatusHeader } from '../../src/map/header-key.js';
import { CUSTOMER_FIELDS, type CustomerField } from '../../src/validate/customer-schema.js';

/** Issue 2's synonym table, verbatim: the importer must know at least these. */
const ISSUE_SYNONYMS: Record<CustomerField, string[]> = {
  name: ['nombre', 'nombre completo', 'full name'],
  username: ['usuario', 'user'],
  email: ['correo', 'correo electrónico', 'e-mail', 'mail'],
  phoneNumber: ['phone', 'teléfono', 'celular', 'móvil', 'whatsapp'],
  secondaryPhoneNumber: ['secondary phone', 'teléfono 2', 'teléfono secundario', 'otro teléfono'],
  acceptedServiceAgreement: ['accepted service agreement', 'acepta contrato'],
  skipTaxInvoice: ['skip tax invoice', 'sin factura'],
  assigneeId: ['assignee', 'asignado'],
  optedOutWhatsappAt: ['opted out whatsapp at', 'baja whatsapp'],
  tags: ['etiquetas', 'labels'],
};

/** Ways a person writes the same header: case, accents, spaces, `_`, `-`, `.`. */
function variants(header: string): string[] {
  const plain = header.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return [
    header,
    header.toUpperCase(),
    header.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase()),
    plain,
    `  ${header}  `,
    header.replace(/ /g, '_'),
    header.replace(/ /g, '-'),
    header.replace(/ /g, '.'),
    header.replace(/ /g, ''),
    plain.toUpperCase().replace(/ /g, '_'),
  ];
}

describe('headerKey', () => {
  it('ignores case, accents, spaces, "_", "-" and "."', () => {
    expect(headerKey('Correo electrónico')).toBe('correoelectronico');
    expect(headerKey('  CORREO_ELECTRONICO ')).toBe('correoelectronico');
    expect(headerKey('correo-electrónico')).toBe('correoelectronico');
    expect(headerKey('Correo.Electrónico')).toBe('correoelectronico');
    expect(headerKey('Teléfono\t2')).toBe('telefono2');
    expect(headerKey('Año')).toBe('ano');
    expect(headerKey('MÓVIL')).toBe('movil');
  });

  it('ignores the invisible characters a copy from a web page or a chat leaves in a header', () => {
    expect(headerKey('\u200bNombre completo')).toBe('nombrecompleto');
    expect(headerKey('Nombre\u200b completo')).toBe('nombrecompleto');
    expect(headerKey('Co\u00adrreo')).toBe('correo');
    expect(headerKey('Teléfono\u2060')).toBe('telefono');
    expect(fieldForHeader('\u200bNombre completo')).toBe('name');
  });

  it('ignores the emoji a shared sheet puts before its column names', () => {
    // A small business's Google Sheet: the whole file was refused for want of a name column.
    expect(fieldForHeader('👤 Nombre')).toBe('name');
    expect(fieldForHeader('📱 Celular')).toBe('phoneNumber');
    expect(fieldForHeader('✉️ Correo')).toBe('email');
    expect(fieldForHeader('🏷️ Etiquetas')).toBe('tags');
    expect(fieldForHeader('Teléfono 📞')).toBe('phoneNumber');
    expect(fieldForHeader('👩🏽 Nombre completo')).toBe('name');
    // `#` and digits are emoji only as keycaps: a list number's header and `Teléfono 2` stay.
    expect(headerKey('#')).toBe('#');
    expect(fieldForHeader('Teléfono 2')).toBe('secondaryPhoneNumber');
  });

  it('ignores the marks a template adds: "*" or "(*)" for required, a colon, Spanish question marks', () => {
    expect(headerKey('Nombre completo*')).toBe('nombrecompleto');
    expect(headerKey('* Correo electrónico')).toBe('correoelectronico');
    expect(headerKey('Teléfono:')).toBe('telefono');
    expect(headerKey('¿Acepta contrato?')).toBe('aceptacontrato');
    expect(fieldForHeader('Nombre completo (*)')).toBe('name');
    expect(fieldForHeader('Nombre (tutor)')).toBeUndefined(); // other parentheses stay: the tutor's name is not the name
    expect(fieldForHeader('Correo electrónico *')).toBe('email');
    expect(fieldForHeader('¿Acepta contrato?')).toBe('acceptedServiceAgreement');
  });

  it('ignores a note in parentheses at the end, unless it says the value is someone else\'s or another one', () => {
    expect(fieldForHeader('Nombre completo (apellidos y nombres)')).toBe('name');
    expect(fieldForHeader('Correo electrónico (obligatorio)')).toBe('email');
    expect(fieldForHeader('Correo (ej. ana@mail.com)')).toBe('email');
    expect(fieldForHeader('Teléfono (10 dígitos)')).toBe('phoneNumber');
    expect(fieldForHeader('Teléfono (celular)')).toBe('phoneNumber');
    expect(fieldForHeader('Teléfono\n(celular)')).toBe('phoneNumber'); // Alt+Enter in the cell
    expect(fieldForHeader('TEL-CEL')).toBe('phoneNumber');
    expect(fieldForHeader('TELÉFONO (CELULAR) (10 DÍGITOS) *')).toBe('phoneNumber');
    // The mobile that is the customer's WhatsApp too, as Mexican forms and rosters head their phone
    // column (each was metadata: every customer was created without a phone). Not a note: see below.
    for (const header of ['Celular/WhatsApp', 'Celular / WhatsApp', 'Cel/WhatsApp', 'Tel/WhatsApp', 'Teléfono/WhatsApp', 'WhatsApp / Celular', 'Celular - WhatsApp', 'Celular y WhatsApp', 'CELULAR/WHATSAPP *']) {
      expect(fieldForHeader(header), header).toBe('phoneNumber');
    }
    // The email under both its names, or the student's without "del" (as `Correo del alumno` is read).
    for (const header of ['Correo/E-mail', 'E-mail / Correo', 'Correo / Email', 'Correo alumno', 'EMAIL ALUMNO', 'Correo estudiante']) expect(fieldForHeader(header), header).toBe('email');
    for (const header of ['Celular alumno', 'Teléfono alumno', 'Tel. alumno', 'Celular estudiante']) expect(fieldForHeader(header), header).toBe('phoneNumber');
    // The main or own one, or a note on how to write it, is the customer's.
    expect(fieldForHeader('Teléfono (principal)')).toBe('phoneNumber');
    // `(personal)` says which one it is, beside `(trabajo)`: the plain `Correo` stays the field.
    expect(fieldForHeader('Correo (personal)')).toBeUndefined();
    expect(fieldForHeader('Nombre(s) (como aparece en el acta)')).toBe('name');
    expect(fieldForHeader('Nombre completo (tal como aparece en la CURP)')).toBe('name');
    expect(fieldForHeader('Nombre completo (según acta de nacimiento)')).toBe('name');
    expect(fieldForHeader('Teléfono (sin guiones)')).toBe('phoneNumber');
    expect(fieldForHeader('Acepta contrato (Sí/No)')).toBe('acceptedServiceAgreement');
    // Only a yes/no field's: `Usuario (S/N)`, `WhatsApp (Sí/No)` ask whether there is one.
    expect(fieldForHeader('Usuario (S/N)')).toBeUndefined();
    expect(fieldForHeader('WhatsApp (Sí/No)')).toBeUndefined();
    expect(fieldForHeader('Correo (Sí/No)')).toBeUndefined();
    // A question about the login is answered yes or no; a form's questions for the name, email or phone are those.
    expect(fieldForHeader('¿Usuario?')).toBeUndefined();
    expect(fieldForHeader('¿Nombre?')).toBe('name');
    expect(fieldForHeader('¿Correo electrónico?')).toBe('email');
    expect(fieldForHeader('Teléfono?')).toBe('phoneNumber');
    expect(fieldForHeader('Sin factura (S/N)')).toBe('skipTaxInvoice');
    expect(fieldForHeader('Acepta contrato (sí o no)')).toBe('acceptedServiceAgreement');
    // How to fill it, in a template's words, also several notes in one parenthesis.
    expect(fieldForHeader('Etiquetas (separadas por coma)')).toBe('tags');
    expect(fieldForHeader('Etiquetas (separar con comas)')).toBe('tags');
    expect(fieldForHeader('Etiquetas (ej. Beca, Comedor)')).toBe('tags');
    expect(fieldForHeader('Correo (en minúsculas)')).toBe('email');
    expect(fieldForHeader('Celular (10 dígitos, sin espacios)')).toBe('phoneNumber');
    expect(fieldForHeader('Celular (con lada; solo números)')).toBe('phoneNumber');
    // Unless a part says whose or which one it is.
    expect(fieldForHeader('Teléfono (casa, 10 dígitos)')).toBeUndefined();
    expect(fieldForHeader('Celular (mamá, 10 dígitos)')).toBeUndefined();
    // Whose value it is: the tutor's phone is not the customer's.
    for (const header of ['Teléfono (mamá)', 'Correo (tutor)', 'Celular (papá)', 'Teléfono (padre o tutor)', 'Celular (emergencia)', 'Teléfono (abuela)', 'Teléfono (mamá) (10 dígitos)']) {
      expect(fieldForHeader(header), header).toBeUndefined();
    }
    // Another one: a second or third number is not the first.
    for (const header of ['Celular (2)', 'Teléfono (3)', 'Teléfono (2do)', 'Teléfono (otro)', 'Celular (secundario)']) expect(fieldForHeader(header), header).toBeUndefined();
    // Which one it is: a landline or a billing address beside the plain `Celular` or `Correo`, which stays the field.
    for (const header of ['Tel. (casa)', 'Teléfono (oficina)', 'Teléfono (fax)', 'Correo (facturación)', 'Usuario (no llenar)', 'Nombre (apodo)', 'Teléfono (WhatsApp de mamá)']) {
      expect(fieldForHeader(header), header).toBeUndefined();
    }
    // The order a name is written in, or its parts, said after it (a form's question, a template's header): the name. Refused as no name column before.
    for (const header of ['Nombre completo del alumno (comenzando por apellido paterno)', 'Nombre completo del alumno (Apellido paterno, materno y nombre(s))', 'Nombre del alumno (primer apellido, segundo apellido, nombre(s))', 'Nombre del alumno empezando por apellidos', 'Nombre completo (iniciando por apellidos)', 'Nombre del Alumno/a', 'Nombre y apellidos del alumno', 'Apellidos y nombre del alumno']) {
      expect(fieldForHeader(header), header).toBe('name');
    }
    for (const header of ['Nombre del tutor (apellido paterno, materno y nombre(s))', 'Nombre (segundo nombre)', 'Teléfono (segundo)']) expect(fieldForHeader(header), header).toBeUndefined();
    // A form that asks for the name in parts, each its own column: one part is not the name (read as it, every customer was created under the paternal surname alone).
    for (const header of ['Nombre del alumno (apellido paterno)', 'Nombre del alumno (apellido materno)', 'Nombre (primer apellido)', 'Nombre del alumno (apellido paterno y materno)']) {
      expect(fieldForHeader(header), header).toBeUndefined();
    }
    // A form's question says how many digits without parentheses, or how to write the area code: the phone all the same (each was metadata, the customer without a phone).
    for (const header of ['Celular a 10 dígitos', 'Número de teléfono a 10 dígitos', 'Celular de 10 dígitos *', 'Teléfono (incluir lada)', 'Teléfono (con clave lada)', 'Teléfono (lada + número)', 'Celular (sin espacios ni guiones)', 'Teléfono WhatsApp', 'Tel. WhatsApp', 'No. de WhatsApp', 'Núm. WhatsApp']) {
      expect(fieldForHeader(header), header).toBe('phoneNumber');
    }
    for (const header of ['Teléfono mamá 10 dígitos', 'Celular (mamá) a 10 dígitos', '10 dígitos']) expect(fieldForHeader(header), header).toBeUndefined();
    // The WhatsApp number is the mobile, the customer's phone (as `Celular/WhatsApp` is): it was metadata, the customer left without one.
    for (const header of ['Teléfono (WhatsApp)', 'Celular (Whatsapp) *', 'Teléfono (con WhatsApp)', 'Teléfono (WhatsApp, 10 dígitos)']) expect(fieldForHeader(header), header).toBe('phoneNumber');
    // An inclusive ending or a required mark is part of the header, as before; a note alone is no header.
    expect(headerKey('Nombre (s)')).toBe(headerKey('Nombre(s)'));
    expect(headerKey('Teléfono(s)')).toBe('telefono(s)');
    expect(fieldForHeader('(obligatorio)')).toBeUndefined();
  });

  it('treats composed and decomposed accents alike', () => {
    expect(headerKey('Te\u0301le\u0301fono')).toBe(headerKey('Téléfono'));
  });

  it('keeps other characters (so different headers stay different)', () => {
    expect(headerKey('Teléfono 2')).not.toBe(headerKey('Teléfono'));
    expect(headerKey('')).toBe('');
  });
});

describe('field synonyms', () => {
  it('the field list is the API reference\'s CustomerCreateInput, metadata aside', () => {
    expect(CUSTOMER_FIELDS).toEqual(Object.keys(ISSUE_SYNONYMS));
    expect(Object.keys(FIELD_SPECS).sort()).toEqual([...CUSTOMER_FIELDS].sort());
  });

  for (const [field, synonyms] of Object.entries(ISSUE_SYNONYMS)) {
    it(`${field}: its own name and every synonym of the issue, however written`, () => {
      for (const header of [field, ...synonyms]) {
        for (const written of variants(header)) expect(fieldForHeader(written), JSON.stringify(written)).toBe(field);
      }
    });
  }

  it('the roster headers of the fixtures map as expected', () => {
    expect(fieldForHeader('Nombre completo')).toBe('name');
    expect(fieldForHeader('Correo electrónico')).toBe('email');
    expect(fieldForHeader('Otro teléfono')).toBe('secondaryPhoneNumber');
    expect(fieldForHeader('Teléfono secundario')).toBe('secondaryPhoneNumber');
    expect(fieldForHeader('Baja WhatsApp')).toBe('optedOutWhatsappAt');
    expect(fieldForHeader('E-mail')).toBe('email');
    expect(fieldForHeader('Full name')).toBe('name');
  });

  it('common school-system headers beyond the issue\'s table', () => {
    expect(fieldForHeader('Nombre(s)')).toBe('name');
    expect(fieldForHeader('Nombre del alumno')).toBe('name');
    expect(fieldForHeader('Tel.')).toBe('phoneNumber');
    expect(fieldForHeader('Número de celular')).toBe('phoneNumber');
    expect(fieldForHeader('Celular 2')).toBe('secondaryPhoneNumber');
    expect(fieldForHeader('Correo-e')).toBe('email');
    // English exports (Schoology, PowerSchool, a CRM).
    for (const header of ['Mobile Number', 'Cell', 'Cell Phone', 'Cellphone', 'Telephone', 'Telephone Number']) expect(fieldForHeader(header), header).toBe('phoneNumber');
    // A plural column often holds two numbers in a cell: metadata, as it was, not a phone refused row by row.
    expect(fieldForHeader('Teléfonos')).toBeUndefined();
  });

  it('unknown headers map to nothing', () => {
    for (const header of ['Matrícula', 'Grado', 'Tutor', 'Alumno', 'Comentarios', 'metadata', 'apellido paterno', 'teléfono 3', 'error']) {
      expect(fieldForHeader(header), header).toBeUndefined();
    }
  });

  it('no synonym names two fields', () => {
    const seen = new Map<string, string>();
    for (const field of CUSTOMER_FIELDS) {
      for (const header of [field, ...FIELD_SPECS[field].synonyms]) {
        const key = headerKey(header);
        expect(seen.get(key) ?? field, header).toBe(field);
        seen.set(key, field);
      }
    }
  });

  it('tells a status column (`Estatus`, `Status`, `Situación`, `Estado del alumno`), not `Estado` alone, the state of an address', () => {
    for (const header of ['Estatus', 'ESTATUS', 'Status', 'Situación', 'situacion', 'Estado del alumno', 'Estado  del Alumno', 'Estatus del estudiante', 'Student Status']) expect(isStatusHeader(header), header).toBe(true);
    for (const header of ['Estado', 'Estado civil', 'Estatus de pago', 'Situación fiscal', 'Nombre']) expect(isStatusHeader(header), header).toBe(false);
  });
});
