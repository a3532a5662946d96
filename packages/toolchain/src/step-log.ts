import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORK_DIR } from '@ocp-sts/cluster-config';
import type { ProjectContext } from './executor.ts';
import type { Redactor } from './redact.ts';

/** `.work/logs/<target>.log` of the cluster: where runTool writes a tool's output, and a step what it did. */
export function stepLogFile(ctx: ProjectContext, target: string): string {
  return join(ctx.workspaceRoot, ctx.projectRoot, WORK_DIR, 'logs', `${target}.log`);
}

/**
 * A step's own lines in its log, for the steps that run no tool (render, inject, verify) or what a step does besides
 * its tools: a header with the time and the target, then each line redacted, as runTool does with a tool's output.
 * Owner-only like the rest of .work/, since a log may name paths and accounts.
 */
export function openStepLog(at: { logFile: string; redactor: Redactor; target: string }): (line: string) => void {
  mkdirSync(dirname(at.logFile), { recursive: true, mode: 0o700 });
  const append = (text: string) => {
    appendFileSync(at.logFile, text, { mode: 0o600 });
  };
  append(`\n# ${new Date().toISOString()} ${at.target}\n`);
  return (line) => {
    append(`${at.redactor.line(line)}\n`);
  };
}
