import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterJsonSchema } from './json-schema.ts';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

/** Every key path of cluster.yaml, e.g. `openshift.compute_replicas`. */
function keyPaths(schema: JsonSchema, prefix = ''): string[] {
  const branches = [schema, ...(schema.anyOf ?? [])];
  return branches.flatMap((branch) =>
    Object.entries(branch.properties ?? {}).flatMap(([key, child]) => {
      const path = prefix + key;
      const nested = keyPaths(child, `${path}.`);
      return nested.length ? nested : [path];
    }),
  );
}

describe('README cluster.yaml reference', () => {
  it('documents every key of the model', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const keys = keyPaths(JSON.parse(clusterJsonSchema()) as JsonSchema);
    expect(keys.length).toBeGreaterThan(25);
    const undocumented = keys.filter((key) => !readme.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });
});
