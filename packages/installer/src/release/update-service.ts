import { newestPatch, type ReleaseLock } from '@ocp-sts/cluster-config';
import { UserError } from '@ocp-sts/toolchain';

/** Overrides the update service (tests serve a graph on loopback; disconnected sites run their own). */
export const UPDATE_SERVICE_ENV = 'OCP_STS_UPDATE_SERVICE';
export const DEFAULT_UPDATE_SERVICE = 'https://api.openshift.com/api/upgrades_info/v1/graph';

interface Graph {
  nodes?: { version?: unknown; payload?: unknown }[];
}

/**
 * The newest X.Y.Z of a minor version in its stable channel, from the OpenShift update service (the Cincinnati
 * graph API that `oc adm upgrade` and the console use).
 */
export async function resolveNewestPatch(
  minor: string,
  channel: string,
  url = process.env[UPDATE_SERVICE_ENV] ?? DEFAULT_UPDATE_SERVICE,
): Promise<ReleaseLock> {
  const query = `${url}?channel=${encodeURIComponent(channel)}&arch=amd64`;
  let graph: Graph;
  try {
    const response = await fetch(query, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    graph = (await response.json()) as Graph;
  } catch (error) {
    throw new UserError(
      `could not read the ${channel} channel from the update service at ${query} (${(error as Error).message}). ` +
        `Pin a patch release instead (openshift.version: "${minor}.N"), or point ${UPDATE_SERVICE_ENV} at a reachable update service.`,
    );
  }
  const nodes = (graph.nodes ?? []).flatMap((n) =>
    typeof n.version === 'string' && typeof n.payload === 'string' ? [{ version: n.version, payload: n.payload }] : [],
  );
  const newest = newestPatch(nodes, minor);
  if (!newest) {
    throw new UserError(`the ${channel} channel at ${url} lists no ${minor}.z release; check openshift.version`);
  }
  return { channel, version: newest.version, image: newest.payload };
}
