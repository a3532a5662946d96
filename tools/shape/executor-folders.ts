/*
 * The executor folders, packages/<pkg>/src/executors/<name>/, as the shape specs find them on disk and as a target's
 * declaration names them (its executor, `@ocp-sts/<pkg>:<name>`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PACKAGES = join(import.meta.dirname, '..', '..', 'packages');

export interface ExecutorFolder {
  /** `<pkg>/<name>`, e.g. `sts/ccoctl`. */
  id: string;
  pkg: string;
  name: string;
  /** Absolute. */
  dir: string;
}

const folder = (pkg: string, name: string): ExecutorFolder => ({
  id: `${pkg}/${name}`,
  pkg,
  name,
  dir: join(PACKAGES, pkg, 'src', 'executors', name),
});

/** Every executor folder of every package. */
export function executorFolders(): ExecutorFolder[] {
  return readdirSync(PACKAGES).flatMap((pkg) => {
    try {
      return readdirSync(join(PACKAGES, pkg, 'src', 'executors')).map((name) => folder(pkg, name));
    } catch {
      return [];
    }
  });
}

/** The folder that a declaration's executor, `@ocp-sts/<pkg>:<name>`, names. */
export function executorFolder({ executor }: { executor: string }): ExecutorFolder {
  const match = /^@ocp-sts\/([^:]+):(.+)$/.exec(executor);
  if (!match) throw new Error(`${executor} is not an @ocp-sts executor`);
  return folder(match[1]!, match[2]!);
}
