import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  it('takes the pin of an X.Y version, which holds until it is moved; without one it says to pin, writing nothing', async () => {
    writeCluster('4.20');
    expect(() => releaseOf(step(), loadClusterConfig(step()), {})).toThrow(
      'openshift.version "4.20" is a minor version, and clusters/c/release.lock.json pins no release of stable-4.20: ' +
        'run nx run c:pin-release to pin its newest (then commit the file), or give openshift.version as X.Y.Z',
    );
    expect(existsSync(lockFile())).toBe(false);
    await movePin(step(), loadClusterConfig(step()));
    expect(releaseOf(step(), loadClusterConfig(step()), {})).toEqual({
      image: payloadOf('4.20.12'),
      version: '4.20.12',
      source: 'release.lock.json',
    });
    // A newer release appears: the pin holds until it is moved.
    channels['stable-4.20']!.push('4.20.13');
    expect(releaseOf(step(), loadClusterConfig(step()), {}).version).toBe('4.20.12');
    channels['stable-4.20']!.pop();
  });

  it('takes an X.Y.Z version, the environment switch or release_image without asking anyone', () => {
    process.env.OCP_STS_UPDATE_SERVICE = 'http://127.0.0.1:9/closed';
    try {
      writeCluster('4.16.3');
      expect(releaseOf(step(), loadClusterConfig(step()), {})).toEqual({
        image: 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64',
        version: '4.16.3',
        source: 'openshift.version',
      });
      const env = { OPENSHIFT_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.16.5-x86_64' };
      expect(releaseOf(step(), loadClusterConfig(step()), env)).toMatchObject({
        version: '4.16.5',
        source: 'OPENSHIFT_RELEASE_IMAGE',
      });
      const digest = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;
      writeCluster('4.16.3', `  release_image: "${digest}"\n`);
      expect(releaseOf(step(), loadClusterConfig(step()), env)).toEqual({
        image: digest,
        version: null,
        source: 'openshift.release_image',
      });
    } finally {
      process.env.OCP_STS_UPDATE_SERVICE = url;
    }
  });

  it('takes no pin of another minor: the version moved since', async () => {
    writeCluster('4.20');
    await movePin(step(), loadClusterConfig(step()));
    writeCluster('4.21');
    expect(() => releaseOf(step(), loadClusterConfig(step()), {})).toThrow(
      /pins no release of stable-4\.21: run nx run c:pin-release/,
    );
  });

  it('rejects a broken lock file, naming it', () => {
    writeCluster('4.20');
    writeFileSync(lockFile(), '{"channel": "stable-4.20"}');
    expect(() => releaseOf(step(), loadClusterConfig(step()), {})).toThrow(
      /clusters\/c\/release\.lock\.json.*needs "channel", "version" and "image"/,
    );
  });
});

describe('movePin', () => {
  it('pins an X.Y version to the newest X.Y.z of its stable channel', async () => {
    writeCluster('4.20');
    const { from, to } = await movePin(step(), loadClusterConfig(step()));
    expect(from).toBeUndefined();
    expect(to).toEqual({ channel: 'stable-4.20', version: '4.20.12', image: payloadOf('4.20.12') });
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual(to);
  });

  it('pins a new minor when the version moved to it', async () => {
    writeCluster('4.20');
    await movePin(step(), loadClusterConfig(step()));
    channels['stable-4.21'] = ['4.21.1'];
    writeCluster('4.21');
    expect((await movePin(step(), loadClusterConfig(step()))).to.version).toBe('4.21.1');
  });

  it('says what to do when the update service cannot be reached', async () => {
    writeCluster('4.20');
    process.env.OCP_STS_UPDATE_SERVICE = 'http://127.0.0.1:9/closed';
    try {
      await expect(movePin(step(), loadClusterConfig(step()))).rejects.toThrow(
        /could not read the stable-4\.20 channel .* Pin a patch release instead .*OCP_STS_UPDATE_SERVICE/,
      );
    } finally {
      process.env.OCP_STS_UPDATE_SERVICE = url;
    }
  });

  it('moves the pin to the newest patch and reports both', async () => {
    writeCluster('4.20');
    await movePin(step(), loadClusterConfig(step()));
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
