/*
 * The ccoctl stand-in's `aws delete` and its private-bucket path, against the AWS emulator (shared by test files:
 * every test uses its own --name and checks what is left by that name's tag).
 *
 * Private bucket: ccoctl serves the bucket through a CloudFront origin access identity, which moto lacks and the
 * emulator's launcher adds (tools/aws-emulator/README.md).
 */
import {
  GetDistributionCommand,
  ListDistributionsCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudfront';
import {
  GetOpenIDConnectProviderCommand,
  GetRolePolicyCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketPolicyCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  IMAGE_REGISTRY,
  INGRESS,
  logLines,
  LOG_LINE,
  outputDirWithKeys,
  requestsDir,
  requestYaml,
  rolesTaggedFor,
  runCcoctl,
  sdkClients,
  testKeyPair,
  uniqueName,
  type KeyPair,
  type RequestSpec,
} from './ccoctl/test-support.ts';

const REGION = 'eu-west-1';
const clients = sdkClients(REGION);
const tmp: string[] = [];
let keys: KeyPair;

beforeAll(() => {
  keys = testKeyPair();
});
afterAll(() => {
  for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
});

function roleName(name: string, request: RequestSpec): string {
  return `${name}-${request.secretNamespace}-${request.secretName}`.slice(0, 64);
}

async function createAll(name: string, extra: string[] = []): Promise<string> {
  const out = outputDirWithKeys(keys);
  const requests = requestsDir({
    '00-ingress.yaml': requestYaml(INGRESS),
    '01-registry.yaml': requestYaml(IMAGE_REGISTRY),
  });
  tmp.push(out, requests);
  const result = await runCcoctl([
    'aws',
    'create-all',
    '--name',
    name,
    '--region',
    REGION,
    '--credentials-requests-dir',
    requests,
    '--output-dir',
    out,
    ...extra,
  ]);
  expect(result.stderr).not.toMatch(/Failed/);
  expect(result.code).toBe(0);
  return out;
}

function deleteAll(name: string, env: NodeJS.ProcessEnv = {}) {
  return runCcoctl(['aws', 'delete', '--name', name, '--region', REGION], env);
}

async function bucketExists(bucket: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

async function providersTaggedFor(name: string): Promise<string[]> {
  const arns: string[] = [];
  const list = await clients.iam.send(new ListOpenIDConnectProvidersCommand({}));
  for (const provider of list.OpenIDConnectProviderList ?? []) {
    const tags = await clients.iam.send(
      new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: provider.Arn }),
    );
    if (tags.Tags?.some((tag) => tag.Key === `openshift.io/cloud-credential-operator/${name}`))
      arns.push(provider.Arn!);
  }
  return arns;
}

async function distributionsTaggedFor(name: string): Promise<{ id: string; arn: string; domain: string }[]> {
  const found: { id: string; arn: string; domain: string }[] = [];
  const list = await clients.cloudfront.send(new ListDistributionsCommand({}));
  for (const item of list.DistributionList?.Items ?? []) {
    const tags = await clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: item.ARN }));
    if (tags.Tags?.Items?.some((tag) => tag.Key === `openshift.io/cloud-credential-operator/${name}`)) {
      found.push({ id: item.Id!, arn: item.ARN!, domain: item.DomainName! });
    }
  }
  return found;
}

async function originAccessIdentitiesFor(name: string): Promise<string[]> {
  const list = await clients.cloudfront.send(new ListCloudFrontOriginAccessIdentitiesCommand({}));
  return (list.CloudFrontOriginAccessIdentityList?.Items ?? [])
    .filter((item) => item.Comment === `openshift.io/cloud-credential-operator/${name}`)
    .map((item) => item.Id!);
}

/** Everything still tagged for `name`, by kind. */
async function leftovers(name: string) {
  return {
    bucket: await bucketExists(`${name}-oidc`),
    roles: await rolesTaggedFor(clients.iam, name),
    providers: await providersTaggedFor(name),
    distributions: (await distributionsTaggedFor(name)).map((d) => d.id),
    originAccessIdentities: await originAccessIdentitiesFor(name),
  };
}

const NOTHING = { bucket: false, roles: [], providers: [], distributions: [], originAccessIdentities: [] };

describe('ccoctl aws delete', () => {
  it('deletes the bucket objects, bucket, roles (policies first) and provider, and exits 0', async () => {
    const name = uniqueName('cc-del');
    await createAll(name);
    const before = await leftovers(name);
    expect(before.bucket).toBe(true);
    expect(before.roles).toHaveLength(2);
    expect(before.providers).toHaveLength(1);

    const result = await deleteAll(name);
    expect(result.code).toBe(0);
    for (const line of logLines(result.stderr)) expect(line).toMatch(LOG_LINE);
    const lines = logLines(result.stderr).map((line) => line.slice('YYYY/MM/DD HH:MM:SS '.length));
    const role = roleName(name, INGRESS);
    expect(lines).toEqual(
      expect.arrayContaining([
        `Identity Provider object .well-known/openid-configuration deleted from the bucket ${name}-oidc`,
        `Identity Provider object keys.json deleted from the bucket ${name}-oidc`,
        `Identity Provider bucket ${name}-oidc deleted`,
        `Policy ${role} associated with IAM Role ${role} deleted`,
        `IAM Role ${role} deleted`,
        `Identity Provider with ARN ${before.providers[0]!} deleted`,
      ]),
    );
    expect(lines.indexOf(`Policy ${role} associated with IAM Role ${role} deleted`)).toBeLessThan(
      lines.indexOf(`IAM Role ${role} deleted`),
    );
    expect(await leftovers(name)).toEqual(NOTHING);
  }, 60_000);

  it('only logs what it cannot do: deleting a name that owns nothing exits 0', async () => {
    const result = await deleteAll(uniqueName('cc-none'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/failed to fetch list of Identity Provider objects in the bucket cc-none-\w+-oidc/);
  });

  it(`leaves a role behind when asked (STANDIN_CCOCTL_DELETE_SKIP_ROLE), still exiting 0`, async () => {
    const name = uniqueName('cc-skip');
    await createAll(name);
    const kept = roleName(name, IMAGE_REGISTRY);
    const result = await deleteAll(name, { STANDIN_CCOCTL_DELETE_SKIP_ROLE: kept });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`failed to delete IAM Role ${kept}: left behind on purpose`);
    expect(await leftovers(name)).toEqual({ ...NOTHING, roles: [kept] });
    const policy = await clients.iam.send(new GetRolePolicyCommand({ RoleName: kept, PolicyName: kept }));
    expect(policy.PolicyName).toBe(kept);

    // Without the hook, a second delete finishes the job.
    expect((await deleteAll(name)).code).toBe(0);
    expect(await leftovers(name)).toEqual(NOTHING);
  }, 60_000);

  it('fault injection: STANDIN_FAIL=ccoctl:delete fails before deleting anything', async () => {
    const name = uniqueName('cc-delf');
    await createAll(name);
    const result = await deleteAll(name, { STANDIN_FAIL: 'ccoctl:delete:4' });
    expect(result.code).toBe(4);
    expect((await leftovers(name)).roles).toHaveLength(2);
    expect((await deleteAll(name)).code).toBe(0);
  }, 60_000);
});

describe('ccoctl aws create-all --create-private-s3-bucket (a CloudFront origin access identity)', () => {
  const name = uniqueName('cc-priv');
  const bucket = `${name}-oidc`;
  let out: string;
  let distribution: { id: string; arn: string; domain: string };

  beforeAll(async () => {
    out = await createAll(name, ['--create-private-s3-bucket']);
    [distribution] = (await distributionsTaggedFor(name)) as [typeof distribution];
  }, 60_000);

  it('serves the issuer from the tagged CloudFront distribution', async () => {
    expect(distribution.domain).toMatch(/^[a-z0-9]+\.cloudfront\.net$/);
    const issuer = `https://${distribution.domain}`;
    expect(readFileSync(join(out, 'manifests', 'cluster-authentication-02-config.yaml'), 'utf8')).toContain(
      `serviceAccountIssuer: ${issuer}`,
    );
    const got = await clients.cloudfront.send(new GetDistributionCommand({ Id: distribution.id }));
    expect(got.Distribution?.Status).toBe('Deployed');
    const config = got.Distribution!.DistributionConfig!;
    expect(config.Enabled).toBe(true);
    const [origin] = config.Origins?.Items ?? [];
    expect(origin?.DomainName).toBe(`${bucket}.s3.${REGION}.amazonaws.com`);
    expect(origin?.Id).toBe(`https://${bucket}.s3.${REGION}.amazonaws.com`);
    const [identity] = await originAccessIdentitiesFor(name);
    expect(origin?.S3OriginConfig?.OriginAccessIdentity).toBe(`origin-access-identity/cloudfront/${identity!}`);
    expect(config.Comment).toBe(`openshift.io/cloud-credential-operator/${name}`);
    const tags = await clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: distribution.arn }));
    expect(tags.Tags?.Items).toEqual(
      expect.arrayContaining([
        { Key: `openshift.io/cloud-credential-operator/${name}`, Value: 'owned' },
        { Key: 'Name', Value: name },
      ]),
    );
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('https-only');

    const discovery = await clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: '.well-known/openid-configuration' }),
    );
    expect(JSON.parse(await discovery.Body!.transformToString())).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/keys.json`,
    });
    const [provider] = await providersTaggedFor(name);
    const got2 = await clients.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider }));
    expect(got2.Url).toBe(distribution.domain);
  });

  it('blocks all public access to the bucket and lets only the origin access identity read it', async () => {
    const block = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse((await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    const identities = await originAccessIdentitiesFor(name);
    expect(identities).toHaveLength(1);
    expect(policy.Statement).toEqual([
      {
        Sid: '1',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${identities[0]!}` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ]);
  });

  it('a re-run finds the distribution by its origin and makes nothing new', async () => {
    const again = await createAll(name, ['--create-private-s3-bucket']);
    expect(readFileSync(join(again, 'manifests', 'cluster-authentication-02-config.yaml'), 'utf8')).toContain(
      `serviceAccountIssuer: https://${distribution.domain}`,
    );
    expect((await distributionsTaggedFor(name)).map((d) => d.id)).toEqual([distribution.id]);
    expect(await originAccessIdentitiesFor(name)).toHaveLength(1);
  }, 60_000);

  it('delete disables and deletes the distribution, deletes the origin access identity and everything else', async () => {
    const result = await deleteAll(name);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`CloudFront distribution with ID ${distribution.id} is successfully disabled`);
    expect(result.stderr).toContain(`CloudFront distribution with ID ${distribution.id} deleted`);
    expect(await leftovers(name)).toEqual(NOTHING);
  }, 60_000);
});
