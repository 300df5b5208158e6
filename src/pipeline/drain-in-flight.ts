/**
 * Waits for the rows in flight to finish. Until the run is asked to stop (`stopping` settles) it
 * waits as long as they take; from then on `graceMs` more at most (a request must not hold an
 * interrupted run forever). Resolves `true` when they all finished, `false` when the grace ran out
 * and the caller is to cut them. Leaves no timer behind either way.
 */
export async function drainInFlight(inFlight: ReadonlySet<Promise<void>>, stopping: Promise<void>, graceMs: number): Promise<boolean> {
  const drained = Promise.all(inFlight).then(() => true);
  let graceTimer: NodeJS.Timeout | undefined;
  let settled = false;
  const grace = stopping.then(
    () =>
      new Promise<boolean>((resolve) => {
        if (!settled) graceTimer = setTimeout(() => resolve(false), graceMs);
      }),
  );
  const finished = await Promise.race([drained, grace]);
  settled = true;
  clearTimeout(graceTimer); // a pending timer would keep the process alive for the rest of the grace
  return finished;
}
