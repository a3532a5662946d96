/*
 * Temporary copies of this workspace for end-to-end tests and benchmarks: real `nx` commands run in them as child
 * processes, on the pinned Node, without touching the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const PINNED_BIN = join(REPO_ROOT, 'node_modules', '.bin');

export interface TempWorkspace {
  root: string;
  /** The environment commands run with: the pinned Node first on PATH, nx's daemon, TUI and cloud off; then `extra`. */
  env: (extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /** Runs a command in the workspace with the pinned Node first on PATH; returns stdout+stderr. Throws on failure. */
  run: (command: string, args: string[], options?: { env?: NodeJS.ProcessEnv }) => string;
  /** Runs `nx` (daemon off) and returns its output, or throws with the output in the message. */
  nx: (...args: string[]) => string;
  write: (file: string, content: string) => void;
  git: (...args: string[]) => string;
  remove: () => void;
}

export interface TempWorkspaceOptions {
  /** Copy the plugin packages, nx.json and tsconfig (default true). False: an empty Nx workspace. */
  withPlugin?: boolean;
  /** Files to write before the first commit, workspace-relative. */
  files?: Record<string, string>;
}

/** The files of the repository that a clone would have (tracked or new, not ignored). */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  // --cached also lists files deleted from the work tree but not yet from the index.
  return out.split('\0').filter((f) => f && !f.startsWith('clusters/') && existsSync(join(REPO_ROOT, f)));
}

/**
 * node_modules as a folder of links into the repository's, except that the workspace's own packages link to the
 * copies in the temporary workspace, so that Nx sees them as local projects there.
 */
function linkNodeModules(root: string, withPlugin: boolean): void {
  const target = join(root, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry === '@ocp-sts' || entry === '.cache') continue;
    symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(target, entry));
  }
  if (!withPlugin) return;
  mkdirSync(join(target, '@ocp-sts'));
  for (const pkg of readdirSync(join(root, 'packages'))) {
    symlinkSync(join(root, 'packages', pkg), join(target, '@ocp-sts', pkg));
  }
}

export function createTempWorkspace({ withPlugin = true, files = {} }: TempWorkspaceOptions = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ocp-sts-ws-'));
  if (withPlugin) {
    for (const file of repositoryFiles()) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(root, file));
    }
  } else {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'plain', private: true, type: 'module' }));
    writeFileSync(join(root, 'nx.json'), JSON.stringify({ plugins: [] }));
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n.nx/\n');
  }
  linkNodeModules(root, withPlugin);

  const ws = workspaceAt(root);
  for (const [file, content] of Object.entries(files)) ws.write(file, content);
  ws.git('init', '-q', '-b', 'main');
  ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'add', '-A');
  ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'initial');
  return ws;
}

/**
 * A `git clone` of a temporary workspace, as a second checkout of the same repository would be: what git tracks,
 * and node_modules linked the same way; nothing git ignores (secrets, .nx/, .work/).
 */
export function cloneTempWorkspace(source: TempWorkspace): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ocp-sts-clone-'));
  execFileSync('git', ['clone', '-q', source.root, root], { stdio: 'ignore' });
  linkNodeModules(root, existsSync(join(root, 'packages')));
  return workspaceAt(root);
}

/** Commands, writes and removal in the workspace at `root`. */
export function workspaceAt(root: string): TempWorkspace {
  const env = (extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${PINNED_BIN}:${process.env.PATH ?? ''}`,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    CI: 'true',
    FORCE_COLOR: '0',
    ...extra,
  });
  const run: TempWorkspace['run'] = (command, args, options) => {
    const result = spawnSync(command, args, {
      cwd: root,
      env: env(options?.env),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    // Both streams: tools and executors write to stderr too, and secrets must be absent from either.
    const output = `${result.stdout}${result.stderr}`;
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw Object.assign(
        new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal ?? '?'}:\n${output}`),
        {
          status: result.status,
          output,
        },
      );
    }
    return output;
  };
  const ws: TempWorkspace = {
    root,
    env,
    run,
    nx: (...args) => run(join(PINNED_BIN, 'nx'), args),
    write: (file, content) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    },
    git: (...args) => run('git', args),
    remove: () => {
      rmSync(root, { recursive: true, force: true });
    },
  };
  return ws;
}

/** A valid cluster.yaml for `name`, with optional overrides of openshift keys, for tests and benchmarks. */
export function sampleClusterYaml(name: string, openshift: Record<string, string | number> = {}): string {
  const extra = Object.entries({ version: '4.16.3', ...openshift })
    .map(([k, v]) => `  ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}\n`)
    .join('');
  return (
    `name: ${name}\n` +
    `platform: { type: aws, account_id: "123456789012", region: us-east-1, zones: [us-east-1a] }\n` +
    `dns: { base_domain: example.com }\n` +
    `openshift:\n${extra}` +
    `credentials: { cco_mode: manual-sts, sts_name: ${name}-abcde }\n`
  );
}
