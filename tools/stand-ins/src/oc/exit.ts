/*
 * How the oc stand-in ends a command that failed: `error: <message>` on stderr (or a line of the server's, such
 * as `Error from server (NotFound): …`), then the exit code, thrown as Exit so that oc.ts exits once. Also how it
 * reads a command's flags, so that an unknown one fails as oc's does.
 */
import { parseArgs } from 'node:util';
export class Exit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`error: ${message}\n`);
  throw new Exit(code);
}

/** A failure reported as is (kubectl prints server errors and connection errors without `error: `). */
export function failRaw(line: string, code = 1): never {
  process.stderr.write(`${line}\n`);
  throw new Exit(code);
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** A command's flags and arguments; an unknown flag is oc's `unknown flag: --x`. */
export function parseFlags<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const match = /Unknown option '([^']+)'/.exec((error as Error).message);
    return fail(match ? `unknown flag: ${match[1] ?? ''}` : (error as Error).message);
  }
}
