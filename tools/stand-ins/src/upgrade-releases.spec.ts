/*
 * The sandbox releases of an upgrade as the real tools see them: `oc adm release extract --credentials-requests
 * --included` of 4.16.3, 4.17.9, 4.18.6 and 4.18.40, and `ccoctl aws create-iam-roles` with the requests of the new
 * release against the roles `create-all` made for the old one (against the AWS emulator of the jest global setup).
 */
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListOpenIDConnectProvidersCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePolicy, runCcoctl, sdkClients, uniqueName } from './ccoctl/test-support.ts';
import { releaseByVersion } from './releases.ts';
import { installConfigYaml, run, tempDir } from './spec-helpers.ts';

const scratch = tempDir('upgrade-releases-');
afterAll(() => {
  scratch.remove();
});

const installConfig = join(scratch.path, 'install-config.yaml');
const MAO = '0000_30_machine-api-operator_00_credentials-request.yaml';

/** The AWS requests of a release as this cluster includes them, extracted by the oc stand-in. */
function extract(version: string): string {
  const dir = join(scratch.path, `requests-${version}`);
  const result = run('oc', [
    'adm',
    'release',
    'extract',
    '--credentials-requests',
    '--included',
    `--install-config=${installConfig}`,
    `--to=${dir}`,
    releaseByVersion(version)!.digestPullSpec,
  ]);
  if (result.status !== 0) throw new Error(result.stderr);
  return dir;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

beforeAll(() => {
  writeFileSync(installConfig, installConfigYaml());
});

describe('oc adm release extract of the sandbox releases', () => {
  it('4.16.3, 4.17.9 and 4.18.6 give the same AWS requests; 4.18.40 adds kms:ReEncrypt* to the machine-api request', () => {
    const base = files(extract('4.16.3'));
    expect(Object.keys(base)).toHaveLength(6);
    expect(files(extract('4.17.9'))).toEqual(base);
    expect(files(extract('4.18.6'))).toEqual(base);
    const latest = files(extract('4.18.40'));
    expect(Object.keys(latest)).toEqual(Object.keys(base));
    for (const name of Object.keys(base)) if (name !== MAO) expect(latest[name]).toBe(base[name]);
    // The only change: one action in front of the 2nd statement (the first kms:Decrypt of the file).
    expect(latest[MAO]).toBe(base[MAO]!.replace(/^( *)- kms:Decrypt$/m, '$1- kms:ReEncrypt*\n$1- kms:Decrypt'));
    expect(latest[MAO]).not.toBe(base[MAO]);
  });
});

describe('ccoctl aws create-iam-roles for an upgrade', () => {
  it('updates the inline policy of the existing roles, keeps their trust policy, and writes one Secret per request', async () => {
    const region = 'us-west-2';
    const { iam } = sdkClients(region);
    const name = uniqueName('upg');
    const before = extract('4.16.3');
    const after = extract('4.18.40');
    const out = join(scratch.path, `ccoctl-${name}`);
    const created = await runCcoctl([
      'aws',
      'create-all',
      `--name=${name}`,
      `--region=${region}`,
      `--credentials-requests-dir=${before}`,
      `--output-dir=${out}`,
    ]);
    expect(created.code).toBe(0);
    const issuerHost = `${name}-oidc.s3.${region}.amazonaws.com`;
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const provider = providers
      .OpenIDConnectProviderList!.map((p) => p.Arn!)
      .find((arn) => arn.endsWith(`/${issuerHost}`))!;
    expect(provider).toBeDefined();
    const role = `${name}-openshift-machine-api-aws-cloud-credentials`;
    const trust = decodePolicy(
      (await iam.send(new GetRoleCommand({ RoleName: role }))).Role!.AssumeRolePolicyDocument,
    ) as {
      Statement: { Condition: { StringEquals: Record<string, unknown> } }[];
    };
    // A trust policy the admin changed: create-iam-roles must leave it as it is, as ccoctl does.
    trust.Statement[0]!.Condition.StringEquals[`${issuerHost}:sub`] = [
      'system:serviceaccount:openshift-machine-api:machine-api-controllers',
      'system:serviceaccount:openshift-machine-api:extra',
    ];
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: JSON.stringify(trust) }));

    const next = join(scratch.path, `ccoctl-next-${name}`);
    const updated = await runCcoctl([
      'aws',
      'create-iam-roles',
      `--name=${name}`,
      `--region=${region}`,
      `--credentials-requests-dir=${after}`,
      `--identity-provider-arn=${provider}`,
      `--output-dir=${next}`,
    ]);
    expect(updated.code).toBe(0);
    expect(updated.stderr).toContain(`Existing role arn:aws:iam::123456789012:role/${role} found`);
    expect(updated.stderr).toContain(`Updated Role policy for Role ${role}`);
    expect(updated.stderr).not.toContain(' created');
    const policy = decodePolicy(
      (await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: role }))).PolicyDocument,
    ) as { Statement: { Action: string[] }[] };
    expect(policy.Statement[1]!.Action).toEqual([
      'kms:ReEncrypt*',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlainText',
      'kms:DescribeKey',
    ]);
    const kept = decodePolicy((await iam.send(new GetRoleCommand({ RoleName: role }))).Role!.AssumeRolePolicyDocument);
    expect(kept).toEqual(trust);
    const secrets = readdirSync(join(next, 'manifests')).sort();
    expect(secrets).toHaveLength(6);
    expect(secrets).toContain('openshift-machine-api-aws-cloud-credentials-credentials.yaml');
    expect(
      readFileSync(join(next, 'manifests', 'openshift-machine-api-aws-cloud-credentials-credentials.yaml'), 'utf8'),
    ).toContain(`role_arn = arn:aws:iam::123456789012:role/${role}`);
  }, 60_000);
});
