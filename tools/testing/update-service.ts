/*
 * A stand-in for the OpenShift update service (the Cincinnati graph API) on loopback, for tests of release pinning.
 * It runs in a child process, so that tests which block on `nx` (execFileSync) still get answers.
 *
 *   node tools/testing/update-service.ts '<json: { "<channel>": ["4.16.0", "4.16.1", ...] }>'
 *   prints `listening on http://127.0.0.1:PORT/api/upgrades_info/v1/graph`
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';

export type Channels = Record<string, string[]>;

export const GRAPH_PATH = '/api/upgrades_info/v1/graph';

/** The pull spec by digest that the graph lists for a version (deterministic, like a real payload). */
export function payloadOf(version: string): string {
  const digest = createHash('sha256').update(`ocp-release-${version}`).digest('hex');
  return `quay.io/openshift-release-dev/ocp-release@sha256:${digest}`;
}

export function serveGraph(channels: Channels): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const versions = url.pathname === GRAPH_PATH ? channels[url.searchParams.get('channel') ?? ''] : undefined;
    if (!versions) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"kind":"Error","reason":"unknown channel"}');
      return;
    }
    const nodes = versions.map((version) => ({ version, payload: payloadOf(version), metadata: {} }));
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ version: 1, nodes, edges: [] }));
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
  const child = spawn(process.execPath, ['--no-warnings', import.meta.filename, JSON.stringify(channels)], {
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
