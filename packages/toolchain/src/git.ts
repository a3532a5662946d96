/*
 * Plain git in a workspace, read-only: a file as a commit has it and the files that differ between two commits, both
 * workspace-relative, since the workspace may be a folder of its repository. The checkout is never touched.
 */
import { spawnSync } from 'node:child_process';
import { UserError } from './errors.ts';

export interface GitResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** git `args` in `cwd`, whatever its exit status; a UserError only when git itself cannot run. */
export function runGit(cwd: string, args: readonly string[]): GitResult {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw new UserError(`git could not run: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The first line git wrote to stderr, for a one-line error. */
export function gitSaid(result: GitResult): string {
  return result.stderr.trim().split('\n')[0] ?? '';
}

/** A workspace-relative file at `commit`, or undefined when the commit does not have it. */
export function fileAt(workspaceRoot: string, commit: string, file: string): string | undefined {
  // `<commit>:./<path>` is relative to the current folder, so the workspace may be a subfolder of the repository.
  const spec = `${commit}:./${file}`;
  if (runGit(workspaceRoot, ['cat-file', '-e', spec]).status !== 0) return undefined;
  const result = runGit(workspaceRoot, ['cat-file', 'blob', spec]);
  if (result.status !== 0) throw new UserError(`git cat-file blob ${spec} failed: ${gitSaid(result)}`);
  return result.stdout;
}

/** The workspace-relative files matching `pathspec` that differ between the commits `base` and `head`. */
export function changedFiles(workspaceRoot: string, base: string, head: string, pathspec: string): Set<string> {
  const args = ['diff', '--name-only', '--relative', base, head, '--', pathspec];
  const result = runGit(workspaceRoot, args);
  if (result.status !== 0) throw new UserError(`git ${args.join(' ')} failed: ${gitSaid(result)}`);
  return new Set(result.stdout.split('\n').filter(Boolean));
}
