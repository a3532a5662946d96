/*
 * `openshift-install create cluster`: consumes the manifests and the service-account signing key (or silently
 * generates one, the failure this project guards against), writes metadata.json and auth/, and walks the install
 * phases with their exit codes. Nothing is provisioned.
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminKubeconfig, clusterFacts, clusterMetadata } from '../installer-assets.ts';
import { asObject, text } from '../install-config.ts';
import { parseDocuments, toKubeYaml } from '../kube-yaml.ts';
import type { Release } from '../releases.ts';
import { generateManifests } from './create-manifests.ts';
import { EXIT, type Logger } from './log.ts';
import { b64, readState, writeState, type StandInRecord, type State } from './state.ts';
import { elapsed, step, until, writeFile, yamlFiles } from './steps.ts';
import { completeSandboxInstall, createSandboxCluster } from './sandbox-cluster.ts';
import { logComplete, waitForCluster } from './wait-for.ts';

const SIGNING_KEY = 'tls/bound-service-account-signing-key.key';

interface Consumed {
  files: string[];
  secrets: string[];
  /** The Secret manifests of manifests/ and openshift/, which become the cluster's Secrets. */
  secretManifests: Record<string, unknown>[];
  issuer: string | undefined;
}

/** Reads (and, like the installer's asset store, removes) the manifests the cluster is made from. */
function consumeManifests(dir: string, log: Logger): Consumed {
  const consumed: Consumed = { files: [], secrets: [], secretManifests: [], issuer: undefined };
  const groups: [string, string][] = [
    ['openshift', 'Openshift Manifests'],
    ['manifests', 'Common Manifests'],
    ['cluster-api', 'Cluster API Manifests'],
  ];
  for (const [folder, name] of groups) {
    const files = yamlFiles(join(dir, folder));
    if (files.length === 0) continue;
    log.info(`Consuming ${name} from target directory`);
    for (const relative of files) {
      const path = join(dir, folder, relative);
      consumed.files.push(`${folder}/${relative}`);
      let documents: unknown[] = [];
      try {
        documents = parseDocuments(readFileSync(path, 'utf8'));
      } catch (error) {
        log.fatal(
          `failed to fetch Cluster: failed to load asset "${name}": failed to unmarshal ${folder}/${relative}: ${(error as Error).message}`,
        );
      }
      for (const doc of documents) {
        const object = asObject(doc);
        const metadata = asObject(object?.metadata);
        if (object?.kind === 'Secret' && metadata && folder === 'manifests') {
          consumed.secrets.push(`${text(metadata.namespace)}/${text(metadata.name)}`);
        }
        if (object?.kind === 'Secret' && metadata && folder !== 'cluster-api') consumed.secretManifests.push(object);
        if (object?.kind === 'Authentication') {
          const issuer = asObject(object.spec)?.serviceAccountIssuer;
          if (typeof issuer === 'string' && issuer) consumed.issuer = issuer;
        }
      }
    }
    rmSync(join(dir, folder), { recursive: true, force: true });
  }
  return consumed;
}

/**
 * The bound service-account signing key: the one in tls/ (from ccoctl), else the one an earlier run recorded in the
 * state, else a new one, which is the silent failure.
 */
function signingKey(dir: string, log: Logger, state: State): { generated: boolean; pem: string } {
  const file = join(dir, SIGNING_KEY);
  const recorded = state['*tls.BoundSASigningKey'];
  if (existsSync(file)) {
    log.info('Consuming Bound Service Account Signing Key from target directory');
    const pem = readFileSync(file, 'utf8');
    try {
      createPrivateKey(pem);
    } catch (error) {
      log.fatal(
        `failed to fetch Cluster: failed to load asset "Bound Service Account Signing Key": failed to parse ${SIGNING_KEY}: ${(error as Error).message}`,
      );
    }
    rmSync(file);
    if (readdirSync(join(dir, 'tls')).length === 0) rmSync(join(dir, 'tls'), { recursive: true });
    return { generated: false, pem };
  }
  if (recorded) return { generated: recorded.Generated, pem: Buffer.from(recorded.File.Data, 'base64').toString() };
  log.warn(
    `${SIGNING_KEY} not found: generating a new service-account signing key. Tokens signed with it will not ` +
      'validate against an OIDC provider created by ccoctl (the install would fail with InvalidIdentityToken); ' +
      "copy ccoctl's tls/ into the installer directory before create cluster",
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { generated: true, pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

export async function createCluster(dir: string, log: Logger, release: Release): Promise<void> {
  const start = Date.now();
  await step(log, 'create-cluster', EXIT.fatal, () => 'failed to fetch Cluster');
  let state = readState(dir);
  if (!state['*installconfig.ClusterID'] || existsSync(join(dir, 'install-config.yaml'))) {
    if (!state['*installconfig.ClusterID'] && !existsSync(join(dir, 'install-config.yaml'))) {
      log.fatal(
        'failed to fetch Cluster: failed to fetch dependency of "Cluster": failed to generate asset "Install Config": ' +
          `no install-config.yaml and no installer state in ${dir} and no terminal to prompt on`,
      );
    }
    state = generateManifests(dir, log, release).state;
  }
  const config = state['*installconfig.InstallConfig']!.config;
  const clusterID = state['*installconfig.ClusterID']!;
  const password = state['*password.KubeadminPassword'];
  const facts = clusterFacts(config);

  const consumed = consumeManifests(dir, log);
  const key = signingKey(dir, log, state);
  const record: StandInRecord = {
    serviceAccountSigningKey: key.generated ? 'generated' : 'consumed',
    serviceAccountSigningKeySha256: createHash('sha256').update(key.pem).digest('hex'),
    ...(consumed.issuer ? { serviceAccountIssuer: consumed.issuer } : {}),
    manifestSecrets: consumed.secrets,
    consumedManifests: consumed.files,
    installPhase: 'infrastructure',
  };
  state['*tls.BoundSASigningKey'] = { Generated: key.generated, File: { Filename: SIGNING_KEY, Data: b64(key.pem) } };
  state.standIn = record;
  writeState(dir, state);

  // Written before provisioning, as the installer does, so that destroy works after a failed install.
  writeFile(dir, 'metadata.json', clusterMetadata(config, clusterID));
  writeFile(dir, 'auth/kubeconfig', toKubeYaml(adminKubeconfig(config, clusterID)), 0o600);
  if (password) writeFile(dir, 'auth/kubeadmin-password', password.Password, 0o600);

  const phase = (name: string) => {
    record.installPhase = name;
    writeState(dir, state);
  };
  log.info('Creating infrastructure resources...');
  await step(log, 'infrastructure', EXIT.infrastructure, () => {
    log.error(
      `failed to fetch Cluster: failed to generate asset "Cluster": failed to create cluster: failed provisioning resources for ${clusterID.InfraID}`,
    );
    return 'failed to create infrastructure';
  });
  // The cluster exists from here on: its API comes up (../cluster/).
  await createSandboxCluster(log, { config, clusterID, release, secrets: consumed.secretManifests });
  log.info(`Waiting up to 20m0s (until ${until(20)}) for the Kubernetes API at ${facts.apiURL}...`);
  log.info('API v1.29.6+aba1e8d up');
  phase('bootstrap');
  log.info(`Waiting up to 30m0s (until ${until(30)}) for bootstrapping to complete...`);
  await step(log, 'bootstrap', EXIT.bootstrap, () => {
    log.error('Bootstrap failed to complete: timed out waiting for the condition');
    log.info(`Bootstrap gather logs captured here "${resolve(dir, 'log-bundle-standin.tar.gz')}"`);
    return 'Bootstrap failed to complete';
  });
  log.info('Destroying the bootstrap resources...');
  phase('install-complete');
  await waitForCluster(log, config);
  await completeSandboxInstall(log, { infraID: clusterID.InfraID, region: facts.region });
  phase('complete');
  logComplete(dir, log, config, password?.Password);
  log.info(`Time elapsed: ${elapsed(start)}`);
}
