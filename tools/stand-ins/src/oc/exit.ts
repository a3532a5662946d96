/*
 * How the oc stand-in ends a command that failed: `error: <message>` on stderr (or a line of the server's, such
 * as `Error from server (NotFound): …`), then the exit code, thrown as Exit so that oc.ts exits once.
 */
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
