import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCluster, verifyInputFor, type VerifyReport } from '@ocp-sts/sts';
import type { ClusterStep } from '@ocp-sts/toolchain';

/**
 * verify against the target's requests (extract's output): ccoctl's output of the install, with the Secrets of the
 * roles the upgrade made laid over it. Without ccoctl's output here (another machine), it is left to `verify`.
 */
export async function verifyTarget(
  step: ClusterStep,
  upgradeRoles: string | undefined,
): Promise<VerifyReport | undefined> {
  const installedOutput = step.dir('ccoctl');
  if (!existsSync(installedOutput)) return undefined;
  const merged = step.work('upgrade', 'verify');
  rmSync(merged, { recursive: true, force: true });
  mkdirSync(merged, { recursive: true, mode: 0o700 });
  cpSync(installedOutput, merged, { recursive: true });
  if (upgradeRoles) cpSync(join(upgradeRoles, 'manifests'), join(merged, 'manifests'), { recursive: true });
  const input = verifyInputFor(step);
  try {
    return await verifyCluster({ ...input, paths: { ...input.paths, ccoctlDir: merged } });
  } finally {
    rmSync(merged, { recursive: true, force: true });
  }
}
