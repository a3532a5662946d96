/*
 * `openshift-install create manifests`: consumes install-config.yaml (validated as the installer does) and writes
 * manifests/, openshift/, cluster-api/ and the state. `create cluster` runs the same generation when it finds an
 * install-config.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { generateClusterID, generateKubeadminPassword, manifestFiles, type ClusterID } from '../installer-assets.ts';
import {
  defaultInstallConfig,
  formatFieldErrors,
  InstallConfigParseError,
  parseInstallConfig,
  unknownFields,
  validateInstallConfig,
  withoutUnknownFields,
  type JsonObject,
} from '../install-config.ts';
import { toKubeYaml } from '../kube-yaml.ts';
import type { Release } from '../releases.ts';
import { EXIT, type Logger } from './log.ts';
import { b64, readState, writeState, type State } from './state.ts';
import { step, writeFile } from './steps.ts';

export interface Assets {
  state: State;
  config: JsonObject;
  clusterID: ClusterID;
}

/**
 * Loads the install-config (from the dir, else from the state), validates it, and writes manifests/, openshift/,
 * cluster-api/ and the state; deletes install-config.yaml. Shared by `create manifests` and `create cluster`.
 */
export function generateManifests(dir: string, log: Logger, release: Release): Assets {
  const state = readState(dir);
  const file = join(dir, 'install-config.yaml');
  let config: JsonObject;
  let clusterID = state['*installconfig.ClusterID'];
  let password = state['*password.KubeadminPassword'];
  let installConfigFile = state['*installconfig.InstallConfig']?.File;
  const consumed = existsSync(file);
  if (consumed) {
    const text = readFileSync(file, 'utf8');
    const prefix = 'failed to fetch Master Machines: failed to load asset "Install Config"';
    let raw: JsonObject;
    try {
      raw = parseInstallConfig(text);
    } catch (error) {
      if (!(error instanceof InstallConfigParseError)) throw error;
      return log.fatal(
        `${prefix}: failed to create install config: failed to unmarshal install-config.yaml: ${error.message}`,
        EXIT.installConfig,
      );
    }
    const unknown = unknownFields(raw);
    if (unknown.length > 0) {
      log.warn(
        `failed to parse first occurrence of unknown field: failed to unmarshal install-config.yaml: error unmarshaling JSON: while decoding JSON: json: unknown field "${unknown[0] ?? ''}"`,
      );
      log.info('Attempting to unmarshal while ignoring unknown keys because strict unmarshaling failed');
    }
    const errors = validateInstallConfig(raw);
    if (errors.length > 0) {
      return log.fatal(
        `${prefix}: failed to create install config: invalid "install-config.yaml" file: ${formatFieldErrors(errors)}`,
        EXIT.installConfig,
      );
    }
    log.info('Consuming Install Config from target directory');
    config = defaultInstallConfig(withoutUnknownFields(raw));
    // An install-config that differs from the one in the state regenerates everything that depends on it.
    if (installConfigFile?.Data !== b64(text)) {
      clusterID = undefined;
      password = undefined;
    }
    installConfigFile = { Filename: 'install-config.yaml', Data: b64(text) };
  } else if (state['*installconfig.InstallConfig']) {
    config = state['*installconfig.InstallConfig'].config;
  } else {
    return log.fatal(
      'failed to fetch Master Machines: failed to fetch dependency of "Master Machines": failed to generate asset "Install Config": ' +
        `no install-config.yaml in ${dir} and no terminal to prompt on`,
    );
  }
  clusterID ??= generateClusterID(config);
  password ??= { ...generateKubeadminPassword(), File: { Filename: 'auth/kubeadmin-password', Data: '' } };
  password.File.Data = b64(password.Password);

  const files = manifestFiles({
    config,
    clusterID,
    password,
    release,
    awsCredentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIASTANDINEXAMPLE00',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'stand-in-secret-access-key',
    },
  });
  for (const [relative, object] of files) writeFile(dir, relative, toKubeYaml(object));

  state['*installconfig.InstallConfig'] = {
    config,
    File: installConfigFile ?? { Filename: 'install-config.yaml', Data: '' },
  };
  state['*installconfig.ClusterID'] = clusterID;
  state['*password.KubeadminPassword'] = password;
  state['*releaseimage.Image'] = { PullSpec: release.digestPullSpec };
  writeState(dir, state);
  if (consumed) unlinkSync(file);
  return { state, config, clusterID };
}

export async function createManifests(dir: string, log: Logger, release: Release): Promise<void> {
  await step(log, 'create-manifests', EXIT.fatal, () => 'failed to fetch Master Machines');
  generateManifests(dir, log, release);
  log.info(
    `Manifests created in: ${join(dir, 'cluster-api')}, ${join(dir, 'manifests')} and ${join(dir, 'openshift')}`,
  );
}
