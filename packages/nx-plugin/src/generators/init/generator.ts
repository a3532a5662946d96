import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { CLUSTERS_DIR, DEFAULTS_FILE } from '@ocp-sts/cluster-config';
import { PLUGIN_NAME } from '../../graph/constants.ts';
import { DEFAULTS_YAML } from './defaults-yaml.ts';

export interface InitGeneratorSchema {
  /** github: write the GitHub Actions workflows (and .nvmrc when there is none). */
  ci?: 'none' | 'github';
  /** Passed by `nx add` to an init that declares it; this plugin adds no packages, so it changes nothing. */
  keepExistingVersions?: boolean;
  skipFormat?: boolean;
}

/**
 * The workflow templates, beside this file: read at run time from the installed package (the build copies them next
 * to the compiled generator), and copied as they are.
 */
export const WORKFLOW_TEMPLATES = join(import.meta.dirname, 'workflows');
export const WORKFLOWS_DIR = '.github/workflows';
/** The workflows' setup-node reads the Node version from it (node-version-file). */
export const NVMRC = '.nvmrc';
export const NODE_MAJOR = '24';

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

/** Writes clusters/defaults.yaml (comments only: it sets nothing) unless the workspace has one, which is never touched. */
export function writeDefaultsYaml(tree: Tree): boolean {
  const file = join(CLUSTERS_DIR, DEFAULTS_FILE);
  if (tree.exists(file)) return false;
  tree.write(file, DEFAULTS_YAML);
  return true;
}

/**
 * Writes every workflow template into .github/workflows/, over an older copy (the user reviews the git diff), and
 * .nvmrc when there is none (a workspace's own Node version stays).
 */
export function writeGithubWorkflows(tree: Tree): void {
  for (const file of readdirSync(WORKFLOW_TEMPLATES).filter((f) => f.endsWith('.yml'))) {
    tree.write(join(WORKFLOWS_DIR, file), readFileSync(join(WORKFLOW_TEMPLATES, file)));
  }
  if (!tree.exists(NVMRC)) tree.write(NVMRC, `${NODE_MAJOR}\n`);
}

/**
 * What every generator of this plugin makes sure of first: the plugin registered, the cache in the workspace, secrets
 * and work folders out of git. The cluster generator runs only this: defaults.yaml and CI are init's to offer once.
 */
export function prepareWorkspace(tree: Tree): void {
  registerPlugin(tree);
  pinCacheInWorkspace(tree);
  ignoreSecretsAndWorkDirs(tree);
}

export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<void> {
  prepareWorkspace(tree);
  writeDefaultsYaml(tree);
  if (options.ci === 'github') writeGithubWorkflows(tree);
  if (!options.skipFormat) await formatFiles(tree);
}

export default initGenerator;
