/*
 * A stand-in for the OpenShift update service (the Cincinnati graph API) on loopback: tests of release pinning serve
 * their own channels with it, and the sandbox (tools/sandbox/env, through ./run.ts) serves the channels of the
 * stand-ins' releases, so that an `X.Y` openshift.version resolves offline as it would online.
 *
 *   node tools/update-service/service.ts '<json: { "<channel>": ["4.16.0", {"version": "4.16.1", "payload": "..."}] }>'
 *   (a channel may also be { "releases": [...], "edges": [["4.16.0", "4.16.1"]] }: the graph then has those edges)
 *   prints `listening on http://127.0.0.1:PORT/api/upgrades_info/v1/graph`
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';

/** A release the graph lists: a version (its payload then made up by payloadOf), or a version with its payload. */
export type GraphRelease = string | { version: string; payload: string };
/** A channel: its releases (no edges), or its releases and its update edges as [from version, to version]. */
export type Channel = GraphRelease[] | { releases: GraphRelease[]; edges: [from: string, to: string][] };
export type Channels = Record<string, Channel>;

export const GRAPH_PATH = '/api/upgrades_info/v1/graph';
/** The file to run as the service's process (what startUpdateService and the sandbox start). */
export const SERVICE_SCRIPT = import.meta.filename;

/** The pull spec by digest that the graph lists for a bare version (deterministic, like a real payload). */
export function payloadOf(version: string): string {
  const digest = createHash('sha256').update(`ocp-release-${version}`).digest('hex');
  return `quay.io/openshift-release-dev/ocp-release@sha256:${digest}`;
}

export function serveGraph(channels: Channels): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const channel = url.pathname === GRAPH_PATH ? channels[url.searchParams.get('channel') ?? ''] : undefined;
    if (!channel) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"kind":"Error","reason":"unknown channel"}');
      return;
    }
    const releases = Array.isArray(channel) ? channel : channel.releases;
    const nodes = releases.map((release) =>
      typeof release === 'string'
        ? { version: release, payload: payloadOf(release), metadata: {} }
        : { ...release, metadata: {} },
    );
    // Cincinnati's edges are pairs of indices into nodes.
    const index = (version: string) => nodes.findIndex((node) => node.version === version);
    const edges = (Array.isArray(channel) ? [] : channel.edges)
      .map(([from, to]) => [index(from), index(to)])
      .filter(([from, to]) => from! >= 0 && to! >= 0);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 1, nodes, edges }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}${GRAPH_PATH}` });
    });
  });
}

/** Starts the service in a child process; `stop()` ends it. */
export async function startUpdateService(channels: Channels): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--no-warnings', SERVICE_SCRIPT, JSON.stringify(channels)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => {
      resolve(line.replace(/^listening on /, ''));
    });
    child.once('exit', (code) => {
      reject(new Error(`update service stand-in exited ${code ?? '?'}`));
    });
  });
  return {
    url,
    stop: () => {
      child.kill();
    },
  };
}

if (import.meta.filename === process.argv[1]) {
  const { url } = await serveGraph(JSON.parse(process.argv[2] ?? '{}') as Channels);
  console.log(`listening on ${url}`);
}
