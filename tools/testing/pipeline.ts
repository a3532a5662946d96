/*
 * The example cluster's pipeline through real `nx` in a temporary workspace, for the end-to-end tests: the
 * workspace, nx in the sandbox setup, and what each task of a run did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSandboxSecrets } from '../sandbox/secrets.ts';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from './workspace.ts';

/** For each task of `example` in an nx run: whether it came from the cache. */
export function taskStates(output: string): Record<string, 'cache' | 'ran'> {
  const states: Record<string, 'cache' | 'ran'> = {};
  for (const match of output.matchAll(/^> nx run example:([\w-]+)(.*)$/gm)) {
    states[match[1]!] = /\[(local|remote) cache\]|existing outputs match the cache/.test(match[2]!) ? 'cache' : 'ran';
  }
  return states;
}

/** A copy of this workspace holding the example cluster and throwaway secrets for it. */
export function pipelineWorkspace(): TempWorkspace {
  const ws = createTempWorkspace({
    files: { 'clusters/example/cluster.yaml': readFileSync(join(REPO_ROOT, 'clusters/example/cluster.yaml'), 'utf8') },
  });
  ensureSandboxSecrets(ws.root, 'example');
  return ws;
}

/** Runs nx in the sandbox setup: stand-ins first on PATH, the emulator's AWS variables inherited. */
export function sandboxNx(ws: TempWorkspace, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
  return ws.run(join(ws.root, 'node_modules/.bin/nx'), args, {
    env: {
      PATH: `${join(ws.root, 'tools/stand-ins/bin')}:${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      ...extraEnv,
    },
  });
}
