/*
 * End to end: one writer per cluster through real `nx`, on the stand-ins and the emulator. A slow ccoctl holds the
 * example cluster's lock; a second ccoctl run fails at once naming it, an unlock with another id removes nothing,
 * and the first run completes and releases the lock.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineWorkspace, sandboxNx, sandboxNxStatus, startSandboxNx } from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

/** A ccoctl that the first run holds the lock through (ms); long enough for two more nx commands on a busy machine. */
const SLOW_CCOCTL_MS = 30000;

function failingNx(ws: TempWorkspace, args: string[]): string {
  const { status, output } = sandboxNxStatus(ws, args);
  if (status === 0) throw new Error(`nx ${args.join(' ')} succeeded although the cluster was locked`);
  return output;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the cluster lock through nx', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('lets one ccoctl run at a time: the second fails at once naming the first, unlock needs the right id', async () => {
    sandboxNx(ws, ['run', 'example:extract']);
    const lockFile = join(ws.root, 'clusters/example/.work/state/lock.json');
    const ccoctl = ['run', 'example:ccoctl', '--skip-nx-cache', '--excludeTaskDependencies'];

    const first = startSandboxNx(ws, ccoctl, { STANDIN_SLOW: `ccoctl:create-all:${SLOW_CCOCTL_MS}` });
    let firstCode: number | null | undefined;
    const firstExited = first.exited.then((code) => (firstCode = code));

    await until(() => existsSync(lockFile) || firstCode !== undefined, 60000);
    const held = JSON.parse(readFileSync(lockFile, 'utf8')) as { id: string; pid: number; target: string };
    expect(held.target).toBe('ccoctl');

    const second = failingNx(ws, ccoctl);
    // At once: the first run is still in its slow ccoctl.
    expect(firstCode).toBeUndefined();
    expect(second).toContain(`ccoctl failed: example is locked by `);
    expect(second).toContain(`pid ${held.pid}, running ccoctl since `);
    expect(second).toContain(`lock id ${held.id}`);
    expect(second).toContain(`nx run example:unlock --lockId=${held.id}`);
    expect(second).not.toContain('$ ccoctl aws create-all');

    const wrongId = '00000000-0000-4000-8000-000000000000';
    const refused = failingNx(ws, ['run', 'example:unlock', `--lockId=${wrongId}`]);
    expect(refused).toContain(`the lock of example has the id ${held.id}, not ${wrongId}`);
    expect(refused).toContain('nothing removed');
    expect(firstCode).toBeUndefined();
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual(held);

    expect(await firstExited).toBe(0);
    expect(first.output()).toContain('ccoctl: OIDC issuer and');
    expect(existsSync(lockFile)).toBe(false);
    expect(sandboxNx(ws, ['run', 'example:unlock', `--lockId=${held.id}`])).toContain(
      'unlock: example holds no lock; nothing to remove',
    );
  }, 240000);
});
