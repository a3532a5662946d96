/*
 * Benchmark: the cost of inferring the cluster projects with @ocp-sts/nx-plugin, against the same projects written
 * out as project.json files.
 *
 * Two temporary copies of the workspace, both with the packages/ of this repository:
 *   plugin        clusters/<name>/cluster.yaml, the plugin registered in nx.json (what users have);
 *   project.json  clusters/<name>/project.json with the very targets the plugin infers (generated here from its own
 *                 clusterTargets()), the plugin not registered, no cluster.yaml.
 * Both must give the same project graph (checked before timing). Then `nx show projects` is timed in each, daemon
 * and graph cache off and .nx/workspace-data removed before every run, one warm-up run each, then --runs rounds that
 * alternate which workspace goes first. It prints median/min/max and median(plugin) / median(project.json), with the
 * aim of at most 1.2 (1.1 from 5,000 clusters). A measurement: the exit code is 0 whether or not the aim is met,
 * non-zero only on errors.
 *
 *   npm run bench:graph -- [--clusters 1000] [--runs 5]      (and --clusters 5000)
 *
 * Other NX_* variables of the environment reach nx and are printed, e.g. NX_ISOLATE_PLUGINS=false (not
 * NX_PERF_LOGGING: its lines would land in the project list that is checked).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { NxJsonConfiguration, ProjectConfiguration, ProjectGraph } from '@nx/devkit';
import {
  CLUSTER_CONFIG_GLOB,
  CLUSTER_TAG,
  PLUGIN_NAME,
  PLUGIN_PACKAGES,
} from '../../../packages/nx-plugin/src/graph/constants.ts';
import { pluginInputs } from '../../../packages/nx-plugin/src/graph/create-nodes.ts';
import { clusterTargets } from '../../../packages/nx-plugin/src/graph/targets.ts';
import { createTempWorkspace, REPO_ROOT, sampleClusterYaml, type TempWorkspace } from '../../testing/workspace.ts';
import { positiveInteger, stats, timingTable } from '../stats.ts';

/** The aims: at most 1.2 x project.json at 1,000 clusters, 1.1 at 5,000 (where the fixed cost of Nx weighs less). */
const aimFor = (clusters: number) => (clusters >= 5000 ? 1.1 : 1.2);
const NX = join(REPO_ROOT, 'node_modules', '.bin', 'nx');
/** No daemon, no project graph cache: every run builds the graph, and so runs the plugin, from scratch. */
const NX_ENV: NodeJS.ProcessEnv = { NX_DAEMON: 'false', NX_CACHE_PROJECT_GRAPH: 'false' };

interface Options {
  clusters: number;
  runs: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { clusters: { type: 'string' }, runs: { type: 'string' } },
    strict: true,
  });
  const clusters = positiveInteger('clusters', values.clusters, 1000);
  if (clusters > 9999) throw new Error('--clusters must be at most 9999 (names c0001..c9999)');
  return { clusters, runs: positiveInteger('runs', values.runs, 5) };
}

const clusterName = (i: number) => `c${String(i).padStart(4, '0')}`;

/** clusters/<name>/cluster.yaml for every cluster: the workspace as users have it. */
function pluginWorkspaceFiles(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`clusters/${name}/cluster.yaml`, sampleClusterYaml(name)]));
}

/**
 * The same projects as project.json files, and nx.json without the plugin. Targets come from the plugin's own
 * clusterTargets(), with what createClusterProject() passes when the plugin is local, as it is in a copy of this
 * workspace (its packages are sources under packages/, linked from node_modules/@ocp-sts).
 */
function projectJsonWorkspaceFiles(names: string[]): Record<string, string> {
  const nxJson = JSON.parse(readFileSync(join(REPO_ROOT, 'nx.json'), 'utf8')) as NxJsonConfiguration;
  const plugins = (nxJson.plugins ?? []).filter((p) => (typeof p === 'string' ? p : p.plugin) !== PLUGIN_NAME);
  const plainNxJson: NxJsonConfiguration = { ...nxJson, plugins };
  const inputs = pluginInputs(true, { nxJsonConfiguration: plainNxJson });
  const files: Record<string, string> = { 'nx.json': JSON.stringify(plainNxJson, null, 2) + '\n' };
  for (const name of names) {
    const configFile = CLUSTER_CONFIG_GLOB.replace('*', name);
    const project: Omit<ProjectConfiguration, 'root'> = {
      name,
      projectType: 'application',
      tags: [CLUSTER_TAG],
      implicitDependencies: [...PLUGIN_PACKAGES],
      // REPO_ROOT: the plugin's scripts are named relative to it, the same path as in the copy.
      targets: clusterTargets({
        projectRoot: dirname(configFile),
        workspaceRoot: REPO_ROOT,
        pluginInputs: inputs,
      }),
      metadata: { description: `OpenShift cluster ${name} on AWS (${configFile})` },
    };
    files[`clusters/${name}/project.json`] = JSON.stringify(project, null, 2) + '\n';
  }
  return files;
}

function removeGraphCache(ws: TempWorkspace): void {
  rmSync(join(ws.root, '.nx', 'workspace-data'), { recursive: true, force: true });
}

/**
 * `nx show projects` from scratch: its wall time (spawn to exit) and the project names it printed.
 *
 * Its output goes to a file: Nx prints one console.log per project and exits right after, and into the socket that
 * execFileSync reads from, the many small writes fill the send buffer; what Node had left to write is then lost
 * (a few hundred of the 1005 lines were listed). `exec` leaves no shell process in between.
 */
function showProjects(ws: TempWorkspace, outDir: string): { ms: number; projects: string[] } {
  removeGraphCache(ws);
  const listFile = join(outDir, 'projects.txt');
  const start = performance.now();
  ws.run('sh', ['-c', 'exec "$0" show projects >"$1"', NX, listFile], { env: NX_ENV });
  const ms = performance.now() - start;
  const projects = readFileSync(listFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return { ms, projects };
}

function checkProjects(label: string, projects: string[], expected: string[]): void {
  const got = new Set(projects);
  const want = new Set(expected);
  const missing = expected.filter((p) => !got.has(p));
  const extra = projects.filter((p) => !want.has(p));
  if (missing.length === 0 && extra.length === 0 && projects.length === expected.length) return;
  const some = (list: string[]) => list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
  throw new Error(
    `${label}: nx show projects listed ${projects.length} projects, expected ${expected.length}` +
      (missing.length ? `; missing ${missing.length}: ${some(missing)}` : '') +
      (extra.length ? `; unexpected ${extra.length}: ${some(extra)}` : ''),
  );
}

/** The project graph as `nx graph --file` writes it. */
function projectGraph(ws: TempWorkspace, outDir: string, label: string): ProjectGraph {
  removeGraphCache(ws);
  const file = join(outDir, `${label}.json`);
  ws.run(NX, ['graph', `--file=${file}`], { env: NX_ENV });
  return (JSON.parse(readFileSync(file, 'utf8')) as { graph: ProjectGraph }).graph;
}

/** Fails unless both workspaces give the same nodes (with their full configuration) and dependencies. */
function checkSameGraph(plugin: ProjectGraph, plain: ProjectGraph): void {
  const names = Object.keys(plugin.nodes).sort();
  const plainNames = Object.keys(plain.nodes).sort();
  if (!isDeepStrictEqual(names, plainNames)) {
    throw new Error(`the two workspaces have different projects (${names.length} vs ${plainNames.length})`);
  }
  const differing = names.filter(
    (n) =>
      !isDeepStrictEqual(plugin.nodes[n], plain.nodes[n]) ||
      !isDeepStrictEqual(plugin.dependencies[n], plain.dependencies[n]),
  );
  if (differing.length > 0) {
    const first = differing[0]!;
    throw new Error(
      `${differing.length} projects differ between the plugin and project.json workspaces, e.g. ${first}:\n` +
        `plugin:       ${JSON.stringify({ node: plugin.nodes[first], deps: plugin.dependencies[first] })}\n` +
        `project.json: ${JSON.stringify({ node: plain.nodes[first], deps: plain.dependencies[first] })}`,
    );
  }
}

function report(options: Options, results: Record<'plugin' | 'projectJson', number[]>): void {
  const rows: [string, number[]][] = [
    ['plugin (cluster.yaml)', results.plugin],
    ['project.json', results.projectJson],
  ];
  console.log(
    `\nnx show projects, ${options.clusters} clusters, ${options.runs} measured runs each after 1 warm-up ` +
      `(NX_DAEMON=false, NX_CACHE_PROJECT_GRAPH=false, .nx/workspace-data removed before each run)\n`,
  );
  console.log(timingTable(rows));
  const ratio = stats(results.plugin).median / stats(results.projectJson).median;
  const aim = aimFor(options.clusters);
  const met = ratio <= aim;
  console.log(
    `\nmedian(plugin) / median(project.json) = ${ratio.toFixed(3)}  (aim: at most ${aim}: ${met ? 'met' : 'NOT met'})`,
  );
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const names = Array.from({ length: options.clusters }, (_, i) => clusterName(i + 1));
  const expected = [...names, ...PLUGIN_PACKAGES];
  const workspaces: TempWorkspace[] = [];
  const outDir = mkdtempSync(join(tmpdir(), 'ocp-sts-bench-'));
  const cleanup = () => {
    for (const ws of workspaces.splice(0)) ws.remove();
    rmSync(outDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const nx = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'nx', 'package.json'), 'utf8')) as {
      version: string;
    };
    console.log(`Node ${process.version}, ${availableParallelism()} cores, nx ${nx.version}`);
    const passedOn = Object.entries(process.env).filter(([k]) => k.startsWith('NX_') && !(k in NX_ENV));
    if (passedOn.length > 0) console.log(`Passed on to nx: ${passedOn.map(([k, v]) => `${k}=${v ?? ''}`).join(' ')}`);
    console.log(`Creating the workspaces (${options.clusters} clusters each)…`);
    const plugin = createTempWorkspace({ withPlugin: true, files: pluginWorkspaceFiles(names) });
    workspaces.push(plugin);
    const projectJson = createTempWorkspace({ withPlugin: true, files: projectJsonWorkspaceFiles(names) });
    workspaces.push(projectJson);

    console.log('Checking that both give the same project graph…');
    checkSameGraph(projectGraph(plugin, outDir, 'plugin'), projectGraph(projectJson, outDir, 'project-json'));

    console.log('Warm-up…');
    checkProjects('plugin', showProjects(plugin, outDir).projects, expected);
    checkProjects('project.json', showProjects(projectJson, outDir).projects, expected);

    const results = { plugin: [] as number[], projectJson: [] as number[] };
    for (let round = 0; round < options.runs; round++) {
      const order = round % 2 === 0 ? (['plugin', 'projectJson'] as const) : (['projectJson', 'plugin'] as const);
      const times: string[] = [];
      for (const which of order) {
        const { ms, projects } = showProjects(which === 'plugin' ? plugin : projectJson, outDir);
        checkProjects(which, projects, expected);
        results[which].push(ms);
        times.push(`${which} ${Math.round(ms)} ms`);
      }
      console.log(`round ${round + 1}/${options.runs}: ${times.join(', ')}`);
    }
    report(options, results);
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

try {
  main();
} catch (error) {
  console.error(`bench:graph failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
