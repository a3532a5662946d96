import { existsSync } from 'node:fs';
import { openStateStore, restoreFolderFromState, STATE_GROUPS } from '@ocp-sts/state';
import type { ClusterStep } from '@ocp-sts/toolchain';

/**
 * ccoctl's output from the state backend, where ccoctl never ran in this checkout: a fleet's verify runs without its
 * dependencies (`--excludeTaskDependencies`) and with a read-only role, so that it reports drift instead of running
 * `ccoctl aws create-all`, which would change AWS (and repair what it should report). Returns the line to print, or
 * undefined when the output is here already or the state has none (the local backend: it is that folder).
 */
export async function ccoctlOutputFromState(step: ClusterStep): Promise<string | undefined> {
  const dir = step.dir('ccoctl');
  if (existsSync(dir)) return undefined;
  const state = openStateStore(step);
  const restored = await restoreFolderFromState(state, STATE_GROUPS.ccoctlOutput, dir);
  if (!restored.length) return undefined;
  return (
    `verify: ccoctl's output of ${step.loaded.cluster.name} came from the state backend ` +
    `(${state.where}${STATE_GROUPS.ccoctlOutput}/, ${restored.length} files) into ${step.show(dir)}/ (owner-only)`
  );
}
