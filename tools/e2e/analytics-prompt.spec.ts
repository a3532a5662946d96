/*
 * A new user's first `nx` command is not interrupted by Nx's analytics question. Nx asks only on a terminal and
 * outside CI, so the command runs under `script` (a pseudo-terminal) with CI=false, in a temporary copy of the
 * workspace. Without "analytics" in nx.json Nx would print its question and wait for an answer until the guard
 * below kills it; the test then fails on the output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../testing/workspace.ts';

describe("Nx's analytics prompt", () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = createTempWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('is answered in nx.json', () => {
    const nxJson = JSON.parse(readFileSync(join(REPO_ROOT, 'nx.json'), 'utf8')) as { analytics?: unknown };
    expect(nxJson.analytics).toBe(false);
  });

  it('is not shown by a first nx command on a terminal', () => {
    const before = readFileSync(join(ws.root, 'nx.json'), 'utf8');
    const result = spawnSync('script', ['-qec', 'nx show projects', '/dev/null'], {
      cwd: ws.root,
      env: ws.env({ CI: 'false', TERM: 'xterm' }),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // A guard against a prompt that waits for ever, not a timed assertion.
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toContain('usage data');
    expect(result.status).toBe(0);
    // Nx writes the answer into nx.json after asking; nothing was asked, so nothing changed.
    expect(readFileSync(join(ws.root, 'nx.json'), 'utf8')).toBe(before);
  }, 180_000);
});
