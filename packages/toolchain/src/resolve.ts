import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from './errors.ts';

export type ToolName = 'openshift-install' | 'oc' | 'ccoctl';

const HOW_TO_GET: Record<ToolName, string> = {
  'openshift-install':
    'Use the installer of the release: `oc adm release extract --command=openshift-install --to=<dir> <release image>` ' +
    '(or set the target option useReleaseTools), or download it from https://mirror.openshift.com/pub/openshift-v4/clients/ocp/.',
  oc: 'Install the OpenShift CLI (openshift-client-linux) from https://mirror.openshift.com/pub/openshift-v4/clients/ocp/stable/ and put it on PATH.',
  ccoctl:
    'Use the ccoctl of the release: `oc adm release extract --command=ccoctl --to=<dir> <release image>` ' +
    '(or set the target option useReleaseTools); it exists for Linux only.',
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of a tool: in `binDir` first when given (a folder named by an option or the OCP_STS_BIN_DIR environment
 * variable, or the release's own tools in .work/bin), else on PATH. A missing tool is a UserError saying how to get it.
 */
export function resolveTool(
  tool: ToolName,
  binDirs: (string | undefined)[] = [],
  path = process.env.PATH ?? '',
): string {
  const dirs = [...binDirs.filter((d): d is string => !!d), ...path.split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    if (isExecutable(candidate)) return candidate;
  }
  const where = binDirs.filter(Boolean).length ? `${binDirs.filter(Boolean).join(', ')} or on PATH` : 'on PATH';
  throw new UserError(`${tool} was not found ${where}. ${HOW_TO_GET[tool]}`);
}
