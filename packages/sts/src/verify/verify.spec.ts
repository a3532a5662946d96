/*
 * verify against the AWS emulator that jest's global setup started (AWS_ENDPOINT_URL), on clusters provisioned for
 * real by the `oc` and `ccoctl` stand-ins. Every case that breaks something in AWS has a cluster (sts name) of its own,
 * so that cases never see each other's damage and the shared emulator is never reset.
 */
import { jest } from '@jest/globals';
import { CloudFrontClient, GetDistributionCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateUserCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ExecutorContext } from '@nx/devkit';
import {
  asRealCcoctlPrivateBucket,
  type RealCcoctlPrivateBucket,
} from '../../../../tools/testing/ccoctl-private-bucket.ts';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import verifyExecutor from '../executors/verify/executor.ts';
import { publicJwkOf } from '../issuer/index.ts';
import type { VerifyReport } from './report.ts';
import { withEnv } from '../../../../tools/testing/cluster-workspace.ts';
import {
  ACCOUNT,
  newKeyPair,
  provisionCluster,
  removeExtractedRequests,
  uniqueStsName,
  type SandboxCluster,
} from '../../../../tools/testing/provisioned-cluster.ts';
import { verifyCluster } from './verify.ts';

const REGION = 'us-east-1';
const iam = new IAMClient({ region: REGION });
const s3 = new S3Client({ region: REGION, forcePathStyle: true });

const INGRESS_ROLE = (c: SandboxCluster) => `${c.stsName}-openshift-ingress-operator-cloud-credentials`;
const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
const issuerHost = (c: SandboxCluster) => `${c.stsName}-oidc.s3.${REGION}.amazonaws.com`;
const providerArn = (c: SandboxCluster) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost(c)}`;

function trustPolicy(federated: string, subjectKey: string, subjects: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: federated },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [subjectKey]: subjects } },
      },
    ],
  });
}

function errorsOf(report: VerifyReport) {
  return report.findings.filter((f) => f.severity === 'error');
}

/** Runs the executor as Nx would (for one cluster project), capturing what it prints. */
async function runExecutor(cluster: SandboxCluster, options: Parameters<typeof verifyExecutor>[0]) {
  const context = {
    root: cluster.root,
    cwd: cluster.root,
    isVerbose: false,
    projectName: cluster.project,
    targetName: 'verify',
    projectsConfigurations: { version: 2, projects: { [cluster.project]: { root: `clusters/${cluster.project}` } } },
  } as unknown as ExecutorContext;
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    out.push(args.map(String).join(' '));
  });
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const result = await verifyExecutor(options, context);
    return { success: result.success, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

const clusters: SandboxCluster[] = [];
let base: SandboxCluster;
let bounded: SandboxCluster;
let privateBucket: SandboxCluster;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/ocp-sts-boundary`;

beforeAll(async () => {
  [base, bounded, privateBucket] = await Promise.all([
    provisionCluster({ stsName: uniqueStsName('vfy-base') }),
    provisionCluster({ stsName: uniqueStsName('vfy-bound'), boundary: BOUNDARY }),
    provisionCluster({ stsName: uniqueStsName('vfy-priv'), privateBucket: true, region: 'eu-west-1' }),
  ]);
  clusters.push(base, bounded, privateBucket);
}, 60_000);

afterAll(async () => {
  for (const c of clusters) c.remove();
  await removeExtractedRequests();
});

/**
 * Breaks one thing in the emulator, runs verify, and repairs it; verify must pass again afterwards, so that every case
 * starts from (and proves the repair back to) the whole trust chain.
 */
async function whileBroken(
  cluster: SandboxCluster,
  breakIt: () => Promise<unknown>,
  repair: () => Promise<unknown>,
): Promise<VerifyReport> {
  await breakIt();
  try {
    return await verifyCluster(cluster.input());
  } finally {
    await repair();
    expect((await verifyCluster(cluster.input())).findings).toEqual([]);
  }
}

async function getRole(role: string) {
  const [found, policy] = await Promise.all([
    iam.send(new GetRoleCommand({ RoleName: role })),
    iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: role })),
  ]);
  return {
    trust: decodeURIComponent(found.Role!.AssumeRolePolicyDocument!),
    policy: decodeURIComponent(policy.PolicyDocument!),
    role: found.Role!,
  };
}

describe('verify after ccoctl', () => {
  it('passes on what ccoctl made, with 6 + 2 calls per role', async () => {
    const report = await verifyCluster(base.input());
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('verified');
    expect(report.issuer).toBe(`https://${issuerHost(base)}`);
    // 6 of the 7 extracted requests (the tech-preview one is skipped, as ccoctl skips it) have a role.
    expect(report.calls['iam:GetRole']).toBe(6);
    expect(report.calls['iam:GetRolePolicy']).toBe(6);
    expect(report.awsCalls).toBe(6 + 2 * 6);
    expect(report.checks).toBeGreaterThan(30);
  });

  it('warns of a user tag missing or changed on a role or the OIDC provider, with no AWS call of its own', async () => {
    const role = INGRESS_ROLE(base);
    const input = base.input();
    const tagged = { ...input, facts: { ...input.facts, userTags: { 'cost-center': '4711' } } };
    await iam.send(new TagRoleCommand({ RoleName: role, Tags: [{ Key: 'cost-center', Value: '1000' }] }));
    try {
      const report = await verifyCluster(tagged);
      expect(report.status).toBe('verified');
      expect(errorsOf(report)).toEqual([]);
      const drift = report.findings.filter((f) => f.expected.startsWith('user tags'));
      expect(drift).toHaveLength(7); // the 6 roles and the provider
      expect(drift.find((f) => f.resource === roleArn(role))).toEqual(
        expect.objectContaining({
          severity: 'warning',
          check: 'roles',
          expected: "user tags cost-center=4711 (cluster.yaml's tags)",
          found: 'cost-center=1000',
          fix: `re-run ccoctl: nx run ${base.project}:ccoctl --skip-nx-cache`,
        }),
      );
      expect(drift.find((f) => f.check === 'oidc-provider')?.found).toBe('no cost-center');
      expect(report.awsCalls).toBe(6 + 2 * 6);
    } finally {
      await iam.send(new UntagRoleCommand({ RoleName: role, TagKeys: ['cost-center'] }));
    }
  });

  it('passes for a private bucket served by CloudFront (documents read from the origin bucket)', async () => {
    const report = await verifyCluster(privateBucket.input());
    expect(report.findings).toEqual([]);
    expect(report.issuer).toMatch(/^https:\/\/[a-z0-9]+\.cloudfront\.net$/);
    expect(report.calls['cloudfront:ListDistributions']).toBeGreaterThanOrEqual(1);
  });

  it('passes with the permissions boundary cluster.yaml configures attached to every role', async () => {
    const report = await verifyCluster(bounded.input());
    expect(report.findings).toEqual([]);
  });

  it('fails naming every role when the configured boundary is not attached', async () => {
    const report = await verifyCluster(base.input({ facts: { ...base.facts, permissionsBoundaryArn: BOUNDARY } }));
    const errors = errorsOf(report);
    expect(errors).toHaveLength(6);
    expect(errors.every((f) => f.check === 'permissions-boundary' && f.found === 'no boundary')).toBe(true);
    expect(errors.map((f) => f.resource)).toContain(roleArn(INGRESS_ROLE(base)));
    expect(errors[0]!.fix).toContain('aws iam put-role-permissions-boundary');
  });
});

describe('verify of a private bucket as the real ccoctl makes it (a CloudFront origin access identity)', () => {
  const OAI_REGION = 'eu-west-1';
  const cloudfront = new CloudFrontClient({ region: OAI_REGION });
  const s3InRegion = new S3Client({ region: OAI_REGION, forcePathStyle: true });
  let cluster: SandboxCluster;
  let real: RealCcoctlPrivateBucket;
  beforeAll(async () => {
    cluster = await provisionCluster({ stsName: uniqueStsName('vfy-oai'), privateBucket: true, region: OAI_REGION });
    clusters.push(cluster);
    real = await asRealCcoctlPrivateBucket(cluster.stsName, OAI_REGION);
  }, 60_000);

  /** Points the distribution's origin at another origin access identity reference (and back). */
  async function readThrough(reference: string): Promise<void> {
    const current = await cloudfront.send(new GetDistributionCommand({ Id: real.distributionId }));
    const config = current.Distribution!.DistributionConfig!;
    const origin = config.Origins!.Items![0]!;
    await cloudfront.send(
      new UpdateDistributionCommand({
        Id: real.distributionId,
        IfMatch: current.ETag,
        DistributionConfig: {
          ...config,
          Origins: { Quantity: 1, Items: [{ ...origin, S3OriginConfig: { OriginAccessIdentity: reference } }] },
        },
      }),
    );
  }

  it('passes: the distribution reads the bucket through the identity the bucket policy grants', async () => {
    const report = await verifyCluster(cluster.input());
    expect(report.findings).toEqual([]);
    expect(report.issuer).toBe(`https://${real.domainName}`);
    expect(report.calls['cloudfront:GetCloudFrontOriginAccessIdentity']).toBe(1);
  });

  it("fails when the origin's identity does not exist", async () => {
    const reference = `origin-access-identity/cloudfront/${real.originAccessIdentityId}`;
    const report = await whileBroken(
      cluster,
      () => readThrough('origin-access-identity/cloudfront/ENOSUCHIDENTITY'),
      () => readThrough(reference),
    );
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'oidc-documents',
        resource: real.distributionArn,
        expected: 'an origin access identity that exists, for the origin to read the bucket with',
        found:
          'origin-access-identity/cloudfront/ENOSUCHIDENTITY: missing (NoSuchCloudFrontOriginAccessIdentity); ' +
          'CloudFront cannot read the bucket',
      }),
    ]);
  });

  it('fails when the bucket policy grants another identity than the one the origin reads through', async () => {
    const bucket = `${cluster.stsName}-oidc`;
    const saved = (await s3InRegion.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!;
    const report = await whileBroken(
      cluster,
      () =>
        s3InRegion.send(
          new PutBucketPolicyCommand({
            Bucket: bucket,
            Policy: saved.replaceAll(real.originAccessIdentityId, 'EANOTHERIDENTI'),
          }),
        ),
      () => s3InRegion.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: saved })),
    );
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'oidc-documents',
        resource: `s3://${bucket}`,
        expected:
          `a bucket policy letting CloudFront (distribution ${real.distributionId}, origin access identity ` +
          `${real.originAccessIdentityId}) read the objects`,
      }),
    ]);
  });
});

describe('verify fails, naming the resource, when', () => {
  it('a role was deleted', async () => {
    const role = INGRESS_ROLE(base);
    const saved = await getRole(role);
    const report = await whileBroken(
      base,
      async () => {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: role }));
        await iam.send(new DeleteRoleCommand({ RoleName: role }));
      },
      async () => {
        await iam.send(
          new CreateRoleCommand({
            RoleName: role,
            AssumeRolePolicyDocument: saved.trust,
            Description: saved.role.Description,
            Tags: saved.role.Tags,
          }),
        );
        await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: role, PolicyDocument: saved.policy }));
      },
    );
    expect(report.status).toBe('failed');
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'roles',
        resource: roleArn(role),
        found: expect.stringContaining('missing (NoSuchEntity'),
        fix: `re-run ccoctl: nx run ${base.project}:ccoctl --skip-nx-cache`,
      }),
    ]);
  });

  it('a trust policy lets another service account in', async () => {
    const role = INGRESS_ROLE(base);
    const saved = await getRole(role);
    const intruder = 'system:serviceaccount:openshift-ingress-operator:intruder';
    const report = await whileBroken(
      base,
      () =>
        iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: role,
            PolicyDocument: trustPolicy(providerArn(base), `${issuerHost(base)}:sub`, [intruder]),
          }),
        ),
      () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: saved.trust })),
    );
    const errors = errorsOf(report);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ check: 'trust-policy', resource: roleArn(role) });
    expect(errors[0]!.expected).toContain('system:serviceaccount:openshift-ingress-operator:ingress-operator');
    expect(errors[0]!.found).toContain(`extra ${intruder}`);
    expect(errors[0]!.found).toContain('missing system:serviceaccount:openshift-ingress-operator:ingress-operator');
    expect(errors[0]!.fix).toContain(`aws iam delete-role --role-name ${role}`);
  });

  it('a trust policy trusts another provider', async () => {
    const role = INGRESS_ROLE(base);
    const saved = await getRole(role);
    const other = `arn:aws:iam::${ACCOUNT}:oidc-provider/someone-else-oidc.s3.${REGION}.amazonaws.com`;
    const report = await whileBroken(
      base,
      () =>
        iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: role,
            PolicyDocument: trustPolicy(other, `${issuerHost(base)}:sub`, [
              'system:serviceaccount:openshift-ingress-operator:ingress-operator',
            ]),
          }),
        ),
      () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: saved.trust })),
    );
    const errors = errorsOf(report);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ check: 'trust-policy', resource: roleArn(role), found: `Federated ${other}` });
    expect(errors[0]!.expected).toContain(providerArn(base));
  });

  it('the OIDC provider lost a client id', async () => {
    // moto has no Add/RemoveClientIDToOpenIDConnectProvider: re-create the provider with fewer, keeping its tags.
    const arn = providerArn(base);
    const saved = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const recreate = (clientIds: string[]) => async () => {
      await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: `https://${saved.Url!}`,
          ClientIDList: clientIds,
          ThumbprintList: saved.ThumbprintList,
          Tags: saved.Tags,
        }),
      );
    };
    const report = await whileBroken(base, recreate(['openshift']), recreate(saved.ClientIDList!));
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'oidc-provider',
        resource: arn,
        found: 'openshift (missing sts.amazonaws.com)',
        fix: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id sts.amazonaws.com`,
      }),
    ]);
  });

  it('keys.json was replaced by another key', async () => {
    const bucket = `${base.stsName}-oidc`;
    const saved = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'keys.json' }))
    ).Body!.transformToString();
    const other = publicJwkOf(createPublicKey(newKeyPair().publicKey));
    const jwks = { keys: [{ use: 'sig', kty: 'RSA', alg: 'RS256', ...other }] };
    const put = (body: string) => () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keys.json', Body: body }));
    const report = await whileBroken(base, put(JSON.stringify(jwks)), put(saved));
    const errors = errorsOf(report);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ check: 'oidc-documents', resource: `s3://${bucket}/keys.json` });
    expect(errors[0]!.found).toContain(`only other keys: kid ${other.kid}`);
    expect(errors[0]!.expected).toContain('the public half of the signing key in tls/');
  });

  it('an inline policy was edited', async () => {
    const role = INGRESS_ROLE(base);
    const saved = await getRole(role);
    const edited = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['elasticloadbalancing:DescribeLoadBalancers', 'route53:*', 'iam:PassRole'],
          Resource: '*',
        },
      ],
    };
    const put = (document: string) => () =>
      iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: role, PolicyDocument: document }));
    const report = await whileBroken(base, put(JSON.stringify(edited)), put(saved.policy));
    const errors = errorsOf(report);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ check: 'role-policy', resource: `${roleArn(role)} (inline policy ${role})` });
    expect(errors[0]!.found).toBe(
      'changed: actions missing: route53:ChangeResourceRecordSets, route53:ListHostedZones, ' +
        'route53:ListTagsForResources, sts:AssumeRole and tag:GetResources; actions added: iam:PassRole and route53:*',
    );
    expect(errors[0]!.fix).toBe(`re-run ccoctl: nx run ${base.project}:ccoctl --skip-nx-cache`);
  });

  it('the OIDC provider was deleted', async () => {
    const arn = providerArn(base);
    const saved = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const report = await whileBroken(
      base,
      () => iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
      () =>
        iam.send(
          new CreateOpenIDConnectProviderCommand({
            Url: `https://${saved.Url!}`,
            ClientIDList: saved.ClientIDList,
            ThumbprintList: saved.ThumbprintList,
            Tags: saved.Tags,
          }),
        ),
    );
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'oidc-provider',
        resource: arn,
        found: expect.stringContaining('missing (NoSuchEntity'),
      }),
    ]);
  });

  it('the bucket no longer lets everyone read the documents', async () => {
    const bucket = `${base.stsName}-oidc`;
    const saved = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!;
    const report = await whileBroken(
      base,
      () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
      () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: saved })),
    );
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({
        check: 'oidc-documents',
        resource: `s3://${bucket}`,
        expected: 'a bucket policy allowing s3:GetObject to everyone (AWS STS fetches the documents anonymously)',
        found: 'no bucket policy',
      }),
    ]);
  });

  it("the profile's credentials belong to another account", async () => {
    // A user with an access key in account 999999999999 (moto picks the account by the x-moto-account-id header
    // here, and afterwards by the access key), and a profile holding that key: the real SDK credential chain, no mock.
    const other = new IAMClient({ region: REGION });
    other.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = '999999999999';
        return next(args);
      },
      { step: 'build', name: 'otherAccount' },
    );
    const user = uniqueStsName('verify-user');
    await other.send(new CreateUserCommand({ UserName: user }));
    const key = (await other.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
    const dir = mkdtempSync(join(tmpdir(), 'verify-aws-'));
    writeFileSync(
      join(dir, 'credentials'),
      `[other-account]\naws_access_key_id = ${key.AccessKeyId!}\naws_secret_access_key = ${key.SecretAccessKey!}\n`,
    );
    writeFileSync(join(dir, 'config'), '[profile other-account]\nregion = us-east-1\n');
    try {
      const env = {
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
      };
      const report = await withEnv(env, () =>
        verifyCluster(base.input({ facts: { ...base.facts, awsProfile: 'other-account' } })),
      );
      expect(report.findings).toEqual([
        expect.objectContaining({
          severity: 'error',
          check: 'identity',
          resource: `arn:aws:iam::999999999999:user/${user}`,
          expected: `credentials of platform.account_id ${ACCOUNT}`,
          found: expect.stringContaining('profile other-account is arn:aws:iam::999999999999:user/'),
        }),
      ]);
      // Nothing else was asked of the wrong account.
      expect(report.calls).toEqual({ 'sts:GetCallerIdentity': 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AWS errors the user can act on', () => {
  it('end verify with one line naming the profile, not with findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-aws-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    };
    try {
      const run = withEnv(env, () => verifyCluster(base.input({ facts: { ...base.facts, awsProfile: 'nobody' } })));
      // The wording is aws/errors.ts's; verify's part is that it is that one line, and not a finding.
      await expect(run).rejects.toMatchObject({
        name: 'AwsCallError',
        userFacing: true,
        message: expect.stringMatching(/^[^\n]*"nobody"[^\n]*region us-east-1, sts:GetCallerIdentity[^\n]*$/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the verify executor', () => {
  it('prints the findings grouped, one line each, and the summary; fails on errors', async () => {
    const c = base;
    const role = INGRESS_ROLE(c);
    const saved = await getRole(role);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: role }));
    let result: Awaited<ReturnType<typeof runExecutor>>;
    try {
      result = await runExecutor(c, {});
    } finally {
      await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: role, PolicyDocument: saved.policy }));
    }
    expect(result.success).toBe(false);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      `verify ${c.project}: sts name ${c.stsName}, account ${ACCOUNT}, region ${REGION}, default credential chain, ` +
        `issuer https://${issuerHost(c)}`,
    );
    expect(lines.slice(1, -1)).toEqual([
      'role inline policies:',
      `  ERROR   ${roleArn(role)} (inline policy ${role}): expected the permissions of ` +
        'openshift-cloud-credential-operator/openshift-ingress (secret openshift-ingress-operator/cloud-credentials); ' +
        `found missing (NoSuchEntity): the operator is denied everything. Fix: re-run ccoctl: nx run ${c.project}:ccoctl --skip-nx-cache`,
    ]);
    expect(lines.at(-1)).toMatch(/^verify: \d+ checks, 1 error \(18 AWS calls, \d+ ms\)$/);
    expect(result.stderr).toContain('verify failed: 1 error in the trust chain of cluster');
  });

  it('prints one line of JSON with --format=json', async () => {
    const c = base;
    const result = await runExecutor(c, { format: 'json', concurrency: 2 });
    expect(result.success).toBe(true);
    expect(result.stdout.split('\n')).toHaveLength(1);
    // The log has the report as text, whatever --format, and no secret: not the signing key ccoctl left.
    const log = readFileSync(join(c.root, 'clusters', c.project, '.work', 'logs', 'verify.log'), 'utf8');
    expect(log).toMatch(/^# \S+ verify$/m);
    expect(log).toContain(`verify ${c.project}: sts name ${c.stsName}, account ${ACCOUNT}, region ${REGION}`);
    expect(log).not.toContain('PRIVATE KEY');
    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report).toMatchObject({
      cluster: c.project,
      status: 'verified',
      stsName: c.stsName,
      accountId: ACCOUNT,
      region: REGION,
      profile: null,
      issuer: `https://${issuerHost(c)}`,
      errors: 0,
      warnings: 0,
      findings: [],
      awsCalls: 18,
    });
  });

  it('puts the findings into the JSON of a failed run', async () => {
    const c = base;
    const arn = providerArn(c);
    const saved = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    let result: Awaited<ReturnType<typeof runExecutor>>;
    try {
      result = await runExecutor(c, { format: 'json' });
    } finally {
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: `https://${saved.Url!}`,
          ClientIDList: saved.ClientIDList,
          ThumbprintList: saved.ThumbprintList,
          Tags: saved.Tags,
        }),
      );
    }
    expect(result.success).toBe(false);
    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report.status).toBe('failed');
    expect(report.findings).toEqual([
      {
        severity: 'error',
        check: 'oidc-provider',
        resource: providerArn(c),
        expected: `an IAM OIDC provider for https://${issuerHost(c)}`,
        found: expect.stringContaining('missing'),
        fix: `re-run ccoctl: nx run ${c.project}:ccoctl --skip-nx-cache`,
      },
    ]);
  });

  it('refuses an unknown format', async () => {
    const result = await runExecutor(base, { format: 'yaml' as never });
    expect(result.success).toBe(false);
    expect(result.stderr).toContain('--format must be one of text, json');
  });
});

describe('nothing in AWS to verify', () => {
  it('succeeds with "nothing to verify" when cco_mode is not manual-sts', async () => {
    const c = await provisionCluster({ stsName: uniqueStsName('vfy-mint'), ccoMode: 'mint' });
    try {
      const result = await runExecutor(c, {});
      expect(result.success).toBe(true);
      expect(result.stdout).toBe(
        'verify: nothing to verify for cluster: cco_mode is mint, not manual-sts: ccoctl made nothing',
      );
    } finally {
      c.remove();
    }
  });

  it('fails on the output of a ccoctl dry run, saying so, without calling AWS', async () => {
    const c = await provisionCluster({ stsName: uniqueStsName('vfy-dry'), dryRun: true });
    try {
      const report = await verifyCluster(c.input());
      expect(report.status).toBe('failed');
      expect(report.findings).toEqual([
        expect.objectContaining({
          check: 'outputs',
          resource: 'clusters/cluster/.work/ccoctl',
          found: expect.stringContaining('ccoctl dry run'),
        }),
      ]);
      expect(report.awsCalls).toBe(0);
    } finally {
      c.remove();
    }
  });
});
