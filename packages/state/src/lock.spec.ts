import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { testWorkspace, uniqueName, withEnv, type TestWorkspace } from '../../../tools/testing/cluster-workspace.ts';
import { acquireLock, readLock, UNREADABLE, unlockCluster, withClusterLock, type LockRecord } from './lock.ts';
import { LOCK_OBJECT, stateLocation } from './location.ts';
import { S3ObjectStore } from './store.ts';
import { openStateStore } from './open-store.ts';

const REGION = 'us-east-1';
const NODE = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'node');

describe.each(['local', 's3'] as const)('the cluster lock (%s backend)', (backend) => {
  let ws: TestWorkspace;
  let where: string;
  const step = (target = 'install') => ws.step('c1', target);

  beforeEach(async () => {
    ws = testWorkspace('lock-spec-');
    ws.addCluster({ name: 'c1', stsName: 'c1-abcde' });
    where = 'clusters/c1/.work/state/';
    if (backend === 's3') {
      const bucket = uniqueName('state');
      await new S3Client({ region: REGION, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket }));
      ws.write(
        'clusters/defaults.yaml',
        `state: { backend: s3, bucket: ${bucket}, region: ${REGION}, prefix: fleet }\n`,
      );
      where = `s3://${bucket}/fleet/c1/`;
    }
  });
  afterEach(() => {
    ws.remove();
  });

  it('is held for the run, refuses a second holder at once naming the first, and goes when the run succeeds', async () => {
    let second: Error | undefined;
    let secondRan = false;
    const result = await withClusterLock(step('install'), async () => {
      const held = (await readLock(openStateStore(step())))!;
      expect(held).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        cluster: 'c1',
        user: expect.any(String) as unknown,
        host: hostname(),
        pid: process.pid,
        target: 'install',
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      });
      second = await withClusterLock(step('destroy'), () => {
        secondRan = true;
        return Promise.resolve();
      }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(second?.message).toBe(
        `c1 is locked by ${held.user}@${hostname()} pid ${process.pid}, running install since ${held.since} ` +
          `(lock id ${held.id}, ${where}${LOCK_OBJECT}); destroy changes the cluster and waits for no one: run it when ` +
          'that run has finished. If that run is gone (killed, a lost machine), remove its stale lock: ' +
          `nx run c1:unlock --lockId=${held.id}`,
      );
      return 'done';
    });
    expect(result).toBe('done');
    expect(secondRan).toBe(false);
    expect(second).toBeDefined();
    expect(await readLock(openStateStore(step()))).toBeUndefined();
  });

  it('is released when the run fails, and the failure is what the caller sees', async () => {
    await expect(withClusterLock(step(), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readLock(openStateStore(step()))).toBeUndefined();
    await withClusterLock(step(), () => Promise.resolve());
  });

  it('goes, when stale, only with unlock and its own id', async () => {
    const stale: LockRecord = await acquireLock(openStateStore(step('ccoctl')), step('ccoctl'));
    const wrong = '00000000-0000-4000-8000-000000000000';
    await expect(unlockCluster(step('unlock'), wrong)).rejects.toThrow(
      `the lock of c1 has the id ${stale.id}, not ${wrong}: it is held by ${stale.user}@${stale.host} pid ${stale.pid}, ` +
        `running ccoctl since ${stale.since} (${where}${LOCK_OBJECT}); nothing removed. ` +
        `Remove it only if that run is gone: nx run c1:unlock --lockId=${stale.id}`,
    );
    expect((await readLock(openStateStore(step())))?.id).toBe(stale.id);
    expect(await unlockCluster(step('unlock'), stale.id)).toEqual({ kind: 'removed', record: stale });
    expect(await unlockCluster(step('unlock'), stale.id)).toEqual({ kind: 'none' });
    await withClusterLock(step(), () => Promise.resolve());
  });

  it('names an unreadable lock (a run killed while writing it) by an id that unlock takes', async () => {
    await openStateStore(step()).put(LOCK_OBJECT, '');
    await expect(withClusterLock(step(), () => Promise.resolve())).rejects.toThrow(
      `(lock id ${UNREADABLE}, ${where}${LOCK_OBJECT})`,
    );
    expect(await unlockCluster(step('unlock'), UNREADABLE)).toMatchObject({ kind: 'removed' });
    await withClusterLock(step(), () => Promise.resolve());
  });

  it('is released when the run is interrupted (Ctrl-C)', async () => {
    const lockModule = join(import.meta.dirname, 'lock.ts');
    const script = [
      `const { withClusterLock } = await import(${JSON.stringify(lockModule)});`,
      `const { clusterStep } = await import('@ocp-sts/toolchain');`,
      `const step = clusterStep({ workspaceRoot: ${JSON.stringify(ws.root)}, projectName: 'c1', projectRoot: 'clusters/c1' }, 'install');`,
      `await withClusterLock(step, () => { console.log('holding'); return new Promise(() => setInterval(() => {}, 1000)); });`,
    ].join('\n');
    const child = spawn(NODE, ['--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const holding = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('holding')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await holding;
    expect((await readLock(openStateStore(step())))?.pid).toBe(child.pid);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await readLock(openStateStore(step()))).toBeUndefined();
  });

  if (backend === 's3') {
    it('costs at most 3 S3 calls to take and release', async () => {
      const location = stateLocation(step());
      if (location.backend !== 's3') throw new Error('expected the s3 backend');
      const store = new S3ObjectStore(location);
      await withClusterLock(step(), () => Promise.resolve(), store);
      expect([...store.calls.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
    });

    it('does not run the step when the backend cannot be reached', async () => {
      let ran = false;
      await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, async () => {
        await expect(
          withClusterLock(step(), () => {
            ran = true;
            return Promise.resolve();
          }),
        ).rejects.toThrow(/^cannot reach the endpoint http:\/\/127\.0\.0\.1:9/);
      });
      expect(ran).toBe(false);
    });
  }
});
