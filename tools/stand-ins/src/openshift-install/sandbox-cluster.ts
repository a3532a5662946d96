/*
 * The simulated cluster `create cluster` brings up (../cluster/): created when the infrastructure exists, its install
 * marked complete when the installer sees it complete, deleted by `destroy cluster`. It lives in the AWS emulator;
 * without one (no AWS_ENDPOINT_URL) there is no cluster for `oc` to reach, which the installer logs as a warning and
 * otherwise ignores, so that nothing else of the installer stand-in depends on the emulator.
 */
import { completeInstall } from '../cluster/cvo.ts';
import { newCluster } from '../cluster/resources.ts';
import { deleteCluster, hasClusterStore, readCluster, writeCluster, type ClusterRef } from '../cluster/store.ts';
import { clusterFacts, type ClusterID } from '../installer-assets.ts';
import { asObject, text, type JsonObject } from '../install-config.ts';
import { enabledCapabilities, KNOWN_CAPABILITIES } from '../payload.ts';
import type { Release } from '../releases.ts';
import type { Logger } from './log.ts';

function noStore(log: Logger): boolean {
  if (hasClusterStore()) return false;
  log.warn('stand-in: no AWS emulator (AWS_ENDPOINT_URL is not set), so no simulated cluster for oc to reach');
  return true;
}

function capabilitiesOf(config: JsonObject): string[] {
  const stanza = asObject(config.capabilities);
  if (!stanza) return [...KNOWN_CAPABILITIES];
  const additional = Array.isArray(stanza.additionalEnabledCapabilities)
    ? stanza.additionalEnabledCapabilities.map((c) => text(c))
    : [];
  try {
    return [...enabledCapabilities(text(stanza.baselineCapabilitySet) || 'vCurrent', additional)].sort();
  } catch {
    return [...KNOWN_CAPABILITIES];
  }
}

export async function createSandboxCluster(
  log: Logger,
  input: { config: JsonObject; clusterID: ClusterID; release: Release; secrets: Record<string, unknown>[] },
): Promise<void> {
  if (noStore(log)) return;
  const facts = clusterFacts(input.config);
  const record = newCluster({
    infraID: input.clusterID.InfraID,
    region: facts.region,
    clusterName: facts.name,
    apiURL: facts.apiURL,
    clusterID: input.clusterID.UUID,
    channel: input.release.channel,
    credentialsMode: text(input.config.credentialsMode),
    updateService: process.env.STANDIN_CLUSTER_UPDATE_SERVICE !== 'none',
    release: input.release,
    secrets: input.secrets,
    capabilities: capabilitiesOf(input.config),
  });
  try {
    await writeCluster(record);
  } catch (error) {
    log.warn(`stand-in: could not store the simulated cluster in the AWS emulator: ${(error as Error).message}`);
  }
}

export async function completeSandboxInstall(log: Logger, ref: ClusterRef | undefined): Promise<void> {
  if (!ref || noStore(log)) return;
  try {
    const record = await readCluster(ref);
    completeInstall(record);
    await writeCluster(record);
  } catch (error) {
    log.warn(`stand-in: could not mark the simulated cluster installed: ${(error as Error).message}`);
  }
}

export async function deleteSandboxCluster(log: Logger, ref: ClusterRef): Promise<void> {
  if (!hasClusterStore()) return;
  try {
    await deleteCluster(ref);
  } catch (error) {
    log.warn(`stand-in: could not delete the simulated cluster: ${(error as Error).message}`);
  }
}
