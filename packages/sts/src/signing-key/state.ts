/*
 * The signing key pair in the state backend, the group `signing-key/`: any machine can go on from there (another
 * checkout, CI, a lost laptop). The backend's pair is the cluster's, the one its issuer publishes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepInState, restoreFromState, STATE_GROUPS, stateCopyOf, type ObjectStore } from '@ocp-sts/state';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../ccoctl-output/layout.ts';
import { SIGNING_KEY_FILES, signingKeyDir, type SigningKey } from './local.ts';

/**
 * The cluster's signing key pair in secrets/<name>/, after getting it back from the state backend when it is not
 * there. A local key that differs from the backend's is refused: the backend's is the one the running cluster's
 * issuer publishes.
 */
export async function signingKeyFromState(step: ClusterStep, state: ObjectStore): Promise<SigningKey> {
  const dir = signingKeyDir(step);
  const restored = await restoreFromState(state, STATE_GROUPS.signingKey, dir, SIGNING_KEY_FILES);
  if (restored.length) {
    process.stderr.write(
      `ccoctl: the signing key pair of ${step.loaded.cluster.name} came from the state backend (${state.where}) into ${step.show(dir)}/ (owner-only)\n`,
    );
  }
  const local = join(dir, SIGNER_PRIVATE);
  if (!existsSync(local)) return { dir, keyAvailable: false };
  const kept = await stateCopyOf(state, STATE_GROUPS.signingKey, dir, SIGNER_PRIVATE);
  if (kept && !kept.equals(readFileSync(local))) {
    throw new UserError(
      `the signing key in ${step.show(dir)}/ is not the one the state backend keeps for ${step.loaded.cluster.name} ` +
        `(${state.where}${STATE_GROUPS.signingKey}/): the backend's is the cluster's. Move the local pair away ` +
        `(mv ${step.show(dir)} ${step.show(dir)}.old) and run again to use it; nothing was changed`,
    );
  }
  return { dir, keyAvailable: true, publicKeyPem: readFileSync(join(dir, SIGNER_PUBLIC), 'utf8') };
}

/** The pair of secrets/<name>/ into the state backend. */
export async function keepSigningKeyInState(state: ObjectStore, key: SigningKey): Promise<void> {
  await keepInState(state, STATE_GROUPS.signingKey, key.dir, SIGNING_KEY_FILES);
}
