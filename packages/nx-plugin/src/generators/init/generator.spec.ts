import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './generator.ts';

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin once and keeps other plugins', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: [{ plugin: '@nx/js/typescript', options: {} }] });
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: '@nx/js/typescript', options: {} }, '@ocp-sts/nx-plugin']);
  });

  it('recognises an existing entry in object form', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: [{ plugin: '@ocp-sts/nx-plugin', options: {} }] });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: '@ocp-sts/nx-plugin', options: {} }]);
  });

  it('adds the ignore lines that are missing, once, keeping the file', async () => {
    tree.write('.gitignore', 'dist\n/secrets/');
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe(
      'dist\n/secrets/\n# ocp-sts: secrets and generated work dirs\nclusters/*/.work/\n.nx/cache/\n',
    );
  });

  it('counts a folder above a line as ignoring it (.nx/ for .nx/cache/)', async () => {
    tree.write('.gitignore', '/.nx\nsecrets\nclusters/*/.work\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe('/.nx\nsecrets\nclusters/*/.work\n');
  });

  it('pins the Nx cache in the workspace, so that clones never share entries, unless nx.json says where it is', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe('.nx/cache');

    updateNxJson(tree, { ...readNxJson(tree), cacheDirectory: '/var/cache/nx-ocp' });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe('/var/cache/nx-ocp');
  });

  it('creates .gitignore when there is none', async () => {
    tree.delete('.gitignore');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toContain('secrets/\nclusters/*/.work/\n');
  });
});
