/*
 * How a kubeconfig leads to a stand-in cluster: the installer writes the cluster's key (infraID and region) into
 * its kubeconfig as a named extension of the cluster entry (`clusters[].cluster.extensions`, a list of
 * {name, extension} that every kubeconfig reader accepts and the real oc ignores), and the `oc` stand-in reads it
 * from the kubeconfig's current context, as oc picks the server from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseDocuments } from '../kube-yaml.ts';
import type { ClusterRef } from './store.ts';

export const CLUSTER_EXTENSION = 'stand-in.openshift.io/cluster';

/** The extension entry the installer puts into its kubeconfig's cluster. */
export function clusterExtension(ref: ClusterRef): { name: string; extension: ClusterRef } {
  return { name: CLUSTER_EXTENSION, extension: { infraID: ref.infraID, region: ref.region } };
}

export class KubeconfigError extends Error {}

export const MISSING_CONFIGURATION =
  'Missing or incomplete configuration info.  Please point to an existing, complete config file:\n\n' +
  '  1. Via the command-line flag --kubeconfig\n' +
  '  2. Via the KUBECONFIG environment variable\n' +
  '  3. In your home directory as ~/.kube/config\n\n' +
  "To view or setup config directly use the 'config' command.";

/** The kubeconfig file oc uses: --kubeconfig (must exist), else the first existing file of KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') {
    if (!existsSync(flag)) throw new KubeconfigError(`stat ${flag}: no such file or directory`);
    return flag;
  }
  const candidates = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (candidates.length === 0) candidates.push(join(env.HOME ?? homedir(), '.kube', 'config'));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new KubeconfigError(MISSING_CONFIGURATION);
  return found;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function named(list: unknown, name: unknown): Record<string, unknown> | undefined {
  return Array.isArray(list) ? list.map(asRecord).find((entry) => entry?.name === name) : undefined;
}

export interface KubeconfigCluster {
  server: string;
  ref: ClusterRef | undefined;
}

/** The server and stand-in cluster of the kubeconfig's current context. */
export function readKubeconfig(file: string): KubeconfigCluster {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = asRecord(parseDocuments(readFileSync(file, 'utf8'))[0]);
  } catch (error) {
    throw new KubeconfigError(`error loading config file "${file}": ${(error as Error).message}`);
  }
  const context = asRecord(named(doc?.contexts, doc?.['current-context'])?.context);
  const cluster = asRecord(named(doc?.clusters, context?.cluster)?.cluster);
  const server = cluster?.server;
  if (typeof server !== 'string' || server === '') throw new KubeconfigError(MISSING_CONFIGURATION);
  const extension = asRecord(named(cluster?.extensions, CLUSTER_EXTENSION)?.extension);
  const infraID = extension?.infraID;
  const region = extension?.region;
  return {
    server,
    ref: typeof infraID === 'string' && typeof region === 'string' ? { infraID, region } : undefined,
  };
}
