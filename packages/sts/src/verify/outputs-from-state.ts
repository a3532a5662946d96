import { existsSync, rmSync } from 'node:fs';
import { openStateStore, restoreFolderFromState, STATE_GROUPS } from '@ocp-sts/state';
import type { ClusterStep } from '@ocp-sts/toolchain';

/** The ccoctl output that verify reads, and where it came from. */
export interface CcoctlOutputToVerify {
  dir: string;
  /** The line to print when it came from the state backend; undefined when it is the ccoctl target's folder. */
  fromState: string | undefined;
  /** Removes a copy from the state (its tls/ holds the signing key); nothing for the ccoctl target's own folder. */
  release(): void;
}

/**
 * ccoctl's output for verify: the ccoctl target's folder when it is here, else a copy from the state backend, where
 * ccoctl never ran in this checkout: a fleet's verify runs without its dependencies (`--excludeTaskDependencies`) and
 * with a read-only role, so that it reports drift instead of running `ccoctl aws create-all`, which would change AWS
 * (and repair what it should report). The copy is verify's own, never ccoctl's folder (a cached step's output is
 * written by that step alone), in a `.partial-<pid>` folder of .work/ that the next step removes if this one is killed.
 * When the state holds none either, the ccoctl folder is returned as it is, and verify says it is missing.
 */
export async function ccoctlOutputToVerify(step: ClusterStep): Promise<CcoctlOutputToVerify> {
  const dir = step.dir('ccoctl');
  const here = { dir, fromState: undefined, release: () => undefined };
  if (existsSync(dir)) return here;
  const state = openStateStore(step);
  const copy = step.work(`verify-ccoctl-output.partial-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  const restored = await restoreFolderFromState(state, STATE_GROUPS.ccoctlOutput, copy);
  if (!restored.length) return here;
  return {
    dir: copy,
    fromState:
      `verify: ccoctl's output of ${step.loaded.cluster.name} is read from the state backend ` +
      `(${state.where}${STATE_GROUPS.ccoctlOutput}/, ${restored.length} files): ccoctl has not run in this checkout`,
    release: () => {
      rmSync(copy, { recursive: true, force: true });
    },
  };
}
