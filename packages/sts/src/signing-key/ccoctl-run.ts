/*
 * The signing key around a run of `ccoctl aws create-all`: ccoctl reuses a private key already in its output
 * folder, so the kept pair is handed to it there; afterwards that key must still be the one in its output, and a
 * first run's new key is kept in secrets/<name>/.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { SIGNER_PRIVATE } from '../ccoctl-output/layout.ts';
import { keepNewKey, SIGNING_KEY_FILES, type SigningKey } from './local.ts';

/** Copies the kept pair, when there is one, into ccoctl's output folder `dir`. */
export function handKeyToCcoctl(key: SigningKey, dir: string): void {
  if (!key.keyAvailable) return;
  for (const file of SIGNING_KEY_FILES) copyFileSync(join(key.dir, file), join(dir, file));
}

/** After ccoctl made `dir`: refuses a kept key it replaced, and keeps the key of a first run. */
export function keepKeyAfterCcoctl(step: ClusterStep, key: SigningKey, dir: string): void {
  if (!key.keyAvailable) {
    keepNewKey(step, key, dir);
    return;
  }
  if (!readFileSync(join(dir, SIGNER_PRIVATE)).equals(readFileSync(join(key.dir, SIGNER_PRIVATE)))) {
    throw new UserError(`ccoctl replaced the signing key kept in ${step.show(key.dir)}; refusing to use a new one`);
  }
}
