/*
 * Each target is declared once, in its executor's folder (target.ts), and registered in the plugin's TARGETS
 * (packages/nx-plugin/src/graph/targets.ts). What must agree with the declarations, and cannot import them, is
 * checked here: the executor folders; each package's executors.json, which Nx reads (checked rather than generated:
 * it stays Nx's file, holding what only Nx reads, the executor's own description); the output folders of layout.ts;
 * the names in dependsOn; and the README's table of targets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import { TARGETS } from '../../packages/nx-plugin/src/graph/targets.ts';
import { executorFolder, executorFolders, PACKAGES } from './executor-folders.ts';

const REPO_ROOT = join(PACKAGES, '..');

interface ExecutorsJson {
  executors: Record<string, { implementation: string; schema: string; description: string }>;
}

describe('the target declarations', () => {
  it('are one per executor folder, each the target.ts of the folder its executor names', async () => {
    const declared = TARGETS.map((target) => executorFolder(target));
    expect(declared.map(({ id }) => id).sort()).toEqual(
      executorFolders()
        .map(({ id }) => id)
        .sort(),
    );
    for (const [i, { dir, name }] of declared.entries()) {
      expect(TARGETS[i]!.name).toBe(name);
      const module = (await import(join(dir, 'target.ts'))) as { target: unknown };
      expect(module.target).toBe(TARGETS[i]);
    }
  });

  it("are the executors of their package's executors.json, at their folder's executor.ts and schema.json", () => {
    const packages = [...new Set(executorFolders().map(({ pkg }) => pkg))];
    for (const pkg of packages) {
      const manifest = JSON.parse(readFileSync(join(PACKAGES, pkg, 'package.json'), 'utf8')) as { executors?: string };
      expect([pkg, manifest.executors]).toEqual([pkg, './executors.json']);
      const { executors } = JSON.parse(readFileSync(join(PACKAGES, pkg, 'executors.json'), 'utf8')) as ExecutorsJson;
      const declared = TARGETS.filter((target) => executorFolder(target).pkg === pkg).map((target) => target.name);
      expect([pkg, Object.keys(executors).sort()]).toEqual([pkg, [...declared].sort()]);
      for (const [name, entry] of Object.entries(executors)) {
        expect(entry).toEqual({
          implementation: `./src/executors/${name}/executor.ts`,
          schema: `./src/executors/${name}/schema.json`,
          description: expect.stringMatching(/\S/),
        });
        for (const file of [entry.implementation, entry.schema])
          expect(existsSync(join(PACKAGES, pkg, file))).toBe(true);
      }
    }
  });

  it('depend on declared targets only', () => {
    const names = new Set<string>(TARGETS.map((target) => target.name));
    const unknown = TARGETS.flatMap((target) =>
      ('dependsOn' in target ? target.dependsOn : []).filter((dependency) => !names.has(dependency)),
    );
    expect(unknown).toEqual([]);
  });

  it("name their own entry of layout.ts's TARGET_OUTPUTS as their output, and every entry is one's", () => {
    const withOutput = TARGETS.filter((target) => 'output' in target);
    for (const target of withOutput) {
      expect([target.name, target.output]).toEqual([target.name, TARGET_OUTPUTS[target.name]]);
    }
    expect(withOutput.map((target) => target.name).sort()).toEqual(Object.keys(TARGET_OUTPUTS).sort());
  });
});

describe("the README's table of targets", () => {
  /** The rows of the table under `## Targets`: target, depends on, does, output, cached. */
  function tableRows(): string[][] {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Targets\n'));
    const table = section.slice(
      section.indexOf('\n| target '),
      section.indexOf('\n\n', section.indexOf('\n| target ')),
    );
    return table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
  }

  it('has one row per declared target, with its dependencies, its output folder and whether it is cached', () => {
    const outputCells = new Set(Object.values(TARGET_OUTPUTS).map(({ dir }) => `\`.work/${dir}/\``));
    const rows = tableRows().map(([target, dependsOn, , output, cached]) => ({
      target,
      dependsOn,
      output: outputCells.has(output!) ? output : 'not an output folder',
      cached,
    }));
    const expected = TARGETS.map((target) => ({
      target: `\`${target.name}\``,
      dependsOn: 'dependsOn' in target ? target.dependsOn.join(', ') : '–',
      output: 'output' in target ? `\`.work/${target.output.dir}/\`` : 'not an output folder',
      cached: target.cache ? 'yes' : 'no',
    }));
    const byName = (a: { target?: string }, b: { target?: string }) => (a.target! < b.target! ? -1 : 1);
    expect(rows.sort(byName)).toEqual(expected.sort(byName));
  });
});
