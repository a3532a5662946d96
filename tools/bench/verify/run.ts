/*
 * Benchmark: `verify` for fleets of 1, 10 and 50 sandbox clusters.
 *
 * It starts its own AWS emulator (moto, tools/aws-emulator/emulator.ts), provisions the largest fleet for real with
 * the stand-ins (the `oc` stand-in's CredentialsRequests of the 4.16 payload, then `ccoctl aws create-all` per
 * cluster, one shared signing key pair so that no RSA-4096 key is generated), and then, for each fleet size N, runs
 * verify for the first N clusters ALL AT ONCE: the plain function verifyCluster() in this one process, each cluster
 * with its own AWS clients (call counter, adaptive retry) and its own pool of --concurrency calls, as
 * `nx run-many -t verify --parallel=N` would run N executors side by side (minus Nx's process start-up, which is not
 * verify's cost). Each size is timed --runs times after a warm-up; the median is reported.
 *
 * It prints AWS calls per cluster (from the clients' call counter), calls per request, and the wall time per fleet
 * and per cluster against the 1-cluster figure, and checks the aims:
 *   - calls grow linearly with the number of requests: the same calls per cluster in every fleet size, and
 *     calls = a + b x requests over clusters of 1, 3 and 6 requests;
 *   - 50 clusters take no more than 10 times one (wall time of the whole fleet).
 * It also measures what the emulator can serve at all (calls per second): moto answers in one Python process, about
 * 100 calls/s on a 2-CPU machine, and one cluster's 18 calls already keep it busy, so a fleet's wall time here is
 * bounded below by (clusters x calls) / that rate, which it prints next to the aims.
 * A measurement: the exit code is 0 whether or not the aims are met, non-zero only on errors.
 *
 *   npm run bench:verify -- [--sizes 1,10,50] [--runs 3] [--concurrency 6]
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsClients, createLimiter, totalCalls } from '@ocp-sts/aws';
import {
  provisionCluster,
  removeExtractedRequests,
  sharedKeyPair,
  uniqueStsName,
  type SandboxCluster,
} from '../../testing/provisioned-cluster.ts';
import { DEFAULT_CONCURRENCY, verifyCluster } from '../../../packages/sts/src/verify/verify.ts';
import { emulatorEnv, startEmulator } from '../../aws-emulator/emulator.ts';
import { positiveInteger } from '../stats.ts';

const TIME_AIM = 10;
/** ccoctl runs at once while provisioning (each is a Node process; the machine may have 2 cores). */
const PROVISION_PARALLEL = Math.max(2, Math.min(4, availableParallelism()));
/** Request files of the payload (ccoctl skips the tech-preview cluster-api one without --enable-tech-preview). */
const ONE_REQUEST = (file: string) => file.includes('cluster-ingress-operator');
const THREE_REQUESTS = (file: string) => /ingress-operator|image-registry|storage-operator/.test(file);

interface Options {
  sizes: number[];
  runs: number;
  concurrency: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: 'string' }, runs: { type: 'string' }, concurrency: { type: 'string' } },
    strict: true,
  });
  const sizes = (values.sizes ?? '1,10,50').split(',').map((s) => positiveInteger('sizes', s.trim(), 1));
  if (!sizes.includes(1)) sizes.unshift(1);
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: positiveInteger('runs', values.runs, 3),
    concurrency: positiveInteger('concurrency', values.concurrency, DEFAULT_CONCURRENCY),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;

interface FleetRun {
  wallMs: number;
  callsPerCluster: number[];
  requestsPerCluster: number[];
}

/** verify for every cluster of the fleet at once; throws unless every one verifies. */
async function verifyFleet(fleet: SandboxCluster[], concurrency: number): Promise<FleetRun> {
  const started = performance.now();
  const results = await Promise.all(
    fleet.map(async (cluster) => {
      const clients = awsClients({ region: cluster.facts.region });
      const report = await verifyCluster(cluster.input({ clients, concurrency }));
      if (report.status !== 'verified') {
        throw new Error(`verify failed for ${cluster.stsName}: ${JSON.stringify(report.findings.slice(0, 3))}`);
      }
      return { calls: totalCalls(clients), requests: report.calls['iam:GetRole'] ?? 0 };
    }),
  );
  return {
    wallMs: performance.now() - started,
    callsPerCluster: results.map((r) => r.calls),
    requestsPerCluster: results.map((r) => r.requests),
  };
}

/**
 * What the emulator can serve at all: calls per second for `total` cheap calls (GetCallerIdentity), `parallel` at once.
 * moto answers in one Python process (threads, one interpreter lock), so this is its ceiling whatever verify does.
 */
async function emulatorCapacity(total = 300, parallel = 12): Promise<number> {
  const clients = awsClients({ region: 'us-east-1' });
  const limit = createLimiter(parallel);
  await clients.sts.send(new GetCallerIdentityCommand({}));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: total }, () => limit(() => clients.sts.send(new GetCallerIdentityCommand({})))),
  );
  return total / ((performance.now() - started) / 1000);
}

async function provision(count: number, spec: { requestFiles?: (file: string) => boolean } = {}, log = true) {
  const limit = createLimiter(PROVISION_PARALLEL);
  let done = 0;
  return Promise.all(
    Array.from({ length: count }, () =>
      limit(async () => {
        const cluster = await provisionCluster({ stsName: uniqueStsName('bench'), ...spec });
        done++;
        if (log && (done % 10 === 0 || done === count)) process.stderr.write(`  provisioned ${done}/${count}\n`);
        return cluster;
      }),
    ),
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const largest = options.sizes.at(-1)!;
  const emulator = await startEmulator({ log: (line) => process.stderr.write(`aws-emulator: ${line}\n`) });
  const clusters: SandboxCluster[] = [];
  try {
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
      Reflect.deleteProperty(process.env, name);
    }
    Object.assign(process.env, emulatorEnv(emulator.endpoint, {}));
    console.log(
      `verify benchmark: emulator ${emulator.endpoint} (moto, ${emulator.motoServer.source}), ` +
        `${availableParallelism()} CPUs, fleets of ${options.sizes.join(', ')}, ${options.runs} runs each, ` +
        `at most ${options.concurrency} AWS calls at once per cluster`,
    );
    console.log(
      'mode: the plain function verifyCluster(), all clusters of a fleet at once in one process, each with its own ' +
        'clients and call pool (as nx run-many -t verify --parallel=N runs N executors)\n',
    );

    const t = performance.now();
    sharedKeyPair();
    process.stderr.write(`provisioning ${largest} clusters with the ccoctl stand-in (${PROVISION_PARALLEL} at once)\n`);
    clusters.push(...(await provision(largest)));
    const fewer = await Promise.all([
      provision(1, { requestFiles: ONE_REQUEST }, false),
      provision(1, { requestFiles: THREE_REQUESTS }, false),
    ]);
    clusters.push(...fewer.flat());
    console.log(`provisioned ${clusters.length} clusters in ${ms(performance.now() - t)}\n`);

    // Calls against the number of requests: clusters of 1, 3 and 6 requests.
    const byRequests = [...fewer.flat(), clusters[0]!];
    const series = await verifyFleet(byRequests, options.concurrency);
    const points = series.requestsPerCluster.map((r, i) => ({ requests: r, calls: series.callsPerCluster[i]! }));
    const [p1, p2, p3] = points as [(typeof points)[0], (typeof points)[0], (typeof points)[0]];
    const slope = (p3.calls - p1.calls) / (p3.requests - p1.requests);
    const intercept = p1.calls - slope * p1.requests;
    const affine = points.every((p) => p.calls === intercept + slope * p.requests) && p2.requests !== p1.requests;
    console.log('AWS calls per cluster against its requests:');
    for (const p of points) console.log(`  ${p.requests} requests: ${p.calls} calls`);
    console.log(`  fit: calls = ${intercept} + ${slope} x requests (${affine ? 'exact' : 'NOT a line'})\n`);

    // Fleets.
    const fleet = clusters.slice(0, largest);
    await verifyFleet(fleet.slice(0, 1), options.concurrency); // warm-up: modules, connections
    const rows: { size: number; wallMs: number; calls: number; requests: number; sameCalls: boolean }[] = [];
    for (const size of options.sizes) {
      const runs: FleetRun[] = [];
      for (let i = 0; i < options.runs; i++) runs.push(await verifyFleet(fleet.slice(0, size), options.concurrency));
      const calls = runs.flatMap((r) => r.callsPerCluster);
      const requests = runs[0]!.requestsPerCluster[0]!;
      rows.push({
        size,
        wallMs: median(runs.map((r) => r.wallMs)),
        calls: calls[0]!,
        requests,
        sameCalls: calls.every((c) => c === calls[0]),
      });
    }
    const one = rows[0]!;
    const header = ['clusters', 'wall time', 'per cluster', 'x 1-cluster', 'calls/cluster', 'calls/request', 'calls/s'];
    const table = rows.map((r) => [
      String(r.size),
      ms(r.wallMs),
      ms(r.wallMs / r.size),
      (r.wallMs / one.wallMs).toFixed(2),
      `${r.calls}${r.sameCalls ? '' : ' (varies)'}`,
      (r.calls / r.requests).toFixed(2),
      ((r.calls * r.size) / (r.wallMs / 1000)).toFixed(0),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
    console.log(`verify, median of ${options.runs} runs (every cluster verified clean):`);
    console.log(line(header));
    for (const row of table) console.log(line(row));

    const capacity = await emulatorCapacity();
    const biggest = rows.at(-1)!;
    const floor = ((biggest.calls * biggest.size) / capacity) * 1000;
    const linear = affine && rows.every((r) => r.sameCalls && r.calls === one.calls);
    const timeRatio = biggest.wallMs / one.wallMs;
    console.log(
      `\naim 1, calls grow linearly with the requests (the same per cluster in every fleet, a + b x requests): ` +
        `${linear ? 'met' : 'NOT met'} (${one.calls} calls per cluster of ${one.requests} requests = ` +
        `${intercept} + ${slope} x ${one.requests})`,
    );
    console.log(
      `aim 2, ${biggest.size} clusters take no more than ${TIME_AIM} times one: ${timeRatio <= TIME_AIM ? 'met' : 'NOT met'} ` +
        `(${ms(biggest.wallMs)} vs ${ms(one.wallMs)}: ${timeRatio.toFixed(2)}x)`,
    );
    console.log(
      `  the emulator serves at most ${capacity.toFixed(0)} calls/s (measured: 300 GetCallerIdentity, 12 at once), so ${biggest.size} clusters x ${biggest.calls} calls cannot take less than ` +
        `${ms(floor)} here (${(floor / one.wallMs).toFixed(1)}x one cluster); verify took ` +
        `${(biggest.wallMs / floor).toFixed(2)}x that floor.`,
    );
  } finally {
    for (const cluster of clusters) cluster.remove();
    await removeExtractedRequests();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:verify failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
