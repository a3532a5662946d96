/*
 * The workflows this repository runs (.github/workflows/) are the templates the init generator writes with
 * --ci=github (packages/nx-plugin/src/generators/init/workflows/), byte for byte: one source, two places, this test
 * keeps them equal. Both pass actionlint and zizmor with zero findings, and the lint does fail on a workflow with
 * findings.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureActionlint, ensureZizmor, lintWorkflows } from './lint.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const USED = join(REPO_ROOT, '.github', 'workflows');
const TEMPLATES = join(REPO_ROOT, 'packages', 'nx-plugin', 'src', 'generators', 'init', 'workflows');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

describe('GitHub workflows', () => {
  beforeAll(async () => {
    // First use installs both (go install, pip): minutes, once.
    await Promise.all([ensureActionlint(), ensureZizmor()]);
  }, INSTALL_TIMEOUT_MS);

  it('are the templates, byte for byte', () => {
    expect(yamlFiles(USED)).toEqual(['deploy.yml', 'destroy.yml', 'pull-request.yml', 'verify-fleet.yml']);
    expect(yamlFiles(TEMPLATES)).toEqual(yamlFiles(USED));
    for (const file of yamlFiles(USED)) {
      expect([file, readFileSync(join(USED, file), 'utf8')]).toEqual([
        file,
        readFileSync(join(TEMPLATES, file), 'utf8'),
      ]);
    }
  });

  it('pin every action by commit with its version beside it, and give every job a timeout', () => {
    for (const file of yamlFiles(USED)) {
      const text = readFileSync(join(USED, file), 'utf8');
      const uses = text.split('\n').filter((line) => /^\s*(- )?uses:/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses)
        expect([file, line]).toEqual([file, expect.stringMatching(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)]);
      const jobs = (parse(text) as { jobs: Record<string, Record<string, unknown>> }).jobs;
      for (const [name, job] of Object.entries(jobs)) {
        expect([file, name, typeof job['timeout-minutes']]).toEqual([file, name, 'number']);
      }
    }
  });

  it(
    'have no actionlint or zizmor finding',
    async () => {
      const result = await lintWorkflows(yamlFiles(USED).map((f) => join(USED, f)));
      expect({ actionlint: result.actionlint.output.trim(), code: result.actionlint.code }).toEqual({
        actionlint: '',
        code: 0,
      });
      expect({ zizmor: result.zizmor.code, output: result.zizmor.output }).toEqual({
        zizmor: 0,
        output: expect.stringContaining('No findings to report') as unknown,
      });
      expect(result.clean).toBe(true);
    },
    INSTALL_TIMEOUT_MS,
  );

  it(
    'fails on a workflow with findings, naming them',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
      try {
        mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
        const bad = join(dir, '.github', 'workflows', 'bad.yml');
        writeFileSync(
          bad,
          [
            'on: pull_request_target',
            'jobs:',
            '  echo:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: actions/checkout@v4',
            '      - run: echo "${{ github.event.pull_request.title }}"',
            '',
          ].join('\n'),
        );
        const result = await lintWorkflows([bad]);
        expect(result.clean).toBe(false);
        expect(result.actionlint.code).toBe(1);
        expect(result.actionlint.output).toContain('github.event.pull_request.title');
        expect(result.zizmor.code).not.toBe(0);
        expect(result.zizmor.output).toContain('template-injection');
        expect(result.zizmor.output).toContain('unpinned-uses');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    INSTALL_TIMEOUT_MS,
  );
});
