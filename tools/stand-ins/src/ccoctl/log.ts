/*
 * ccoctl logs with Go's standard logger: every line on stderr, prefixed with the local date and time as
 * `YYYY/MM/DD HH:MM:SS `; log.Fatal prints the line and exits 1.
 */
import { applyFaults } from '../faults.ts';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function timestamp(date = new Date()): string {
  return (
    `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function log(message: string): void {
  process.stderr.write(`${timestamp()} ${message}\n`);
}

export function fatal(message: string, code = 1): never {
  log(message);
  process.exit(code);
}

/** The message of anything thrown; AWS SDK errors as `<ErrorName>: <message>` like the Go SDK's `Code: message`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.name && error.name !== 'Error' && !error.message.startsWith(error.name)
      ? `${error.name}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** errors.Wrap: `context: cause`. */
export function wrap(error: unknown, context: string): Error {
  return new Error(`${context}: ${errorMessage(error)}`, { cause: error });
}

/** Applies the injected faults of a step (tools/stand-ins/src/faults.ts): a failure is a fatal line naming it. */
export function step(name: string): Promise<void> {
  return applyFaults('ccoctl', name, (code) =>
    fatal(`Failed at step ${name}: injected failure (STANDIN_FAIL=ccoctl:${name})`, code),
  );
}
