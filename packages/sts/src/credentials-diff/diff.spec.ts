import { join } from 'node:path';
import { isAwsRequest, readCredentialsRequests, type CredentialsRequest } from '../credentials-requests.ts';
import {
  diffCredentialsRequests,
  hasChanges,
  requestChanges,
  requestsNeedingRoles,
  selectRequestsNeedingRoles,
} from './diff.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const release = (version: string) => readCredentialsRequests(join(TESTDATA, `release-${version}`)).filter(isAwsRequest);

const MACHINE_API = 'openshift-cloud-credential-operator/openshift-machine-api-aws';

/** A request with one Allow statement per list of actions, and whatever else is given. */
function request(name: string, statements: string[][], extra: Partial<CredentialsRequest> = {}): CredentialsRequest {
  const statementEntries = statements.map((action) => ({ effect: 'Allow', action, resource: '*' }));
  const secretRef = extra.secretRef ?? { namespace: 'ns', name: `${name}-creds` };
  const serviceAccountNames = extra.serviceAccountNames ?? ['sa'];
  return {
    file: `${name}.yaml`,
    name,
    namespace: 'openshift-cloud-credential-operator',
    providerKind: 'AWSProviderSpec',
    annotations: {},
    ...extra,
    secretRef,
    serviceAccountNames,
    statementEntries: extra.statementEntries ?? statementEntries,
    spec: extra.spec ?? {
      secretRef,
      serviceAccountNames,
      providerSpec: { apiVersion: 'cloudcredential.openshift.io/v1', kind: 'AWSProviderSpec', statementEntries },
    },
  };
}

describe('diffCredentialsRequests on the 4.17 and 4.18 requests', () => {
  it('finds exactly kms:ReEncrypt* added to openshift-machine-api-aws, nothing else (the Azure change is not AWS)', () => {
    const diff = diffCredentialsRequests(release('4.17'), release('4.18'));
    expect(diff).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          request: MACHINE_API,
          secretRef: { namespace: 'openshift-machine-api', name: 'aws-cloud-credentials' },
          changes: [{ kind: 'actions-added', actions: ['kms:ReEncrypt*'] }],
        },
      ],
      unchanged: 2,
    });
    expect(requestsNeedingRoles(diff)).toEqual([MACHINE_API]);
    expect(selectRequestsNeedingRoles(diff, release('4.18')).map((r) => r.name)).toEqual(['openshift-machine-api-aws']);
  });

  it('finds nothing between a release and itself, and the removal going back down', () => {
    const same = diffCredentialsRequests(release('4.17'), release('4.17'));
    expect(hasChanges(same)).toBe(false);
    expect(same.unchanged).toBe(3);
    const down = diffCredentialsRequests(release('4.18'), release('4.17'));
    expect(down.changed[0]?.changes).toEqual([{ kind: 'actions-removed', actions: ['kms:ReEncrypt*'] }]);
  });
});

describe('diffCredentialsRequests on synthetic requests', () => {
  it('knows a request by namespace/name, whatever its file or position, and sorts by it', () => {
    const a = request('a', [['s3:GetObject']]);
    const b = request('b', [['s3:PutObject']]);
    const moved = { ...a, file: 'zz-other-file.yaml' };
    const diff = diffCredentialsRequests([a, b], [b, moved]);
    expect(hasChanges(diff)).toBe(false);
    expect(diff.unchanged).toBe(2);

    const added = diffCredentialsRequests([b], [request('c', [['ec2:A']]), b, a]);
    expect(added.added.map((r) => r.request)).toEqual([
      'openshift-cloud-credential-operator/a',
      'openshift-cloud-credential-operator/c',
    ]);
    expect(added.added[1]).toEqual({
      request: 'openshift-cloud-credential-operator/c',
      secretRef: { namespace: 'ns', name: 'c-creds' },
      serviceAccountNames: ['sa'],
      actions: ['ec2:A'],
    });
    const removed = diffCredentialsRequests([a, b], [b]);
    expect(removed.removed.map((r) => r.request)).toEqual(['openshift-cloud-credential-operator/a']);
    expect(requestsNeedingRoles(added)).toEqual([
      'openshift-cloud-credential-operator/a',
      'openshift-cloud-credential-operator/c',
    ]);
    expect(requestsNeedingRoles(removed)).toEqual([]);
  });

  it('reports actions added and removed as a set difference over all statements', () => {
    const from = request('r', [['s3:A', 's3:B'], ['kms:A']]);
    // s3:B moves to the second statement: not added, not removed, but both statements' lists change.
    const to = request('r', [
      ['s3:A', 's3:C'],
      ['kms:A', 's3:B'],
    ]);
    expect(requestChanges(from, to)).toEqual([
      { kind: 'actions-added', actions: ['s3:C'] },
      { kind: 'statement-actions', index: 0, from: ['s3:A', 's3:B'], to: ['s3:A', 's3:C'] },
      { kind: 'statement-actions', index: 1, from: ['kms:A'], to: ['kms:A', 's3:B'] },
    ]);
  });

  it('reports a re-ordered action list, and a lone action string as a list of one', () => {
    expect(requestChanges(request('r', [['a:1', 'a:2']]), request('r', [['a:2', 'a:1']]))).toEqual([
      { kind: 'statement-actions', index: 0, from: ['a:1', 'a:2'], to: ['a:2', 'a:1'] },
    ]);
    const lone = request('r', [], { statementEntries: [{ effect: 'Allow', action: 'a:1', resource: '*' }] });
    expect(requestChanges(lone, request('r', [['a:1']]))).toEqual([]);
  });

  it('reports effect, resource and policyCondition changes per statement, and statements added or removed', () => {
    const condition = { Bool: { 'kms:GrantIsForAWSResource': true } };
    const from = request('r', [], {
      statementEntries: [
        { effect: 'Allow', action: ['a:1'], resource: '*' },
        { effect: 'Allow', action: ['a:2'], resource: '*', policyCondition: condition },
      ],
    });
    const to = request('r', [], {
      statementEntries: [
        { effect: 'Deny', action: ['a:1'], resource: ['arn:aws:s3:::b'] },
        { effect: 'Allow', action: ['a:2'], resource: '*' },
        { effect: 'Allow', action: ['a:3'], resource: '*' },
      ],
    });
    expect(requestChanges(from, to)).toEqual([
      { kind: 'actions-added', actions: ['a:3'] },
      { kind: 'statement-field', index: 0, field: 'effect', from: 'Allow', to: 'Deny' },
      { kind: 'statement-field', index: 0, field: 'resource', from: '*', to: ['arn:aws:s3:::b'] },
      { kind: 'statement-field', index: 1, field: 'policyCondition', from: condition, to: undefined },
      { kind: 'statement-added', index: 2, statement: { effect: 'Allow', action: ['a:3'], resource: '*' } },
    ]);
    expect(requestChanges(to, from).at(-1)).toEqual({
      kind: 'statement-removed',
      index: 2,
      statement: { effect: 'Allow', action: ['a:3'], resource: '*' },
    });
  });

  it('takes key order inside a condition as no change', () => {
    const cond = (c: object) =>
      request('r', [], { statementEntries: [{ effect: 'Allow', action: ['a:1'], resource: '*', policyCondition: c }] });
    expect(
      requestChanges(
        cond({ Bool: { x: true }, StringEquals: { y: 'z' } }),
        cond({ StringEquals: { y: 'z' }, Bool: { x: true } }),
      ),
    ).toEqual([]);
  });

  it('reports the secret, the service accounts (order-sensitive), other spec keys and annotations', () => {
    const from = request('r', [['a:1']], { annotations: { 'capability.openshift.io/name': 'CloudCredential' } });
    const secretRef = { namespace: 'other-ns', name: 'r-creds' };
    const serviceAccountNames = ['sa', 'sa-two'];
    const to = request('r', [['a:1']], {
      secretRef,
      serviceAccountNames,
      annotations: { 'release.openshift.io/feature-set': 'TechPreviewNoUpgrade' },
      spec: {
        secretRef,
        serviceAccountNames,
        cloudTokenPath: '/var/run/secrets/token',
        providerSpec: { kind: 'AWSProviderSpec', stsIAMRoleARN: 'arn:aws:iam::1:role/x' },
      },
    });
    expect(requestChanges(from, to)).toEqual([
      { kind: 'secret-ref', from: { namespace: 'ns', name: 'r-creds' }, to: secretRef },
      { kind: 'service-accounts', from: ['sa'], to: serviceAccountNames },
      { kind: 'spec', key: 'cloudTokenPath', from: undefined, to: '/var/run/secrets/token' },
      { kind: 'spec', key: 'providerSpec.apiVersion', from: 'cloudcredential.openshift.io/v1', to: undefined },
      { kind: 'spec', key: 'providerSpec.stsIAMRoleARN', from: undefined, to: 'arn:aws:iam::1:role/x' },
      { kind: 'annotation', key: 'capability.openshift.io/name', from: 'CloudCredential', to: null },
      { kind: 'annotation', key: 'release.openshift.io/feature-set', from: null, to: 'TechPreviewNoUpgrade' },
    ]);
    const reordered = request('r', [['a:1']], { serviceAccountNames: ['sa-two', 'sa'] });
    expect(requestChanges(request('r', [['a:1']], { serviceAccountNames }), reordered)).toEqual([
      { kind: 'service-accounts', from: serviceAccountNames, to: ['sa-two', 'sa'] },
    ]);
  });

  it('needs no role update for an annotation change alone', () => {
    const diff = diffCredentialsRequests(
      [request('r', [['a:1']])],
      [request('r', [['a:1']], { annotations: { x: 'y' } })],
    );
    expect(diff.changed).toHaveLength(1);
    expect(requestsNeedingRoles(diff)).toEqual([]);
  });

  it('gives the same diff whatever the order of the lists', () => {
    const from = [request('a', [['x:1']]), request('b', [['x:2']]), request('c', [['x:3']])];
    const to = [request('c', [['x:3', 'x:4']]), request('d', [['x:5']]), request('a', [['x:1']])];
    expect(diffCredentialsRequests([...from].reverse(), [...to].reverse())).toEqual(diffCredentialsRequests(from, to));
  });

  it('refuses a release with two requests of the same namespace/name, naming both files', () => {
    const a = request('a', [['x:1']]);
    expect(() => diffCredentialsRequests([a, { ...a, file: 'dup.yaml' }], [a])).toThrow(
      /two CredentialsRequests named openshift-cloud-credential-operator\/a \(a\.yaml and dup\.yaml\)/,
    );
  });
});
