import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { RunningSimulator } from '../../src/simulator/index.js';

/** What a test sees of one answer. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

/** One real HTTP call to the simulator; `path` is relative to the base URL (`/customers?take=5`). */
export async function call(
  sim: RunningSimulator,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; rawBody?: string | Buffer; key?: string | null; /** The whole Authorization header, instead of `Bearer <key>`. */ authorization?: string; contentType?: string; dispatcher?: Dispatcher; timeoutMs?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? sim.apiKey : options.key;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await request(`${sim.url}${path}`, {
    method,
    headers,
    body,
    dispatcher: options.dispatcher,
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/** The `filter` query parameter for an exact username, encoded the way the importer must. */
export function usernameFilter(username: string): string {
  return `filter=${encodeURIComponent(`username[equals]=${encodeURIComponent(username)}`)}`;
}
