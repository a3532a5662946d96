/*
 * The output folders each subcommand makes before it runs (cobra's PersistentPreRun in ccoctl): `--output-dir`
 * (default: the working directory) and some of `manifests/` and `tls/`, each with a plain mkdir (0700), so a missing
 * parent is fatal.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TLS_DIR } from './key-pair.ts';
import { fatal } from './log.ts';

export const MANIFESTS_DIR = 'manifests';

/** provisioning.EnsureDir: a plain mkdir (0700) when missing. */
function ensureDir(path: string): void {
  try {
    if (!statSync(path).isDirectory()) throw new Error(`file ${path} exists and is not a directory`);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path, { mode: 0o700 });
}

/** Makes the output dir and the named sub-folders; resolves to the output dir's absolute path. */
export function prepareOutputDirs(outputDir: string | undefined, subdirs: ('manifests' | 'tls')[]): string {
  const target = resolve(outputDir || '.');
  const dirs: [string, string][] = [
    [target, 'target'],
    ...subdirs.map((sub): [string, string] => [join(target, sub === 'tls' ? TLS_DIR : MANIFESTS_DIR), sub]),
  ];
  for (const [dir, what] of dirs) {
    try {
      ensureDir(dir);
    } catch {
      fatal(`failed to create ${what} directory at ${dir}`);
    }
  }
  return target;
}
