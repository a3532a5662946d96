import { realpathSync } from 'node:fs';

/**
 * Whether the module at `filename` (its import.meta.filename) is the one node was started with. argv[1] is resolved
 * through symlinks: npm runs a package's bin through the link node_modules/.bin/<name>, never the file itself.
 */
export function isMainModule(filename: string): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === filename;
  } catch {
    return false;
  }
}
