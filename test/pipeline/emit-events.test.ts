import { describe, expect, it, vi } from 'vitest';
import { guardEventHandler } from '../../src/pipeline/emit-events.js';

const logger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('guardEventHandler', () => {
  it('hands each event to the handler, and does nothing without one', () => {
    const seen: unknown[] = [];
    guardEventHandler((event) => void seen.push(event), logger())({ type: 'warning', message: 'a' });
    expect(seen).toEqual([{ type: 'warning', message: 'a' }]);
    expect(() => guardEventHandler(undefined, logger())({ type: 'warning', message: 'a' })).not.toThrow();
  });

  it('logs a throwing handler once for each event type, and goes on', async () => {
    const log = logger();
    const emit = guardEventHandler((event) => {
      if (event.type === 'warning') throw new Error('display bug');
      return Promise.reject(new Error('async display bug'));
    }, log);
    for (let i = 0; i < 3; i++) emit({ type: 'warning', message: `w${i}` });
    emit({ type: 'stopping', reason: 'interrupted' });
    emit({ type: 'stopping', reason: 'interrupted' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(log.warn.mock.calls.map((call) => call[1])).toEqual([
      'the onEvent handler threw on a "warning" event: ignored, the import goes on (said once for this event type)',
      'the onEvent handler threw on a "stopping" event: ignored, the import goes on (said once for this event type)',
    ]);
  });
});
