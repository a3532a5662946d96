/*
 * The installer's asset store, `.openshift_install_state.json` (JSON keyed by asset type name), as the stand-in keeps
 * it, plus its own `standIn` record of what `create cluster` consumed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterID, KubeadminPassword } from '../installer-assets.ts';
import type { JsonObject } from '../install-config.ts';

export const STATE_FILE = '.openshift_install_state.json';

export interface AssetFile {
  Filename: string;
  Data: string;
}

export interface StandInRecord {
  /** How create cluster got the service-account signing key: from tls/ or generated (the silent failure). */
  serviceAccountSigningKey?: 'consumed' | 'generated';
  serviceAccountSigningKeySha256?: string;
  serviceAccountIssuer?: string;
  manifestSecrets?: string[];
  consumedManifests?: string[];
  installPhase?: string;
}

export interface State {
  '*installconfig.InstallConfig'?: { config: JsonObject; File: AssetFile };
  '*installconfig.ClusterID'?: ClusterID;
  '*password.KubeadminPassword'?: KubeadminPassword & { File: AssetFile };
  '*releaseimage.Image'?: { PullSpec: string };
  '*tls.BoundSASigningKey'?: { Generated: boolean; File: AssetFile };
  standIn?: StandInRecord;
}

export function readState(dir: string): State {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as State;
}

export function writeState(dir: string, state: State): void {
  writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 4), { mode: 0o640 });
}

export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
