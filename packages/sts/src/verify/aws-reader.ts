/*
 * Every AWS call verify makes goes through here: at most `concurrency` at once per cluster (the SDK's adaptive retry,
 * configured in awsClients, backs off further when IAM throttles a fleet), a missing resource is an answer (checks
 * turn it into a finding), and anything else the user can act on (credentials, access, throttling, network) ends
 * verify with one line from awsCall, never a stack trace.
 */
import { UserError } from '@ocp-sts/toolchain';
import type { AwsClients } from '../aws/clients.ts';
import { awsCall, isNotFound } from '../aws/errors.ts';
import { createLimiter, type Limiter } from './pool.ts';

/** What a read gave: the value, or the resource is missing (with the AWS error code, e.g. NoSuchKey). */
export type Read<T> = { found: true; value: T } | { found: false; code: string };

export interface AwsReader {
  clients: AwsClients;
  read: <T>(call: string, run: (clients: AwsClients) => Promise<T>) => Promise<Read<T>>;
}

function errorCode(error: unknown): string {
  const e = error as { name?: unknown; Code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  return typeof e.name === 'string' ? e.name : 'Error';
}

export function awsReader(clients: AwsClients, concurrency: number, limit: Limiter = createLimiter(concurrency)) {
  const reader: AwsReader = {
    clients,
    read: (call, run) =>
      limit(async () => {
        try {
          return { found: true, value: await awsCall(clients.target, call, () => run(clients)) };
        } catch (error) {
          if (error instanceof UserError) throw error;
          if (isNotFound(error)) return { found: false, code: errorCode(error) };
          if (error instanceof Error && '$metadata' in error) {
            // An AWS answer that is neither a missing resource nor one awsCall explains: still one line, no stack.
            const { target } = clients;
            throw new UserError(
              `AWS answered ${errorCode(error)} to ${call} (profile ${target.profile ?? '(default chain)'}, region ` +
                `${target.region}): ${error.message}`,
            );
          }
          throw error;
        }
      }),
  };
  return reader;
}
