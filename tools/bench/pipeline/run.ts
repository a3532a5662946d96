/*
 * Benchmark: the example pipeline on the stand-ins and the AWS emulator, through Nx, against the plain sequence of
 * the same stand-in commands that the bash script this tool replaces runs.
 *
 *   npm run bench:pipeline -- [--runs 5]
 *
 * In a temporary copy of the workspace (sandbox secrets, its own emulator, stand-ins first on PATH, the cluster's
 * state in an s3 backend made by the state-bucket generator) it measures:
 *   cold    `nx run example:inject` with an empty cache (render, manifests, extract, ccoctl, inject all run);
 *   cached  the same again, every step from the cache (median of --runs);
 *   noop    `nx run noop:noop`, one trivial cached target (nx:noop), the floor of any nx command (median);
 *   script  tools/bench/pipeline/seed-like.sh: oc extract, ccoctl create-all, create manifests, copies (median).
 * and prints cached/script and cached/noop. Aim: the five cached steps together cost no more than 1.25 x the noop.
 * It also shows that the cached run makes no AWS call (it runs once more with AWS unreachable) and counts the S3
 * calls of one lock and unlock of the cluster (aim: at most 3).
 * A measurement: exit 0 whether or not an aim is met.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadClusterConfig } from '@ocp-sts/cluster-config';
import { S3ObjectStore, stateLocation, withClusterLock } from '@ocp-sts/state';
import { startEmulator } from '../../aws-emulator/emulator.ts';
import { ensureSandboxSecrets } from '../../sandbox/secrets.ts';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../../testing/workspace.ts';
import { stats, timed, timingTable } from '../stats.ts';

const AIM = 1.25;
const LOCK_CALLS_AIM = 3;
/** A loopback port nothing listens on: any AWS call made there fails at once. */
const UNREACHABLE = 'http://127.0.0.1:9';
const STATE_BUCKET = 'bench-ocp-state';

function main(): Promise<void> | void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } }, strict: true });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  return bench(runs);
}

async function bench(runs: number): Promise<void> {
  const emulator = await startEmulator();
  const ws: TempWorkspace = createTempWorkspace({
    files: {
      'clusters/example/cluster.yaml': readFileSync(join(REPO_ROOT, 'clusters/example/cluster.yaml'), 'utf8'),
      'noop/project.json': JSON.stringify({ name: 'noop', targets: { noop: { executor: 'nx:noop', cache: true } } }),
    },
  });
  try {
    ensureSandboxSecrets(ws.root, 'example');
    const env: NodeJS.ProcessEnv = {
      PATH: `${join(ws.root, 'tools/stand-ins/bin')}:${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      NX_DAEMON: 'false',
    };
    const nx = (...args: string[]) => ws.run(join(ws.root, 'node_modules/.bin/nx'), args, { env });
    nx('g', '@ocp-sts/nx-plugin:state-bucket', `--bucket=${STATE_BUCKET}`, '--region=us-east-1', '--setDefault');

    const cold = timed(() => nx('run', 'example:inject'));
    const cachedOutput = nx('run', 'example:inject');
    const fromCache = (cachedOutput.match(/\[local cache\]|existing outputs match the cache/g) ?? []).length;
    if (fromCache < 5) throw new Error(`expected 5 tasks from the cache, saw ${fromCache}:\n${cachedOutput}`);
    nx('run', 'noop:noop');
    const offline = ws.run(join(ws.root, 'node_modules/.bin/nx'), ['run', 'example:inject'], {
      env: { ...env, AWS_ENDPOINT_URL: UNREACHABLE },
    });
    const offlineFromCache = (offline.match(/\[local cache\]|existing outputs match the cache/g) ?? []).length;
    const lockCalls = await callsOfOneLock(ws.root, env);

    // The plain script's inputs: the same install-config with the secrets in, and another sts name (its own roles).
    const config = parse(
      readFileSync(join(ws.root, 'clusters/example/.work/render/install-config.yaml'), 'utf8'),
    ) as object;
    const configFile = join(ws.root, 'seed-install-config.yaml');
    const pullSecret = join(ws.root, 'secrets/example/pull-secret.json');
    writeFileSync(
      configFile,
      stringify({
        ...config,
        pullSecret: readFileSync(pullSecret, 'utf8').trim(),
        sshKey: readFileSync(join(ws.root, 'secrets/example/ssh.pub'), 'utf8').trim(),
      }),
      { mode: 0o600 },
    );
    const release = (
      JSON.parse(readFileSync(join(ws.root, 'clusters/example/.work/render/release.json'), 'utf8')) as {
        image: string;
      }
    ).image;
    const script = join(REPO_ROOT, 'tools/bench/pipeline/seed-like.sh');
    const scriptArgs = [join(ws.root, 'seed-work'), configFile, pullSecret, release, 'seed-bench', 'us-east-1'];

    const samples = { cached: [] as number[], noop: [] as number[], script: [] as number[] };
    for (let i = 0; i < runs; i++) {
      samples.cached.push(timed(() => nx('run', 'example:inject')));
      samples.noop.push(timed(() => nx('run', 'noop:noop')));
      samples.script.push(timed(() => ws.run(script, scriptArgs, { env })));
    }

    const median = (s: number[]) => stats(s).median;
    console.log(
      `\nexample pipeline (render, manifests, extract, ccoctl, inject) on the stand-ins; ${runs} runs each\n`,
    );
    console.log(
      timingTable([
        ['nx run example:inject, cold', [cold]],
        ['nx run example:inject, cached', samples.cached],
        ['nx run noop:noop, cached', samples.noop],
        ['seed-like script', samples.script],
      ]),
    );
    const vsScript = median(samples.cached) / median(samples.script);
    const vsNoop = median(samples.cached) / median(samples.noop);
    console.log(`\ncached inject / seed-like script = ${vsScript.toFixed(3)}`);
    console.log(
      `cached inject / nx no-op         = ${vsNoop.toFixed(3)}  (aim: at most ${AIM}: ${vsNoop <= AIM ? 'met' : 'NOT met'})`,
    );
    console.log(
      `cached inject with AWS unreachable: ${offlineFromCache} of 5 steps from the cache, exit 0 (no AWS call: ${offlineFromCache === 5 ? 'met' : 'NOT met'})`,
    );
    const total = [...lockCalls.values()].reduce((a, b) => a + b, 0);
    const each = [...lockCalls].map(([call, n]) => `${call} ${n}`).join(', ');
    console.log(
      `S3 calls of one lock and unlock  = ${total} (${each})  (aim: at most ${LOCK_CALLS_AIM}: ${total <= LOCK_CALLS_AIM ? 'met' : 'NOT met'})`,
    );
  } finally {
    ws.remove();
    await emulator.stop();
  }
}

/** The S3 calls of taking and releasing the example cluster's lock once, counted by the store. */
async function callsOfOneLock(workspaceRoot: string, env: NodeJS.ProcessEnv): Promise<Map<string, number>> {
  const owner = {
    workspaceRoot,
    projectRoot: 'clusters/example',
    projectName: 'example',
    target: 'bench',
    loaded: loadClusterConfig({ workspaceRoot, projectRoot: 'clusters/example' }),
  };
  const location = stateLocation(owner);
  if (location.backend !== 's3') throw new Error('the bench workspace should have an s3 state backend');
  // The SDK takes the endpoint and credentials from this process's environment: the emulator's, as nx's children.
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
    process.env[key] = env[key];
  }
  const store = new S3ObjectStore(location);
  await withClusterLock(owner, () => Promise.resolve(), store);
  return store.calls;
}

await main();
