import { join } from 'node:path';
import { isAwsRequest, readCredentialsRequests } from '../credentials-requests.ts';
import { diffCredentialsRequests, type CredentialsDiff } from './diff.ts';
import { DIFF_JSON_SCHEMA, formatJson, formatTable, type ComparedRelease, type DiffOutcome } from './format.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const release = (version: string) => readCredentialsRequests(join(TESTDATA, `release-${version}`)).filter(isAwsRequest);

const from: ComparedRelease = {
  version: '4.17.9',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:aaa',
  source: 'installed',
};
const to: ComparedRelease = {
  version: '4.18.40',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:bbb',
  source: 'this commit',
};

function outcome(diff: CredentialsDiff): DiffOutcome {
  return { status: 'changed', cluster: 'prod', from, to, diff };
}

describe('the table', () => {
  it('heads the 4.17 → 4.18 diff with the releases and gives the action its own row', () => {
    const text = formatTable(outcome(diffCredentialsRequests(release('4.17'), release('4.18'))));
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'credentials-diff prod: 4.17.9 → 4.18.40 (installed → this commit), AWS CredentialsRequests as this cluster includes them',
    );
    expect(lines[2]).toMatch(/^REQUEST +CHANGE +DETAIL$/);
    expect(lines[3]).toMatch(
      /^openshift-cloud-credential-operator\/openshift-machine-api-aws +action added +kms:ReEncrypt\*$/,
    );
    expect(lines.at(-1)).toBe(
      '1 changed, 0 added, 0 removed, 2 unchanged. IAM roles to create or update before the update: 1 (openshift-cloud-credential-operator/openshift-machine-api-aws).',
    );
    // The columns line up: CHANGE starts at the same place in every row.
    expect(lines[3]!.indexOf('action added')).toBe(lines[2]!.indexOf('CHANGE'));
  });

  it('has one row per changed thing: requests added and removed, secret, service accounts, conditions', () => {
    const diff: CredentialsDiff = {
      added: [
        { request: 'ns/new', secretRef: { namespace: 's', name: 'n' }, serviceAccountNames: ['a'], actions: ['x:1'] },
      ],
      removed: [{ request: 'ns/old', secretRef: { namespace: 's', name: 'o' }, serviceAccountNames: [], actions: [] }],
      changed: [
        {
          request: 'ns/r',
          secretRef: { namespace: 's', name: 'r2' },
          changes: [
            { kind: 'secret-ref', from: { namespace: 's', name: 'r' }, to: { namespace: 's', name: 'r2' } },
            { kind: 'service-accounts', from: ['a', 'b'], to: ['b', 'a'] },
            { kind: 'actions-removed', actions: ['x:1', 'x:2'] },
            { kind: 'statement-field', index: 2, field: 'policyCondition', from: { Bool: { k: true } }, to: undefined },
            { kind: 'spec', key: 'cloudTokenPath', from: undefined, to: '/t' },
          ],
        },
      ],
      unchanged: 4,
    };
    const rows = formatTable(outcome(diff))
      .split('\n')
      .slice(3, -2)
      .map((line) => line.split(/ {2,}/));
    expect(rows).toEqual([
      ['ns/new', 'request added', 'secret s/n; 1 action; service accounts a'],
      ['ns/old', 'request removed', 'secret s/o; 0 actions'],
      ['ns/r', 'secret', 's/r → s/r2'],
      ['ns/r', 'service accounts', 'a, b → b, a'],
      ['ns/r', 'action removed', 'x:1'],
      ['ns/r', 'action removed', 'x:2'],
      ['ns/r', 'statementEntries[2].policyCondition', '{"Bool":{"k":true}} → (none)'],
      ['ns/r', 'spec.cloudTokenPath', '(none) → /t'],
    ]);
  });

  it('says in one line that nothing changed, or that there is nothing to compare', () => {
    const same = diffCredentialsRequests(release('4.17'), release('4.17'));
    expect(formatTable({ status: 'unchanged', cluster: 'prod', from, to, diff: same })).toBe(
      'credentials-diff: no AWS CredentialsRequest changed between 4.17.9 and 4.18.40 (3 compared; installed → this commit)',
    );
    expect(
      formatTable({ status: 'nothing-to-compare', cluster: 'prod', reason: 'prod is not installed', from: null, to }),
    ).toBe('credentials-diff: nothing to compare: prod is not installed');
  });

  it('names the images when the versions do not tell the releases apart', () => {
    const same = diffCredentialsRequests(release('4.17'), release('4.17'));
    const text = formatTable({ status: 'unchanged', cluster: 'p', from: { ...from, version: null }, to, diff: same });
    expect(text).toContain(`between ${from.releaseImage} and ${to.releaseImage}`);
  });
});

describe('the JSON', () => {
  it('is one line with every key, absent values as null', () => {
    const text = formatJson(outcome(diffCredentialsRequests(release('4.17'), release('4.18'))));
    expect(text).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({
      schema: DIFF_JSON_SCHEMA,
      cluster: 'prod',
      status: 'changed',
      reason: null,
      from,
      to,
      added: [],
      removed: [],
      changed: [
        {
          request: 'openshift-cloud-credential-operator/openshift-machine-api-aws',
          secretRef: { namespace: 'openshift-machine-api', name: 'aws-cloud-credentials' },
          changes: [{ kind: 'actions-added', actions: ['kms:ReEncrypt*'] }],
        },
      ],
      unchanged: 2,
      needRoles: ['openshift-cloud-credential-operator/openshift-machine-api-aws'],
    });
    const gone = formatJson(
      outcome({
        added: [],
        removed: [],
        changed: [
          {
            request: 'n/r',
            secretRef: { namespace: 'n', name: 's' },
            changes: [{ kind: 'spec', key: 'k', from: 1, to: undefined }],
          },
        ],
        unchanged: 0,
      }),
    );
    expect((JSON.parse(gone) as { changed: { changes: unknown[] }[] }).changed[0]!.changes).toEqual([
      { kind: 'spec', key: 'k', from: 1, to: null },
    ]);
  });

  it('has the same keys when there is nothing to compare', () => {
    const parsed = JSON.parse(
      formatJson({ status: 'nothing-to-compare', cluster: 'p', reason: 'p is not installed', from: null, to }),
    ) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'schema',
      'cluster',
      'status',
      'reason',
      'from',
      'to',
      'added',
      'removed',
      'changed',
      'unchanged',
      'needRoles',
    ]);
    expect(parsed).toMatchObject({
      status: 'nothing-to-compare',
      reason: 'p is not installed',
      from: null,
      needRoles: [],
    });
  });
});
