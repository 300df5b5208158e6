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
