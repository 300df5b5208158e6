import { describe, expect, it } from 'vitest';
import { proxyFromEnvironment } from '../../src/cli/proxy.js';
import { checkProxyUrl } from '../../src/pipeline/settings.js';

describe('proxyFromEnvironment', () => {
  const api = 'https://api.quentli.com/v1';
  const proxy = (variable: string, value: string) => ({ variable, value });

  it('is the variable curl would follow to the API: https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY, in that order', () => {
    expect(proxyFromEnvironment(api, { HTTPS_PROXY: 'http://proxy.escuela.mx:3128' })).toEqual(proxy('HTTPS_PROXY', 'http://proxy.escuela.mx:3128'));
    expect(proxyFromEnvironment(api, { https_proxy: ' http://ana:s3cret@proxy:3128 ', HTTPS_PROXY: 'http://other:8080' })).toEqual(proxy('https_proxy', 'http://ana:s3cret@proxy:3128'));
    expect(proxyFromEnvironment(api, { ALL_PROXY: 'proxy:3128' })).toEqual(proxy('ALL_PROXY', 'proxy:3128'));
  });

  it('is none without one, for a plain http (loopback) API, or for a host NO_PROXY names', () => {
    expect(proxyFromEnvironment(api, {})).toBeUndefined();
    expect(proxyFromEnvironment(api, { HTTPS_PROXY: ' ' })).toBeUndefined();
    expect(proxyFromEnvironment(api, { HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined(); // curl uses it for http:// only
    expect(proxyFromEnvironment('http://127.0.0.1:4010/v1', { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined();
    for (const noProxy of ['*', 'quentli.com', '.quentli.com', '*.quentli.com', 'localhost, api.quentli.com:443', 'API.QUENTLI.COM']) {
      expect(proxyFromEnvironment(api, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy }), noProxy).toBeUndefined();
    }
    expect(proxyFromEnvironment(api, { HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'api.quentli.com:8443' })).toEqual(proxy('HTTPS_PROXY', 'http://proxy:3128'));
    expect(proxyFromEnvironment(api, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'notquentli.com' })).toEqual(proxy('HTTPS_PROXY', 'http://proxy:3128'));
  });
});

describe('checkProxyUrl', () => {
  it('takes a proxy written without a scheme as http://, and shows a user and password in it masked', () => {
    expect(checkProxyUrl('proxy.escuela.mx:3128', 'HTTPS_PROXY')).toEqual({ url: 'http://proxy.escuela.mx:3128/', shown: 'http://proxy.escuela.mx:3128' });
    expect(checkProxyUrl('http://ana:s3cret@proxy:3128', 'HTTPS_PROXY')).toEqual({ url: 'http://ana:s3cret@proxy:3128/', shown: 'http://***@proxy:3128' });
    expect(checkProxyUrl('https://proxy:8443', 'the option proxy').url).toBe('https://proxy:8443/');
  });

  it('refuses what is no HTTP proxy, naming the variable, never quoting a password', () => {
    expect(() => checkProxyUrl('socks5://ana:s3cret@proxy:1080', 'ALL_PROXY')).toThrow('ALL_PROXY socks5://***@proxy:1080 is a socks5 proxy: only HTTP proxies (http:// or https://) are supported');
    expect(() => checkProxyUrl('http://proxy:99999', 'HTTPS_PROXY')).toThrow('HTTPS_PROXY "http://proxy:99999" is not a proxy URL (expected something like http://proxy.example.com:3128)');
    // A password with a `#`, `/` or `?` as typed: the URL ends there, and its message quoted the password.
    for (const given of ['http://ana:s3c#ret@proxy:3128', 'http://ana:s3c/ret@proxy:3128', 'ana:s3c?ret@proxy:3128', 'http://ana:1234/ret@proxy:3128']) {
      expect(() => checkProxyUrl(given, 'HTTPS_PROXY'), given).toThrow('HTTPS_PROXY http://***@proxy:3128 is not a proxy URL: a "/", "?" or "#" in its user or password is written %2F, %3F or %23');
    }
    // A `%` that starts no escape: the run ended as an unexpected error, `URI malformed`.
    for (const given of ['http://ana:p%ss@proxy:3128', 'http://ana%:s3cret@proxy:3128', 'http://ana:100%@proxy:3128', 'http://ana:caf%E9@proxy:3128']) {
      expect(() => checkProxyUrl(given, 'HTTPS_PROXY'), given).toThrow('HTTPS_PROXY http://***@proxy:3128 is not a proxy URL: a "%" in its user or password is written %25 (a "%" starts an escape such as %40 for "@")');
    }
    expect(checkProxyUrl('http://ana:p%25ss%40%C3%A9@proxy:3128', 'HTTPS_PROXY').url).toBe('http://ana:p%25ss%40%C3%A9@proxy:3128/');
  });
});
