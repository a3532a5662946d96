/*
 * A git-ignored Python virtualenv holding one pinned PyPI requirement, created on first use: the AWS emulator's moto
 * (../aws-emulator/emulator.ts) and the workflow linter's zizmor (../workflow-lint/lint.ts). One way to make them,
 * so that the lock (several jest workers may ask at once), the marker that says a venv is finished, and the back-off
 * after a failed install (each try can take a minute without a network) are the same for both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, statSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensureStateDir } from '../detached/detached.ts';
import { withLock } from '../detached/lock.ts';

export type Log = (line: string) => void;

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion, collecting stdout+stderr; never throws for a non-zero exit. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    } catch (error) {
      resolve({ code: null, output: String(error) });
      return;
    }
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', (error) => {
      resolve({ code: null, output: `${output}${error.message}` });
    });
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export interface PinnedVenv {
  venvDir: string;
  /** What pip installs, e.g. `zizmor==1.32.0`. */
  requirement: string;
  /** The program in the venv's bin/ that must exist once it is installed, e.g. `zizmor`. */
  binary: string;
  /** Python that creates the venv (default python3). */
  python?: string;
  /** After pip: a reason why the venv is not right (wrong version), or undefined. */
  check?: (pythonInVenv: string, env: NodeJS.ProcessEnv) => Promise<string | undefined>;
  /** The marker file's name (default `.pinned-requirement`; the emulator keeps its older name). */
  markerFile?: string;
}

/** The marker file, written last: a venv without it (or with another requirement in it) is rebuilt. */
function markerFile(venv: PinnedVenv): string {
  return join(venv.venvDir, venv.markerFile ?? '.pinned-requirement');
}
/** After a failed install, do not try PyPI again for this long. */
export const FAILED_INSTALL_BACKOFF_MS = 10 * 60_000;

export function venvBinary(venv: PinnedVenv): string {
  return join(venv.venvDir, 'bin', venv.binary);
}

/** True when the venv is finished and holds the pinned requirement. */
export function venvIsReady(venv: PinnedVenv): boolean {
  try {
    return readFileSync(markerFile(venv), 'utf8').trim() === venv.requirement && isExecutable(venvBinary(venv));
  } catch {
    return false;
  }
}

async function installVenv(venv: PinnedVenv, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  const python = venv.python ?? 'python3';
  rmSync(venv.venvDir, { recursive: true, force: true });
  log(`creating a virtualenv in ${venv.venvDir} with ${venv.requirement} (first use only; takes a minute or two)`);
  const created = await run(python, ['-m', 'venv', venv.venvDir], { env });
  if (created.code !== 0) throw new Error(`${python} -m venv failed: ${created.output.trim()}`);
  const pythonInVenv = join(venv.venvDir, 'bin', 'python');
  const pip = await run(
    pythonInVenv,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--retries',
      '1',
      '--timeout',
      '30',
      venv.requirement,
    ],
    { env: { ...env, PIP_REQUIRE_VIRTUALENV: 'true' } },
  );
  if (pip.code !== 0) throw new Error(`pip install ${venv.requirement} failed: ${pip.output.trim().slice(-2000)}`);
  const wrong = await venv.check?.(pythonInVenv, env);
  if (wrong) throw new Error(wrong);
  if (!isExecutable(venvBinary(venv))) throw new Error(`no ${venv.binary} in ${venv.venvDir}/bin`);
  writeFileSync(markerFile(venv), `${venv.requirement}\n`);
}

/**
 * Makes the venv unless it is ready, under a lock in `stateDir` (safe from several processes at once). Resolves to
 * '' when it is ready, else to why not (the install failed now, or less than the back-off ago).
 */
export async function ensurePinnedVenv(
  venv: PinnedVenv,
  options: { stateDir: string; env?: NodeJS.ProcessEnv; log: Log },
): Promise<string> {
  if (venvIsReady(venv)) return '';
  const env = options.env ?? process.env;
  const dir = ensureStateDir(options.stateDir);
  const failedMarker = join(dir, 'install-failed');
  return withLock(join(dir, 'venv.lock'), async () => {
    if (venvIsReady(venv)) return '';
    if (existsSync(failedMarker) && Date.now() - statSync(failedMarker).mtimeMs < FAILED_INSTALL_BACKOFF_MS) {
      return `an install failed less than ${FAILED_INSTALL_BACKOFF_MS / 60_000} min ago (${failedMarker})`;
    }
    try {
      await installVenv(venv, env, options.log);
      rmSync(failedMarker, { force: true });
      return '';
    } catch (error) {
      rmSync(venv.venvDir, { recursive: true, force: true });
      const message = error instanceof Error ? error.message : String(error);
      writeFileSync(failedMarker, `${new Date().toISOString()} ${message}\n`);
      return message;
    }
  });
}
