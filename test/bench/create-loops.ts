// What client-ceiling.ts and raw-client.ts share: creating customers from `concurrency` loops,
// measured after `warmup` creates (the JIT's work: with one warm-up create, 150 measured ones at
// concurrency 1 cost 2.6-3.5 ms CPU each, 1.4-1.8 warmed). Prints `{requests, warmup, elapsedMs,
// cpuUs}` as JSON; fails when any create was refused.

/** One create: resolves to the HTTP status. */
export type Create = (name: string, username: string) => Promise<number>;

/** The command line both scripts take: `<apiUrl> <apiKey> <concurrency> <requests> [warmup]`. */
export function benchArgs(): { apiUrl: string; apiKey: string; concurrency: number; total: number; warmup: number } {
  const [apiUrl, apiKey, concurrencyText, requestsText, warmupText] = process.argv.slice(2);
  return { apiUrl: apiUrl!, apiKey: apiKey!, concurrency: Number(concurrencyText), total: Number(requestsText), warmup: Math.max(1, Number(warmupText ?? 1)) };
}

/** Warms up, then measures `total` creates; `close` runs before the figures are printed. */
export async function measureCreates(create: Create, prefix: string, close: () => Promise<void> | void): Promise<void> {
  const { concurrency, total, warmup } = benchArgs();
  let failures = 0;
  const createFrom = async (count: number, namePrefix: string): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          if ((await create(`Alumno ${i}`, `${namePrefix}.${i}`)) >= 300) failures++;
        }
      }),
    );
  };
  await createFrom(warmup, `${prefix}-warmup`);
  const startedAt = performance.now();
  const startedCpu = process.cpuUsage();
  await createFrom(total, prefix);
  const cpu = process.cpuUsage(startedCpu);
  const elapsedMs = performance.now() - startedAt;
  await close();
  if (failures > 0) throw new Error(`${failures} creates failed`);
  process.stdout.write(JSON.stringify({ requests: total, warmup, elapsedMs, cpuUs: cpu.user + cpu.system }));
}
