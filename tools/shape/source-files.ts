/*
 * What the shape tests (tools/shape/*.spec.ts) read: source files as text, and the modules each one imports. They
 * look at import specifiers only, so they stay cheap and need no build.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Every specifier a module imports: static and dynamic imports, `import type`, and re-exports. */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map(({ fileName }) => fileName);
}

/** The TypeScript and JavaScript files under `dir` (node_modules and __fixtures__ passed over) that `keep` accepts. */
export function sourceFilesUnder(dir: string, keep: (name: string) => boolean = () => true): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name === '__fixtures__' ? [] : sourceFilesUnder(path, keep);
    }
    return /\.(ts|js|mjs)$/.test(entry.name) && keep(entry.name) ? [path] : [];
  });
}
