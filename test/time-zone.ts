import { onTestFinished } from 'vitest';

/** Sets the machine's zone (Node reads `TZ` again when it is set) for the rest of the test, and puts it back when the test ends. */
export function inTimeZone(zone: string): void {
  const before = process.env.TZ;
  process.env.TZ = zone;
  onTestFinished(() => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  });
}
