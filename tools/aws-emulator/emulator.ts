/*
 * The AWS emulator that tests and the sandbox talk to: moto in server mode on a free loopback port.
 *
 * moto comes from a virtualenv beside this file (tools/aws-emulator/.venv, git-ignored) holding a pinned
 * `moto[server]==5.2.5`, created from PyPI on first use. When that cannot be done (no PyPI, no python3 venv module),
 * a `moto_server` already on PATH is used instead (the machines here ship moto 5.2.1). `AWS_EMULATOR_MOTO_SERVER`
 * names a binary to use and skips both.
 *
 * moto has no CloudFront origin access identity (OAI) API, which the real ccoctl's private bucket needs: the server is
 * started through `moto_server_oai.py` (beside this file), which adds it, with the Python that holds moto (the venv's,
 * or the one a `moto_server` on PATH runs with); without such a Python it is plain `moto_server` and a line says so.
 *
 * The server is started as `moto_server -H 127.0.0.1 -p 0` (or the launcher with the same arguments): it picks a free
 * port and prints `Running on http://127.0.0.1:NNNNN` on stderr. One port serves every service; `POST /moto-api/reset` clears all
 * state. Clients must use `http://127.0.0.1:PORT` (never `localhost`: the S3 client would try `bucket.localhost`).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  isOurProcess,
  startDetached as startDetachedService,
  stopDetached as stopDetachedService,
  type BackgroundService,
  type ServiceState,
} from '../detached/detached.ts';
import {
  ensurePinnedVenv,
  findOnPath,
  isExecutable,
  run,
  venvBinary,
  venvIsReady as pinnedVenvIsReady,
  type PinnedVenv,
} from '../venv/venv.ts';

export const MOTO_VERSION = '5.2.5';
export const MOTO_REQUIREMENT = `moto[server]==${MOTO_VERSION}`;
export const EMULATOR_DIR = import.meta.dirname;
export const VENV_DIR = join(EMULATOR_DIR, '.venv');

/** Region put into the environment when none is set. */
export const DEFAULT_REGION = 'us-east-1';

/** Where the CLI keeps its state file, the detached server's log and the install lock (git-ignored). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_EMULATOR_STATE_DIR ?? join(EMULATOR_DIR, '.state');
}

export type Log = (line: string) => void;

const defaultLog: Log = (line) => process.stderr.write(`aws-emulator: ${line}\n`);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { findOnPath };

// ---------------------------------------------------------------------------------------------------------------
// Finding or installing moto_server

export interface MotoServerBinary {
  path: string;
  /** `venv`: the pinned virtualenv; `path`: a moto_server found on PATH; `env`: AWS_EMULATOR_MOTO_SERVER. */
  source: 'venv' | 'path' | 'env';
}

export interface EnsureMotoOptions {
  venvDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** Do not try PyPI (also: AWS_EMULATOR_OFFLINE=1). */
  offline?: boolean;
}

/** The pinned venv of moto (made by ../venv/venv.ts, as the workflow linter's zizmor). */
function motoVenv(venvDir: string, env: NodeJS.ProcessEnv = process.env): PinnedVenv {
  return {
    venvDir,
    requirement: MOTO_REQUIREMENT,
    binary: 'moto_server',
    markerFile: '.moto-requirement',
    ...(env.AWS_EMULATOR_PYTHON && { python: env.AWS_EMULATOR_PYTHON }),
    check: async (pythonInVenv, checkEnv) => {
      const check = await run(pythonInVenv, ['-c', 'import sys, moto; sys.stdout.write(moto.__version__)'], {
        env: checkEnv,
      });
      return check.code !== 0 || check.output.trim() !== MOTO_VERSION
        ? `the virtualenv holds moto ${check.output.trim()} instead of ${MOTO_VERSION}`
        : undefined;
    },
  };
}

function venvMotoServer(venvDir: string): string {
  return venvBinary(motoVenv(venvDir));
}

/** True when `venvDir` is a finished venv holding the pinned moto. */
export function venvIsReady(venvDir: string = VENV_DIR): boolean {
  return pinnedVenvIsReady(motoVenv(venvDir));
}

/**
 * The moto_server to run: the pinned venv (created on first use, under a lock), else one on PATH. Idempotent and
 * safe to call from several processes at once.
 */
export async function ensureMotoServer(options: EnsureMotoOptions = {}): Promise<MotoServerBinary> {
  const env = options.env ?? process.env;
  const venvDir = options.venvDir ?? VENV_DIR;
  const log = options.log ?? defaultLog;
  const forced = env.AWS_EMULATOR_MOTO_SERVER;
  if (forced) {
    if (!isExecutable(forced)) throw new Error(`AWS_EMULATOR_MOTO_SERVER=${forced} is not an executable file`);
    return { path: forced, source: 'env' };
  }
  if (venvIsReady(venvDir)) return { path: venvMotoServer(venvDir), source: 'venv' };

  const offline = options.offline ?? env.AWS_EMULATOR_OFFLINE === '1';
  let failure = offline ? 'AWS_EMULATOR_OFFLINE=1' : '';
  if (!offline) {
    failure = await ensurePinnedVenv(motoVenv(venvDir, env), { stateDir: stateDir(env), env, log });
    if (!failure) return { path: venvMotoServer(venvDir), source: 'venv' };
  }

  const onPath = findOnPath('moto_server', env);
  if (onPath) {
    log(`using ${onPath} (not the pinned ${MOTO_REQUIREMENT}: ${failure.split('\n')[0] ?? ''})`);
    return { path: onPath, source: 'path' };
  }
  throw new Error(
    `no moto_server: could not install ${MOTO_REQUIREMENT} into ${venvDir} (${failure}) and none is on PATH`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to a running server

function httpRequest(url: string, method: 'GET' | 'POST', timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error(`timeout after ${timeoutMs} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** True when a moto server answers at `endpoint`. */
export async function isAnswering(endpoint: string): Promise<boolean> {
  try {
    return (await httpRequest(`${endpoint}/moto-api/`, 'GET')).status === 200;
  } catch {
    return false;
  }
}

/** Waits until moto answers at `endpoint`. */
export async function waitUntilAnswering(endpoint: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await isAnswering(endpoint))) {
    if (Date.now() - started > timeoutMs) throw new Error(`moto did not answer at ${endpoint} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Clears all state of the server (every service, every account): `POST /moto-api/reset`. */
export async function resetEmulator(endpoint: string): Promise<void> {
  const { status, body } = await httpRequest(`${endpoint}/moto-api/reset`, 'POST');
  if (status !== 200) throw new Error(`POST ${endpoint}/moto-api/reset answered ${status}: ${body}`);
}

/** `Running on http://127.0.0.1:NNNNN` → the endpoint and port. */
export function parseRunningLine(text: string): { endpoint: string; port: number } | undefined {
  const match = /Running on (http:\/\/127\.0\.0\.1:(\d+))/.exec(text);
  if (!match) return undefined;
  return { endpoint: match[1]!, port: Number(match[2]) };
}

/**
 * The environment that points AWS SDKs and the AWS CLI at the emulator: endpoint, fake credentials (nothing
 * secret), a region unless one is set, and no instance-metadata lookups (there is no network to try them on).
 */
export function emulatorEnv(endpoint: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const region = base.AWS_REGION ?? base.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: base.AWS_REGION ?? region,
    AWS_DEFAULT_REGION: base.AWS_DEFAULT_REGION ?? region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Starting and stopping

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  pid: number;
  motoServer: MotoServerBinary;
  /** True when the CloudFront origin access identity calls are served (moto_server_oai.py). */
  originAccessIdentities: boolean;
  reset: () => Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); resolves once it has exited and the port is free. */
  stop: () => Promise<void>;
}

export interface StartOptions {
  motoServer?: MotoServerBinary;
  env?: NodeJS.ProcessEnv;
  log?: Log;
  readyTimeoutMs?: number;
}

const MOTO_ARGS = ['-H', '127.0.0.1', '-p', '0'];

/** moto_server plus the CloudFront origin access identity calls (see its docstring and the README). */
export const OAI_LAUNCHER = join(EMULATOR_DIR, 'moto_server_oai.py');

export interface ServerCommand {
  command: string;
  args: string[];
  /** False when no Python holding moto was found for the launcher: plain moto_server, without OAIs. */
  originAccessIdentities: boolean;
}

/** The interpreter a script's `#!` line names when it is a Python (`#!/x/python3`, `#!/usr/bin/env python3`). */
export function shebangPython(script: string): string | undefined {
  let firstLine: string;
  try {
    firstLine = readFileSync(script, 'utf8').slice(0, 512).split('\n')[0] ?? '';
  } catch {
    return undefined;
  }
  const words = firstLine
    .replace(/^#!\s*/, '')
    .trim()
    .split(/\s+/);
  if (!firstLine.startsWith('#!') || words.length === 0) return undefined;
  const program = words[0]!.endsWith('/env') ? words[1] : words[0];
  return program && /(^|\/)python[\d.]*$/.test(program) ? program : undefined;
}

/**
 * How to start `motoServer` with the OAI launcher: the venv's Python, else the Python its `#!` line names, else
 * `python3` (a pyenv shim is a shell script); each only when it can import moto. None can: plain moto_server.
 */
export async function serverCommand(
  motoServer: MotoServerBinary,
  env: NodeJS.ProcessEnv = process.env,
  log: Log = defaultLog,
): Promise<ServerCommand> {
  const python =
    motoServer.source === 'venv'
      ? join(dirname(motoServer.path), 'python')
      : (shebangPython(motoServer.path) ?? findOnPath('python3', env));
  if (
    python &&
    (motoServer.source === 'venv' || (await run(python, ['-c', 'import moto.server'], { env })).code === 0)
  ) {
    return { command: python, args: [OAI_LAUNCHER, ...MOTO_ARGS], originAccessIdentities: true };
  }
  log(
    `${motoServer.path} runs without ${OAI_LAUNCHER} (no Python that imports moto found): ` +
      'CloudFront origin access identity calls will answer 404',
  );
  return { command: motoServer.path, args: MOTO_ARGS, originAccessIdentities: false };
}

/** Starts moto as a child of this process (killed when this process exits). */
export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  const env = options.env ?? process.env;
  const motoServer = options.motoServer ?? (await ensureMotoServer({ env, ...(options.log && { log: options.log }) }));
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const server = await serverCommand(motoServer, env, options.log);
  // moto logs every request on stderr. It goes to a file, not a pipe: a pipe is only drained while this process's
  // event loop runs, and a test blocked in execFileSync (nx) would let it fill and stall moto mid-request.
  const logDir = mkdtempSync(join(tmpdir(), 'aws-emulator-'));
  const logFile = join(logDir, 'moto.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(server.command, server.args, { stdio: ['ignore', 'ignore', fd], env });
  closeSync(fd);
  let exited = child.exitCode !== null;
  let exitReason: string | undefined;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      exitReason = String(signal ?? code ?? '');
      resolve();
    }),
  );
  child.once('error', (error) => {
    exitReason = `could not start ${motoServer.path}: ${error.message}`;
  });
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
    rmSync(logDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const logTail = () => readFileSync(logFile, 'utf8').slice(-8000);

  const located = (async () => {
    const started = Date.now();
    for (;;) {
      const found = parseRunningLine(readFileSync(logFile, 'utf8'));
      if (found) return found;
      if (exitReason !== undefined)
        throw new Error(`moto_server exited (${exitReason}) before it was ready:\n${logTail()}`);
      if (Date.now() - started > readyTimeoutMs) {
        throw new Error(`moto_server printed no "Running on" line within ${readyTimeoutMs} ms:\n${logTail()}`);
      }
      await sleep(50);
    }
  })();

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    }
    rmSync(logDir, { recursive: true, force: true });
  };

  try {
    const { endpoint, port } = await located;
    await waitUntilAnswering(endpoint, readyTimeoutMs);
    // Do not keep this process alive for the server's sake; the exit hook above still stops it.
    child.unref();
    return {
      endpoint,
      port,
      pid: child.pid!,
      motoServer,
      originAccessIdentities: server.originAccessIdentities,
      reset: () => resetEmulator(endpoint),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A server that outlives the command that started it (the CLI's `start` / `stop`, for the sandbox): a background
// service of ../detached/detached.ts

export interface DetachedState extends ServiceState {
  port: number;
  endpoint: string;
  motoServer: string;
  source: MotoServerBinary['source'];
  /** True when the CloudFront origin access identity calls are served (moto_server_oai.py). */
  originAccessIdentities: boolean;
}

/** The detached emulator: `emulator.json` and `moto.log` in the state dir. */
export const EMULATOR_SERVICE: BackgroundService<DetachedState> = {
  name: 'aws-emulator',
  stateDir,
  stateFile: 'emulator.json',
  logFile: 'moto.log',
  /** In the command line of both moto_server and moto_server_oai.py. */
  commandMarker: 'moto_server',
  address: (state) => state.endpoint,
  isAnswering,
  exports: (state) => emulatorEnv(state.endpoint),
  details: (state) =>
    `${state.motoServer}${state.originAccessIdentities ? ' with CloudFront origin access identities' : ' WITHOUT CloudFront origin access identities'}, log ${state.log}`,
};

/** True while `pid` is a live (not zombie) process that runs moto_server (or moto_server_oai.py). */
export function isMotoProcess(pid: number): boolean {
  return isOurProcess(pid, EMULATOR_SERVICE.commandMarker);
}

/** Starts a detached server (or finds the one already running) and records it in the state dir. */
export async function startDetached(
  options: { env?: NodeJS.ProcessEnv; log?: Log; readyTimeoutMs?: number } = {},
): Promise<{ state: DetachedState; alreadyRunning: boolean }> {
  const env = options.env ?? process.env;
  const motoServer = await ensureMotoServer({ env, ...(options.log && { log: options.log }) });
  const server = await serverCommand(motoServer, env, options.log);
  return startDetachedService(
    EMULATOR_SERVICE,
    {
      program: 'moto_server',
      command: server.command,
      args: server.args,
      ready: parseRunningLine,
      state: (base, { endpoint, port }) => ({
        ...base,
        port,
        endpoint,
        motoServer: motoServer.path,
        source: motoServer.source,
        originAccessIdentities: server.originAccessIdentities,
      }),
    },
    { env, ...(options.readyTimeoutMs !== undefined && { readyTimeoutMs: options.readyTimeoutMs }) },
  );
}

/** Stops the recorded detached server; resolves to what was stopped (undefined: nothing was running). */
export function stopDetached(env: NodeJS.ProcessEnv = process.env): Promise<DetachedState | undefined> {
  return stopDetachedService(EMULATOR_SERVICE, env);
}
