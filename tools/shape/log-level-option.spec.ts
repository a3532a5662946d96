/*
 * Every executor that runs openshift-install, oc or ccoctl takes the logLevel option, with the levels log-level.ts
 * knows, and hands its options to clusterStep (which resolves the level for runTool). A new executor must be put in
 * one of the two lists, so that it is not forgotten.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_LEVELS } from '@ocp-sts/toolchain';

const PACKAGES = join(import.meta.dirname, '..', '..', 'packages');

const RUN_TOOLS = [
  'installer/destroy',
  'installer/install',
  'installer/manifests',
  'installer/upgrade',
  'sts/ccoctl',
  'sts/credentials-diff',
  'sts/extract',
  'sts/preflight',
  'sts/verify',
];
const RUN_NO_TOOL = ['installer/kubeconfig', 'installer/pin-release', 'installer/render', 'state/unlock', 'sts/inject'];

function executors(): string[] {
  return readdirSync(PACKAGES).flatMap((pkg) => {
    try {
      return readdirSync(join(PACKAGES, pkg, 'src', 'executors')).map((e) => `${pkg}/${e}`);
    } catch {
      return [];
    }
  });
}

describe('the logLevel option', () => {
  it('is decided for every executor', () => {
    expect(executors().sort()).toEqual([...RUN_TOOLS, ...RUN_NO_TOOL].sort());
  });

  it.each(RUN_TOOLS)('is in the schema of %s and reaches clusterStep', (id) => {
    const [pkg, executor] = id.split('/') as [string, string];
    const dir = join(PACKAGES, pkg, 'src', 'executors', executor);
    const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')) as {
      properties: Record<string, { enum?: string[] }>;
    };
    expect(schema.properties['logLevel']?.enum).toEqual([...LOG_LEVELS]);
    expect(readFileSync(join(dir, 'executor.ts'), 'utf8')).toContain(`clusterStep(ctx, '${executor}', options)`);
  });
});
