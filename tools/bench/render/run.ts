/*
 * Benchmark: what render's validation of cluster.yaml costs for a hostile file, against a normal one.
 *
 * loadClusterConfig() (what `render` runs first: size check, read, YAML parse, merge, schema, locating and
 * describing problems) is timed in one process on files written to a temporary workspace:
 *   normal        a complete cluster.yaml of a few hundred bytes, which loads;
 *   unknown keys  a valid cluster.yaml followed by top-level keys the model does not know, at a quarter, half and
 *                 all of --bytes (default 1,000,000: just under the 1 MiB limit, the largest file render accepts);
 *   over limit    the same keys at twice the limit, refused before it is read.
 * Each series gets one warm-up run, then --runs measured runs, each timed as wall time and as the CPU time of this
 * process (user + system, which includes the garbage collector's threads): on a busy machine, such as a CI runner
 * or a 2-core box shared with other jobs, wall time mostly measures the neighbours, CPU time what the file costs.
 * It prints median/min/max of both, the CPU time per KB of the unknown-key series (flat when validation is linear),
 * median(1 MB) / median(normal), and checks the aim: the largest file under 2 s of CPU. Every run's result is checked (the hostile files must fail with 20 problems reported and
 * the rest counted). A measurement: the exit code is 0 whether or not the aim is met, non-zero only on errors.
 *
 *   npm run bench:render -- [--bytes 1000000] [--runs 5]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ClusterConfigError,
  loadClusterConfig,
  MAX_CONFIG_FILE_BYTES,
  MAX_REPORTED_PROBLEMS,
} from '../../../packages/cluster-config/src/index.ts';
import { sampleClusterYaml } from '../../testing/workspace.ts';
import { positiveInteger, stats, timingTable } from '../stats.ts';

const AIM_MS = 2000;
const NAME = 'bench';
const PROJECT_ROOT = `clusters/${NAME}`;

interface Options {
  bytes: number;
  runs: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { bytes: { type: 'string' }, runs: { type: 'string' } },
    strict: true,
  });
  const bytes = positiveInteger('bytes', values.bytes, 1_000_000);
  if (bytes > MAX_CONFIG_FILE_BYTES) {
    throw new Error(`--bytes must be at most ${MAX_CONFIG_FILE_BYTES} (the size limit: larger files are refused)`);
  }
  return { bytes, runs: positiveInteger('runs', values.runs, 5) };
}

/** A valid cluster.yaml followed by unknown top-level keys up to about `bytes`; and how many keys it holds. */
function unknownKeysFile(bytes: number): { text: string; keys: number } {
  const head = sampleClusterYaml(NAME);
  const lines: string[] = [];
  let size = head.length;
  for (let i = 0; ; i++) {
    const line = `unknown_${i}: x\n`;
    if (size + line.length > bytes) break;
    lines.push(line);
    size += line.length;
  }
  return { text: head + lines.join(''), keys: lines.length };
}

interface Series {
  label: string;
  text: string;
  /** Unknown-key series only: their size, for the time per KB. */
  hostileBytes?: number;
  /** What loadClusterConfig must do with it; throws when it does something else. */
  check: (outcome: unknown) => void;
}

const loads = (outcome: unknown) => {
  if (outcome instanceof Error) throw new Error(`the normal cluster.yaml did not load: ${outcome.message}`);
};

/** The hostile file must fail with MAX_REPORTED_PROBLEMS problems and the rest of its keys counted. */
const reportsBounded = (keys: number) => (outcome: unknown) => {
  if (!(outcome instanceof ClusterConfigError))
    throw new Error(`expected a ClusterConfigError, got ${String(outcome)}`);
  if (outcome.problems.length !== MAX_REPORTED_PROBLEMS || outcome.more !== keys - MAX_REPORTED_PROBLEMS) {
    throw new Error(
      `expected ${MAX_REPORTED_PROBLEMS} problems and ${keys - MAX_REPORTED_PROBLEMS} more, got ${outcome.problems.length} and ${outcome.more}`,
    );
  }
};

const refused = (outcome: unknown) => {
  if (!(outcome instanceof ClusterConfigError) || !outcome.problems[0]?.message.includes('over the limit')) {
    throw new Error(`expected the size limit to refuse the file, got ${String(outcome)}`);
  }
};

function series(options: Options): Series[] {
  const sizes = [Math.floor(options.bytes / 4), Math.floor(options.bytes / 2), options.bytes];
  const hostile = sizes.map((bytes) => {
    const { text, keys } = unknownKeysFile(bytes);
    return { label: `unknown keys, ${kb(text.length)}`, text, hostileBytes: text.length, check: reportsBounded(keys) };
  });
  const overLimit = unknownKeysFile(2 * MAX_CONFIG_FILE_BYTES).text;
  return [
    { label: `normal, ${sampleClusterYaml(NAME).length} bytes`, text: sampleClusterYaml(NAME), check: loads },
    ...hostile,
    { label: `over the limit, ${kb(overLimit.length)}`, text: overLimit, check: refused },
  ];
}

const kb = (bytes: number) => `${Math.round(bytes / 1000)} KB`;

/** One load of clusters/bench in `root`: its wall and CPU time in ms, the outcome checked. */
function measure(root: string, entry: Series): { wall: number; cpu: number } {
  let outcome: unknown;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  try {
    loadClusterConfig({ workspaceRoot: root, projectRoot: PROJECT_ROOT });
  } catch (error) {
    outcome = error;
  }
  const wall = performance.now() - start;
  const { user, system } = process.cpuUsage(cpuBefore);
  entry.check(outcome);
  return { wall, cpu: (user + system) / 1000 };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  console.log(`Node ${process.version}, ${availableParallelism()} cores`);
  const root = mkdtempSync(join(tmpdir(), 'ocp-sts-bench-render-'));
  try {
    mkdirSync(join(root, PROJECT_ROOT), { recursive: true });
    const file = join(root, PROJECT_ROOT, 'cluster.yaml');
    const wall: [string, number[]][] = [];
    const cpu: [string, number[]][] = [];
    const perKb: [string, number][] = [];
    for (const entry of series(options)) {
      writeFileSync(file, entry.text);
      measure(root, entry);
      const samples = Array.from({ length: options.runs }, () => measure(root, entry));
      const cpuSamples = samples.map((s) => s.cpu);
      wall.push([entry.label, samples.map((s) => s.wall)]);
      cpu.push([entry.label, cpuSamples]);
      if (entry.hostileBytes) perKb.push([entry.label, stats(cpuSamples).median / (entry.hostileBytes / 1000)]);
      console.log(`${entry.label}: CPU ${cpuSamples.map(Math.round).join(', ')} ms`);
    }
    const about = `${options.runs} measured runs per file after 1 warm-up (size limit ${MAX_CONFIG_FILE_BYTES} bytes)`;
    console.log(`\nloadClusterConfig(), CPU time of the process, ${about}\n`);
    console.log(timingTable(cpu));
    console.log(`\nloadClusterConfig(), wall time (includes waiting for the CPU on a busy machine)\n`);
    console.log(timingTable(wall));

    console.log('\nCPU time per KB of unknown keys (flat: linear):');
    for (const [label, ms] of perKb) console.log(`  ${label.padEnd(24)} ${ms.toFixed(2)} ms/KB`);
    const [normal] = cpu;
    const [largestLabel, largestSamples] = cpu.at(-2)!;
    const largest = stats(largestSamples).median;
    const ratio = largest / stats(normal![1]).median;
    const met = largest < AIM_MS;
    console.log(
      `\nCPU median(${largestLabel}) / median(normal) = ${ratio.toFixed(0)}; ` +
        `${Math.round(largest)} ms of CPU (aim: under ${AIM_MS} ms: ${met ? 'met' : 'NOT met'}); ` +
        `wall ${Math.round(stats(wall.at(-2)![1]).median)} ms`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`bench:render failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
