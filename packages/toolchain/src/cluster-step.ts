import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  loadClusterConfig,
  outputDir,
  RELEASE_FILE,
  SLICES_DIR,
  WORK_DIR,
  type CcoctlInputs,
  type ExtractInputs,
  type LoadedCluster,
  type Release,
  type TargetWithOutput,
} from '@ocp-sts/cluster-config';
import { UserError } from './errors.ts';
import type { ProjectContext } from './executor.ts';
import { logLevelOf, type LogLevelOption, type LogLevel } from './log-level.ts';
import { Redactor } from './redact.ts';
import { stepLogFile } from './step-log.ts';
import type { RunToolOptions } from './run-tool.ts';
import { SECRET_OUTPUTS, secureWorkDir } from './work-dir.ts';

/** Everything a pipeline step needs about its cluster, read once. */
export interface ClusterStep extends ProjectContext {
  /** The Nx target, e.g. `manifests`: names logs and errors. */
  target: string;
  loaded: LoadedCluster;
  /** Absolute path of a step's output folder. */
  dir: (target: TargetWithOutput) => string;
  /** Absolute path inside the cluster's .work/. */
  work: (...parts: string[]) => string;
  /** `.work/logs/<target>.log` */
  logFile: string;
  /** Knows the pull secret (when present) and the usual secret shapes. */
  redactor: Redactor;
  /** Workspace-relative form of an absolute path, for messages. */
  show: (path: string) => string;
  /** The tools' log level (option, OCP_STS_LOG_LEVEL, or debug under --verbose); see log-level.ts. */
  logLevel: LogLevel | undefined;
}

export function clusterStep(ctx: ProjectContext, target: string, options: LogLevelOption = {}): ClusterStep {
  const logLevel = logLevelOf(options.logLevel);
  const loaded = loadClusterConfig(ctx);
  const work = (...parts: string[]) => join(ctx.workspaceRoot, ctx.projectRoot, WORK_DIR, ...parts);
  const redactor = new Redactor();
  if (existsSync(loaded.secretFiles.pullSecret))
    redactor.addPullSecret(readFileSync(loaded.secretFiles.pullSecret, 'utf8'));
  const dir = (target: TargetWithOutput) => join(ctx.workspaceRoot, outputDir(ctx.projectRoot, target));
  // Before anything reads .work/: what a killed run left, and what Nx restored with looser modes (see work-dir.ts).
  secureWorkDir(work(), SECRET_OUTPUTS.map(dir));
  return {
    ...ctx,
    target,
    loaded,
    dir,
    work,
    logFile: stepLogFile(ctx, target),
    redactor,
    show: (path) => relative(ctx.workspaceRoot, path),
    logLevel,
  };
}

/** A file that an earlier step wrote; missing means that step did not run (or its output was removed). */
export function readStepOutput(step: ClusterStep, from: TargetWithOutput, file: string): string {
  const path = join(step.dir(from), file);
  if (!existsSync(path)) {
    throw new UserError(
      `${step.show(path)} is missing: run \`nx run ${step.projectName}:${from}\` first (nx runs it for you through dependsOn)`,
    );
  }
  return readFileSync(path, 'utf8');
}

export function readRelease(step: ClusterStep): Release {
  return JSON.parse(readStepOutput(step, 'render', RELEASE_FILE)) as Release;
}

interface SliceOf {
  extract: ExtractInputs;
  ccoctl: CcoctlInputs;
}

/** The slice of the configuration that render wrote for a later step. */
export function readSlice<K extends keyof SliceOf>(step: ClusterStep, name: K): SliceOf[K] {
  return JSON.parse(readStepOutput(step, 'render', join(SLICES_DIR, `${name}.json`))) as SliceOf[K];
}

/** Reads a secret file the user provides; a missing one says where it goes and how to get it. */
export function readSecretFile(step: ClusterStep, path: string, what: string, howToGet: string): string {
  if (!existsSync(path)) {
    throw new UserError(`${what} not found at ${step.show(path)}. ${howToGet}`);
  }
  return readFileSync(path, 'utf8');
}

/** cco_mode is not manual-sts: the STS steps have nothing to do. */
export function stsIsOff(step: ClusterStep): boolean {
  return step.loaded.cluster.credentials.cco_mode !== 'manual-sts';
}

/** The options of runTool that come from the step: the target it names, its log, the root, the redactor, the level. */
export function toolContext(
  step: ClusterStep,
): Pick<RunToolOptions, 'target' | 'logFile' | 'workspaceRoot' | 'redactor' | 'logLevel'> {
  return {
    target: step.target,
    logFile: step.logFile,
    workspaceRoot: step.workspaceRoot,
    redactor: step.redactor,
    logLevel: step.logLevel,
  };
}
