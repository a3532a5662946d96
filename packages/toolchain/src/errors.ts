/**
 * An error the user can act on: bad input, a missing tool, a failed step. Executors print its message alone
 * (no stack trace) and fail the target. Anything else that escapes is a bug and keeps its stack.
 *
 * Errors from other packages opt in with a `userFacing: true` property (cluster-config's ClusterConfigError does),
 * so that the pure libraries need not depend on this one.
 */
export class UserError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is Error & { userFacing: true } {
  return error instanceof Error && (error as { userFacing?: unknown }).userFacing === true;
}
