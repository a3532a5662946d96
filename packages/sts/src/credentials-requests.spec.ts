import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readCredentialsRequests,
  requestsTable,
  roleNameCollisions,
  roleNameFor,
  secretManifestName,
  type CredentialsRequest,
} from './credentials-requests.ts';

function request(namespace: string, name: string, secretNamespace: string, secretName: string): CredentialsRequest {
  return {
    file: 'x.yaml',
    name,
    namespace,
    secretRef: { namespace: secretNamespace, name: secretName },
    serviceAccountNames: ['sa'],
    providerKind: 'AWSProviderSpec',
    annotations: {},
    statementEntries: [],
    spec: {},
  };
}

describe('role and secret names', () => {
  it('names the role <sts>-<secret namespace>-<secret name>, cut to 64 characters like ccoctl', () => {
    const r = request(
      'openshift-cloud-credential-operator',
      'openshift-image-registry',
      'openshift-image-registry',
      'installer-cloud-credentials',
    );
    expect(roleNameFor('prod-k3x9q', r)).toBe('prod-k3x9q-openshift-image-registry-installer-cloud-credentials');
    const long = roleNameFor('example-k3x9q', r);
    expect(long).toHaveLength(64);
    expect(long).toBe('example-k3x9q-openshift-image-registry-installer-cloud-credentia');
    expect(secretManifestName(r)).toBe('openshift-image-registry-installer-cloud-credentials-credentials.yaml');
  });

  it('finds requests whose roles would collide after the cut', () => {
    const a = request('ns', 'a', 'openshift-cluster-csi-drivers', 'ebs-creds-one');
    const b = request('ns', 'b', 'openshift-cluster-csi-drivers', 'ebs-creds-two');
    expect(roleNameCollisions('short', [a, b])).toEqual([]);
    const collisions = roleNameCollisions('a-much-longer-sts-name-for-this-cluster', [a, b]);
    expect(collisions).toHaveLength(1);
    expect(collisions[0]).toMatch(/would serve ns\/a \(secret .*ebs-creds-one\) and ns\/b \(secret .*ebs-creds-two\)/);
  });
});

describe('readCredentialsRequests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'credreqs-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every request of the yaml files in name order, skipping other kinds, folders and files', () => {
    writeFileSync(
      join(dir, 'b.yaml'),
      [
        'apiVersion: cloudcredential.openshift.io/v1\nkind: CredentialsRequest\nmetadata: {name: r2, namespace: n}\n' +
          'spec:\n  secretRef: {namespace: s, name: t}\n  serviceAccountNames: [x, y]\n' +
          '  providerSpec: {kind: AWSProviderSpec, statementEntries: [{effect: Allow, action: ["s3:*"], resource: "*"}]}\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n',
      ].join('---\n'),
    );
    writeFileSync(
      join(dir, 'a.yml'),
      'kind: CredentialsRequest\nmetadata: {name: r1, namespace: n, annotations: {a: "true"}}\n' +
        'spec: {secretRef: {namespace: s, name: u}, providerSpec: {kind: AzureProviderSpec}}\n',
    );
    writeFileSync(join(dir, 'notes.txt'), 'kind: CredentialsRequest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.yaml'), 'kind: CredentialsRequest\n');
    const requests = readCredentialsRequests(dir);
    expect(requests.map((r) => [r.file, r.name, r.providerKind])).toEqual([
      ['a.yml', 'r1', 'AzureProviderSpec'],
      ['b.yaml', 'r2', 'AWSProviderSpec'],
    ]);
    expect(requests[0]!.annotations).toEqual({ a: 'true' });
    expect(requests[1]!.serviceAccountNames).toEqual(['x', 'y']);
    expect(requests[1]!.statementEntries).toHaveLength(1);
    expect(requestsTable(requests)).toMatch(
      /^REQUEST\s+SECRET \(namespace\/name\)\s+SERVICE ACCOUNTS\nr1\s+s\/u\s+\nr2\s+s\/t\s+x, y$/,
    );
  });

  it('names the file of a broken document', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'kind: CredentialsRequest\n  : :\n');
    expect(() => readCredentialsRequests(dir)).toThrow(/bad\.yaml \(document 1\)/);
  });
});
