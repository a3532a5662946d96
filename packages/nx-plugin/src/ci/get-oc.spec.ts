/*
 * ocp-sts-get-oc against a mirror on loopback laid out as mirror.openshift.com's clients/ocp: a version folder with
 * openshift-client-linux.tar.gz (holding oc, kubectl and a README, as the real one does) and sha256sum.txt.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENT_ARCHIVE, getOc, listedSum, mirrorUrl } from './get-oc.ts';

const SCRIPT = join(import.meta.dirname, 'get-oc.ts');
let scratch: string;
let server: Server;
let mirror: string;
/** Path under the mirror -> content. */
const files = new Map<string, Buffer>();

function clientArchive(ocScript: string): Buffer {
  const dir = mkdtempSync(join(scratch, 'archive-'));
  writeFileSync(join(dir, 'oc'), ocScript, { mode: 0o755 });
  writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dir, 'README.md'), 'oc\n');
  execFileSync('tar', ['-czf', join(dir, CLIENT_ARCHIVE), '-C', dir, 'README.md', 'kubectl', 'oc']);
  return readFileSync(join(dir, CLIENT_ARCHIVE));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function publish(version: string, archive: Buffer, listed = sha256(archive)): void {
  files.set(`/${version}/${CLIENT_ARCHIVE}`, archive);
  files.set(
    `/${version}/sha256sum.txt`,
    Buffer.from(`${'0'.repeat(64)}  openshift-install-linux.tar.gz\n${listed}  ${CLIENT_ARCHIVE}\n`),
  );
}

/** The bin as the workflows run it: its own process, stdout for $GITHUB_PATH. */
function runBin(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { ...process.env, OCP_STS_CLIENT_MIRROR: mirror },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'get-oc-spec-'));
  server = createServer((request, response) => {
    const body = files.get(request.url ?? '');
    response.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

describe('ocp-sts-get-oc', () => {
  it('installs only oc, executable, from the version folder whose checksum it matches, and prints the folder', async () => {
    publish('stable-4.18', clientArchive('#!/bin/sh\necho "Client Version: 4.18.6"\n'));
    const dir = join(scratch, 'bin-stable');
    const result = await runBin(['--version', 'stable-4.18', '--dir', dir]);
    expect(result).toEqual({
      status: 0,
      stdout: `${dir}\n`,
      stderr: `ocp-sts-get-oc: oc stable-4.18 from ${mirror}, sha256 verified, in ${dir}\n`,
    });
    expect(readdirSync(dir)).toEqual(['oc']);
    expect(statSync(join(dir, 'oc')).mode & 0o777).toBe(0o755);
    expect(execFileSync(join(dir, 'oc'), { encoding: 'utf8' })).toBe('Client Version: 4.18.6\n');
  });

  it('refuses an archive whose sha256 is not the listed one, leaving the folder without oc', async () => {
    const archive = clientArchive('#!/bin/sh\necho tampered\n');
    publish('4.18.6', archive, sha256(Buffer.from('the genuine archive')));
    const dir = join(scratch, 'bin-tampered');
    const result = await runBin(['--version', '4.18.6', '--dir', dir]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `ocp-sts-get-oc: ${mirror}/4.18.6/${CLIENT_ARCHIVE}: sha256 ${sha256(archive)}, but sha256sum.txt says ` +
        `${sha256(Buffer.from('the genuine archive'))}: not installed\n`,
    );
    expect(existsSync(join(dir, 'oc'))).toBe(false);
  });

  it('says which URL the mirror does not have, and refuses a version that is no folder of it', async () => {
    const missing = await runBin(['--version', '4.99.0', '--dir', join(scratch, 'bin-missing')]);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      `ocp-sts-get-oc: ${mirror}/4.99.0/${CLIENT_ARCHIVE}: HTTP 404 (no such version on the mirror?)\n`,
    ]);
    const odd = await runBin(['--version', '../../etc', '--dir', join(scratch, 'bin-odd')]);
    expect([odd.status, odd.stderr]).toEqual([
      2,
      'ocp-sts-get-oc: --version ../../etc: expected a release like 4.18.6 or a channel like stable or stable-4.18\n',
    ]);
    const usage = await runBin(['--version', 'stable']);
    expect([usage.status, usage.stderr]).toEqual([
      2,
      'ocp-sts-get-oc: usage: ocp-sts-get-oc --dir <folder> [--version stable|4.18.6]\n',
    ]);
  });

  it('refuses a checksum list without the archive, and an archive without oc', async () => {
    files.set(`/fast-4.18/${CLIENT_ARCHIVE}`, clientArchive('#!/bin/sh\n'));
    files.set('/fast-4.18/sha256sum.txt', Buffer.from(`${'1'.repeat(64)}  other.tar.gz\n`));
    await expect(getOc({ version: 'fast-4.18', dir: join(scratch, 'bin-unlisted'), mirror })).rejects.toThrow(
      `${mirror}/fast-4.18/sha256sum.txt lists no ${CLIENT_ARCHIVE}: not verified, not installed`,
    );
    const dir = mkdtempSync(join(scratch, 'no-oc-'));
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n');
    execFileSync('tar', ['-czf', join(dir, 'a.tgz'), '-C', dir, 'kubectl']);
    publish('latest', readFileSync(join(dir, 'a.tgz')));
    const target = join(scratch, 'bin-no-oc');
    await expect(getOc({ version: 'latest', dir: target, mirror })).rejects.toThrow(
      `${mirror}/latest/${CLIENT_ARCHIVE} holds no oc`,
    );
    mkdirSync(target, { recursive: true });
    expect(readdirSync(target)).toEqual([]);
  });

  it('reads sha256sum.txt as sha256sum writes it, and names the mirror folder of each CPU', () => {
    const sum = 'a'.repeat(64);
    expect(listedSum(`${sum}  ${CLIENT_ARCHIVE}\n`, CLIENT_ARCHIVE)).toBe(sum);
    expect(listedSum(`${sum} *${CLIENT_ARCHIVE}\n`, CLIENT_ARCHIVE)).toBe(sum);
    expect(listedSum(`${sum}  ${CLIENT_ARCHIVE}.sig\n`, CLIENT_ARCHIVE)).toBeUndefined();
    expect(mirrorUrl('x64', {})).toBe('https://mirror.openshift.com/pub/openshift-v4/x86_64/clients/ocp');
    expect(mirrorUrl('arm64', {})).toBe('https://mirror.openshift.com/pub/openshift-v4/aarch64/clients/ocp');
    expect(mirrorUrl('x64', { OCP_STS_CLIENT_MIRROR: 'https://mirror.example.com/ocp/' })).toBe(
      'https://mirror.example.com/ocp',
    );
  });
});
