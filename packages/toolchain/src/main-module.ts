import { realpathSync } from 'node:fs';
import { isUserError } from './errors.ts';

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

/**
 * Runs a command-line tool's main: a user error (or a wrong flag) is one line on stderr, `<tool>: <message>`, and
 * exit code 2; anything else is a bug and keeps its stack.
 */
export async function runCommandLine(tool: string, main: () => void | Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const badFlag = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    if (!isUserError(error) && !badFlag) throw error;
    process.stderr.write(`${tool}: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
