/*
 * The one AWS read layer of verify and the leftovers scan, against the shared emulator: a value, a missing resource
 * with the code AWS sent, one line for an answer nobody can act on, and the pool's limit.
 */
import { GetRoleCommand, IAMServiceException } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { UserError } from '@ocp-sts/toolchain';
import { awsClients } from './clients.ts';
import { awsAnsweredCode, AwsCallError } from './errors.ts';
import { awsReader, valueOf } from './reader.ts';

const clients = awsClients({ region: 'us-east-1' });

describe('awsReader', () => {
  it('reads a value, and a missing resource as an answer with the code AWS sent', async () => {
    const aws = awsReader(clients, 2);
    const identity = await aws.read('sts:GetCallerIdentity', (c) => c.sts.send(new GetCallerIdentityCommand({})));
    expect(valueOf(identity)?.Account).toBe('123456789012');
    const role = await aws.read('iam:GetRole', (c) => c.iam.send(new GetRoleCommand({ RoleName: 'reader-spec-none' })));
    // The SDK names the error NoSuchEntityException; AWS's answer (and the finding) says NoSuchEntity.
    expect(role).toEqual({ found: false, code: 'NoSuchEntity' });
    expect(valueOf(role)).toBeUndefined();
  });

  it('says in one line what AWS answered when nobody can act on it, and explains what the user can fix', async () => {
    const aws = awsReader(clients, 1);
    const odd = new IAMServiceException({
      name: 'ServiceFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
      message: 'the service failed',
    });
    const failure = aws.read('iam:GetRole', () => Promise.reject(odd));
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      'AWS answered ServiceFailure to iam:GetRole (profile (default chain), region us-east-1): the service failed',
    );
    const denied = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: iam:GetRole on resource: r',
    });
    await expect(aws.read('iam:GetRole', () => Promise.reject(denied))).rejects.toBeInstanceOf(AwsCallError);
    const bug = new TypeError('not an AWS answer');
    await expect(aws.read('iam:GetRole', () => Promise.reject(bug))).rejects.toBe(bug);
  });

  it('runs at most `concurrency` reads at once, sharing its pool with direct calls', async () => {
    const aws = awsReader(clients, 2);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return 1;
    };
    await Promise.all([
      ...Array.from({ length: 6 }, () => aws.read('test:Read', task)),
      ...Array.from({ length: 3 }, () => aws.limit(task)),
    ]);
    expect(peak).toBe(2);
  });
});

describe('awsAnsweredCode', () => {
  it("prefers the answer's Code to the SDK's error name", () => {
    expect(
      awsAnsweredCode(Object.assign(new Error('x'), { name: 'NoSuchEntityException', Code: 'NoSuchEntity' })),
    ).toBe('NoSuchEntity');
    expect(awsAnsweredCode(Object.assign(new Error('x'), { name: 'NoSuchKey' }))).toBe('NoSuchKey');
  });
});
