/*
 * No production file imports test code. Production is what nx.json's `production` input holds under packages/:
 * everything but *.spec.ts, __fixtures__/ and *.md. Test code is anything under tools/ (the stand-ins, the emulator,
 * the test helpers), a *.spec.ts, a test-support file, or jest itself. A production file that imports one makes every
 * edit of a test helper re-run every cluster's steps (and ships test code).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { importSpecifiers, sourceFilesUnder } from './source-files.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const TOOLS = join(REPO_ROOT, 'tools');

/** Why an import of `specifier` from `file` is an import of test code, or undefined when it is not. */
function testCodeReason(file: string, specifier: string): string | undefined {
  if (specifier === '@jest/globals' || specifier === 'jest') return 'jest';
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(file), specifier);
  if (target === TOOLS || target.startsWith(TOOLS + sep)) return 'tools/';
  const name = target.split(sep).pop()!;
  if (/\.spec\.ts$/.test(name)) return 'a spec';
  if (/test-support/.test(name)) return 'a test-support file';
  return undefined;
}

/** `file: specifier (reason)` for each import of test code in a source text, dynamic imports and re-exports too. */
function testCodeImports(file: string, text: string): string[] {
  return importSpecifiers(text).flatMap((specifier) => {
    const reason = testCodeReason(file, specifier);
    return reason ? [`${relative(REPO_ROOT, file)}: ${specifier} (${reason})`] : [];
  });
}

function productionFiles(dir: string): string[] {
  return sourceFilesUnder(dir, (name) => !name.endsWith('.spec.ts'));
}

describe('production sources', () => {
  it('import no test code', () => {
    const files = productionFiles(join(REPO_ROOT, 'packages'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => testCodeImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('are caught importing tools/, a spec, a test-support file or jest, however they import it', () => {
    const file = join(REPO_ROOT, 'packages', 'sts', 'src', 'verify', 'x.ts');
    const text = [
      "import { a } from '../../../../tools/testing/cluster-workspace.ts';",
      "export { b } from './test-support.ts';",
      "const c = await import('./outputs.spec.ts');",
      "import { jest } from '@jest/globals';",
      "import { d } from './outputs.ts';",
      "import { e } from '@ocp-sts/toolchain';",
      "import { f } from '../tools.ts';",
    ].join('\n');
    expect(testCodeImports(file, text)).toEqual([
      'packages/sts/src/verify/x.ts: ../../../../tools/testing/cluster-workspace.ts (tools/)',
      'packages/sts/src/verify/x.ts: ./test-support.ts (a test-support file)',
      'packages/sts/src/verify/x.ts: ./outputs.spec.ts (a spec)',
      'packages/sts/src/verify/x.ts: @jest/globals (jest)',
    ]);
  });
});
