/*
 * The scan for what ccoctl made, and its deletion, against the shared AWS emulator: the ccoctl stand-in provisions
 * unique sts names, and every assertion is about those names only (other test files use the emulator at the same time).
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { provisionSts, unprovisionSts, uniqueName } from '../../../../tools/testing/cluster-workspace.ts';
import { awsClients } from '../aws/clients.ts';
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

  it('finds the private bucket: its CloudFront distribution and origin access control', async () => {
    const name = uniqueName('scanpriv');
    await provisionSts(name, REGION, { privateBucket: true });
    const found = await findStsResources(clients, { stsName: name });
    expect(summary(found).filter((s) => s.startsWith('cloudfront'))).toEqual([
      'cloudfront-distribution enabled tag',
      'cloudfront-origin-access-control tag',
    ]);
    await unprovisionSts(name, REGION);
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
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
      'cloudfront-origin-access-control',
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
