import type { ExecutorContext } from '@nx/devkit';
import { isUserError, UserError } from './errors.ts';

/** The cluster project an executor runs for: where it is, before anything of it is read. */
export interface ProjectContext {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative folder of the cluster, e.g. `clusters/example`. */
  projectRoot: string;
}

export function projectContext(context: ExecutorContext): ProjectContext {
  const projectName = context.projectName;
  const project = projectName ? context.projectsConfigurations.projects[projectName] : undefined;
  if (!projectName || !project) {
    throw new UserError(
      `${context.targetName ?? 'this target'} must run for a cluster project (nx run <cluster>:<target>)`,
    );
  }
  return { workspaceRoot: context.root, projectName, projectRoot: project.root };
}

/**
 * The adapter every executor uses: runs the step, turns a user error into its message on stderr and
 * `{ success: false }` (Nx then names the failed target), and lets a real bug through with its stack.
 */
export async function runStep(
  context: ExecutorContext,
  step: (ctx: ProjectContext) => Promise<void> | void,
): Promise<{ success: boolean }> {
  try {
    await step(projectContext(context));
    return { success: true };
  } catch (error) {
    if (!isUserError(error)) throw error;
    process.stderr.write(`\n${context.targetName ?? 'step'} failed: ${error.message}\n\n`);
    return { success: false };
  }
}
