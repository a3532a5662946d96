import { join } from 'node:path';

/**
 * Where each target writes, relative to the cluster's folder. Every target owns one folder, so that no two
 * targets write the same path and Nx can restore each from its cache on its own.
 */
export const WORK_DIR = '.work';

export const TARGET_OUTPUT_DIRS = {
  render: 'render',
  manifests: 'manifests',
  extract: 'credrequests',
  ccoctl: 'ccoctl',
  inject: 'staged',
  install: 'installer',
} as const;

export type StepWithOutput = keyof typeof TARGET_OUTPUT_DIRS;

/** Workspace-relative output folder of a step, e.g. `clusters/prod/.work/render`. */
export function outputDir(projectRoot: string, step: StepWithOutput): string {
  return join(projectRoot, WORK_DIR, TARGET_OUTPUT_DIRS[step]);
}

export const INSTALL_CONFIG_FILE = 'install-config.yaml';
