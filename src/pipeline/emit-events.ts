import type { EngineLogger } from '../logger.js';
import type { ImportEvent, ImportOptions } from './options.js';

/**
 * The caller's `onEvent` handler, kept from breaking the run: a throw there (a progress display's
 * bug), or an async handler's rejection, is logged once for each event type and the import goes on.
 * Thrown through, it could end the run with rows sent and not reported, or files left open, or (from
 * the abort listener) end the host process. Without a handler, emitting does nothing.
 */
export function guardEventHandler(onEvent: ImportOptions['onEvent'], log: EngineLogger): (event: ImportEvent) => void {
  /** Event types whose handler threw: said once each, not once a row (a million warnings for a million rows). */
  const failedEventTypes = new Set<ImportEvent['type']>();
  const handlerFailed = (event: ImportEvent, error: unknown) => {
    if (failedEventTypes.has(event.type)) return;
    failedEventTypes.add(event.type);
    log.warn({ err: error, event: event.type }, `the onEvent handler threw on a "${event.type}" event: ignored, the import goes on (said once for this event type)`);
  };
  return (event: ImportEvent) => {
    if (!onEvent) return;
    try {
      // An async handler's rejection too: unhandled, it would end the host process.
      const returned: unknown = onEvent(event);
      if (returned instanceof Promise) returned.catch((error: unknown) => handlerFailed(event, error));
    } catch (error) {
      handlerFailed(event, error);
    }
  };
}
