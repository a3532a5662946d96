#!/usr/bin/env node
/*
 * oc for a CI runner, from the OpenShift mirror, its checksum verified:
 *
 *   npx --no-install ocp-sts-get-oc --dir "$RUNNER_TEMP/oc" [--version stable|stable-4.18|4.18.6] >> "$GITHUB_PATH"
 *
 * Every step that runs a release tool needs `oc` (extract, credentials-diff, and through the release tools install,
 * upgrade and destroy), and a hosted runner has none. This downloads `openshift-client-linux.tar.gz` of the version
 * (a channel folder such as `stable` holds its newest release) from
 * https://mirror.openshift.com/pub/openshift-v4/<arch>/clients/ocp/<version>/, checks its sha256 against that
 * folder's `sha256sum.txt`, writes only `oc` into --dir (0755) and prints --dir, for $GITHUB_PATH. A download whose
 * sum differs, or a version the mirror does not have, is one line and exit 2, and --dir gets nothing.
 * OCP_STS_CLIENT_MIRROR replaces the mirror's `…/clients/ocp` URL (a mirror of your own, or the tests' loopback one).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainModule, runCommandLine, UserError } from '@ocp-sts/toolchain';

/** The mirror's folder of each CPU's clients: Node's name for the CPU -> the mirror's. */
const MIRROR_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x' };
export const CLIENT_ARCHIVE = 'openshift-client-linux.tar.gz';
const CHECKSUMS = 'sha256sum.txt';

export function mirrorUrl(arch = process.arch, env: NodeJS.ProcessEnv = process.env): string {
  const own = env['OCP_STS_CLIENT_MIRROR'];
  if (own) return own.replace(/\/+$/, '');
  const folder = MIRROR_ARCH[arch];
  if (!folder) throw new UserError(`the OpenShift mirror has no clients for this CPU (${arch})`);
  return `https://mirror.openshift.com/pub/openshift-v4/${folder}/clients/ocp`;
}

/** A version folder of the mirror: a release (4.18.6) or a channel (stable, stable-4.18, fast-4.18, latest). */
const VERSION = /^(\d+\.\d+\.\d+(-[\w.]+)?|(stable|fast|candidate|latest)(-\d+\.\d+)?)$/;

/** The sha256 that `sha256sum.txt` gives for `file`, if it lists it. */
export function listedSum(checksums: string, file: string): string | undefined {
  for (const line of checksums.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *]?(.+)$/.exec(line.trim());
    if (match?.[2] === file) return match[1];
  }
  return undefined;
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? String(error)}`);
  }
  if (!response.ok) {
    throw new UserError(
      `${url}: HTTP ${response.status}${response.status === 404 ? ' (no such version on the mirror?)' : ''}`,
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

/** Downloads, verifies and installs oc into `dir`; returns `dir`. */
export async function getOc(options: { version: string; dir: string; mirror?: string }): Promise<string> {
  if (!VERSION.test(options.version)) {
    throw new UserError(
      `--version ${options.version}: expected a release like 4.18.6 or a channel like stable or stable-4.18`,
    );
  }
  const folder = `${options.mirror ?? mirrorUrl()}/${options.version}`;
  const [archive, checksums] = await Promise.all([
    download(`${folder}/${CLIENT_ARCHIVE}`),
    download(`${folder}/${CHECKSUMS}`),
  ]);
  const expected = listedSum(checksums.toString('utf8'), CLIENT_ARCHIVE);
  if (!expected) throw new UserError(`${folder}/${CHECKSUMS} lists no ${CLIENT_ARCHIVE}: not verified, not installed`);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== expected) {
    throw new UserError(
      `${folder}/${CLIENT_ARCHIVE}: sha256 ${actual}, but ${CHECKSUMS} says ${expected}: not installed`,
    );
  }
  // Unpacked in a folder of its own inside --dir (one file system), then moved: --dir never holds a partial oc.
  mkdirSync(options.dir, { recursive: true });
  const scratch = mkdtempSync(join(options.dir, '.get-oc-'));
  try {
    writeFileSync(join(scratch, CLIENT_ARCHIVE), archive);
    try {
      execFileSync('tar', ['-xzf', join(scratch, CLIENT_ARCHIVE), '-C', scratch, 'oc'], { stdio: 'pipe' });
    } catch {
      throw new UserError(`${folder}/${CLIENT_ARCHIVE} holds no oc`);
    }
    chmodSync(join(scratch, 'oc'), 0o755);
    renameSync(join(scratch, 'oc'), join(options.dir, 'oc'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return options.dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { version: { type: 'string', default: 'stable' }, dir: { type: 'string' } },
  });
  if (!values.dir) throw new UserError('usage: ocp-sts-get-oc --dir <folder> [--version stable|4.18.6]');
  const dir = await getOc({ version: values.version, dir: values.dir });
  process.stderr.write(`ocp-sts-get-oc: oc ${values.version} from ${mirrorUrl()}, sha256 verified, in ${dir}\n`);
  process.stdout.write(`${dir}\n`);
}

if (isMainModule(import.meta.filename)) await runCommandLine('ocp-sts-get-oc', main);
