import { randomAlphanumeric } from './prng.js';
import { customerCreateInputSchema, describeIssues } from './schemas.js';
import type { CustomerCreateInput, CustomerUpdateData } from './schemas.js';

/** A customer as the API answers it: exactly the documented fields, no `tags`. */
export interface Customer {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  username: string | null;
  organizationId: string;
  acceptedServiceAgreement: boolean;
  skipTaxInvoice: boolean;
  emailVerified: boolean;
  phoneNumberVerified: boolean;
  hasChangedPassword: boolean;
  email: string | null;
  phoneNumber: string | null;
  secondaryPhoneNumber: string | null;
  archivedAt: string | null;
  archivedById: string | null;
  signatureAcceptedAt: string | null;
  optedOutWhatsappAt: string | null;
  optedInWhatsappAt: string | null;
  startedWhatsappAt: string | null;
  replyWithAssistant: boolean;
  metadata: { key: string; value: string }[];
  meta: Record<string, string>;
}

/** What the store keeps about a customer beyond the answer (fields the API accepts but never returns). */
export interface StoredCustomer {
  customer: Customer;
  /** Insertion order; the default (createdAt asc) order and the tie-break of every other order. */
  seq: number;
  tags: string[];
  assigneeId: string | null;
  tosIp: string | null;
  hasPassword: boolean;
}

/** Fields a list can be filtered on, and the operators the simulator understands. */
export type FilterField = 'username' | 'name' | 'email' | 'phoneNumber' | 'id';
export type FilterOp = 'equals' | 'contains';
/** One `field[op]=value` condition; conditions are ANDed. */
export interface FilterCondition {
  field: FilterField;
  op: FilterOp;
  value: string;
}
/** Fields a list can be ordered by. */
export type OrderField = 'createdAt' | 'updatedAt' | 'name' | 'username';
/** One `field=asc|desc` term; earlier terms win, insertion order breaks ties. */
export interface OrderTerm {
  field: OrderField;
  direction: 'asc' | 'desc';
}

/** The outcome of a write: the customer, or why it was refused. */
export type WriteResult =
  | { ok: true; customer: Customer }
  | { ok: false; reason: 'conflict' | 'not_found'; /** The customer holding the username, on a create's conflict. */ holder?: Customer };

/**
 * The simulator's in-memory customers of one organization. Tests read it directly; the HTTP layer
 * writes through `create`/`update`. The returned objects are the stored ones: do not mutate them.
 */
export class CustomerStore {
  readonly #organizationId: string;
  readonly #random: () => number;
  readonly #records: StoredCustomer[] = [];
  readonly #byId = new Map<string, StoredCustomer>();
  /** By username, or by its lower case when usernames are unique ignoring case. */
  readonly #byUsername = new Map<string, StoredCustomer>();
  readonly #usernamesIgnoreCase: boolean;

  /**
   * `usernamesIgnoreCase`: a username is taken by any spelling of it in another case (`ana.uno`
   * by `ANA.UNO`), each kept as written, while `username[equals]` still compares case: an API the
   * document allows, which only a listing of every customer can match.
   */
  constructor(organizationId: string, random: () => number, options: { usernamesIgnoreCase?: boolean; now?: () => number } = {}) {
    this.#organizationId = organizationId;
    this.#random = random;
    this.#usernamesIgnoreCase = options.usernamesIgnoreCase === true;
    this.#now = options.now ?? Date.now;
  }

  /** The store's clock (`now`, ms since the epoch): what `createdAt` and `updatedAt` are written by. Default this machine's. */
  readonly #now: () => number;

  #usernameKey(username: string): string {
    return this.#usernamesIgnoreCase ? username.toLowerCase() : username;
  }

  /** Number of customers stored. */
  get size(): number {
    return this.#records.length;
  }

  /** Every customer, in creation order. */
  all(): Customer[] {
    return this.#records.map((record) => record.customer);
  }

  /** The customer with this id, if any. */
  byId(id: string): Customer | undefined {
    return this.#byId.get(id)?.customer;
  }

  /** The customer with exactly this username, if any. */
  byUsername(username: string): Customer | undefined {
    const customer = this.#byUsername.get(this.#usernameKey(username))?.customer;
    return customer?.username === username ? customer : undefined;
  }

  /** The tags a customer was created or updated with (the API never returns them). */
  tagsOf(id: string): string[] | undefined {
    return this.#byId.get(id)?.tags;
  }

  /** Everything stored about a customer, including fields the API never returns. */
  recordOf(id: string): StoredCustomer | undefined {
    return this.#byId.get(id);
  }

  /**
   * Pre-load customers, bypassing HTTP and faults. Each input is validated like a POST body;
   * throws on an invalid input or a taken username.
   */
  seed(inputs: readonly unknown[]): Customer[] {
    return inputs.map((raw, index) => {
      // An `archivedAt` beside the input pre-loads the customer archived (done in Quentli's own
      // app: the API has no call that archives).
      const { archivedAt, ...input } = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : { archivedAt: undefined };
      if (archivedAt !== undefined && (typeof archivedAt !== 'string' || Number.isNaN(Date.parse(archivedAt)))) {
        throw new Error(`seed customer ${index}: archivedAt must be an ISO 8601 date-time`);
      }
      const parsed = customerCreateInputSchema.safeParse(typeof raw === 'object' && raw !== null ? input : raw);
      if (!parsed.success) {
        throw new Error(`seed customer ${index}: ${describeIssues(parsed.error).message}`);
      }
      const result = this.create(parsed.data);
      if (!result.ok) throw new Error(`seed customer ${index}: username already exists`);
      if (archivedAt !== undefined) result.customer.archivedAt = archivedAt;
      return result.customer;
    });
  }

  /** Remove every customer. */
  clear(): void {
    this.#records.length = 0;
    this.#byId.clear();
    this.#byUsername.clear();
  }

  /** Store a new customer from a validated input; refuses a taken username. */
  create(input: CustomerCreateInput): WriteResult {
    const username = input.username ?? null;
    const holder = username === null ? undefined : this.#byUsername.get(this.#usernameKey(username))?.customer;
    if (holder) return { ok: false, reason: 'conflict', holder };
    const now = new Date(this.#now()).toISOString();
    const metadata = (input.metadata ?? []).map(({ key, value }) => ({ key, value }));
    const customer: Customer = {
      id: this.#newId(),
      createdAt: now,
      updatedAt: now,
      name: input.name,
      username,
      organizationId: this.#organizationId,
      acceptedServiceAgreement: input.acceptedServiceAgreement ?? false,
      skipTaxInvoice: input.skipTaxInvoice ?? false,
      emailVerified: false,
      phoneNumberVerified: false,
      hasChangedPassword: false,
      email: input.email ?? null,
      phoneNumber: input.phoneNumber ?? null,
      secondaryPhoneNumber: input.secondaryPhoneNumber ?? null,
      archivedAt: null,
      archivedById: null,
      signatureAcceptedAt: null,
      optedOutWhatsappAt: input.optedOutWhatsappAt ?? null,
      optedInWhatsappAt: null,
      startedWhatsappAt: null,
      replyWithAssistant: false,
      metadata,
      meta: metaOf(metadata),
    };
    const record: StoredCustomer = {
      customer,
      seq: this.#records.length,
      tags: [...(input.tags ?? [])],
      assigneeId: input.assigneeId ?? null,
      tosIp: null,
      hasPassword: false,
    };
    this.#records.push(record);
    this.#byId.set(customer.id, record);
    if (username !== null) this.#byUsername.set(this.#usernameKey(username), record);
    return { ok: true, customer };
  }

  /**
   * Apply validated update data: given fields replace stored ones (`metadata`, or `meta`, replaces
   * the whole list). Refuses an unknown id or a username taken by another customer.
   */
  update(id: string, data: CustomerUpdateData): WriteResult {
    const record = this.#byId.get(id);
    if (!record) return { ok: false, reason: 'not_found' };
    const customer = record.customer;
    if (data.username !== undefined && data.username !== customer.username) {
      const taken = this.#byUsername.get(this.#usernameKey(data.username));
      if (taken && taken !== record) return { ok: false, reason: 'conflict' };
      if (customer.username !== null) this.#byUsername.delete(this.#usernameKey(customer.username));
      this.#byUsername.set(this.#usernameKey(data.username), record);
      customer.username = data.username;
    }
    const now = new Date(this.#now()).toISOString();
    if (data.name !== undefined) customer.name = data.name;
    if (data.email !== undefined) customer.email = data.email;
    if (data.phoneNumber !== undefined) customer.phoneNumber = data.phoneNumber;
    if (data.secondaryPhoneNumber !== undefined) customer.secondaryPhoneNumber = data.secondaryPhoneNumber;
    if (data.acceptedServiceAgreement !== undefined) customer.acceptedServiceAgreement = data.acceptedServiceAgreement;
    if (data.skipTaxInvoice !== undefined) customer.skipTaxInvoice = data.skipTaxInvoice;
    if (data.optedOutWhatsappAt !== undefined) customer.optedOutWhatsappAt = data.optedOutWhatsappAt;
    if (data.hasChangedPassword !== undefined) customer.hasChangedPassword = data.hasChangedPassword;
    if (data.phoneNumberVerified !== undefined) customer.phoneNumberVerified = data.phoneNumberVerified;
    if (data.emailVerified !== undefined) customer.emailVerified = data.emailVerified;
    if (data.replyWithAssistant !== undefined) customer.replyWithAssistant = data.replyWithAssistant;
    if (data.signature !== undefined) customer.signatureAcceptedAt = now;
    if (data.metadata !== undefined) {
      customer.metadata = data.metadata.map(({ key, value }) => ({ key, value }));
      customer.meta = metaOf(customer.metadata);
    } else if (data.meta !== undefined) {
      customer.metadata = Object.entries(data.meta).map(([key, value]) => ({ key, value }));
      customer.meta = metaOf(customer.metadata);
    }
    if (data.tags !== undefined) record.tags = [...data.tags];
    if (data.assigneeId !== undefined) record.assigneeId = data.assigneeId;
    if (data.tosIp !== undefined) record.tosIp = data.tosIp;
    if (data.password !== undefined) record.hasPassword = true;
    customer.updatedAt = now;
    return { ok: true, customer };
  }

  /** One page of customers matching every condition, in the given order (default: creation order). */
  list(conditions: readonly FilterCondition[], order: readonly OrderTerm[], skip: number, take: number): Customer[] {
    const matches = (record: StoredCustomer) => conditions.every((c) => matchesCondition(record.customer, c));
    const candidates = this.#candidates(conditions);
    const first = order[0];
    if (order.length <= 1 && (first === undefined || first.field === 'createdAt')) {
      // Creation order (or its reverse) is the array order: stop as soon as the page is full.
      const page: Customer[] = [];
      const descending = first?.direction === 'desc';
      let skipped = 0;
      for (let i = 0; i < candidates.length && page.length < take; i++) {
        const record = candidates[descending ? candidates.length - 1 - i : i]!;
        if (!matches(record)) continue;
        if (skipped < skip) skipped++;
        else page.push(record.customer);
      }
      return page;
    }
    const sorted = candidates.filter(matches).sort((a, b) => compareRecords(a, b, order));
    return sorted.slice(skip, skip + take).map((record) => record.customer);
  }

  /** Narrow by an exact id or username condition through the indexes; else every record. */
  #candidates(conditions: readonly FilterCondition[]): readonly StoredCustomer[] {
    for (const condition of conditions) {
      if (condition.op !== 'equals') continue;
      if (condition.field === 'id' || condition.field === 'username') {
        const record = condition.field === 'id' ? this.#byId.get(condition.value) : this.#byUsername.get(this.#usernameKey(condition.value));
        return record ? [record] : []; // still matched against the condition: `equals` compares case
      }
    }
    return this.#records;
  }

  #newId(): string {
    for (;;) {
      const id = `cus_${randomAlphanumeric(this.#random, 20)}`;
      if (!this.#byId.has(id)) return id;
    }
  }
}

/** The pairs as an object, the last of a repeated key winning; fromEntries, since an assignment would drop a `__proto__` key. */
function metaOf(metadata: readonly { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(metadata.map(({ key, value }) => [key, value]));
}

function matchesCondition(customer: Customer, condition: FilterCondition): boolean {
  const actual = customer[condition.field];
  if (actual === null) return false;
  if (condition.op === 'equals') return actual === condition.value;
  return actual.toLowerCase().includes(condition.value.toLowerCase());
}

function compareRecords(a: StoredCustomer, b: StoredCustomer, order: readonly OrderTerm[]): number {
  for (const term of order) {
    const sign = term.direction === 'asc' ? 1 : -1;
    if (term.field === 'createdAt') return sign * (a.seq - b.seq);
    const x = a.customer[term.field];
    const y = b.customer[term.field];
    if (x === y) continue;
    // Like PostgreSQL: nulls sort last ascending, first descending.
    if (x === null) return sign;
    if (y === null) return -sign;
    return sign * (x < y ? -1 : 1);
  }
  return a.seq - b.seq;
}
