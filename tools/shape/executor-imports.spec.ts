/*
 * No sideways imports between executors: a file under packages/<pkg>/src/executors/<a>/ imports nothing from
 * another executor's folder, in any package. What two executors share lives in a module outside executors/, so
 * that each executor can be read, moved or removed on its own. Reads source text only: cheap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { importSpecifiers, sourceFilesUnder } from './source-files.ts';

const PACKAGES = join(import.meta.dirname, '..', '..', 'packages');

/** `<pkg>/<executor>` for a path under packages/<pkg>/src/executors/<executor>/, else undefined. */
function executorOf(path: string): string | undefined {
  const [pkg, src, executors, executor, ...rest] = relative(PACKAGES, path).split(sep);
  return src === 'src' && executors === 'executors' && rest.length ? `${pkg!}/${executor!}` : undefined;
}

/** Each import of `file` that reaches into another executor's folder, as `file -> specifier`. */
function sidewaysImports(file: string, source: string): string[] {
  const own = executorOf(file);
  return importSpecifiers(source)
    .filter((specifier) => {
      if (!specifier.startsWith('.')) return false;
      const target = executorOf(resolve(dirname(file), specifier));
      return target !== undefined && target !== own;
    })
    .map((specifier) => `${relative(PACKAGES, file)} -> ${specifier}`);
}

function executorSources(): string[] {
  return readdirSync(PACKAGES).flatMap((pkg) => sourceFilesUnder(join(PACKAGES, pkg, 'src', 'executors')));
}

describe('imports between executors', () => {
  it('finds a sideways import, however it is written', () => {
    const file = join(PACKAGES, 'p', 'src', 'executors', 'a', 'a.ts');
    const source = [
      "import { x } from '../b/b.ts';",
      "import { own } from './own.ts';",
      "import { shared } from '../../shared.ts';",
      'import type {\n  Y,\n} from "../../../../q/src/executors/c/c.ts";',
      "export * from '../b/index.ts';",
      "const lazy = await import('../d/d.ts');",
    ].join('\n');
    expect(sidewaysImports(file, source)).toEqual([
      'p/src/executors/a/a.ts -> ../b/b.ts',
      'p/src/executors/a/a.ts -> ../../../../q/src/executors/c/c.ts',
      'p/src/executors/a/a.ts -> ../b/index.ts',
      'p/src/executors/a/a.ts -> ../d/d.ts',
    ]);
  });

  it('has none in any package', () => {
    const files = executorSources();
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((file) => sidewaysImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });
});
