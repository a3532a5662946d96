/*
 * Every executor that runs openshift-install, oc or ccoctl takes the logLevel option, with the levels log-level.ts
 * knows, and hands its options to clusterStep (which resolves the level for runTool). Which ones do is a fact each
 * target's declaration must state (`runsTools`), and every executor has one (target-declarations.spec.ts), so that a
 * new executor cannot be forgotten.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_LEVELS } from '@ocp-sts/toolchain';
import { TARGETS } from '../../packages/nx-plugin/src/graph/targets.ts';
import { executorFolder } from './executor-folders.ts';

const RUN_TOOLS = TARGETS.filter((target) => target.runsTools).map(executorFolder);

describe('the logLevel option', () => {
  it.each(RUN_TOOLS)('is in the schema of $id and reaches clusterStep', ({ dir, name: executor }) => {
    const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')) as {
      properties: Record<string, { enum?: string[] }>;
    };
    expect(schema.properties['logLevel']?.enum).toEqual([...LOG_LEVELS]);
    expect(readFileSync(join(dir, 'executor.ts'), 'utf8')).toContain(`clusterStep(ctx, '${executor}', options)`);
  });
});
