import type { CustomerField } from '../validate/customer-schema.js';
import { headerKey } from './header-key.js';

/** How a cell's text becomes a field's value. */
export type FieldKind = 'name' | 'text' | 'email' | 'phone' | 'boolean' | 'datetime' | 'tags';

/** Every field, how its cells are read, and the headers that name it besides the field's own name. */
export const FIELD_SPECS: Record<CustomerField, { kind: FieldKind; synonyms: string[] }> = {
  name: { kind: 'name', synonyms: ['nombre', 'nombre completo', 'full name', 'nombres', 'nombre(s)', 'nombre del alumno', 'nombre del cliente', 'first name', 'given name', 'given names'] },
  username: { kind: 'text', synonyms: ['usuario', 'user', 'nombre de usuario', 'user name'] },
  email: { kind: 'email', synonyms: ['correo', 'correo electrónico', 'e-mail', 'mail', 'email address', 'correo-e'] },
  phoneNumber: {
    kind: 'phone',
    synonyms: ['phone', 'teléfono', 'celular', 'móvil', 'whatsapp', 'phone number', 'número de teléfono', 'tel', 'teléfono celular', 'teléfono móvil', 'número de celular', 'mobile', 'tel celular', 'cel'],
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

/**
 * The parts a full name is split into in many school exports (SEP's own lists read `PRIMER
 * APELLIDO`, `SEGUNDO APELLIDO`, `NOMBRE(S)`), in the order a full name is written in Mexico:
 * given names, first (paternal) surname, second (maternal) surname. `surnames` is one column for
 * both, or a last name.
 */
export type NamePart = 'given' | 'first_surname' | 'second_surname' | 'surnames';

export const NAME_PART_ORDER: readonly NamePart[] = ['given', 'first_surname', 'surnames', 'second_surname'];

const NAME_PART_HEADERS: Record<NamePart, string[]> = {
  given: ['nombre', 'nombres', 'nombre(s)', 'first name', 'given name', 'given names'],
  first_surname: ['apellido paterno', 'primer apellido', 'apellido 1', 'paterno', 'ap paterno'],
  second_surname: ['apellido materno', 'segundo apellido', 'apellido 2', 'materno', 'ap materno'],
  surnames: ['apellidos', 'apellido', 'last name', 'surname', 'family name', 'last names'],
};

const NAME_PART_BY_HEADER_KEY: ReadonlyMap<string, NamePart> = new Map(
  (Object.keys(NAME_PART_HEADERS) as NamePart[]).flatMap((part) => NAME_PART_HEADERS[part].map((header) => [headerKey(header), part] as const)),
);

/** The part of a full name a header names, if it names one (`Nombre(s)` → given; `Apellido paterno` → first_surname). */
export function namePartForHeader(header: string): NamePart | undefined {
  return NAME_PART_BY_HEADER_KEY.get(headerKey(header));
}
