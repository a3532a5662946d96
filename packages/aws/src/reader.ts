/*
 * The one way the read-only checks (verify) and scans (leftovers, destroy's leftover check) read AWS: at most
 * `concurrency` calls at once (the SDK's adaptive retry, configured in awsClients, backs off further when IAM
 * throttles a fleet), every call counted by the clients (awsClients), a missing resource an answer rather than an
 * error, and anything else the user can act on (credentials, access, throttling, network) one line from
 * explainAwsError, never a stack trace.
 */
import { UserError } from '@ocp-sts/toolchain';
import type { AwsClients } from './clients.ts';
import { awsAnsweredCode, explainAwsError, isNotFound } from './errors.ts';
import { createLimiter, type Limiter } from './limiter.ts';

/** What a read gave: the value, or the resource is missing (with the AWS error code, e.g. NoSuchKey). */
export type Read<T> = { found: true; value: T } | { found: false; code: string };

export interface AwsReader {
  clients: AwsClients;
  /** Reads through the pool; see awsReader. */
  read: <T>(call: string, run: (clients: AwsClients) => Promise<T>) => Promise<Read<T>>;
  /** The pool itself, for the few calls that judge their own errors (e.g. an API the endpoint may not have). */
  limit: Limiter;
}

/**
 * A reader over `clients` with at most `concurrency` calls at once (or sharing the pool `limit`). `read` resolves to
 * the value or to "missing" (NoSuchEntity, NoSuchBucket, NoSuchKey, 404...); it throws an AwsCallError for what the
 * user can act on, a UserError for any other AWS answer (still one line, naming the call), and rethrows the rest.
 */
export function awsReader(clients: AwsClients, concurrency: number, limit: Limiter = createLimiter(concurrency)) {
  const { target } = clients;
  const reader: AwsReader = {
    clients,
    limit,
    read: (call, run) =>
      limit(async () => {
        try {
          return { found: true, value: await run(clients) };
        } catch (error) {
          const explained = explainAwsError(error, target, call);
          if (explained instanceof UserError) throw explained;
          if (isNotFound(error)) return { found: false, code: awsAnsweredCode(error) };
          if (error instanceof Error && '$metadata' in error) {
            throw new UserError(
              `AWS answered ${awsAnsweredCode(error)} to ${call} (profile ${target.profile ?? '(default chain)'}, region ` +
                `${target.region}): ${error.message}`,
            );
          }
          throw error;
        }
      }),
  };
  return reader;
}

/** The value of a read, or undefined when the resource is missing. */
export function valueOf<T>(read: Read<T>): T | undefined {
  return read.found ? read.value : undefined;
}
