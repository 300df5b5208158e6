import type { CustomerField } from '../validate/customer-schema.js';
import { headerKey } from './header-key.js';

/** How a cell's text becomes a field's value. */
export type FieldKind = 'name' | 'text' | 'email' | 'phone' | 'boolean' | 'datetime' | 'tags';

/** Every field, how its cells are read, and the headers that name it besides the field's own name. */
export const FIELD_SPECS: Record<CustomerField, { kind: FieldKind; synonyms: string[] }> = {
  name: { kind: 'name', synonyms: ['nombre', 'nombre completo', 'full name', 'nombres', 'nombre(s)', 'nombre del alumno', 'nombre del cliente'] },
  username: { kind: 'text', synonyms: ['usuario', 'user', 'nombre de usuario', 'user name'] },
  email: { kind: 'email', synonyms: ['correo', 'correo electrónico', 'e-mail', 'mail', 'email address', 'correo-e'] },
  phoneNumber: {
    kind: 'phone',
    synonyms: ['phone', 'teléfono', 'celular', 'móvil', 'whatsapp', 'phone number', 'número de teléfono', 'tel', 'teléfono celular', 'teléfono móvil', 'número de celular', 'mobile', 'tel celular', 'cel', 'no. celular', 'no. de celular', 'número celular', 'núm. celular', 'no. de teléfono', 'número telefónico'],
  },
  secondaryPhoneNumber: {
    kind: 'phone',
    synonyms: ['secondary phone', 'teléfono 2', 'teléfono secundario', 'otro teléfono', 'secondary phone number', 'tel 2', 'celular 2', 'teléfono alternativo'],
  },
  acceptedServiceAgreement: { kind: 'boolean', synonyms: ['accepted service agreement', 'acepta contrato'] },
  skipTaxInvoice: { kind: 'boolean', synonyms: ['skip tax invoice', 'sin factura'] },
  assigneeId: { kind: 'text', synonyms: ['assignee', 'asignado'] },
  optedOutWhatsappAt: { kind: 'datetime', synonyms: ['opted out whatsapp at', 'baja whatsapp'] },
  tags: { kind: 'tags', synonyms: ['etiquetas', 'labels'] },
};

const FIELD_BY_HEADER_KEY: ReadonlyMap<string, CustomerField> = new Map(
  (Object.keys(FIELD_SPECS) as CustomerField[]).flatMap((field) =>
    [field, ...FIELD_SPECS[field].synonyms].map((header) => [headerKey(header), field] as const),
  ),
);

/** The field a header names by itself, if any. */
export function fieldForHeader(header: string): CustomerField | undefined {
  return FIELD_BY_HEADER_KEY.get(headerKey(header));
}
