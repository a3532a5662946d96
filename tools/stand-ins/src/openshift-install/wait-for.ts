/*
 * `openshift-install wait-for install-complete|bootstrap-complete`, and the wait for the cluster and the
 * "Install complete!" ending that `create cluster` shares with them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clusterFacts } from '../installer-assets.ts';
import { asObject, type JsonObject } from '../install-config.ts';
import { parseDocuments } from '../kube-yaml.ts';
import { readKubeconfig as readStandInKubeconfig } from '../cluster/kubeconfig.ts';
import type { ClusterRef } from '../cluster/store.ts';
import { EXIT, type Logger } from './log.ts';
import { completeSandboxInstall } from './sandbox-cluster.ts';
import { readState } from './state.ts';
import { elapsed, step, until } from './steps.ts';

export function logComplete(dir: string, log: Logger, config: JsonObject, password: string | undefined): void {
  const facts = clusterFacts(config);
  log.info('Checking to see if there is a route at openshift-console/console...');
  log.info('Install complete!');
  log.info(
    `To access the cluster as the system:admin user when using 'oc', run 'export KUBECONFIG=${resolve(dir, 'auth', 'kubeconfig')}'`,
  );
  log.info(`Access the OpenShift web-console here: ${facts.consoleURL}`);
  // Yes, the real installer prints the password (and writes it to .openshift_install.log): callers must redact it.
  if (password !== undefined) log.info(`Login to the console with user: "kubeadmin", and password: "${password}"`);
}

export async function waitForCluster(log: Logger, config: JsonObject): Promise<void> {
  const facts = clusterFacts(config);
  log.info(`Waiting up to 40m0s (until ${until(40)}) for the cluster at ${facts.apiURL} to initialize...`);
  await step(log, 'install-complete', EXIT.install, () => {
    log.error(
      'Cluster operator authentication Degraded is True with OAuthServerRouteEndpointAccessibleController_SyncError',
    );
    log.error('Cluster initialization failed because one or more operators are not functioning properly.');
    return 'failed to initialize the cluster: Cluster operators authentication, console are not available';
  });
  await step(
    log,
    'operators-stable',
    EXIT.operators,
    () => 'failed to wait for operators to become stable: Cluster operators are not stable',
  );
}

interface Kubeconfig {
  server: string;
  /** The stand-in cluster it names (../cluster/kubeconfig.ts). */
  ref: ClusterRef | undefined;
}

function readKubeconfig(dir: string, log: Logger): Kubeconfig {
  const file = join(dir, 'auth', 'kubeconfig');
  if (!existsSync(file)) log.fatal(`loading kubeconfig: stat ${file}: no such file or directory`);
  const doc = asObject(parseDocuments(readFileSync(file, 'utf8'))[0]);
  const clusters = doc?.clusters;
  const server = Array.isArray(clusters) ? asObject(asObject(clusters[0])?.cluster)?.server : undefined;
  if (typeof server !== 'string') return log.fatal(`loading kubeconfig: ${file} has no cluster server`);
  let ref: ClusterRef | undefined;
  try {
    ref = readStandInKubeconfig(file).ref;
  } catch {
    ref = undefined;
  }
  return { server, ref };
}

/** The install-config facts behind a kubeconfig's server URL (https://api.<name>.<baseDomain>:6443). */
function configFromServer(server: string): JsonObject {
  const host = new URL(server).hostname.replace(/^api\./, '');
  const [name = '', ...domain] = host.split('.');
  return { metadata: { name }, baseDomain: domain.join('.'), platform: { aws: { region: '' } } };
}

export async function waitForInstallComplete(dir: string, log: Logger): Promise<void> {
  const start = Date.now();
  const { server, ref } = readKubeconfig(dir, log);
  await step(log, 'wait-for-install-complete', EXIT.install, () => 'failed to initialize the cluster');
  const config = readState(dir)['*installconfig.InstallConfig']?.config ?? configFromServer(server);
  await waitForCluster(log, config);
  await completeSandboxInstall(log, ref);
  const passwordFile = join(dir, 'auth', 'kubeadmin-password');
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8') : undefined;
  if (password === undefined) log.warn(`Cluster is initialized but ${passwordFile} is missing`);
  logComplete(dir, log, config, password);
  log.info(`Time elapsed: ${elapsed(start)}`);
}

export async function waitForBootstrapComplete(dir: string, log: Logger): Promise<void> {
  const { server } = readKubeconfig(dir, log);
  await step(log, 'wait-for-bootstrap-complete', EXIT.bootstrap, () => 'Bootstrap failed to complete');
  log.info(`Waiting up to 20m0s (until ${until(20)}) for the Kubernetes API at ${server}...`);
  log.info('API v1.29.6+aba1e8d up');
  log.info(`Waiting up to 30m0s (until ${until(30)}) for bootstrapping to complete...`);
  await step(log, 'bootstrap', EXIT.bootstrap, () => 'Bootstrap failed to complete');
  log.info('It is now safe to remove the bootstrap resources');
}
