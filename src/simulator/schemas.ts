import { z } from 'zod';

// The simulator plays the real API, so it keeps its own strict view of the payload, built once at
// module load (schema construction is far too slow to do per request).

const E164 = /^\+[1-9]\d{6,14}$/;
const MEXICO = /^\+52\d{10}$/;

const nonEmpty = z.string().min(1, { error: 'must not be empty (omit the field instead)' });

const phone = nonEmpty
  .regex(E164, { error: 'must be an E.164 phone number such as +525512345678' })
  .refine((value) => !value.startsWith('+52') || MEXICO.test(value), {
    error: 'a +52 (Mexico) number must have exactly 10 digits after +52',
  });

const email = nonEmpty.pipe(z.email({ error: 'Invalid email' }));

const dateTime = nonEmpty.pipe(
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2025-01-15T10:30:00.000Z' }),
);

const metadataEntry = z.strictObject({
  key: nonEmpty,
  value: z.string(),
});

/** The fields a customer can be created with. */
const createShape = {
  name: nonEmpty,
  username: nonEmpty.optional(),
  email: email.optional(),
  phoneNumber: phone.optional(),
  secondaryPhoneNumber: phone.optional(),
  acceptedServiceAgreement: z.boolean().optional(),
  skipTaxInvoice: z.boolean().optional(),
  assigneeId: nonEmpty.optional(),
  optedOutWhatsappAt: dateTime.optional(),
  metadata: z.array(metadataEntry).optional(),
  tags: z.array(nonEmpty).optional(),
};

/** `CustomerCreateInput` as the simulator enforces it: strict, no nulls, no empty strings. */
export const customerCreateInputSchema = z.strictObject(createShape);

/** The update data: every create field optional, plus the update-only fields. */
export const customerUpdateDataSchema = z.strictObject({
  ...createShape,
  name: nonEmpty.optional(),
  password: nonEmpty.optional(),
  tosIp: nonEmpty.optional(),
  signature: nonEmpty.optional(),
  hasChangedPassword: z.boolean().optional(),
  phoneNumberVerified: z.boolean().optional(),
  emailVerified: z.boolean().optional(),
  replyWithAssistant: z.boolean().optional(),
  meta: z.record(nonEmpty, z.string()).optional(),
});

/** Body of `POST /customers`. */
export const createBodySchema = z.strictObject({ input: customerCreateInputSchema });

/** Body of `PATCH /customers/{id}`. */
export const updateBodySchema = z.strictObject({
  input: z.strictObject({
    data: customerUpdateDataSchema,
    otp: nonEmpty.optional(),
  }),
});

/** A customer create payload accepted by the simulator. */
export type CustomerCreateInput = z.infer<typeof customerCreateInputSchema>;
/** A customer update payload accepted by the simulator. */
export type CustomerUpdateData = z.infer<typeof customerUpdateDataSchema>;

/** One refused-payload problem, as sent in the `issues` of a 400 answer. */
export interface ValidationIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** zod issues → the plain issues we answer with, plus the one-line message (`input.email: Invalid email`). */
export function describeIssues(error: z.ZodError): { message: string; issues: ValidationIssue[] } {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid payload';
  return { message, issues };
}
