import type { FilterCondition, FilterField, FilterOp, OrderField, OrderTerm } from './store.js';

/** A parsed `GET /customers` query. */
export interface ListQuery {
  skip: number;
  take: number;
  conditions: FilterCondition[];
  order: OrderTerm[];
}

/** Either the query or the reason it is refused (answered as 400). */
export type ParsedListQuery = { ok: true; query: ListQuery } | { ok: false; message: string };

const FILTER_FIELDS: ReadonlySet<string> = new Set<FilterField>(['username', 'name', 'email', 'phoneNumber', 'id']);
const FILTER_OPS: ReadonlySet<string> = new Set<FilterOp>(['equals', 'contains']);
const ORDER_FIELDS: ReadonlySet<string> = new Set<OrderField>(['createdAt', 'updatedAt', 'name', 'username']);
const KNOWN_PARAMS: ReadonlySet<string> = new Set(['skip', 'take', 'filter', 'orderBy']);
const INTEGER = /^\d+$/;
const FILTER_KEY = /^([A-Za-z]+)\[([A-Za-z]+)\]$/;

/**
 * Parse the query string of `GET /customers` (without the `?`). `filter` and `orderBy` are
 * qs-encoded strings, themselves URL-encoded as a whole: `filter=username%5Bequals%5D%3Dana%2540x.mx`.
 */
export function parseListQuery(search: string): ParsedListQuery {
  const params = new URLSearchParams(search);
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!KNOWN_PARAMS.has(name)) return { ok: false, message: `unknown query parameter "${name}"` };
    if (seen.has(name)) return { ok: false, message: `query parameter "${name}" given more than once` };
    seen.add(name);
  }

  const skipText = params.get('skip');
  let skip = 0;
  if (skipText !== null) {
    if (!INTEGER.test(skipText)) return { ok: false, message: 'skip must be an integer ≥ 0' };
    skip = Number(skipText);
  }
  const takeText = params.get('take');
  let take = 20;
  if (takeText !== null) {
    if (!INTEGER.test(takeText)) return { ok: false, message: 'take must be an integer from 1 to 100' };
    take = Number(takeText);
    if (take < 1 || take > 100) return { ok: false, message: 'take must be an integer from 1 to 100' };
  }

  const conditions: FilterCondition[] = [];
  const filter = params.get('filter');
  if (filter) {
    for (const part of filter.split('&')) {
      if (part === '') continue;
      const pair = splitPair(part);
      if (!pair) return { ok: false, message: `filter: cannot decode "${part}"` };
      const match = FILTER_KEY.exec(pair.key);
      if (!match) return { ok: false, message: `filter: expected field[operator]=value, got "${pair.key}"` };
      const field = match[1]!;
      const op = match[2]!;
      if (!FILTER_FIELDS.has(field)) return { ok: false, message: `filter: unknown field "${field}"` };
      if (!FILTER_OPS.has(op)) return { ok: false, message: `filter: unknown operator "${op}"` };
      conditions.push({ field: field as FilterField, op: op as FilterOp, value: pair.value });
    }
  }

  const order: OrderTerm[] = [];
  const orderBy = params.get('orderBy');
  if (orderBy) {
    for (const part of orderBy.split('&')) {
      if (part === '') continue;
      const pair = splitPair(part);
      if (!pair) return { ok: false, message: `orderBy: cannot decode "${part}"` };
      if (!ORDER_FIELDS.has(pair.key)) return { ok: false, message: `orderBy: unknown field "${pair.key}"` };
      if (pair.value !== 'asc' && pair.value !== 'desc') {
        return { ok: false, message: `orderBy: direction must be asc or desc, got "${pair.value}"` };
      }
      order.push({ field: pair.key as OrderField, direction: pair.value });
    }
  }

  return { ok: true, query: { skip, take, conditions, order } };
}

/** `key=value` with both sides decoded the way qs does (`+` is a space); undefined if malformed. */
function splitPair(part: string): { key: string; value: string } | undefined {
  const at = part.indexOf('=');
  if (at < 0) return undefined;
  const key = decodeQs(part.slice(0, at));
  const value = decodeQs(part.slice(at + 1));
  if (key === undefined || value === undefined) return undefined;
  return { key, value };
}

function decodeQs(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
