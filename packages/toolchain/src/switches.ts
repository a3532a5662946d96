import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The seed script's environment switches keep working; an executor option, when given, wins over its variable.
 * `1`, `true` and `yes` turn a switch on.
 */
export function seedSwitch(option: boolean | undefined, variable: string, env = process.env): boolean {
  if (option !== undefined) return option;
  return ['1', 'true', 'yes'].includes((env[variable] ?? '').toLowerCase());
}

/**
 * Makes a folder that holds secrets private: folders 0700, files 0600. Used on the outputs that hold the pull
 * secret (manifests, staged, installer) or the signing key (ccoctl, staged).
 */
export function restrictToOwner(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) restrictToOwner(path);
    else chmodSync(path, 0o600);
  }
}
