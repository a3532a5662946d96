/*
 * The patch text itself, against the run-command.js of the Nx this workspace pins (as npm installed it, or as the
 * patch left it). tools/e2e/crash-hygiene.spec.ts checks the exit codes through real nx.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { PATCHED_NX_VERSION, patchInstalledNx, patchRunCommand, RUN_COMMAND } from './skipped-tasks-exit-code.ts';

const NX_DIR = join(import.meta.dirname, '..', '..', 'node_modules', 'nx');
const installed = readFileSync(join(NX_DIR, RUN_COMMAND), 'utf8');

/** didCommandComplete of a patched text, loaded as the module Nx loads. */
function didCommandComplete(text: string): (tasks: unknown[], results: unknown, graph: unknown) => boolean {
  const dir = mkdtempSync(join(tmpdir(), 'nx-patch-'));
  try {
    const source = text.slice(text.indexOf('/* ocp-sts:'), text.indexOf('async function ensureWorkspaceIsInSync'));
    writeFileSync(join(dir, 'f.cjs'), `${source}\nmodule.exports = didCommandComplete;\n`);
    return createRequire(import.meta.url)(join(dir, 'f.cjs')) as ReturnType<typeof didCommandComplete>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the patch of Nx: a failed dependency is not an interrupt', () => {
  const { text } = patchRunCommand(installed);
  const complete = didCommandComplete(text);
  const task = (id: string) => ({ id });
  const tasks = ['render', 'preflight', 'inject', 'install'].map(task);
  const graph = {
    dependencies: { render: [], preflight: [], inject: ['render'], install: ['preflight', 'inject'] },
  };

  it('is applied to the pinned Nx, once', () => {
    expect(JSON.parse(readFileSync(join(NX_DIR, 'package.json'), 'utf8'))).toMatchObject({
      version: PATCHED_NX_VERSION,
    });
    expect(text).toContain('didCommandComplete(tasks, taskResults, taskGraph)');
    expect(patchRunCommand(text)).toEqual({ text, outcome: 'already-patched' });
  });

  it('counts tasks skipped after a failure as completed, and a stopped or unfinished run as interrupted', () => {
    const failed = { render: { status: 'success' }, preflight: { status: 'failure' }, inject: { status: 'success' } };
    expect(complete(tasks, failed, graph)).toBe(true);
    // inject has no result and no failed dependency: the run did not get to it (an interrupt between tasks).
    expect(complete(tasks, { render: { status: 'success' } }, graph)).toBe(false);
    expect(complete(tasks, { ...failed, inject: { status: 'stopped' } }, graph)).toBe(false);
    // Skipped through a chain: install after inject after a failed render.
    expect(complete(tasks, { render: { status: 'failure' }, preflight: { status: 'success' } }, graph)).toBe(true);
    expect(complete(tasks, { render: { status: 'stopped' }, preflight: { status: 'success' } }, graph)).toBe(false);
  });

  it('refuses a run-command.js it was not written for, and leaves another Nx version alone', () => {
    expect(() => patchRunCommand('function didCommandComplete(tasks, taskResults) {}')).toThrow(/not the text/);
    const dir = mkdtempSync(join(tmpdir(), 'nx-other-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nx', version: '24.0.6' }));
      expect(patchInstalledNx(dir)).toBe('other-version');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
