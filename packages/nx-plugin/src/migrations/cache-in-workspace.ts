import { formatFiles, type Tree } from '@nx/devkit';
import { ignoreSecretsAndWorkDirs, pinCacheInWorkspace } from '../generators/init/generator.ts';

/**
 * 0.2.0: what init does now for the cache, done to a workspace an older init set up (which left Nx's cache in
 * ~/.nx, shared by every clone on the machine, and did not ignore .nx/cache/): cached outputs hold pull secrets and
 * signing keys. A cacheDirectory nx.json already names, and ignore lines already there, stay.
 */
export default async function cacheInWorkspace(tree: Tree): Promise<void> {
  pinCacheInWorkspace(tree);
  ignoreSecretsAndWorkDirs(tree);
  await formatFiles(tree);
}
