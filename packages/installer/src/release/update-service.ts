import { newestPatch, type ReleaseLock } from '@ocp-sts/cluster-config';
import { UserError } from '@ocp-sts/toolchain';

/** Overrides the update service (tests serve a graph on loopback; disconnected sites run their own). */
export const UPDATE_SERVICE_ENV = 'OCP_STS_UPDATE_SERVICE';
export const DEFAULT_UPDATE_SERVICE = 'https://api.openshift.com/api/upgrades_info/v1/graph';

/** The update service the steps ask: $OCP_STS_UPDATE_SERVICE, else Red Hat's. */
export function updateServiceUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[UPDATE_SERVICE_ENV] ?? DEFAULT_UPDATE_SERVICE;
}

/** A channel of the update service: its releases, and its update edges by version. */
export interface UpdateGraph {
  channel: string;
  nodes: { version: string; payload: string }[];
  /** `[from, to]`: a cluster at `from` may update to `to`. */
  edges: [string, string][];
}

interface GraphDocument {
  nodes?: { version?: unknown; payload?: unknown }[];
  edges?: unknown[];
}

/**
 * A channel's graph from the OpenShift update service (the Cincinnati graph API that `oc adm upgrade` and the
 * console use). Throws a plain Error naming the query when it cannot be read: each caller says what to do then.
 */
export async function readUpdateGraph(channel: string, url = updateServiceUrl()): Promise<UpdateGraph> {
  const query = `${url}?channel=${encodeURIComponent(channel)}&arch=amd64`;
  let graph: GraphDocument;
  try {
    const response = await fetch(query, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    graph = (await response.json()) as GraphDocument;
  } catch (error) {
    throw new Error(
      `could not read the ${channel} channel from the update service at ${query} (${(error as Error).message})`,
      { cause: error },
    );
  }
  const listed = graph.nodes ?? [];
  const nodes = listed.flatMap((n) =>
    typeof n.version === 'string' && typeof n.payload === 'string' ? [{ version: n.version, payload: n.payload }] : [],
  );
  // Edges are pairs of indexes into the nodes as listed.
  const versionAt = (index: unknown) => {
    const version = typeof index === 'number' ? listed[index]?.version : undefined;
    return typeof version === 'string' ? version : undefined;
  };
  const edges = (graph.edges ?? []).flatMap((edge): [string, string][] => {
    if (!Array.isArray(edge)) return [];
    const [from, to] = [versionAt(edge[0]), versionAt(edge[1])];
    return from && to ? [[from, to]] : [];
  });
  return { channel, nodes, edges };
}

/** Whether the graph has the update edge `from` → `to`. */
export function hasUpdateEdge(graph: UpdateGraph, from: string, to: string): boolean {
  return graph.edges.some(([a, b]) => a === from && b === to);
}

/** The newest X.Y.Z of a minor version in its stable channel, from the update service. */
export async function resolveNewestPatch(
  minor: string,
  channel: string,
  url = updateServiceUrl(),
): Promise<ReleaseLock> {
  let nodes: UpdateGraph['nodes'];
  try {
    ({ nodes } = await readUpdateGraph(channel, url));
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}. Pin a patch release instead (openshift.version: "${minor}.N"), or point ` +
        `${UPDATE_SERVICE_ENV} at a reachable update service.`,
    );
  }
  const newest = newestPatch(nodes, minor);
  if (!newest) {
    throw new UserError(`the ${channel} channel at ${url} lists no ${minor}.z release; check openshift.version`);
  }
  return { channel, version: newest.version, image: newest.payload };
}
