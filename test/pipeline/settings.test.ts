import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { resolveSettings } from '../../src/pipeline/settings.js';

const base = { file: 'alumnos.csv', apiKey: 'sk_test_x', apiUrl: 'http://127.0.0.1:4010/v1' };

describe('resolveSettings: retry limits a library caller passes', () => {
  it('refuses attempts below one or not whole, and a retry wait that is not positive, as usage errors', () => {
    for (const retry of [{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { maxAttempts: Number.NaN }, { maxRetryWaitMs: 0 }, { maxRetryWaitMs: -1 }, { maxRetryWaitMs: Number.NaN }]) {
      let error: unknown;
      try {
        resolveSettings({ ...base, retry });
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(retry)).toBeInstanceOf(ImportError);
      expect((error as ImportError).code).toBe('usage');
    }
  });

  it('refuses values of the wrong type or out of range that a program could pass (an env variable read as text, a country as a number)', () => {
    const wrong: Record<string, unknown>[] = [
      { timeoutMs: '20000' },
      { timeoutMs: true },
      { timeoutMs: Number.POSITIVE_INFINITY },
      { defaultCountry: 52 },
      { retry: { baseDelayMs: -1 } },
      { retry: { baseDelayMs: Number.NaN } },
      { retry: { maxDelayMs: '100' } },
      { retry: { maxRetryWaitMs: '5000' } },
    ];
    for (const options of wrong) {
      let error: unknown;
      try {
        resolveSettings({ ...base, ...(options as object) });
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ImportError);
      expect((error as ImportError).code, JSON.stringify(options)).toBe('usage');
    }
    expect(() => resolveSettings({ ...base, retry: { baseDelayMs: 0, maxDelayMs: 0 } })).not.toThrow();
  });

  it('accepts one attempt and any positive wait', () => {
    expect(() => resolveSettings({ ...base, retry: { maxAttempts: 1, maxRetryWaitMs: 1 } })).not.toThrow();
    expect(() => resolveSettings({ ...base, retry: {} })).not.toThrow();
  });
});

describe('resolveSettings: options of the wrong type, from JavaScript or a web form', () => {
  const refusal = (options: unknown): ImportError => {
    try {
      resolveSettings(options as Parameters<typeof resolveSettings>[0]);
    } catch (error) {
      return error as ImportError;
    }
    throw new Error(`accepted ${JSON.stringify(options)}`);
  };

  it('refuses dryRun: "true" (taken as false it would import for real) and every other mistyped option, naming it', () => {
    expect(refusal({ ...base, dryRun: 'true' })).toMatchObject({ code: 'usage', message: 'the option dryRun must be true or false (got "true")' });
    const wrong: Record<string, unknown>[] = [
      { dryRun: 1 },
      { restart: 'yes' },
      { apiUrl: 8080 },
      { apiKey: 12345 },
      { reportPath: 1 },
      { file: 123 },
      { sheet: true },
      { sheet: {} },
      { signal: {} },
      { logger: {} },
      { retry: 5 },
      { retry: null },
      { onEvent: 'x' },
      { mapping: 3 },
      { concurrency: '8' },
    ];
    for (const options of wrong) {
      const error = refusal({ ...base, ...options });
      expect(error, JSON.stringify(options)).toBeInstanceOf(ImportError);
      expect(error.code, JSON.stringify(options)).toBe('usage');
      expect(error.message, JSON.stringify(options)).toContain(`the option ${Object.keys(options)[0]} must be`);
    }
  });

  it('refuses an empty path (an environment variable not set, a form left blank), which names no file', () => {
    expect(refusal({ ...base, file: '' })).toMatchObject({ code: 'usage', message: 'the option file must be a file path (got "")' });
    expect(refusal({ ...base, reportPath: '' })).toMatchObject({ code: 'usage', message: 'the option reportPath must be a file path (got "")' });
    expect(refusal({ ...base, mapping: '' })).toMatchObject({ code: 'usage', message: 'the option mapping must be a mapping file path or a mapping object (got "")' });
  });

  it('refuses an unknown option (a typo would be ignored), a missing file, and no options object at all', () => {
    expect(refusal({ ...base, report: 'x.csv' })).toMatchObject({ code: 'usage', message: expect.stringMatching(/^unknown option "report" \(the options are file, apiUrl, .*reportPath/) });
    expect(refusal({ ...base, dryrun: true })).toMatchObject({ code: 'usage', message: expect.stringContaining('unknown option "dryrun"') });
    expect(refusal({ apiKey: 'sk_test_x' })).toMatchObject({ code: 'usage', message: 'the option file is required: the path of the roster to import' });
    expect(refusal(undefined)).toMatchObject({ code: 'usage', message: 'importCustomers takes an options object (got undefined)' });
    expect(refusal(null)).toMatchObject({ code: 'usage' });
    // Options set to undefined are as if left out; NaN and Infinity are quoted as such.
    expect(() => resolveSettings({ ...base, dryRun: undefined, sheet: undefined, logger: undefined })).not.toThrow();
    expect(refusal({ ...base, concurrency: Number.NaN }).message).toContain('(got NaN)');
  });

  it('takes a key with a line break at its end (read from a secrets file) and refuses one with a space or a line break inside', () => {
    expect(resolveSettings({ ...base, apiKey: 'sk_test_x\n' }).apiKey).toBe('sk_test_x');
    for (const apiKey of ['sk_test x', 'sk_test\nx', 'sk_tést']) {
      expect(refusal({ ...base, apiKey }), JSON.stringify(apiKey)).toMatchObject({ code: 'usage', message: expect.stringMatching(/^the API key holds a character no key has/) });
    }
    expect(refusal({ ...base, apiKey: ' \n' })).toMatchObject({ code: 'usage', message: expect.stringMatching(/^no API key: pass the option apiKey/) });
    // Quotes kept as part of the value (docker --env-file), said so rather than refused by the API as a wrong key.
    for (const apiKey of ['"sk_test_x"', "'sk_test_x'"]) {
      expect(refusal({ ...base, apiKey }), apiKey).toMatchObject({ code: 'usage', message: expect.stringMatching(/^the API key is wrapped in quotes/) });
    }
    // Copied with its scheme from an HTTP example: said so, the key itself never quoted.
    for (const apiKey of ['Bearer sk_test_x', 'bearer  sk_test_x']) {
      const refused = refusal({ ...base, apiKey });
      expect(refused, apiKey).toMatchObject({ code: 'usage', message: 'the API key starts with "Bearer ", which the import adds itself: give the key alone' });
    }
  });
});

describe('resolveSettings: what a refusal quotes', () => {
  it('never quotes a key of the wrong type (a Buffer read from a secrets file), nor an object\'s content', () => {
    const secret = 'sk_live_TOPSECRET';
    for (const apiKey of [Buffer.from(secret), [secret], new String(secret)]) {
      let message = '';
      try {
        resolveSettings({ ...base, apiKey } as unknown as Parameters<typeof resolveSettings>[0]);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^the option apiKey must be a string \(got an? (object|array)\)$/);
      expect(message).not.toContain('TOPSECRET');
    }
    let message = '';
    try {
      resolveSettings({ ...base, apiUrl: new URL('https://user:TOPSECRET@api.quentli.com/v1') } as unknown as Parameters<typeof resolveSettings>[0]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('the option apiUrl must be a URL (got a URL)');
  });

  it('refuses an unknown retry limit, as it refuses an unknown option', () => {
    expect(() => resolveSettings({ ...base, retry: { attempts: 3 } as never })).toThrow(/^unknown retry limit "attempts" \(the limits are maxAttempts, maxRetryWaitMs, baseDelayMs, maxDelayMs\)$/);
  });
});

describe('resolveSettings: an API URL of another scheme', () => {
  it('says it does not start with https://, not that "plain http is allowed only for localhost"', () => {
    const refusal = (apiUrl: string) => (() => resolveSettings({ ...base, apiUrl }));
    // `localhost:4010/v1` is a URL of the scheme "localhost:" to a URL parser.
    expect(refusal('localhost:4010/v1')).toThrow('the option apiUrl "localhost:4010/v1" does not start with https:// (expected something like https://api.quentli.com/v1; http:// only for localhost)');
    expect(refusal('ftp://127.0.0.1:4010/v1')).toThrow(/^the option apiUrl "ftp:\/\/127\.0\.0\.1:4010\/v1" does not start with https:\/\//);
    expect(refusal('ftp://ana:s3cret@files.example.mx/v1')).toThrow(/^the option apiUrl "ftp:\/\/\*\*\*@files\.example\.mx\/v1" does not start/);
  });
});

describe('resolveSettings: a blank API URL', () => {
  it('is unset, as an empty QUENTLI_API_URL is for the CLI: the README passes process.env.QUENTLI_API_URL as it is', () => {
    for (const apiUrl of ['', '  ']) expect(resolveSettings({ ...base, apiUrl })).toMatchObject({ apiUrl: 'https://api.quentli.com/v1' });
    expect(resolveSettings({ ...base, apiUrl: ' http://127.0.0.1:4010/v1\n' })).toMatchObject({ apiUrl: 'http://127.0.0.1:4010/v1' });
  });
});

describe('resolveSettings: an API URL with a doubled slash in its path', () => {
  it('is read with one slash (a base and a path joined in a script), and any other URL as given but for trailing slashes', () => {
    expect(resolveSettings({ ...base, apiUrl: 'http://127.0.0.1:4010//v1' })).toMatchObject({ apiUrl: 'http://127.0.0.1:4010/v1', shownApiUrl: 'http://127.0.0.1:4010/v1' });
    expect(resolveSettings({ ...base, apiUrl: 'https://api.quentli.com//v1//' })).toMatchObject({ apiUrl: 'https://api.quentli.com/v1' });
    expect(resolveSettings({ ...base, apiUrl: 'https://api.quentli.com/v1/' })).toMatchObject({ apiUrl: 'https://api.quentli.com/v1' });
  });
});

describe('resolveSettings: credentials in the API URL', () => {
  it('never shows a user name or password given in the URL, in a message or in the URL kept for messages and the journal', () => {
    const refused = (apiUrl: string) => {
      try {
        resolveSettings({ ...base, apiUrl });
      } catch (error) {
        return (error as ImportError).message;
      }
      return 'accepted';
    };
    expect(refused('http://ana:s3cret@api.example.mx/v1')).toBe('the option apiUrl http://***@api.example.mx/v1 is not HTTPS: the key would travel in clear text (plain http is allowed only for localhost)');
    expect(refused('http://token123@ bad host/v1')).toMatch(/^the option apiUrl "http:\/\/\*\*\*@ bad host\/v1" is not a URL/);
    const settings = resolveSettings({ ...base, apiUrl: 'https://ana:s3cret@api.example.mx/v1/' });
    expect(settings.shownApiUrl).toBe('https://***@api.example.mx/v1');
    expect(resolveSettings(base).shownApiUrl).toBe('http://127.0.0.1:4010/v1');
    // A password with an unencoded @, and the forms a URL parser takes without `//`: nothing of the password shown.
    expect(resolveSettings({ ...base, apiUrl: 'http://ana:p@ss@localhost:1/v1' }).shownApiUrl).toBe('http://***@localhost:1/v1');
    expect(resolveSettings({ ...base, apiUrl: 'http:ana:s3cret@localhost:1/v1' }).shownApiUrl).toBe('http://***@localhost:1/v1');
    expect(refused('http:\\\\ana:s3cret@api.example.mx/v1')).toBe('the option apiUrl http://***@api.example.mx/v1 is not HTTPS: the key would travel in clear text (plain http is allowed only for localhost)');
    // A query is refused (the paths would be appended to it), and not quoted: it may hold a token.
    expect(refused('https://api.example.mx/v1?x=a@b')).toBe("the option apiUrl https://api.example.mx/v1 has a query or a fragment after it (?… or #…, not shown): give the API's base URL alone, ending in /v1 (such as https://api.quentli.com/v1); the key goes in QUENTLI_API_KEY");
  });

  it('refuses a query or a fragment after the base URL, without quoting it: /v1?api_key=… asked for /v1?api_key=…/customers, a 404', () => {
    const base = { file: 'x.csv', apiKey: 'sk_test_x' };
    for (const apiUrl of ['http://127.0.0.1:4010/v1?api_key=s3cret', 'https://api.quentli.com/v1/?token=s3cret', 'https://api.quentli.com/v1#s3cret', 'https://api.quentli.com/v1?']) {
      expect(() => resolveSettings({ ...base, apiUrl }), apiUrl).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringMatching(/\/v1 has a query or a fragment after it/) }));
      expect(() => resolveSettings({ ...base, apiUrl }), apiUrl).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
    }
  });

  it('shows the URL as its parts are (host in lower case, no default port), so the journal knows one API under any spelling', () => {
    const base = { file: 'x.csv', apiKey: 'sk_test_x' };
    expect(resolveSettings({ ...base, apiUrl: 'https://API.Quentli.com:443/v1/' })).toMatchObject({ apiUrl: 'https://API.Quentli.com:443/v1', shownApiUrl: 'https://api.quentli.com/v1' });
    expect(resolveSettings({ ...base, apiUrl: 'http://LOCALHOST:80/v1' }).shownApiUrl).toBe('http://localhost/v1');
    expect(resolveSettings({ ...base, apiUrl: 'https://api.quentli.com:8443/v1' }).shownApiUrl).toBe('https://api.quentli.com:8443/v1');
  });

  it('refuses the customers endpoint pasted for the base URL: the key check passed on a 400, then every create failed', () => {
    for (const apiUrl of ['https://api.example.mx/v1/customers', 'http://127.0.0.1:4010/v1/customers/']) {
      expect(() => resolveSettings({ ...base, apiUrl }), apiUrl).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringMatching(/ends in \/customers: give the API's base URL, ending in \/v1/) }));
    }
  });
});

describe('resolveSettings: a value out of range, as a program passes it', () => {
  it('names the option as the program wrote it, not the command line flag', () => {
    const refused = (options: Record<string, unknown>) => {
      try {
        resolveSettings({ ...base, ...options });
      } catch (error) {
        return (error as ImportError).message;
      }
      return 'accepted';
    };
    expect(refused({ concurrency: 0 })).toBe('the option concurrency must be a whole number from 1 to 256 (got 0)');
    expect(refused({ mode: 'merge' })).toBe('the option mode must be "create" or "upsert" (got "merge")');
    expect(refused({ defaultCountry: 'XX' })).toBe('the option defaultCountry "XX" is not a two-letter country code (such as MX or US)');
    expect(refused({ timeoutMs: 0 })).toBe('the option timeoutMs must be a positive number of milliseconds (got 0)');
    expect(refused({ retry: { maxAttempts: 0 } })).toBe('the option retry.maxAttempts must be a whole number of at least 1 (got 0)');
    expect(refused({ retry: { maxRetryWaitMs: -1 } })).toBe('the option retry.maxRetryWaitMs must be a positive number of milliseconds (got -1)');
    expect(refused({ apiUrl: 'nope' })).toMatch(/^the option apiUrl "nope" is not a URL/);
  });

  it('refuses a sheet position that is not a whole number from 1, and an empty sheet name, before the file is opened', () => {
    for (const sheet of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '']) {
      expect(() => resolveSettings({ ...base, sheet }), String(sheet)).toThrow(
        expect.objectContaining({ code: 'usage', message: expect.stringMatching(/^the option sheet must be a sheet's name or its position, 1 or more \(got /) }),
      );
    }
    for (const sheet of [1, 2, 'Alumnos', '2']) expect(() => resolveSettings({ ...base, sheet }), String(sheet)).not.toThrow();
  });
});
