#!/usr/bin/env node
// The simulator as a program: `node dist/simulator/main.js --port 4010`. Prints one line with the
// URL and key on stdout, per-request lines on stderr only with --verbose, stops on SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';
import type { StartSimulatorOptions } from './server.js';

const USAGE = `Usage: node dist/simulator/main.js [options]

  --port <n>               port to listen on (default 4010; 0 = any free port)
  --host <addr>            interface to listen on (default 127.0.0.1)
  --api-key <sk_...>       accepted API key; repeat for more (default sk_test_simulator)
  --org-id <id>            organizationId of the customers (default org_simulator)
  --latency <ms>           delay before every answer (default 0)
  --latency-jitter <ms>    each delay varies by up to ± this (default 0)
  --error-rate <0..1>      share of requests answered 500/502/503, nothing written (default 0)
  --rate-limit <n>         requests per second admitted; the rest get 429 + Retry-After (0 = no limit, the default)
  --random-429-rate <0..1>  share of requests answered 429 at random, whatever the rate (default 0)
  --random-429-retry-after <s>  Retry-After sent with those 429s; 0 sends Retry-After: 0 (default 1)
  --cut-after-create <0..1>  share of creates stored then cut without an answer (default 0)
  --error-after-create <0..1>  share of creates stored then answered 500/502/503 (default 0)
  --unavailable-retry-after <s>  Retry-After sent with those 503s (default: none)
  --hang-rate <0..1>       share of requests never answered (default 0)
  --stall-body-rate <0..1>  share of answers stopped after their headers and half their body (default 0)
  --conflict-status <n>    status answered for a taken username: 409, 400 or 422 (default 409)
  --page-size-cap <n>      most customers a GET /customers page holds, whatever take asks (0 = no cap, the default)
  --seed <n>               seed of the random choices (default: random)
  --seed-file <file.json>  JSON array of customer inputs to pre-load (with "archivedAt": archived)
  --usernames-ignore-case  a username is taken in any case (ANA.UNO takes ana.uno), kept as written;
                           the equals filter still compares case
  --phones-without-plus    answer phones without their + (525512345678), stored and filtered as sent
  --ignore-filter          GET /customers ignores its filter: every customer, paged and ordered as asked
  --conflict-without-reason  a taken username is refused with an empty body (no message)
  --answer-taken-with-holder  a create of a taken username is answered 200 with the customer holding it
  --clock-offset <ms>      the simulator's clock runs this far ahead of the machine's (negative: behind);
                           createdAt, updatedAt and the Date header follow it (default 0)
  --no-date-header         answers carry no Date header
  --verbose                one line per request on stderr
  --help                   this text
`;

function fail(message: string): never {
  process.stderr.write(`simulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** A number option, ≥ 0 unless `signed` (`--clock-offset=-600000`), and ≤ `max` when given. */
function numberOption(name: string, text: string | undefined, { max, signed = false }: { max?: number; signed?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (!signed && value < 0) || (max !== undefined && value > max)) {
    fail(`--${name} must be a number${signed ? '' : ' ≥ 0'}${max === undefined ? '' : ` and ≤ ${max}`}, got "${text}"`);
  }
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'org-id': { type: 'string' },
        latency: { type: 'string' },
        'latency-jitter': { type: 'string' },
        'error-rate': { type: 'string' },
        'rate-limit': { type: 'string' },
        'random-429-rate': { type: 'string' },
        'random-429-retry-after': { type: 'string' },
        'cut-after-create': { type: 'string' },
        'error-after-create': { type: 'string' },
        'unavailable-retry-after': { type: 'string' },
        'hang-rate': { type: 'string' },
        'stall-body-rate': { type: 'string' },
        'conflict-status': { type: 'string' },
        'page-size-cap': { type: 'string' },
        seed: { type: 'string' },
        'seed-file': { type: 'string' },
        'usernames-ignore-case': { type: 'boolean', default: false },
        'phones-without-plus': { type: 'boolean', default: false },
        'ignore-filter': { type: 'boolean', default: false },
        'conflict-without-reason': { type: 'boolean', default: false },
        'answer-taken-with-holder': { type: 'boolean', default: false },
        'clock-offset': { type: 'string' },
        'no-date-header': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const port = numberOption('port', values.port ?? '4010', { max: 65535 });
  if (port !== undefined && !Number.isInteger(port)) fail('--port must be an integer');
  const seed = numberOption('seed', values.seed);
  const apiKeys = values['api-key'];
  for (const key of apiKeys ?? []) if (!key.startsWith('sk_')) fail('--api-key must start with sk_');

  let customers: unknown[] | undefined;
  const seedFile = values['seed-file'];
  if (seedFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(seedFile, 'utf8'));
    } catch (error) {
      fail(`--seed-file ${seedFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!Array.isArray(parsed)) fail(`--seed-file ${seedFile}: expected a JSON array of customer inputs`);
    customers = parsed;
  }

  const options: StartSimulatorOptions = {
    port,
    host: values.host,
    apiKeys,
    organizationId: values['org-id'],
    seed: seed === undefined ? undefined : Math.floor(seed),
    customers,
    usernamesIgnoreCase: values['usernames-ignore-case'],
    phonesWithoutPlus: values['phones-without-plus'],
    ignoreFilter: values['ignore-filter'],
    conflictWithoutReason: values['conflict-without-reason'],
    answerTakenWithHolder: values['answer-taken-with-holder'],
    clockOffsetMs: numberOption('clock-offset', values['clock-offset'], { signed: true }),
    withoutDateHeader: values['no-date-header'],
    latencyMs: numberOption('latency', values.latency),
    latencyJitterMs: numberOption('latency-jitter', values['latency-jitter']),
    errorRate: numberOption('error-rate', values['error-rate'], { max: 1 }),
    rateLimit: numberOption('rate-limit', values['rate-limit']),
    random429Rate: numberOption('random-429-rate', values['random-429-rate'], { max: 1 }),
    random429RetryAfter: numberOption('random-429-retry-after', values['random-429-retry-after']),
    cutAfterCreateRate: numberOption('cut-after-create', values['cut-after-create'], { max: 1 }),
    errorAfterCreateRate: numberOption('error-after-create', values['error-after-create'], { max: 1 }),
    unavailableRetryAfter: numberOption('unavailable-retry-after', values['unavailable-retry-after']),
    hangRate: numberOption('hang-rate', values['hang-rate'], { max: 1 }),
    stallBodyRate: numberOption('stall-body-rate', values['stall-body-rate'], { max: 1 }),
    conflictStatus: numberOption('conflict-status', values['conflict-status']),
    pageSizeCap: numberOption('page-size-cap', values['page-size-cap']),
  };
  if (values.verbose) {
    options.onRequest = (event) => {
      process.stderr.write(`${event.method} ${event.url} → ${event.outcome} (${event.durationMs.toFixed(1)} ms)\n`);
    };
  }

  let simulator;
  try {
    simulator = await startSimulator(options);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(`Quentli API simulator listening on ${simulator.url} (API key ${simulator.apiKey})\n`);
  if (values.verbose) {
    process.stderr.write(`seed ${simulator.seed}, ${simulator.store.size} customers pre-loaded\n`);
  }

  const stop = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (values.verbose) process.stderr.write(`${signal}: stopping\n`);
    void simulator.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
