/*
 * The sandbox's update service, started as tools/sandbox/env starts it (run.ts start, then run.ts env): an `X.Y`
 * version resolves to the stand-ins' newest patch of it, with a payload the stand-ins know, and `stop` ends it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveNewestPatch, UPDATE_SERVICE_ENV } from '../../packages/installer/src/release/update-service.ts';
import { RELEASES, resolveRelease } from '../stand-ins/src/releases.ts';

const RUN = join(import.meta.dirname, 'run.ts');
let stateDir: string;

/** `node run.ts <command>` as the sandbox runs it; its stdout, or its exit status when it fails. */
function run(command: string): { stdout: string; status: number } {
  try {
    const stdout = execFileSync(process.execPath, ['--no-warnings', RUN, command], {
      env: { ...process.env, UPDATE_SERVICE_STATE_DIR: stateDir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, status: 0 };
  } catch (error) {
    const { stdout, status } = error as { stdout: string; status: number };
    return { stdout, status };
  }
}

beforeAll(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'update-service-'));
});

afterAll(() => {
  run('stop');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the sandbox update service', () => {
  it('resolves an X.Y version to the newest patch the stand-ins have, by a payload they resolve', async () => {
    const started = run('start');
    expect(started.status).toBe(0);
    const url = started.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/upgrades_info\/v1\/graph$/);
    expect(run('start').stdout.trim()).toBe(url); // the running one is found, not a second started
    expect(run('env').stdout).toBe(`export ${UPDATE_SERVICE_ENV}=${url}\n`);

    const newest = RELEASES.filter((r) => r.version.startsWith('4.16.')).at(-1)!;
    expect(newest.version).toBe('4.16.9');
    const lock = await resolveNewestPatch('4.16', 'stable-4.16', url);
    expect(lock).toEqual({ channel: 'stable-4.16', version: '4.16.9', image: newest.digestPullSpec });
    expect(resolveRelease(lock.image)?.version).toBe('4.16.9');
    expect((await resolveNewestPatch('4.17', 'stable-4.17', url)).version).toBe('4.17.9');
  });

  it('serves the sandbox update edges in stable-4.17 and stable-4.18, and none in stable-4.16', async () => {
    const { stdout } = run('status');
    const edgesOf = async (channel: string) => {
      const graph = (await (await fetch(`${stdout.trim()}?channel=${channel}`)).json()) as {
        nodes: { version: string; payload: string }[];
        edges: [number, number][];
      };
      for (const node of graph.nodes) expect(resolveRelease(node.payload)?.version).toBe(node.version);
      return {
        versions: graph.nodes.map((n) => n.version),
        edges: graph.edges.map(([from, to]) => `${graph.nodes[from]!.version} -> ${graph.nodes[to]!.version}`).sort(),
      };
    };
    const stable416 = await edgesOf('stable-4.16');
    expect(stable416.edges).toEqual([]);
    expect(stable416.versions).toEqual(RELEASES.filter((r) => r.version.startsWith('4.16.')).map((r) => r.version));
    const stable417 = await edgesOf('stable-4.17');
    expect(stable417.edges).toEqual(['4.16.3 -> 4.17.9']);
    expect(stable417.versions).toEqual(['4.16.3', '4.17.0', '4.17.1', '4.17.2', '4.17.9']);
    const stable418 = await edgesOf('stable-4.18');
    expect(stable418.edges).toEqual(['4.17.9 -> 4.18.40', '4.17.9 -> 4.18.6', '4.18.6 -> 4.18.40']);
    expect(stable418.versions).toEqual(['4.17.9', '4.18.6', '4.18.40']);
  });

  it('stops', async () => {
    const { stdout: url } = run('status');
    expect(run('stop').status).toBe(0);
    expect(run('status').status).toBe(1);
    await expect(resolveNewestPatch('4.16', 'stable-4.16', url.trim())).rejects.toThrow(/could not read/);
  });
});
