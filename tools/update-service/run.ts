/*
 * The sandbox's update service from the command line: the loopback graph of ./service.ts, detached, serving the
 * channels of the stand-ins' releases (tools/stand-ins/src/releases.ts) with their payloads by digest, so that an
 * `X.Y` openshift.version pins to a release the stand-ins know.
 *
 *   node tools/update-service/run.ts start    start it detached (or find the running one); prints its URL
 *   node tools/update-service/run.ts env      prints `export OCP_STS_UPDATE_SERVICE=<url>`
 *   node tools/update-service/run.ts status   prints the URL and exits 0 when running, else exits 1
 *   node tools/update-service/run.ts stop     stops it
 *
 * The state (pid, URL) and the service's log live in tools/update-service/.state/ (UPDATE_SERVICE_STATE_DIR).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { UPDATE_SERVICE_ENV } from '../../packages/installer/src/release/update-service.ts';
import { RELEASES } from '../stand-ins/src/releases.ts';
import { SERVICE_SCRIPT, type Channels } from './service.ts';

const USAGE = 'usage: run.ts start | stop | status | env';

interface State {
  pid: number;
  url: string;
}

const stateDir = () => process.env.UPDATE_SERVICE_STATE_DIR ?? join(import.meta.dirname, '.state');
const stateFile = () => join(stateDir(), 'update-service.json');

/** Every channel of the stand-ins' releases, each release with the payload by digest that the stand-ins resolve. */
function standInChannels(): Channels {
  const channels: Channels = {};
  for (const release of RELEASES) {
    (channels[release.channel] ??= []).push({ version: release.version, payload: release.digestPullSpec });
  }
  return channels;
}

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/** True while `pid` is a live process running the service script (not another that took the pid). */
function isServiceProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SERVICE_SCRIPT);
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

async function running(): Promise<State | undefined> {
  const state = readState();
  if (!state || !isServiceProcess(state.pid)) return undefined;
  try {
    const response = await fetch(`${state.url}?channel=none`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return state;
  } catch {
    return undefined;
  }
}

async function start(): Promise<{ state: State; alreadyRunning: boolean }> {
  const existing = await running();
  if (existing) return { state: existing, alreadyRunning: true };
  mkdirSync(stateDir(), { recursive: true });
  const log = openSync(join(stateDir(), 'update-service.log'), 'w');
  const child = spawn(process.execPath, ['--no-warnings', SERVICE_SCRIPT, JSON.stringify(standInChannels())], {
    detached: true,
    stdio: ['ignore', 'pipe', log],
  });
  closeSync(log);
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve(line.replace(/^listening on /, ''));
    });
    child.once('exit', (code) => {
      reject(new Error(`the service exited ${code ?? '?'} before listening (log: ${stateDir()}/update-service.log)`));
    });
  });
  // It prints nothing after that line: let it run on its own.
  child.stdout!.destroy();
  child.unref();
  const state = { pid: child.pid!, url };
  writeFileSync(stateFile(), `${JSON.stringify(state)}\n`);
  return { state, alreadyRunning: false };
}

async function stop(): Promise<State | undefined> {
  const state = readState();
  if (!state) return undefined;
  let stopped: State | undefined;
  if (isServiceProcess(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    for (let waited = 0; isServiceProcess(state.pid) && waited < 5000; waited += 50) await sleep(50);
    stopped = state;
  }
  rmSync(stateFile(), { force: true });
  return stopped;
}

async function main([command, ...rest]: string[]): Promise<void> {
  if (rest.length > 0) throw new Error(USAGE);
  switch (command) {
    case 'start': {
      const { state, alreadyRunning } = await start();
      process.stderr.write(
        `update-service: ${alreadyRunning ? 'already running' : 'started'} (pid ${state.pid}, channels ${Object.keys(standInChannels()).join(', ')})\n`,
      );
      process.stdout.write(`${state.url}\n`);
      return;
    }
    case 'stop': {
      const stopped = await stop();
      process.stderr.write(
        stopped ? `update-service: stopped (pid ${stopped.pid})\n` : 'update-service: was not running\n',
      );
      return;
    }
    case 'status':
    case 'env': {
      const state = await running();
      if (!state) {
        process.stderr.write('update-service: not running (start it with: node tools/update-service/run.ts start)\n');
        process.exit(1);
      }
      process.stdout.write(command === 'env' ? `export ${UPDATE_SERVICE_ENV}=${state.url}\n` : `${state.url}\n`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

if (import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`update-service: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
