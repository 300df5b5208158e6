/** A customer as the API answers it (the fields the importer reads; the API sends more). */
export interface Customer {
  id: string;
  name: string;
  username?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  secondaryPhoneNumber?: string | null;
  acceptedServiceAgreement?: boolean | null;
  skipTaxInvoice?: boolean | null;
  assigneeId?: string | null;
  optedOutWhatsappAt?: string | null;
  metadata?: { key: string; value: string }[] | null;
  /** When it was archived in Quentli (ISO 8601); null while it is not. */
  archivedAt?: string | null;
  /** When the API created it (ISO 8601). */
  createdAt?: string;
  /** When the API last changed it (ISO 8601). */
  updatedAt?: string;
  [field: string]: unknown;
}
