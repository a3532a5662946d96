import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installedReleaseChanged, installedReleaseKey, type SeenInstalledRelease } from '@ocp-sts/state';
import { installedReleaseInput } from './constants.ts';

const IMAGE = (version: string) => `quay.io/openshift-release-dev/ocp-release:${version}-x86_64`;
const named = { image: IMAGE('4.18.40'), version: '4.18.40' };

/** The checkout's copy of the installed release, as the state package writes it, and what it stands for. */
const copies: [string, SeenInstalledRelease | undefined, string][] = [
  ['no copy (a new checkout)', undefined, 'as named'],
  ['not installed', { installed: false }, 'as named'],
  ['installed, the release named', { installed: true, version: '4.18.40', releaseImage: IMAGE('4.18.40') }, 'as named'],
  [
    'installed, same version by digest',
    { installed: true, version: '4.18.40', releaseImage: 'r@sha256:ab' },
    'as named',
  ],
  [
    'installed, another release',
    { installed: true, version: '4.18.6', releaseImage: IMAGE('4.18.6') },
    `installed ${IMAGE('4.18.6')}`,
  ],
  [
    'installed by digest, no version',
    { installed: true, version: null, releaseImage: 'r@sha256:cd' },
    'installed r@sha256:cd',
  ],
];

describe('the runtime input of the installed release', () => {
  let root: string;
  const project = 'clusters/c 1';
  const release = `${project}/.work/render/release.json`;
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  /** The command as Nx runs it: `sh -c` in the workspace root, the pinned Node first on PATH. */
  const runAsNx = () => {
    const { runtime } = installedReleaseInput(root, project, release);
    const result = spawnSync('sh', ['-c', runtime], {
      cwd: root,
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`${runtime} exited ${result.status ?? '?'}:\n${result.stderr}`);
    return result.stdout.trim();
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'installed-release-'));
    write(release, JSON.stringify({ ...named, source: 'openshift.version' }));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each(copies)('%s: prints what the state package keys ccoctl on', (_, seen, expected) => {
    if (seen) write(`${project}/.work/installed-release.json`, `${JSON.stringify(seen)}\n`);
    expect(runAsNx()).toBe(expected);
    expect(installedReleaseKey(seen, named)).toBe(expected);
  });

  it('says how a copy is stale against the record, and nothing when the key holds', () => {
    const at = (version: string): SeenInstalledRelease => ({ installed: true, version, releaseImage: IMAGE(version) });
    expect(installedReleaseChanged(at('4.18.6'), at('4.18.40'), named)).toBe(
      'this checkout knew 4.18.6 installed, the state says 4.18.40 installed',
    );
    expect(installedReleaseChanged(undefined, at('4.18.6'), named)).toBe(
      'this checkout knew nothing, the state says 4.18.6 installed',
    );
    // Keys alike: a new checkout of a cluster that runs the release named, or of one not installed.
    expect(installedReleaseChanged(undefined, at('4.18.40'), named)).toBeUndefined();
    expect(installedReleaseChanged(undefined, { installed: false }, named)).toBeUndefined();
  });
});
