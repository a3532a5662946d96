import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { loadClusterConfig } from '@ocp-sts/cluster-config';
import { payloadOf, serveGraph } from '../../../../tools/update-service/service.ts';
import { movePin, releaseOf } from './pin.ts';

let root: string;
let server: Server;
let url: string;
const channels: Record<string, string[]> = { 'stable-4.20': ['4.20.0', '4.20.12', '4.20.3'] };
const step = () => ({ workspaceRoot: root, projectName: 'c', projectRoot: 'clusters/c' });

function writeCluster(version: string, extra = '') {
  mkdirSync(join(root, 'clusters/c'), { recursive: true });
  writeFileSync(
    join(root, 'clusters/c/cluster.yaml'),
    `name: c\nplatform: { type: aws, account_id: "123456789012", region: us-east-1 }\n` +
      `dns: { base_domain: example.com }\nopenshift:\n  version: "${version}"\n${extra}` +
      `credentials: { sts_name: c-12345 }\n`,
  );
}
const lockFile = () => join(root, 'clusters/c/release.lock.json');

beforeAll(async () => {
  ({ server, url } = await serveGraph(channels));
  process.env.OCP_STS_UPDATE_SERVICE = url;
});
afterAll(() => {
  delete process.env.OCP_STS_UPDATE_SERVICE;
  server.close();
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pin-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('releaseOf', () => {
  it('pins an X.Y version to the newest X.Y.z of its stable channel, once', async () => {
    writeCluster('4.20');
    const release = await releaseOf(step(), loadClusterConfig(step()), {});
    expect(release).toEqual({ image: payloadOf('4.20.12'), version: '4.20.12', source: 'release.lock.json' });
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({
      channel: 'stable-4.20',
      version: '4.20.12',
      image: payloadOf('4.20.12'),
    });
    // A newer release appears: the pin holds until it is moved.
    channels['stable-4.20']!.push('4.20.13');
    expect((await releaseOf(step(), loadClusterConfig(step()), {})).version).toBe('4.20.12');
    channels['stable-4.20']!.pop();
  });

  it('takes an X.Y.Z version, the environment switch or release_image without asking anyone', async () => {
    process.env.OCP_STS_UPDATE_SERVICE = 'http://127.0.0.1:9/closed';
    try {
      writeCluster('4.16.3');
      expect(await releaseOf(step(), loadClusterConfig(step()), {})).toEqual({
        image: 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64',
        version: '4.16.3',
        source: 'openshift.version',
      });
      const env = { OPENSHIFT_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.16.5-x86_64' };
      expect(await releaseOf(step(), loadClusterConfig(step()), env)).toMatchObject({
        version: '4.16.5',
        source: 'OPENSHIFT_RELEASE_IMAGE',
      });
      const digest = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;
      writeCluster('4.16.3', `  release_image: "${digest}"\n`);
      expect(await releaseOf(step(), loadClusterConfig(step()), env)).toEqual({
        image: digest,
        version: null,
        source: 'openshift.release_image',
      });
    } finally {
      process.env.OCP_STS_UPDATE_SERVICE = url;
    }
  });

  it('re-pins when the version moves to another minor', async () => {
    writeCluster('4.20');
    await releaseOf(step(), loadClusterConfig(step()), {});
    channels['stable-4.21'] = ['4.21.1'];
    writeCluster('4.21');
    expect((await releaseOf(step(), loadClusterConfig(step()), {})).version).toBe('4.21.1');
  });

  it('says what to do when the update service cannot be reached', async () => {
    writeCluster('4.20');
    process.env.OCP_STS_UPDATE_SERVICE = 'http://127.0.0.1:9/closed';
    try {
      await expect(releaseOf(step(), loadClusterConfig(step()), {})).rejects.toThrow(
        /could not read the stable-4\.20 channel .* Pin a patch release instead .*OCP_STS_UPDATE_SERVICE/,
      );
    } finally {
      process.env.OCP_STS_UPDATE_SERVICE = url;
    }
  });

  it('rejects a broken lock file, naming it', async () => {
    writeCluster('4.20');
    writeFileSync(lockFile(), '{"channel": "stable-4.20"}');
    await expect(releaseOf(step(), loadClusterConfig(step()), {})).rejects.toThrow(
      /clusters\/c\/release\.lock\.json.*needs "channel", "version" and "image"/,
    );
  });
});

describe('movePin', () => {
  it('moves the pin to the newest patch and reports both', async () => {
    writeCluster('4.20');
    await releaseOf(step(), loadClusterConfig(step()), {});
    channels['stable-4.20']!.push('4.20.15');
    const { from, to } = await movePin(step(), loadClusterConfig(step()));
    expect(from?.version).toBe('4.20.12');
    expect(to.version).toBe('4.20.15');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).version).toBe('4.20.15');
  });

  it('refuses a patch version: there is no pin to move', async () => {
    writeCluster('4.16.3');
    await expect(movePin(step(), loadClusterConfig(step()))).rejects.toThrow(/already a patch release/);
  });
});
