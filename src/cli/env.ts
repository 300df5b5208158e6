import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment as the CLI sees it: the process's own variables win over a `.env` file in the
 * working directory (so a cron job's explicit setting is never overridden by a stray file), but
 * an empty one (`QUENTLI_API_KEY=` left in a crontab) does not hide the file's value.
 */
export function loadEnvironment(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  let fileVars: Record<string, string> = {};
  try {
    // Windows Notepad may save it with a byte order mark, which would hide the first variable's name.
    fileVars = parseEnv(readFileSync(join(cwd, '.env'), 'utf8').replace(/^\uFEFF/, '')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const merged: NodeJS.ProcessEnv = { ...fileVars };
  for (const [name, value] of Object.entries(env)) if (value !== '' || !(name in fileVars)) merged[name] = value;
  return merged;
}
