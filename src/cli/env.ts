import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment as the CLI sees it: the process's own variables win over a `.env` file in the
 * working directory (so a cron job's explicit setting is never overridden by a stray file), but
 * an empty one (`QUENTLI_API_KEY=` left in a crontab) does not hide the file's value.
 */
export function loadEnvironment(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const text = envFileText(cwd);
  const fileVars = text === undefined ? {} : (parseEnv(text) as Record<string, string>);
  const merged: NodeJS.ProcessEnv = { ...fileVars };
  for (const [name, value] of Object.entries(env)) if (value !== '' || !(name in fileVars)) merged[name] = value;
  return merged;
}

/**
 * Whether the value `loadEnvironment` gives `name` is the `.env`'s, cut short at a `#` inside a URL's
 * user or password: unquoted, `HTTPS_PROXY=http://ana:s3c#ret@proxy:3128` reads `http://ana:s3c` (a
 * `#` starts a comment in .env, also inside a word, where a shell keeps it), the proxy's host lost.
 */
export function isCutAtHash(cwd: string, env: NodeJS.ProcessEnv, name: string): boolean {
  if (env[name]) return false; // the environment's own value, not the file's
  const text = envFileText(cwd);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = text === undefined ? [] : [...text.matchAll(new RegExp(`^[ \\t]*(?:export[ \\t]+)?${escaped}[ \\t]*=[ \\t]*(.*)$`, 'gm'))];
  const value = lines.at(-1)?.[1] ?? '';
  // Quoted, the `#` is kept; a comment after the value is set apart by a space. Inside a word, a `#`
  // with an `@` after it was in the user or password.
  return !/^["'`]/.test(value) && /\S#[^\s#]*@/.test(value);
}

/** The `.env` file's text; undefined when there is none. */
function envFileText(cwd: string): string | undefined {
  try {
    // Windows Notepad may save it with a byte order mark, which would hide the first variable's name.
    return readFileSync(join(cwd, '.env'), 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
