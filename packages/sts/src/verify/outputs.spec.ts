/*
 * The local half of verify: ccoctl's output and the extracted requests, without AWS. The output is written here the
 * way the ccoctl stand-in writes it (verify.spec.ts runs the stand-in itself).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readCredentialsRequests, roleNameFor, secretManifestName } from '../credentials-requests.ts';
import { Findings } from './findings.ts';
import {
  extractedRequests,
  newKeyPair,
  removeExtractedRequests,
  sharedKeyPair,
} from '../../../../tools/testing/provisioned-cluster.ts';
import { roleArnOfSecret } from '../ccoctl-output/read.ts';
import {
  parseRoleArn,
  readLocalOutputs,
  requestsCcoctlProcesses,
  type ClusterFacts,
  type OutputPaths,
} from './outputs.ts';

const STS = 'prod-x1';
const facts: ClusterFacts = {
  project: 'prod',
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  stsName: STS,
  techPreview: false,
};

function secret(namespace: string, name: string, roleArn: string): string {
  return `apiVersion: v1
stringData:
  credentials: |-
    [default]
    sts_regional_endpoints = regional
    role_arn = ${roleArn}
    web_identity_token_file = /var/run/secrets/openshift/serviceaccount/token
kind: Secret
metadata:
  name: ${name}
  namespace: ${namespace}
type: Opaque`;
}

let root: string;
let paths: OutputPaths;
const cco = (...parts: string[]) => join(root, 'ccoctl', ...parts);

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'verify-outputs-'));
  paths = {
    ccoctlDir: cco(),
    credentialsRequestsDir: join(root, 'credrequests'),
    show: (path) => relative(root, path),
  };
  cpSync(await extractedRequests(), paths.credentialsRequestsDir, { recursive: true });
  mkdirSync(cco('manifests'), { recursive: true });
  mkdirSync(cco('tls'));
  const keys = sharedKeyPair();
  writeFileSync(cco('tls', 'bound-service-account-signing-key.key'), keys.privateKey);
  writeFileSync(cco('serviceaccount-signer.public'), keys.publicKey);
  writeFileSync(
    cco('manifests', 'cluster-authentication-02-config.yaml'),
    `apiVersion: config.openshift.io/v1\nkind: Authentication\nmetadata:\n  name: cluster\nspec:\n  serviceAccountIssuer: https://${STS}-oidc.s3.us-east-1.amazonaws.com`,
  );
  const { aws } = requestsCcoctlProcesses(readCredentialsRequests(paths.credentialsRequestsDir), false);
  for (const r of aws) {
    const arn = `arn:aws:iam::123456789012:role/${roleNameFor(STS, r)}`;
    writeFileSync(cco('manifests', secretManifestName(r)), secret(r.secretRef.namespace, r.secretRef.name, arn));
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

afterAll(() => removeExtractedRequests());

function read(overrides: Partial<ClusterFacts> = {}) {
  const findings = new Findings();
  const outputs = readLocalOutputs(paths, { ...facts, ...overrides }, findings);
  return { outputs, findings: findings.sorted() };
}

describe('readLocalOutputs', () => {
  it("reads the issuer, the signing key and every request's role from a whole output", () => {
    const { outputs, findings } = read();
    expect(findings).toEqual([]);
    expect(outputs.issuer?.url).toBe(`https://${STS}-oidc.s3.us-east-1.amazonaws.com`);
    expect(outputs.signingKey?.e).toBe('AQAB');
    // 7 AWS requests extracted, the tech-preview one passed over as ccoctl does without --enable-tech-preview.
    expect(outputs.requests.map((r) => r.request.name)).toEqual([
      'openshift-machine-api-aws',
      'cloud-credential-operator-iam-ro',
      'openshift-image-registry',
      'openshift-ingress',
      'openshift-cloud-network-config-controller-aws',
      'aws-ebs-csi-driver-operator',
    ]);
    const iamRo = outputs.requests[1]!;
    expect(iamRo.roleName).toBe('prod-x1-openshift-cloud-credential-operator-cloud-credential-ope');
    expect(iamRo.roleArn).toBe(`arn:aws:iam::123456789012:role/${iamRo.roleName}`);
  });

  it('wants a Secret for the tech-preview request when the cluster is TechPreviewNoUpgrade', () => {
    const { findings } = read({ techPreview: true });
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        resource: 'ccoctl/manifests/openshift-cluster-api-capa-manager-bootstrap-credentials-credentials.yaml',
        found: 'no such file',
        fix: 're-run ccoctl: nx run prod:ccoctl --skip-nx-cache',
      }),
    ]);
  });

  it('names a missing Secret, and a Secret whose role is in another account or partition', () => {
    unlinkSync(cco('manifests', 'openshift-ingress-operator-cloud-credentials-credentials.yaml'));
    writeFileSync(
      cco('manifests', 'openshift-image-registry-installer-cloud-credentials-credentials.yaml'),
      secret('openshift-image-registry', 'installer-cloud-credentials', `arn:aws-us-gov:iam::999999999999:role/x`),
    );
    const { outputs, findings } = read();
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'outputs',
        resource: 'ccoctl/manifests/openshift-ingress-operator-cloud-credentials-credentials.yaml',
        expected:
          'the Secret openshift-ingress-operator/cloud-credentials for openshift-cloud-credential-operator/openshift-ingress',
      }),
      expect.objectContaining({
        check: 'roles',
        resource: 'ccoctl/manifests/openshift-image-registry-installer-cloud-credentials-credentials.yaml',
        expected: `role_arn = arn:aws:iam::123456789012:role/${STS}-openshift-image-registry-installer-cloud-credentials`,
        found:
          'role_arn = arn:aws-us-gov:iam::999999999999:role/x (partition aws-us-gov, not aws; account 999999999999, ' +
          `not platform.account_id 123456789012; role x, not ${STS}-openshift-image-registry-installer-cloud-credentials)`,
      }),
    ]);
    // Neither goes on to the AWS checks.
    expect(outputs.requests.filter((r) => r.roleArn)).toHaveLength(4);
  });

  it('names requests that would share a role name cut to 64 characters', () => {
    const long = 'a'.repeat(58);
    const { findings } = read({ stsName: long });
    const collisions = findings.filter((f) => f.found.startsWith('role "'));
    expect(collisions.length).toBeGreaterThan(0);
    expect(collisions[0]).toMatchObject({
      severity: 'error',
      expected: 'one role per request (ccoctl cuts role names to 64 characters without a hash)',
      fix: 'use a shorter credentials.sts_name in cluster.yaml, then re-run ccoctl',
    });
  });

  it('wants the signing key in tls/, matching the published public key', () => {
    writeFileSync(cco('serviceaccount-signer.public'), newKeyPair().publicKey);
    expect(read().findings).toEqual([
      expect.objectContaining({
        resource: 'ccoctl/tls/bound-service-account-signing-key.key',
        expected: 'the private half of ccoctl/serviceaccount-signer.public (the key ccoctl published)',
      }),
    ]);
    unlinkSync(cco('tls', 'bound-service-account-signing-key.key'));
    expect(read().findings).toEqual([
      expect.objectContaining({
        resource: 'ccoctl/tls/bound-service-account-signing-key.key',
        found: expect.stringContaining('the installer would make its own key'),
      }),
    ]);
  });

  it('names a missing issuer, a Secret for no request, and a non-AWS request', () => {
    unlinkSync(cco('manifests', 'cluster-authentication-02-config.yaml'));
    writeFileSync(
      cco('manifests', 'old-operator-old-credentials-credentials.yaml'),
      secret('old', 'old', 'arn:aws:iam::123456789012:role/x'),
    );
    writeFileSync(
      join(paths.credentialsRequestsDir, '0000_99_gcp.yaml'),
      'apiVersion: cloudcredential.openshift.io/v1\nkind: CredentialsRequest\nmetadata: {name: gcp, namespace: x}\n' +
        'spec: {secretRef: {name: g, namespace: x}, serviceAccountNames: [a], providerSpec: {kind: GCPProviderSpec}}\n',
    );
    const { outputs, findings } = read();
    expect(outputs.issuer).toBeUndefined();
    expect(findings.map((f) => [f.severity, f.resource])).toEqual([
      ['error', 'ccoctl/manifests/cluster-authentication-02-config.yaml'],
      ['warning', 'ccoctl/manifests/old-operator-old-credentials-credentials.yaml'],
      ['warning', 'credrequests/0000_99_gcp.yaml'],
    ]);
  });

  it('names an issuer made for another sts_name or region', () => {
    expect(read({ region: 'us-west-2' }).findings).toEqual([
      expect.objectContaining({
        resource: 'ccoctl/manifests/cluster-authentication-02-config.yaml',
        expected: `spec.serviceAccountIssuer https://${STS}-oidc.s3.us-west-2.amazonaws.com (credentials.sts_name, platform.region)`,
        found: `https://${STS}-oidc.s3.us-east-1.amazonaws.com: made for another sts_name or region`,
      }),
    ]);
  });

  it('refuses to go on without a ccoctl output', () => {
    rmSync(cco(), { recursive: true });
    expect(() => read()).toThrow('ccoctl is missing: run `nx run prod:ccoctl` first');
  });
});

describe('Secret manifests', () => {
  it('give their role_arn from stringData or base64 data', () => {
    expect(roleArnOfSecret(secret('a', 'b', 'arn:aws:iam::123456789012:role/r'))).toBe(
      'arn:aws:iam::123456789012:role/r',
    );
    const data = Buffer.from('[default]\nrole_arn = arn:aws:iam::123456789012:role/d\n').toString('base64');
    expect(roleArnOfSecret(`kind: Secret\ndata:\n  credentials: ${data}\n`)).toBe('arn:aws:iam::123456789012:role/d');
    expect(roleArnOfSecret('kind: Secret\nstringData:\n  credentials: "[default]"\n')).toBeUndefined();
  });

  it('role ARNs are split into partition, account and name (a path is allowed)', () => {
    expect(parseRoleArn('arn:aws-cn:iam::123456789012:role/ocp/prod-x1-a-b')).toEqual({
      partition: 'aws-cn',
      account: '123456789012',
      name: 'prod-x1-a-b',
    });
    expect(parseRoleArn('arn:aws:iam::123456789012:user/x')).toBeUndefined();
  });
});
