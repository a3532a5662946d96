import { formatFiles, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { PLUGIN_NAME } from '../../graph/constants.ts';

export interface InitGeneratorSchema {
  skipFormat?: boolean;
}

/** Lines .gitignore must hold: secrets never reach git, and generated work dirs are not sources. */
export const GITIGNORE_LINES = ['secrets/', 'clusters/*/.work/'];

/** Adds the plugin to nx.json once (either spelling of an entry counts). Returns whether it changed anything. */
export function registerPlugin(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const present = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (present) return false;
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, PLUGIN_NAME] });
  return true;
}

export function ignoreSecretsAndWorkDirs(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8')! : '';
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l) && !have.has(`/${l}`));
  if (!missing.length) return;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${current}${sep}# ocp-sts: secrets and generated work dirs\n${missing.join('\n')}\n`);
}

export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<void> {
  registerPlugin(tree);
  ignoreSecretsAndWorkDirs(tree);
  if (!options.skipFormat) await formatFiles(tree);
}

export default initGenerator;
