/*
 * What Nx loads with the plugin, on every nx command: createNodes, which imports every target's declaration. A
 * declaration that imported its executor's logic, or a package's index, would bring zod, yaml, execa or the AWS SDK
 * into every `nx show projects`. Measured in a fresh Node process that records every module it resolves.
 */
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGES = join(import.meta.dirname, '..', '..', '..');

/** Imports `module` in a fresh Node and lists the files of every module it resolved (built-ins left out). */
function modulesLoadedBy(module: string): string[] {
  const script = [
    "import { registerHooks } from 'node:module';",
    'const loaded = [];',
    'registerHooks({ resolve: (specifier, context, next) => { const r = next(specifier, context); loaded.push(r.url); return r; } });',
    'await import(process.env.MODULE);',
    'process.stdout.write(JSON.stringify(loaded));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
    encoding: 'utf8',
    env: { ...process.env, MODULE: pathToFileURL(module).href },
  });
  return [...new Set(JSON.parse(out) as string[])]
    .filter((url) => url.startsWith('file:'))
    .map((url) => new URL(url).pathname);
}

describe('the plugin, as Nx loads it', () => {
  const loaded = modulesLoadedBy(join(import.meta.dirname, 'create-nodes.ts'));

  it('loads, of the workspace, only the graph code, the light layout modules and the declarations', () => {
    const ours = loaded
      .filter((file) => !file.includes('/node_modules/'))
      .map((file) => relative(PACKAGES, file))
      .filter((file) => !file.startsWith('..'));
    expect(ours.length).toBeGreaterThan(14);
    const allowed = [
      /^nx-plugin\/src\/graph\/[\w-]+\.ts$/,
      /^cluster-config\/src\/(layout|sts-name-scan)\.ts$/,
      /^toolchain\/src\/target-declaration\.ts$/,
      /^\w+\/src\/executors\/[\w-]+\/target\.ts$/,
    ];
    expect(ours.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('loads no zod, yaml, execa nor AWS SDK of ours (Nx loads its own copy of yaml)', () => {
    const dependencies = join(PACKAGES, '..', 'node_modules');
    const heavy = loaded.filter((file) => /^(zod|yaml|execa|@aws-sdk)\//.test(relative(dependencies, file)));
    expect(heavy).toEqual([]);
  });
});
