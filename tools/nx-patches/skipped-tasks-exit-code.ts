/*
 * Nx 23.3.1 exits 130, the code of an interrupt (Ctrl-C), when a task fails and Nx skips the tasks that depend on it:
 * `nx run example:install` whose preflight failed exited 130, as if the user had pressed Ctrl-C, and CI scripts
 * that treat 130 as "cancelled" hid the failure.
 *
 * Where it comes from (node_modules/nx/dist/src/tasks-runner/run-command.js): the exit code is 130 when the run did
 * not "complete", and `didCommandComplete` counts a discrete task without a result as not completed; but the
 * orchestrator gives a skipped task no result (completeTasks reports only non-skipped tasks to the life cycles,
 * and the results are collected from them). So every skipped dependent makes a failed run look interrupted. Nothing
 * of ours is involved: the executors return `{ success: false }` (exit code 1) and the signal handlers of
 * packages/toolchain/src/signals.ts run only on a real SIGINT/SIGTERM. Nx 24.0.6 fixed it (a task the runner settled
 * as skipped counts as completed), but Nx 24 cannot be used yet (see the README's Choices).
 *
 * This patch makes a task without a result count as completed when one of its dependencies, directly or through
 * other skipped tasks, failed: then the run exits 1. A real interrupt still exits 130 (the running tasks are
 * "stopped", and a task skipped after a stopped one has no failed dependency). Applied by `npm ci` (postinstall) to
 * exactly Nx 23.3.1 only, idempotent; any other version is left alone with a note.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PATCHED_NX_VERSION = '23.3.1';
export const RUN_COMMAND = join('dist', 'src', 'tasks-runner', 'run-command.js');
const MARKER = '/* ocp-sts: skipped tasks after a failure are not an interrupt */';

const CALL = 'completed: didCommandComplete(tasks, taskResults),';
const PATCHED_CALL = 'completed: didCommandComplete(tasks, taskResults, taskGraph),';
const SIGNATURE = 'function didCommandComplete(tasks, taskResults) {';
const CHECK = `            if (!taskResults[task.id])
                return false;`;
const PATCHED_CHECK = `            if (!taskResults[task.id] && !ocpStsSkippedAfterFailure(task.id, taskResults, taskGraph))
                return false;`;
const HELPER = `${MARKER}
function ocpStsSkippedAfterFailure(taskId, taskResults, taskGraph, seen = new Set()) {
    if (!taskGraph || seen.has(taskId))
        return false;
    seen.add(taskId);
    return (taskGraph.dependencies[taskId] ?? []).some((dep) => taskResults[dep]
        ? taskResults[dep].status === 'failure'
        : ocpStsSkippedAfterFailure(dep, taskResults, taskGraph, seen));
}
function didCommandComplete(tasks, taskResults, taskGraph) {`;

export type PatchOutcome = 'patched' | 'already-patched';

/** The patched text of run-command.js; throws when the text is not the one this patch was written for. */
export function patchRunCommand(text: string): { text: string; outcome: PatchOutcome } {
  if (text.includes(MARKER)) return { text, outcome: 'already-patched' };
  const anchors = [CALL, SIGNATURE, CHECK];
  for (const anchor of anchors) {
    if (text.split(anchor).length !== 2) {
      throw new Error(`nx ${RUN_COMMAND} is not the text this patch was written for (${JSON.stringify(anchor)})`);
    }
  }
  return {
    text: text.replace(CALL, PATCHED_CALL).replace(SIGNATURE, HELPER).replace(CHECK, PATCHED_CHECK),
    outcome: 'patched',
  };
}

/** Patches the Nx installed at `nxDir` (its package folder) when it is the version this patch is for. */
export function patchInstalledNx(nxDir: string): PatchOutcome | 'other-version' {
  const { version } = JSON.parse(readFileSync(join(nxDir, 'package.json'), 'utf8')) as { version: string };
  if (version !== PATCHED_NX_VERSION) return 'other-version';
  const file = join(nxDir, RUN_COMMAND);
  const { text, outcome } = patchRunCommand(readFileSync(file, 'utf8'));
  if (outcome === 'patched') {
    // A new file renamed into place: never write through a hard link that another checkout's node_modules shares.
    writeFileSync(`${file}.ocp-sts`, text);
    renameSync(`${file}.ocp-sts`, file);
  }
  return outcome;
}
