import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import cacheInWorkspace from './cache-in-workspace.ts';

const PACKAGE = join(import.meta.dirname, '..', '..');

/** A workspace as init 0.1.0 left it: the plugin registered, the cache not pinned, .nx/cache/ not ignored. */
function oldWorkspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  const nxJson = readNxJson(tree) ?? {};
  delete nxJson.cacheDirectory;
  updateNxJson(tree, { ...nxJson, plugins: ['@ocp-sts/nx-plugin'] });
  tree.write('.gitignore', 'node_modules\n# ocp-sts: secrets and generated work dirs\nsecrets/\nclusters/*/.work/\n');
  return tree;
}

describe('migration cache-in-workspace (0.2.0)', () => {
  // formatFiles (a migration has no skipFormat) picks oxfmt for the test tree and warns that it is not installed.
  let warn: jest.SpiedFunction<typeof console.warn>;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
  });

  it('is the one migration nx migrate finds through package.json', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['nx-migrations']).toEqual({ migrations: './migrations.json' });
    const { generators } = JSON.parse(readFileSync(join(PACKAGE, 'migrations.json'), 'utf8')) as {
      generators: Record<string, { version: string; implementation: string }>;
    };
    expect(Object.keys(generators)).toEqual(['cache-in-workspace']);
    expect(generators['cache-in-workspace']).toMatchObject({
      version: '0.2.0',
      implementation: './src/migrations/cache-in-workspace.ts',
    });
  });

  it('pins the cache in the workspace and ignores it, once', async () => {
    const tree = oldWorkspace();
    expect(readNxJson(tree)?.cacheDirectory).toBeUndefined();
    await cacheInWorkspace(tree);
    expect(readNxJson(tree)).toMatchObject({ cacheDirectory: '.nx/cache', plugins: ['@ocp-sts/nx-plugin'] });
    const gitignore = tree.read('.gitignore', 'utf-8');
    expect(gitignore).toBe(
      'node_modules\n# ocp-sts: secrets and generated work dirs\nsecrets/\nclusters/*/.work/\n' +
        '# ocp-sts: secrets and generated work dirs\n.nx/cache/\n',
    );
    const nxJson = tree.read('nx.json', 'utf-8');

    await cacheInWorkspace(tree);
    expect(tree.read('.gitignore', 'utf-8')).toBe(gitignore);
    expect(tree.read('nx.json', 'utf-8')).toBe(nxJson);
  });

  it('keeps a cache directory nx.json already names', async () => {
    const tree = oldWorkspace();
    updateNxJson(tree, { ...readNxJson(tree), cacheDirectory: '/var/cache/nx-ocp' });
    await cacheInWorkspace(tree);
    expect(readNxJson(tree)?.cacheDirectory).toBe('/var/cache/nx-ocp');
  });
});
