/*
 * The example cluster's pipeline through real `nx` in a temporary workspace, for the end-to-end tests: the
 * workspace, nx in the sandbox setup, and what each task of a run did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSandboxSecrets } from '../sandbox/secrets.ts';
import { uniqueName } from './cluster-workspace.ts';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from './workspace.ts';

/** For each task of `example` in an nx run: whether it came from the cache. */
export function taskStates(output: string): Record<string, 'cache' | 'ran'> {
  const states: Record<string, 'cache' | 'ran'> = {};
  for (const match of output.matchAll(/^> nx run example:([\w-]+)(.*)$/gm)) {
    states[match[1]!] = /\[(local|remote) cache\]|existing outputs match the cache/.test(match[2]!) ? 'cache' : 'ran';
  }
  return states;
}

/**
 * A copy of this workspace holding the example cluster and throwaway secrets for it. The cluster's sts name is made
 * unique: workspaces share the emulator, and one identity (issuer, roles) never belongs to two of them.
 */
export function pipelineWorkspace(): TempWorkspace {
  const example = readFileSync(join(REPO_ROOT, 'clusters/example/cluster.yaml'), 'utf8');
  const unique = example.replace(/^(\s*sts_name:) .*$/m, `$1 ${uniqueName('example')}`);
  if (unique === example) throw new Error('clusters/example/cluster.yaml names no credentials.sts_name');
  const ws = createTempWorkspace({ files: { 'clusters/example/cluster.yaml': unique } });
  ensureSandboxSecrets(ws.root, 'example');
  return ws;
}

/** The sandbox setup: the stand-ins first on PATH, the pinned Node's tools next; the emulator's AWS variables inherited. */
function sandboxEnv(ws: TempWorkspace, extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${join(ws.root, 'tools/stand-ins/bin')}:${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    ...extraEnv,
  };
}

const nxBin = (ws: TempWorkspace) => join(ws.root, 'node_modules/.bin/nx');

/** Runs nx in the sandbox setup and returns its output; throws (with `status` and `output`) when it fails. */
export function sandboxNx(ws: TempWorkspace, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
  return ws.run(nxBin(ws), args, { env: sandboxEnv(ws, extraEnv) });
}

/** nx's exit status and output in the sandbox setup, whether it failed or not. */
export function sandboxNxStatus(
  ws: TempWorkspace,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): { status: number; output: string } {
  try {
    return { status: 0, output: sandboxNx(ws, args, extraEnv) };
  } catch (error) {
    const { status, output } = error as { status: number; output: string };
    return { status, output };
  }
}

/** An nx command running in the background, in its own process group (as a terminal's foreground job). */
export interface RunningNx {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the output holds `text`; rejects, with the output, if nx exits first. */
  waitFor: (text: string) => Promise<void>;
  exited: Promise<number | null>;
}

/** Starts nx in the sandbox setup without waiting for it. */
export function startSandboxNx(ws: TempWorkspace, args: string[], extraEnv: NodeJS.ProcessEnv = {}): RunningNx {
  const child = spawn(nxBin(ws), args, {
    cwd: ws.root,
    env: ws.env(sandboxEnv(ws, extraEnv)),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    waitFor: (text) =>
      output.includes(text)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ text, resolve })),
            exited.then(() => {
              throw new Error(`nx ${args.join(' ')} exited before printing ${text}:\n${output}`);
            }),
          ]),
    exited,
  };
}
