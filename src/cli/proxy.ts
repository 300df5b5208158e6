/**
 * The proxy variable that curl, npm or pip would follow to reach `apiUrl` (`https_proxy`,
 * `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`; none for a host `no_proxy`/`NO_PROXY` names), as
 * `NAME (value)` with any user and password in it shown as `***`; undefined when none applies.
 * The importer connects directly: a school network that allows the API only through its proxy
 * fails the key check as a DNS failure or a refused connection, which said nothing of the proxy.
 */
export function ignoredProxy(apiUrl: string, env: NodeJS.ProcessEnv): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined;
  }
  // Plain http is for loopback only (the simulator), which no proxy serves.
  if (url.protocol !== 'https:') return undefined;
  const name = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'].find((variable) => env[variable]?.trim());
  if (name === undefined || bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  const value = env[name]!.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1***@');
  return `${name} (${value})`;
}

/** Whether a `NO_PROXY` list (`*`, `example.com`, `.example.com`, `host:port`) names the URL's host. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || '443';
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [, entryHost = '', entryPort] = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!;
      const domain = entryHost.replace(/^\*?\./, '');
      return (entryPort === undefined || entryPort === port) && (host === domain || host.endsWith(`.${domain}`));
    });
}
