/*
 * The cluster's service-account signing key pair in secrets/<name>/ (git-ignored, owner-only), where it is kept
 * between runs: made once per cluster by ccoctl, because a new key would make a running cluster's tokens
 * unverifiable.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clusterSecretsDir } from '@ocp-sts/cluster-config';
import type { ClusterStep } from '@ocp-sts/toolchain';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../ccoctl-output/layout.ts';
import type { AvailableKey } from './guard.ts';

/** The pair's files, named as ccoctl names them in its output folder. */
export const SIGNING_KEY_FILES = [SIGNER_PRIVATE, SIGNER_PUBLIC] as const;

/** The cluster's signing key pair as a run finds it: where it is kept, and whether it is there. */
export interface SigningKey extends AvailableKey {
  /** secrets/<name>/ */
  dir: string;
}

/** Where the cluster's service-account signing key pair is kept between runs (git-ignored, owner-only). */
export function signingKeyDir(step: ClusterStep): string {
  return join(step.workspaceRoot, clusterSecretsDir(step.loaded.cluster.name));
}

/** Keeps the key pair ccoctl made in `dir` (a first run) in secrets/<name>/. */
export function keepNewKey(step: ClusterStep, key: SigningKey, dir: string): void {
  if (!SIGNING_KEY_FILES.every((file) => existsSync(join(dir, file)))) return;
  mkdirSync(key.dir, { recursive: true, mode: 0o700 });
  for (const file of SIGNING_KEY_FILES) {
    copyFileSync(join(dir, file), join(key.dir, file));
    chmodSync(join(key.dir, file), 0o600);
  }
  process.stderr.write(
    `kept the new service-account signing key pair in ${step.show(key.dir)}/ (owner-only, git-ignored): ` +
      'every later ccoctl run reuses it; losing it means new tokens for a running cluster\n',
  );
}
