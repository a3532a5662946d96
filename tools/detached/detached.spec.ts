/*
 * A background service, with a small HTTP server written here as the service: what the state file says is trusted
 * only while its pid is still our program and it answers; start finds a running one, stop ends it (even one that
 * ignores SIGTERM), and a program that is not ours is never signalled.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findRunning,
  isOurProcess,
  readState,
  shellQuote,
  startDetached,
  stopDetached,
  type BackgroundService,
  type Launch,
  type ServiceState,
} from './detached.ts';

interface State extends ServiceState {
  url: string;
}

/** The service: answers every request; `ignore-term` makes it ignore SIGTERM, `fail` exits before listening. */
const SERVER = `
import { createServer } from 'node:http';
if (process.argv[2] === 'ignore-term') process.on('SIGTERM', () => {});
if (process.argv[2] === 'fail') { console.error('cannot listen today'); process.exit(3); }
const server = createServer((request, response) => response.end('ok'));
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

let dir: string;
let script: string;
let service: BackgroundService<State>;
let env: NodeJS.ProcessEnv;
const others: ChildProcess[] = [];

async function isAnswering(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2000) })).text();
    return true;
  } catch {
    return false;
  }
}

function launch(mode = ''): Launch<State, string> {
  return {
    program: 'the test server',
    command: process.execPath,
    args: [script, mode],
    ready: (log) => /^listening on (\S+)\n/m.exec(log)?.[1],
    state: (base, url) => ({ ...base, url }),
  };
}

function writeState(state: State): void {
  writeFileSync(join(dir, 'test-service.json'), JSON.stringify(state));
}

const WAITING = 'setTimeout(() => {}, 60_000)';

/** A live process that is not the service: its command line is `node -e <WAITING>`, not the service's script. */
function otherProcess(): number {
  const child = spawn(process.execPath, ['-e', WAITING], { stdio: 'ignore' });
  others.push(child);
  return child.pid!;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'detached-'));
  script = join(dir, 'test-server.mjs');
  writeFileSync(script, SERVER);
  env = { ...process.env, TEST_SERVICE_STATE_DIR: join(dir, 'state') };
  service = {
    name: 'test-service',
    stateDir: (e) => e.TEST_SERVICE_STATE_DIR!,
    stateFile: 'test-service.json',
    logFile: 'test-service.log',
    commandMarker: script,
    address: (state) => state.url,
    isAnswering,
    exports: (state) => ({ TEST_SERVICE_URL: state.url }),
    details: () => '',
  };
});

afterEach(async () => {
  await stopDetached(service, env, 100);
  for (const child of others.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('whether the recorded pid is our process', () => {
  it('is ours while it runs our command line, and not once it has exited', () => {
    expect(isOurProcess(otherProcess(), WAITING)).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', WAITING.replace('60_000', '0')]).pid;
    expect(isOurProcess(exited, WAITING.replace('60_000', '0'))).toBe(false);
  });

  it('is not ours when it is alive but runs another command line', () => {
    expect(isOurProcess(otherProcess(), script)).toBe(false);
  });
});

describe('a state file', () => {
  beforeEach(() => {
    env.TEST_SERVICE_STATE_DIR = dir; // writeState writes it there
  });

  it('of a pid that has exited is not running; stop says nothing was running and removes it', async () => {
    const pid = spawnSync(process.execPath, ['-e', '']).pid;
    writeState({ pid, url: 'http://127.0.0.1:9', log: '', startedAt: '' });
    expect(readState(service, env)?.pid).toBe(pid);
    expect(await findRunning(service, env)).toBeUndefined();
    expect(await stopDetached(service, env)).toBeUndefined();
    expect(existsSync(join(dir, 'test-service.json'))).toBe(false);
  });

  it('of a pid that another program has now is not running, and stop leaves that program alone', async () => {
    const pid = otherProcess();
    writeState({ pid, url: 'http://127.0.0.1:9', log: '', startedAt: '' });
    expect(await findRunning(service, env)).toBeUndefined();
    expect(await stopDetached(service, env)).toBeUndefined();
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(existsSync(join(dir, 'test-service.json'))).toBe(false);
  });

  it('that is not JSON reads as no state', () => {
    writeFileSync(join(dir, 'test-service.json'), 'half a wri');
    expect(readState(service, env)).toBeUndefined();
  });
});

describe('starting and stopping', () => {
  it('starts it detached, records it, finds it again, and stops it', async () => {
    const { state, alreadyRunning } = await startDetached(service, launch(), { env });
    expect(alreadyRunning).toBe(false);
    expect(state.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await isAnswering(state.url)).toBe(true);
    expect(isOurProcess(state.pid, script)).toBe(true);
    const stateDir = join(dir, 'state');
    expect(readState(service, env)).toEqual(state);
    expect(state.log).toBe(join(stateDir, 'test-service.log'));
    expect(readFileSync(state.log, 'utf8')).toContain(`listening on ${state.url}`);
    expect(readFileSync(join(stateDir, '.gitignore'), 'utf8')).toBe('*\n');

    const again = await startDetached(service, launch(), { env });
    expect(again).toEqual({ state, alreadyRunning: true });
    expect(await findRunning(service, env)).toEqual(state);

    expect(await stopDetached(service, env)).toEqual(state);
    expect(isOurProcess(state.pid, script)).toBe(false);
    expect(await isAnswering(state.url)).toBe(false);
    expect(readState(service, env)).toBeUndefined();
    expect(await stopDetached(service, env)).toBeUndefined();
  });

  it('kills one that ignores SIGTERM once the grace time is over', async () => {
    const { state } = await startDetached(service, launch('ignore-term'), { env });
    const started = Date.now();
    expect(await stopDetached(service, env, 300)).toEqual(state);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(isOurProcess(state.pid, script)).toBe(false);
  });

  it('fails with its log when it exits before listening, and records nothing', async () => {
    await expect(startDetached(service, launch('fail'), { env })).rejects.toThrow(
      /^the test server did not start \(3\):\ncannot listen today/,
    );
    expect(readState(service, env)).toBeUndefined();
  });
});

describe('shellQuote', () => {
  it('leaves a URL as it is and quotes what the shell would split or expand', () => {
    expect(shellQuote('http://127.0.0.1:80/api/upgrades_info/v1/graph')).toBe(
      'http://127.0.0.1:80/api/upgrades_info/v1/graph',
    );
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
