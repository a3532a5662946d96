import { formatFiles, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { PLUGIN_NAME } from '../../graph/constants.ts';

export interface InitGeneratorSchema {
  skipFormat?: boolean;
}

/**
 * Where Nx keeps its cache: in the workspace. Nx's default is one folder per repository under ~/.nx, shared by every
 * clone on the machine, and cached outputs hold a cluster's pull secret and signing key.
 */
export const CACHE_DIRECTORY = '.nx/cache';

/** Lines .gitignore must hold: secrets (and the cache that holds them) never reach git; work dirs are not sources. */
export const GITIGNORE_LINES = ['secrets/', 'clusters/*/.work/', `${CACHE_DIRECTORY}/`];

/** Adds the plugin to nx.json once (either spelling of an entry counts). Returns whether it changed anything. */
export function registerPlugin(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const present = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (present) return false;
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, PLUGIN_NAME] });
  return true;
}

/** Pins the cache in the workspace, unless nx.json already says where it is. Returns whether it changed anything. */
export function pinCacheInWorkspace(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  if (nxJson.cacheDirectory) return false;
  updateNxJson(tree, { ...nxJson, cacheDirectory: CACHE_DIRECTORY });
  return true;
}

/** The line, or a folder above it (`.nx/` for `.nx/cache/`), with or without a leading slash or the trailing one. */
function alreadyIgnored(line: string, have: Set<string>): boolean {
  const parts = line.replace(/\/$/, '').split('/');
  return parts.some((_, i) => {
    const folder = parts.slice(0, i + 1).join('/');
    return [folder, `${folder}/`, `/${folder}`, `/${folder}/`].some((l) => have.has(l));
  });
}

export function ignoreSecretsAndWorkDirs(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8')! : '';
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !alreadyIgnored(l, have));
  if (!missing.length) return;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${current}${sep}# ocp-sts: secrets and generated work dirs\n${missing.join('\n')}\n`);
}

export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<void> {
  registerPlugin(tree);
  pinCacheInWorkspace(tree);
  ignoreSecretsAndWorkDirs(tree);
  if (!options.skipFormat) await formatFiles(tree);
}

export default initGenerator;
