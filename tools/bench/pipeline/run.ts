/*
 * Benchmark: the example pipeline on the stand-ins and the AWS emulator, through Nx, against the plain sequence of
 * the same stand-in commands that the seed's bash script runs.
 *
 *   npm run bench:pipeline -- [--runs 5]
 *
 * In a temporary copy of the workspace (sandbox secrets, its own emulator, stand-ins first on PATH) it measures:
 *   cold    `nx run example:inject` with an empty cache (render, manifests, extract, ccoctl, inject all run);
 *   cached  the same again, every step from the cache (median of --runs);
 *   noop    `nx run noop:noop`, one trivial cached target (nx:noop), the floor of any nx command (median);
 *   script  tools/bench/pipeline/seed-like.sh: oc extract, ccoctl create-all, create manifests, copies (median).
 * and prints cached/script and cached/noop. Aim: the five cached steps together cost no more than 1.5 x the noop.
 * A measurement: exit 0 whether or not the aim is met.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { startEmulator } from '../../aws-emulator/emulator.ts';
import { ensureSandboxSecrets } from '../../sandbox/secrets.ts';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../../testing/workspace.ts';
import { stats, timed, timingTable } from '../stats.ts';

const AIM = 1.5;

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

    const cold = timed(() => nx('run', 'example:inject'));
    const cachedOutput = nx('run', 'example:inject');
    const fromCache = (cachedOutput.match(/\[local cache\]|existing outputs match the cache/g) ?? []).length;
    if (fromCache < 5) throw new Error(`expected 5 tasks from the cache, saw ${fromCache}:\n${cachedOutput}`);
    nx('run', 'noop:noop');

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
  } finally {
    ws.remove();
    await emulator.stop();
  }
}

await main();
