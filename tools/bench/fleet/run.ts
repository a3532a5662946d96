/*
 * Benchmark: a fleet in one workspace.
 *
 *   affected  In a workspace of --clusters (1,000) clusters, one cluster.yaml edited (not committed):
 *             `nx show projects --affected` against `nx show projects`, both from scratch (daemon and graph cache off,
 *             .nx/workspace-data removed before each run), alternating which goes first. It checks that exactly the
 *             edited cluster is affected. Aim: affected / all at most 1.3.
 *   render    In a workspace of --render-clusters (200) clusters: `nx run-many -t render --parallel=2` with an empty
 *             cache, its wall time and the time per cluster; then the same again, every render from the cache.
 *
 *   npm run bench:fleet -- [--clusters 1000] [--render-clusters 200] [--runs 5]
 *
 * A measurement: exit 0 whether or not the aim is met, non-zero only on errors.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTempWorkspace, REPO_ROOT, sampleClusterYaml, type TempWorkspace } from '../../testing/workspace.ts';
import { positiveInteger, stats, timed, timingTable } from '../stats.ts';

const AIM = 1.3;
const NX = join(REPO_ROOT, 'node_modules', '.bin', 'nx');
const FROM_SCRATCH: NodeJS.ProcessEnv = { NX_DAEMON: 'false', NX_CACHE_PROJECT_GRAPH: 'false' };

const clusterName = (i: number) => `c${String(i).padStart(4, '0')}`;

function fleet(count: number): TempWorkspace {
  const files = Object.fromEntries(
    Array.from({ length: count }, (_, i) => clusterName(i + 1)).map((name) => [
      `clusters/${name}/cluster.yaml`,
      sampleClusterYaml(name),
    ]),
  );
  return createTempWorkspace({ files });
}

/** `nx show projects [...]` from scratch; its output goes to a file (see bench:graph for why). */
function showProjects(ws: TempWorkspace, args: string[]): { ms: number; projects: string[] } {
  rmSync(join(ws.root, '.nx', 'workspace-data'), { recursive: true, force: true });
  // Outside .nx/ (which nx may not have made yet) and outside the workspace (not a file the edit check would see).
  const out = `${ws.root}.projects.txt`;
  const script = 'out="$1"; shift; exec "$0" show projects "$@" >"$out"';
  const ms = timed(() => ws.run('sh', ['-c', script, NX, out, ...args], { env: FROM_SCRATCH }));
  const projects = readFileSync(out, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { ms, projects };
}

function affectedBench(clusters: number, runs: number): void {
  console.log(`\nCreating a workspace of ${clusters} clusters…`);
  const ws = fleet(clusters);
  try {
    const edited = clusterName(Math.ceil(clusters / 2));
    const file = join(ws.root, 'clusters', edited, 'cluster.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('version: "4.16.3"', 'version: "4.16.3"\n  compute_replicas: 5'),
    );
    const affected = showProjects(ws, ['--affected', '--base=HEAD']);
    if (affected.projects.join(',') !== edited) {
      throw new Error(
        `expected only ${edited} affected, got ${affected.projects.length}: ${affected.projects.slice(0, 5).join(', ')}`,
      );
    }
    showProjects(ws, []);
    const samples = { affected: [] as number[], all: [] as number[] };
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? (['affected', 'all'] as const) : (['all', 'affected'] as const);
      for (const which of order)
        samples[which].push(showProjects(ws, which === 'affected' ? ['--affected', '--base=HEAD'] : []).ms);
    }
    console.log(
      `\nnx show projects, ${clusters} clusters, one cluster.yaml edited; ${runs} runs each after 1 warm-up\n`,
    );
    console.log(
      timingTable([
        ['nx show projects --affected', samples.affected],
        ['nx show projects', samples.all],
      ]),
    );
    const ratio = stats(samples.affected).median / stats(samples.all).median;
    console.log(`\naffected / all = ${ratio.toFixed(3)}  (aim: at most ${AIM}: ${ratio <= AIM ? 'met' : 'NOT met'})`);
  } finally {
    rmSync(`${ws.root}.projects.txt`, { force: true });
    ws.remove();
  }
}

function renderBench(clusters: number): void {
  console.log(`\nCreating a workspace of ${clusters} clusters…`);
  const ws = fleet(clusters);
  try {
    const env = { NX_DAEMON: 'false' };
    const cold = timed(() => ws.run(NX, ['run-many', '-t', 'render', '--parallel=2', '--outputStyle=static'], { env }));
    const cached = timed(() =>
      ws.run(NX, ['run-many', '-t', 'render', '--parallel=2', '--outputStyle=static'], { env }),
    );
    console.log(`\nnx run-many -t render --parallel=2 over ${clusters} clusters\n`);
    console.log(
      timingTable([
        ['cold (empty cache)', [cold]],
        ['every render from the cache', [cached]],
      ]),
    );
    console.log(
      `\ncold: ${(cold / clusters).toFixed(0)} ms per cluster; cached: ${(cached / clusters).toFixed(1)} ms per cluster`,
    );
  } finally {
    ws.remove();
  }
}

function main(): void {
  const { values } = parseArgs({
    options: { clusters: { type: 'string' }, 'render-clusters': { type: 'string' }, runs: { type: 'string' } },
    strict: true,
  });
  const clusters = positiveInteger('clusters', values.clusters, 1000);
  if (clusters > 9999) throw new Error('--clusters must be at most 9999 (names c0001..c9999)');
  const renderClusters = positiveInteger('render-clusters', values['render-clusters'], 200);
  const runs = positiveInteger('runs', values.runs, 5);
  console.log(`Node ${process.version}, ${availableParallelism()} cores`);
  affectedBench(clusters, runs);
  renderBench(renderClusters);
}

try {
  main();
} catch (error) {
  console.error(`bench:fleet failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
