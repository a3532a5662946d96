/*
 * No two production modules import each other, directly or through others: a module in a cycle cannot be read, tested
 * or moved without the rest of the cycle, and what it exports may still be undefined while the cycle loads. What two
 * modules share goes into a third that both import (as the cluster generator's options type, in its schema.d.ts).
 * Relative imports only: a cycle between packages would be one between their package.json dependencies, which npm
 * workspaces refuse. Reads source text only: cheap.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importSpecifiers, sourceFilesUnder } from './source-files.ts';

const PACKAGES = join(import.meta.dirname, '..', '..', 'packages');

/** Each cycle among `imports` (module -> the modules it imports), once, as `a -> b -> a`, from the first module seen. */
function importCycles(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (module: string) => {
    path.push(module);
    for (const next of imports.get(module) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) cycles.push([...path.slice(at), next].join(' -> '));
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(module);
  };
  for (const module of imports.keys()) if (!done.has(module)) visit(module);
  return cycles;
}

/** The production modules under packages/ (specs left out) and the ones each imports by a relative path. */
function productionImports(): Map<string, string[]> {
  const files = new Set(sourceFilesUnder(PACKAGES, (name) => !name.endsWith('.spec.ts')));
  const show = (file: string) => relative(PACKAGES, file);
  return new Map(
    [...files].map((file) => [
      show(file),
      importSpecifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolve(dirname(file), specifier))
        .filter((target) => files.has(target))
        .map(show),
    ]),
  );
}

describe('imports between production modules', () => {
  it('finds a cycle, however long', () => {
    const imports = new Map([
      ['a.ts', ['b.ts', 'd.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(importCycles(imports)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts', 'd.ts -> d.ts']);
  });

  it('form no cycle in any package', () => {
    const imports = productionImports();
    expect(imports.size).toBeGreaterThan(50);
    expect(importCycles(imports)).toEqual([]);
  });
});
