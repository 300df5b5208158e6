import type { CustomerField } from '../validate/customer-schema.js';
import { headerKey, keyWithoutYesNoNote } from './header-key.js';

/** How a cell's text becomes a field's value. */
export type FieldKind = 'name' | 'text' | 'email' | 'phone' | 'boolean' | 'datetime' | 'tags';

/** Every field, how its cells are read, and the headers that name it besides the field's own name. */
export const FIELD_SPECS: Record<CustomerField, { kind: FieldKind; synonyms: string[] }> = {
  name: {
    kind: 'name',
    synonyms: ['nombre', 'nombre completo', 'full name', 'nombres', 'nombre(s)', 'nombre del alumno', 'nombre alumno', 'nombre del estudiante', 'nombre estudiante', 'nombre del cliente', 'nombre cliente', 'nombre o razón social', 'nombre del socio', 'customer name', 'client name', 'nombre y apellidos', 'nombres y apellidos', 'nombre y apellido', 'apellidos y nombre', 'apellidos y nombres', 'nombre completo del alumno', 'nombre completo del estudiante', 'nombre y apellidos del alumno', 'nombre y apellido del alumno', 'apellidos y nombre del alumno', 'apellidos y nombres del alumno', 'apellidos y nombre(s) del alumno', 'nombre y apellidos del estudiante', 'apellidos y nombre del estudiante', 'apellidos y nombres del estudiante', 'student name', 'nombre(s) del alumno', 'nombres del alumno', 'nombre(s) del estudiante', 'nombres del estudiante', 'student first name', 'student given name', 'primer nombre', 'apellidos, nombre', 'apellidos, nombres', 'apellidos, nombre(s)', 'apellido, nombre', 'nombre del paciente', 'nombre paciente', 'nombre del miembro', 'denominación o razón social', 'nombre fiscal', 'person - name', 'display name', 'nombre mostrado'],
  },
  username: { kind: 'text', synonyms: ['usuario', 'user', 'nombre de usuario', 'user name', 'login'] },
  email: {
    kind: 'email',
    // Numbered ones (`Email 1`, Google Contacts' `E-mail 1 - Value`): the first is the customer's.
    // A template's `Correo(s)`, as `Teléfono(s)`: the column of the customer's address (two in a cell are refused, saying so).
    synonyms: ['correo', 'correo electrónico', 'e-mail', 'mail', 'email address', 'correo-e', 'correo(s)', 'email(s)', 'e-mail(s)', 'correo(s) electrónico(s)', 'email 1', 'correo 1', 'correo electrónico 1', 'e-mail 1 - value', 'e-mail address', 'primary email', 'correo del cliente', 'correo cliente', 'email del cliente', 'email cliente', 'e-mail del cliente', 'correo electrónico del cliente', 'correo del paciente', 'correo del socio', 'correo del miembro', 'correo del alumno', 'student email', 'student e-mail', 'correo electrónico del alumno', 'email del alumno', 'correo del estudiante', 'correo alumno', 'email alumno', 'correo estudiante', 'correo/e-mail', 'correo/email', 'e-mail/correo', 'email/correo', 'correo electrónico/e-mail', 'correo personal', 'correo electrónico personal', 'email personal', 'e-mail personal', 'personal email', 'correo institucional', 'correo electrónico institucional', 'email institucional', 'dirección de email', 'dirección de e-mail', 'dirección de correo', 'dirección de correo electrónico'],
  },
  phoneNumber: {
    kind: 'phone',
    synonyms: ['phone', 'teléfono', 'celular', 'móvil', 'whatsapp', 'phone number', 'número de teléfono', 'tel', 'teléfono celular', 'teléfono móvil', 'número de celular', 'mobile', 'tel celular', 'cel', 'no. celular', 'no. de celular', 'número celular', 'núm. celular', 'no. de teléfono', 'número telefónico', 'teléfono 1', 'tel 1', 'celular 1', 'phone 1', 'phone 1 - value', 'mobile phone', 'mobile number', 'mobile phone number', 'cell', 'cell phone', 'cellphone', 'cell number', 'telephone', 'telephone number', 'teléfono principal', 'tel/cel', 'tel-cel', 'teléfono/celular', 'celular/teléfono', 'celular/whatsapp', 'cel/whatsapp', 'tel/whatsapp', 'teléfono/whatsapp', 'whatsapp/celular', 'celular y whatsapp', 'celular whatsapp', 'teléfono(s)', 'número de whatsapp', 'whatsapp number', 'teléfono whatsapp', 'tel whatsapp', 'número whatsapp', 'no. de whatsapp', 'no. whatsapp', 'núm. whatsapp', 'núm. de whatsapp', 'teléfono del cliente', 'teléfono cliente', 'tel. cliente', 'tel cliente', 'celular del cliente', 'celular cliente', 'teléfono del paciente', 'celular del paciente', 'teléfono del socio', 'celular del socio', 'teléfono del miembro', 'celular del miembro', 'teléfono del alumno', 'celular del alumno', 'student phone', 'student mobile', 'student cell phone', 'teléfono del estudiante', 'celular del estudiante', 'celular alumno', 'teléfono alumno', 'tel alumno', 'celular estudiante', 'teléfono estudiante'],
  },
  secondaryPhoneNumber: {
    kind: 'phone',
    synonyms: ['secondary phone', 'teléfono 2', 'teléfono secundario', 'otro teléfono', 'secondary phone number', 'tel 2', 'celular 2', 'teléfono alternativo', 'phone 2', 'phone 2 - value'],
  },
  acceptedServiceAgreement: { kind: 'boolean', synonyms: ['accepted service agreement', 'acepta contrato'] },
  skipTaxInvoice: { kind: 'boolean', synonyms: ['skip tax invoice', 'sin factura'] },
  assigneeId: { kind: 'text', synonyms: ['assignee', 'asignado'] },
  optedOutWhatsappAt: { kind: 'datetime', synonyms: ['opted out whatsapp at', 'baja whatsapp', 'fecha de baja whatsapp', 'fecha baja whatsapp', 'fecha de baja de whatsapp', 'whatsapp opt out date', 'whatsapp opted out at', 'whatsapp opt out at'] },
  tags: { kind: 'tags', synonyms: ['etiquetas', 'etiqueta', 'labels', 'tag'] },
};

const FIELD_BY_HEADER_KEY: ReadonlyMap<string, CustomerField> = new Map(
  (Object.keys(FIELD_SPECS) as CustomerField[]).flatMap((field) =>
    [field, ...FIELD_SPECS[field].synonyms].map((header) => [headerKey(header), field] as const),
  ),
);

/** The field a header names by itself, if any. */
export function fieldForHeader(header: string): CustomerField | undefined {
  const field = FIELD_BY_HEADER_KEY.get(headerKey(header));
  // A question about the login (`¿Usuario?`: does the student have one?) is answered yes or no.
  if (field === 'username' && QUESTION.test(header)) return undefined;
  if (field !== undefined) return field;
  const withoutYesNo = keyWithoutYesNoNote(header);
  const yesNoField = withoutYesNo === undefined ? undefined : FIELD_BY_HEADER_KEY.get(withoutYesNo);
  return yesNoField !== undefined && FIELD_SPECS[yesNoField].kind === 'boolean' ? yesNoField : undefined;
}
const QUESTION = /^\s*¿|\?\s*$/;

/**
 * Headers that name the customer in a business's list (`Cliente`, `Razón social`, `Socio`), a
 * school's (`Alumno`, `Estudiante`) or a CRM's (`First Name`, joined with its `Last Name`), and
 * something else beside a
 * roster's own name column: the paying tutor, the invoice's legal name, a yes/no column. Such a
 * column is the name only where no header names it better (see `resolveMapping`).
 */
const WEAK_NAME_HEADERS = ['cliente', 'razón social', 'socio', 'customer', 'client', 'first name', 'given name', 'alumno', 'alumna', 'estudiante', 'student', 'paciente', 'miembro', 'inquilino', 'titular', 'empresa', 'company'];
const WEAK_NAME_KEYS: ReadonlySet<string> = new Set(WEAK_NAME_HEADERS.map(headerKey));

/** Whether a header names the customer only where nothing better does; a label (`Cliente:`) above a roster does not. */
export function isWeakNameHeader(header: string): boolean {
  return WEAK_NAME_KEYS.has(headerKey(header)) && !header.trim().endsWith(':');
}
