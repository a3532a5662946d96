/*
 * A background service of the sandbox: a server that outlives the command that started it (the AWS emulator, the
 * update service), found again through a state file. Each service's run.ts is this module plus what is its own:
 * which program it runs, which log line says where it listens, how to ask it whether it answers, what `env` exports.
 *
 * A service's state dir holds its state file (JSON: the pid, the log, when it started, and the service's own fields
 * such as its address), its log (the process's stdout and stderr, truncated on each start), `start.lock` while a
 * start is under way, and a `.gitignore` of `*`.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLock } from './lock.ts';

/** What every service's state file records; each service adds its own fields (its address among them). */
export interface ServiceState {
  pid: number;
  /** The file its stdout and stderr go to. */
  log: string;
  startedAt: string;
}

export interface BackgroundService<S extends ServiceState> {
  /** What its lines start with (`aws-emulator: started ...`); also its folder under tools/, which holds its run.ts. */
  name: string;
  /** Its state dir; each service has its own variable to move it (AWS_EMULATOR_STATE_DIR, UPDATE_SERVICE_STATE_DIR). */
  stateDir: (env: NodeJS.ProcessEnv) => string;
  /** The state file's name in the state dir. */
  stateFile: string;
  /** The log's name in the state dir. */
  logFile: string;
  /** A string its process's command line holds: a recorded pid that the system has given to another program is not it. */
  commandMarker: string;
  /** Where it answers: what `start` and `status` print. */
  address: (state: S) => string;
  /** True when it answers at `address` (its process being alive is not enough: not listening yet, or hung). */
  isAnswering: (address: string) => Promise<boolean>;
  /** The variables `env` exports for it. */
  exports: (state: S) => Record<string, string>;
  /** What the start line says after the pid: `<name>: started (pid N, <details>)`. */
  details: (state: S) => string;
}

/** Creates a state dir that is never committed (it ignores itself); returns it. */
export function ensureStateDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  return dir;
}

function stateFilePath<S extends ServiceState>(service: BackgroundService<S>, env: NodeJS.ProcessEnv): string {
  return join(service.stateDir(env), service.stateFile);
}

/** The recorded service, if any (it may have died since). */
export function readState<S extends ServiceState>(
  service: BackgroundService<S>,
  env: NodeJS.ProcessEnv = process.env,
): S | undefined {
  try {
    return JSON.parse(readFileSync(stateFilePath(service, env), 'utf8')) as S;
  } catch {
    return undefined;
  }
}

/**
 * True while `pid` is a live (not zombie) process whose command line holds `commandMarker`: a pid left in a state
 * file after a reboot or a crash may belong to another program by now, which must be neither trusted nor killed.
 */
export function isOurProcess(pid: number, commandMarker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    if (/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(commandMarker);
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** The recorded service when its process is still ours and it answers; else undefined. */
export async function findRunning<S extends ServiceState>(
  service: BackgroundService<S>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<S | undefined> {
  const state = readState(service, env);
  if (state && isOurProcess(state.pid, service.commandMarker) && (await service.isAnswering(service.address(state)))) {
    return state;
  }
  return undefined;
}

/** How to start a service's process, and how to read where it listens from its log. */
export interface Launch<S extends ServiceState, Ready> {
  /** Its program, as failure messages name it (`moto_server did not start ...`). */
  program: string;
  command: string;
  args: string[];
  /** What its log says once it listens (e.g. the port it picked); undefined while it has not said so yet. */
  ready: (log: string) => Ready | undefined;
  /** The state to record, from what every service records and what the log said. */
  state: (base: ServiceState, ready: Ready) => S;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line, and then as long again for it to answer (default 20 s each). */
  readyTimeoutMs?: number;
}

/**
 * Starts the service detached (it outlives this process), or finds the one already running, under a lock so that two
 * callers never start two; waits until its log says where it listens and it answers there, then records it.
 */
export async function startDetached<S extends ServiceState, Ready>(
  service: BackgroundService<S>,
  launch: Launch<S, Ready>,
  options: StartOptions = {},
): Promise<{ state: S; alreadyRunning: boolean }> {
  const env = options.env ?? process.env;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const dir = ensureStateDir(service.stateDir(env));
  return withLock(join(dir, 'start.lock'), async () => {
    const existing = await findRunning(service, env);
    if (existing) return { state: existing, alreadyRunning: true };
    const log = join(dir, service.logFile);
    // A file, not a pipe: nothing would drain a pipe once this process has gone.
    const fd = openSync(log, 'w');
    const child = spawn(launch.command, launch.args, { detached: true, stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = String(signal ?? code)));
    child.once('error', (error) => (exit = error.message));
    child.unref();
    try {
      let started = Date.now();
      let ready: Ready | undefined;
      while ((ready = launch.ready(readFileSync(log, 'utf8'))) === undefined) {
        if (exit !== undefined || Date.now() - started > readyTimeoutMs) {
          throw new Error(`${launch.program} did not start (${exit ?? 'timeout'}):\n${readFileSync(log, 'utf8')}`);
        }
        await sleep(50);
      }
      const state = launch.state({ pid: child.pid!, log, startedAt: new Date().toISOString() }, ready);
      const address = service.address(state);
      started = Date.now();
      while (!(await service.isAnswering(address))) {
        if (exit !== undefined || Date.now() - started > readyTimeoutMs) {
          throw new Error(`${launch.program} did not answer at ${address} within ${readyTimeoutMs} ms (log: ${log})`);
        }
        await sleep(50);
      }
      writeFileSync(stateFilePath(service, env), `${JSON.stringify(state, null, 2)}\n`);
      return { state, alreadyRunning: false };
    } catch (error) {
      // Never leave behind a process that no state file records.
      if (exit === undefined && child.pid) signal(child.pid, 'SIGKILL');
      throw error;
    }
  });
}

/** Sends `name` to `pid`; a process that has exited meanwhile is not an error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Waits up to `timeoutMs` for `pid` to be no longer ours; true once it is gone. */
async function waitUntilGone(pid: number, commandMarker: string, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (isOurProcess(pid, commandMarker)) {
    if (Date.now() - started > timeoutMs) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops the recorded service (SIGTERM, then SIGKILL when it is still there after `graceMs`, default 5 s) and removes
 * its state file; resolves to what was stopped (undefined: nothing of ours was running). A recorded pid that is no
 * longer ours is left alone.
 */
export async function stopDetached<S extends ServiceState>(
  service: BackgroundService<S>,
  env: NodeJS.ProcessEnv = process.env,
  graceMs = 5000,
): Promise<S | undefined> {
  const state = readState(service, env);
  if (!state) return undefined;
  let stopped: S | undefined;
  if (isOurProcess(state.pid, service.commandMarker)) {
    signal(state.pid, 'SIGTERM');
    if (!(await waitUntilGone(state.pid, service.commandMarker, graceMs))) {
      signal(state.pid, 'SIGKILL');
      await waitUntilGone(state.pid, service.commandMarker, graceMs);
    }
    stopped = state;
  }
  rmSync(stateFilePath(service, env), { force: true });
  return stopped;
}

// ---------------------------------------------------------------------------------------------------------------
// The command line: node tools/<name>/run.ts start | stop | status | env | <the service's own verbs>

export interface ServiceCli<S extends ServiceState> {
  service: BackgroundService<S>;
  /** Starts it detached (or finds the running one): startDetached with the service's launch. */
  start: () => Promise<{ state: S; alreadyRunning: boolean }>;
  /** Verbs of its own, after start, stop, status and env; `running()` is the running service, or exits 1 saying it is not. */
  verbs?: Record<string, (running: () => Promise<S>) => Promise<void>>;
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

async function runVerb<S extends ServiceState>(cli: ServiceCli<S>, argv: string[]): Promise<void> {
  const { service } = cli;
  const verbs = cli.verbs ?? {};
  const usage = `usage: run.ts ${['start', 'stop', 'status', 'env', ...Object.keys(verbs)].join(' | ')}`;
  const [command, ...rest] = argv;
  if (rest.length > 0 || command === undefined) throw new Error(usage);
  const running = async (): Promise<S> => {
    const state = await findRunning(service);
    if (state) return state;
    process.stderr.write(`${service.name}: not running (start it with: node tools/${service.name}/run.ts start)\n`);
    process.exit(1);
  };
  switch (command) {
    case 'start': {
      const { state, alreadyRunning } = await cli.start();
      process.stderr.write(
        `${service.name}: ${alreadyRunning ? 'already running' : 'started'} (pid ${state.pid}, ${service.details(state)})\n`,
      );
      process.stdout.write(`${service.address(state)}\n`);
      return;
    }
    case 'stop': {
      const stopped = await stopDetached(service);
      process.stderr.write(
        stopped ? `${service.name}: stopped (pid ${stopped.pid})\n` : `${service.name}: was not running\n`,
      );
      return;
    }
    case 'status':
      process.stdout.write(`${service.address(await running())}\n`);
      return;
    case 'env':
      for (const [key, value] of Object.entries(service.exports(await running()))) {
        process.stdout.write(`export ${key}=${shellQuote(value)}\n`);
      }
      return;
    default: {
      const verb = Object.hasOwn(verbs, command) ? verbs[command] : undefined;
      if (!verb) throw new Error(usage);
      await verb(running);
    }
  }
}

/** Answers `node tools/<name>/run.ts <verb>`: a failure is one line `<name>: <message>` and exit status 1. */
export function runServiceCli<S extends ServiceState>(
  cli: ServiceCli<S>,
  argv: string[] = process.argv.slice(2),
): void {
  runVerb(cli, argv).catch((error: unknown) => {
    process.stderr.write(`${cli.service.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
