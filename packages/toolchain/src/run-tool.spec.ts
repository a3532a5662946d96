import { jest } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from './redact.ts';
import { resolveTool } from './resolve.ts';
import { runTool, ToolFailedError } from './run-tool.ts';

let root: string;
let bin: string;

/** A real executable standing in for a tool: these tests run real child processes. */
function fakeTool(name: string, script: string): void {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'run-tool-'));
  bin = join(root, 'bin');
  mkdirSync(bin);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    }),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    }),
  ];
  return {
    text: () => out.join(''),
    restore: () => {
      spies.forEach((s) => {
        s.mockRestore();
      });
    },
  };
}

describe('runTool', () => {
  it('streams redacted output to the terminal and the log, and returns it', async () => {
    fakeTool('oc', 'echo "out hunter2-secret-value"; echo "err password: \\"abcd-efgh\\"" >&2');
    const logFile = join(root, '.work/logs/extract.log');
    const terminal = capture();
    const result = await runTool({
      tool: 'oc',
      args: ['adm', 'release', 'info'],
      target: 'extract',
      logFile,
      workspaceRoot: root,
      binDirs: [bin],
      redactor: new Redactor(['hunter2-secret-value']),
    }).finally(terminal.restore);
    expect(result.stdout).toBe('out [REDACTED]');
    expect(result.stderr).toBe('err password: "[REDACTED]"');
    const log = readFileSync(logFile, 'utf8');
    for (const text of [terminal.text(), log]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('abcd-efgh');
    }
    expect(log).toContain('oc adm release info');
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });

  it('turns a non-zero exit into an error naming step, command, code, meaning and log', async () => {
    fakeTool('openshift-install', 'echo "level=fatal msg=failed to create install config" >&2; exit 3');
    const terminal = capture();
    const error = await runTool({
      tool: 'openshift-install',
      args: ['create', 'manifests', '--dir', 'x'],
      target: 'manifests',
      logFile: join(root, '.work/logs/manifests.log'),
      workspaceRoot: root,
      binDirs: [bin],
      redactor: new Redactor(),
    })
      .catch((e: unknown) => e)
      .finally(terminal.restore);
    expect(error).toBeInstanceOf(ToolFailedError);
    const message = (error as Error).message;
    expect(message).toContain('`openshift-install create manifests` exited 3 (install-config.yaml is invalid)');
    expect(message).toContain('failed to create install config');
    expect(message).toContain('Full log: .work/logs/manifests.log');
    expect((error as ToolFailedError).exitCode).toBe(3);
    expect((error as ToolFailedError).target).toBe('manifests');
  });

  it("passes the log level to openshift-install in place of the step's own, and shows its debug lines redacted", async () => {
    fakeTool(
      'openshift-install',
      'echo "args: $*"; case "$*" in *"--log-level debug"*) echo "level=debug msg=auth hunter2-secret-value" >&2;; esac',
    );
    const logFile = join(root, '.work/logs/manifests.log');
    const terminal = capture();
    const result = await runTool({
      tool: 'openshift-install',
      args: ['create', 'manifests', '--dir', 'x', '--log-level', 'info'],
      target: 'manifests',
      logFile,
      workspaceRoot: root,
      binDirs: [bin],
      redactor: new Redactor(['hunter2-secret-value']),
      logLevel: 'debug',
    }).finally(terminal.restore);
    expect(result.stdout).toBe('args: create manifests --dir x --log-level debug');
    expect(result.stderr).toBe('level=debug msg=auth [REDACTED]');
    const log = readFileSync(logFile, 'utf8');
    for (const text of [terminal.text(), log]) {
      expect(text).toContain('level=debug msg=auth [REDACTED]');
      expect(text).not.toContain('hunter2');
    }
  });

  it('gives ccoctl and oc no log-level flag: they have none', async () => {
    for (const tool of ['ccoctl', 'oc'] as const) {
      fakeTool(tool, 'echo "args: $*"');
      const terminal = capture();
      const result = await runTool({
        tool,
        args: ['aws', 'create-all'],
        target: 'ccoctl',
        logFile: join(root, '.work/logs/ccoctl.log'),
        workspaceRoot: root,
        binDirs: [bin],
        redactor: new Redactor(),
        logLevel: 'debug',
      }).finally(terminal.restore);
      expect(result.stdout).toBe('args: aws create-all');
    }
  });

  it('says which tool is missing and how to get it', () => {
    expect(() => resolveTool('ccoctl', [bin], '')).toThrow(/ccoctl was not found .* or on PATH\. .*--command=ccoctl/);
  });

  it('prefers the given folder over PATH', () => {
    const other = join(root, 'other');
    mkdirSync(other);
    fakeTool('oc', 'true');
    writeFileSync(join(other, 'oc'), '#!/bin/sh\n');
    chmodSync(join(other, 'oc'), 0o755);
    expect(resolveTool('oc', [bin], other)).toBe(join(bin, 'oc'));
    expect(resolveTool('oc', [], other)).toBe(join(other, 'oc'));
  });
});
