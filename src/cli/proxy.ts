/**
 * The proxy variable that curl, npm or pip would follow to reach `apiUrl` (`https_proxy`,
 * `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`; none for a host `no_proxy`/`NO_PROXY` names), with its
 * value; undefined when none applies. A school network that lets nothing out but through its proxy
 * failed the key check as a DNS failure or a refused connection, the proxy never tried.
 */
export function proxyFromEnvironment(apiUrl: string, env: NodeJS.ProcessEnv): { variable: string; value: string } | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined;
  }
  // Plain http is for loopback only (the simulator), which no proxy serves.
  if (url.protocol !== 'https:') return undefined;
  const variable = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'].find((name) => env[name]?.trim());
  if (variable === undefined || bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  return { variable, value: env[variable]!.trim() };
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
