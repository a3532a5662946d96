/*
 * The scan for what ccoctl made, and its deletion, against the shared AWS emulator: the ccoctl stand-in provisions
 * unique sts names, and every assertion is about those names only (other test files use the emulator at the same time).
 */
import {
  CloudFrontClient,
  CreateDistributionCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { createServer, type Server } from 'node:http';
import { asRealCcoctlPrivateBucket } from '../../../../tools/testing/ccoctl-private-bucket.ts';
import { provisionSts, unprovisionSts, uniqueName, withEnv } from '../../../../tools/testing/cluster-workspace.ts';
import { awsClients } from '@ocp-sts/aws';
import { deleteStsResources } from './delete.ts';
import { describeResource, groupByStsName, howToDelete, type StsResource } from './resources.ts';
import { findStsResources } from './scan.ts';

const REGION = 'eu-west-1';
const clients = awsClients({ region: REGION });

/** kind + name/id of each resource, sorted: what a test compares. */
function summary(resources: StsResource[]): string[] {
  return resources
    .map((r) => {
      switch (r.kind) {
        case 'iam-role':
          return `${r.kind} ${r.name} [${r.inlinePolicies.join(',')}] ${r.match}`;
        case 'oidc-provider':
          return `${r.kind} ${r.url} ${r.match}`;
        case 's3-bucket':
          return `${r.kind} ${r.name} ${r.region} [${r.objects.join(',')}] ${r.match}`;
        case 'cloudfront-distribution':
          return `${r.kind} ${r.enabled ? 'enabled' : 'disabled'} ${r.match}`;
        case 'cloudfront-origin-access-identity':
        case 'cloudfront-origin-access-control':
          return `${r.kind} ${r.match}`;
      }
    })
    .sort();
}

describe('findStsResources for one sts name', () => {
  it('finds the roles with their inline policies, the provider and the bucket with its objects', async () => {
    const name = uniqueName('scan');
    const { roles } = await provisionSts(name, REGION);
    const found = await findStsResources(clients, { stsName: name });
    expect(summary(found)).toEqual(
      [
        ...roles.map((role) => `iam-role ${role} [${role}] tag`),
        `oidc-provider ${name}-oidc.s3.${REGION}.amazonaws.com tag`,
        `s3-bucket ${name}-oidc ${REGION} [.well-known/openid-configuration,keys.json] tag`,
      ].sort(),
    );
    const role = found.find((r) => r.kind === 'iam-role')!;
    expect(describeResource(role)).toMatch(
      new RegExp(
        `^IAM role ${name}-\\S+ \\(arn:aws:iam::123456789012:role/${name}-\\S+\\), inline policy ${name}-\\S+$`,
      ),
    );
    await unprovisionSts(name, REGION);
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
  });

  it('finds the private bucket: its CloudFront distribution and origin access identity', async () => {
    const name = uniqueName('scanpriv');
    await provisionSts(name, REGION, { privateBucket: true });
    const found = await findStsResources(clients, { stsName: name });
    expect(summary(found).filter((s) => s.startsWith('cloudfront'))).toEqual([
      'cloudfront-distribution enabled tag',
      'cloudfront-origin-access-identity tag',
    ]);
    await unprovisionSts(name, REGION);
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
  });

  it("finds the real ccoctl's private bucket by its origin: the distribution (tagged only Name) and the identity it reads through", async () => {
    const name = uniqueName('scanoai');
    await provisionSts(name, REGION, { privateBucket: true });
    // Neither comment is ccoctl's: only the distribution's origin (the bucket) ties it, and it the identity, to the name.
    const real = await asRealCcoctlPrivateBucket(name, REGION, { comment: 'by hand', identityComment: 'by hand' });
    const found = await findStsResources(clients, { stsName: name });
    expect(summary(found).filter((s) => s.startsWith('cloudfront'))).toEqual([
      'cloudfront-distribution enabled name',
      'cloudfront-origin-access-identity name',
    ]);
    const identity = found.find((r) => r.kind === 'cloudfront-origin-access-identity')!;
    expect(identity).toMatchObject({ id: real.originAccessIdentityId, comment: 'by hand' });
    expect(found.find((r) => r.kind === 'cloudfront-distribution')).toMatchObject({ id: real.distributionId });

    // An identity that a distribution of someone else's also reads through is not the name's to delete.
    const cloudfront = new CloudFrontClient({ region: REGION });
    const other = 'someone-else.s3.eu-west-1.amazonaws.com';
    const shared = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: `${name}-other`,
          Comment: 'someone else',
          Enabled: false,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: other,
                DomainName: other,
                S3OriginConfig: { OriginAccessIdentity: `origin-access-identity/cloudfront/${identity.id}` },
              },
            ],
          },
          DefaultCacheBehavior: { TargetOriginId: other, ViewerProtocolPolicy: 'https-only' },
        },
      }),
    );
    const whileShared = await findStsResources(clients, { stsName: name });
    expect(summary(whileShared).filter((s) => s.startsWith('cloudfront'))).toEqual([
      'cloudfront-distribution enabled name',
    ]);
    const { ETag } = await cloudfront.send(new GetDistributionCommand({ Id: shared.Distribution!.Id }));
    await cloudfront.send(new DeleteDistributionCommand({ Id: shared.Distribution!.Id, IfMatch: ETag }));

    // Deleted in the safe order: the distribution (disabled first), then the identity it used.
    const outcome = await deleteStsResources(clients, found, { pollMs: 10 });
    expect(outcome.failed).toEqual([]);
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
  });

  it('warns, and goes on, when the endpoint has no origin access identity API', async () => {
    // An endpoint that answers 404 to everything, as a moto without the launcher answers the OAI calls.
    const server: Server = createServer((_, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const warnings: string[] = [];
      const found = await withEnv({ AWS_ENDPOINT_URL: endpoint }, () =>
        findStsResources(
          awsClients({ region: REGION }),
          { stsName: 'nothing-here' },
          { onWarning: (w) => warnings.push(w) },
        ),
      );
      expect(found).toEqual([]);
      expect(warnings).toEqual([
        `CloudFront origin access identities were not checked: the endpoint ${endpoint} does not answer ` +
          'ListCloudFrontOriginAccessIdentities (404; a moto emulator without the origin access identity launcher ' +
          'implements none)',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not take the roles of a longer sts name that starts with it, and finds untagged roles by name', async () => {
    const name = uniqueName('scanpre');
    const longer = `${name}-east`;
    await provisionSts(longer, REGION);
    const iam = new IAMClient({ region: REGION });
    const manual = `${name}-hand-made`;
    await iam.send(
      new CreateRoleCommand({ RoleName: manual, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: manual,
        PolicyName: 'p',
        PolicyDocument:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
      }),
    );

    const found = await findStsResources(clients, { stsName: name });
    expect(summary(found)).toEqual([`iam-role ${manual} [p] name`]);
    expect(describeResource(found[0]!)).toContain('(untagged; matched by its name)');
    expect(howToDelete(found[0]!, { profile: 'prod' })).toBe(
      `aws iam delete-role-policy --profile prod --role-name ${manual} --policy-name p && ` +
        `aws iam delete-role --profile prod --role-name ${manual}`,
    );

    const outcome = await deleteStsResources(clients, found);
    expect(outcome.failed).toEqual([]);
    await unprovisionSts(longer, REGION);
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
    expect(await findStsResources(clients, { stsName: longer })).toEqual([]);
  });
});

describe('findStsResources for the whole account', () => {
  it("finds the real ccoctl's private buckets: by ccoctl's comment, or by an origin `X-oidc` and the tag Name=X", async () => {
    const [commented, named] = [uniqueName('all-oai'), uniqueName('all-oainame')];
    await Promise.all([
      provisionSts(commented, REGION, { privateBucket: true }),
      provisionSts(named, REGION, { privateBucket: true }),
    ]);
    await asRealCcoctlPrivateBucket(commented, REGION);
    await asRealCcoctlPrivateBucket(named, REGION, { comment: 'by hand', identityComment: 'by hand' });
    const groups = groupByStsName(await findStsResources(clients, { all: true, regions: [REGION] }));
    const cloudFront = (name: string) => summary(groups.get(name) ?? []).filter((s) => s.startsWith('cloudfront'));
    expect(cloudFront(commented)).toEqual([
      'cloudfront-distribution enabled tag',
      'cloudfront-origin-access-identity tag',
    ]);
    expect(cloudFront(named)).toEqual([
      'cloudfront-distribution enabled name',
      'cloudfront-origin-access-identity name',
    ]);

    for (const name of [commented, named]) {
      const outcome = await deleteStsResources(clients, groups.get(name)!, { pollMs: 10 });
      expect(outcome.failed).toEqual([]);
      expect(await findStsResources(clients, { stsName: name })).toEqual([]);
    }
  });

  it('finds every sts name by its tag, and deleteStsResources removes one of them in the safe order', async () => {
    const [a, b] = [uniqueName('all-a'), uniqueName('all-b')];
    await Promise.all([provisionSts(a, REGION), provisionSts(b, REGION, { privateBucket: true })]);
    const warnings: string[] = [];
    const all = await findStsResources(
      clients,
      { all: true, regions: [REGION] },
      { onWarning: (w) => warnings.push(w) },
    );
    const groups = groupByStsName(all);
    expect(summary(groups.get(a) ?? [])).toHaveLength(4);
    const ofB = groups.get(b) ?? [];
    expect(ofB.map((r) => r.kind)).toEqual([
      'iam-role',
      'iam-role',
      'oidc-provider',
      's3-bucket',
      'cloudfront-distribution',
      'cloudfront-origin-access-identity',
    ]);
    // The emulator serves origin access identities (tools/aws-emulator/moto_server_oai.py): nothing went unchecked.
    expect(warnings).toEqual([]);

    const lines: string[] = [];
    const outcome = await deleteStsResources(clients, ofB, { report: (l) => lines.push(l), pollMs: 10 });
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith('deleted ')).map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual([
      'IAM role',
      'IAM role',
      'IAM OIDC',
      'S3 bucket',
      'CloudFront distribution',
      'CloudFront origin',
    ]);
    expect(lines).toContain(`  deleted object keys.json of S3 bucket ${b}-oidc`);
    expect(await findStsResources(clients, { stsName: b })).toEqual([]);
    expect(await findStsResources(clients, { stsName: a })).toHaveLength(4);
    await unprovisionSts(a, REGION);
  });
});
