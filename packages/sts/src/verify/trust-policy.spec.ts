import { parsePolicyDocument } from './policy-document.ts';
import { trustPolicyProblems, type TrustExpectation } from './trust-policy.ts';

const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/prod-oidc.s3.us-east-1.amazonaws.com';
const KEY = 'prod-oidc.s3.us-east-1.amazonaws.com:sub';
const OPERATOR = 'system:serviceaccount:openshift-cluster-csi-drivers:aws-ebs-csi-driver-operator';
const CONTROLLER = 'system:serviceaccount:openshift-cluster-csi-drivers:aws-ebs-csi-driver-controller-sa';
const expected: TrustExpectation = { providerArn: PROVIDER, subjectKey: KEY, subjects: [OPERATOR, CONTROLLER] };

function statement(overrides: Record<string, unknown> = {}) {
  return {
    Effect: 'Allow',
    Principal: { Federated: PROVIDER },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [KEY]: [OPERATOR, CONTROLLER] } },
    ...overrides,
  };
}

function problems(...statements: unknown[]) {
  const text = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  return trustPolicyProblems(parsePolicyDocument(text)!, expected);
}

describe('trustPolicyProblems', () => {
  it('accepts what ccoctl writes (URL-encoded, as GetRole returns it)', () => {
    expect(problems(statement())).toEqual([]);
  });

  it('accepts a single subject as a string, subjects in any order, and a single statement object', () => {
    const one: TrustExpectation = { ...expected, subjects: [OPERATOR] };
    const doc = parsePolicyDocument(
      JSON.stringify({ Statement: statement({ Condition: { StringEquals: { [KEY]: OPERATOR } } }) }),
    )!;
    expect(trustPolicyProblems(doc, one)).toEqual([]);
    expect(problems(statement({ Condition: { StringEquals: { [KEY]: [CONTROLLER, OPERATOR] } } }))).toEqual([]);
  });

  it('names a missing and an extra service account', () => {
    const other = 'system:serviceaccount:openshift-cluster-csi-drivers:intruder';
    expect(problems(statement({ Condition: { StringEquals: { [KEY]: [OPERATOR, other] } } }))).toEqual([
      {
        kind: 'subjects',
        expected: `${KEY} = exactly ${OPERATOR} and ${CONTROLLER}`,
        found: `${OPERATOR} and ${other} (missing ${CONTROLLER}; extra ${other})`,
      },
    ]);
  });

  it('counts a wildcard (StringLike) as an extra subject', () => {
    const [problem] = problems(
      statement({ Condition: { StringEquals: { [KEY]: [OPERATOR, CONTROLLER] }, StringLike: { [KEY]: 'system:*' } } }),
    );
    expect(problem).toMatchObject({ kind: 'subjects', found: expect.stringContaining('extra system:* (StringLike)') });
  });

  it('refuses a statement that binds no service account', () => {
    expect(problems(statement({ Condition: undefined }))).toEqual([
      expect.objectContaining({ kind: 'unbound', found: expect.stringContaining('any service account') }),
    ]);
  });

  it('names another provider', () => {
    const other = 'arn:aws:iam::123456789012:oidc-provider/other-oidc.s3.us-east-1.amazonaws.com';
    expect(problems(statement({ Principal: { Federated: other } }))).toEqual([
      {
        kind: 'provider',
        expected: `sts:AssumeRoleWithWebIdentity for Federated ${PROVIDER}`,
        found: `Federated ${other}`,
      },
    ]);
    expect(problems(statement(), statement({ Principal: { Federated: other } }))).toEqual([
      { kind: 'provider', expected: `only Federated ${PROVIDER}`, found: `also Federated ${other}` },
    ]);
  });

  it('names any other principal the role trusts', () => {
    const extra = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' };
    expect(problems(statement(), extra)).toEqual([
      {
        kind: 'other-principal',
        expected: 'no principal but the OIDC provider',
        found: 'AWS arn:aws:iam::111122223333:root',
      },
    ]);
    expect(problems(statement(), { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' })[0]!.found).toBe(
      'everyone (Principal "*")',
    );
  });

  it('says so when nothing allows AssumeRoleWithWebIdentity', () => {
    expect(problems(statement({ Action: 'sts:AssumeRole' }))).toEqual([
      expect.objectContaining({ kind: 'no-web-identity', found: 'no statement allows it' }),
    ]);
    expect(problems(statement({ Effect: 'Deny' }))[0]!.kind).toBe('no-web-identity');
  });

  it('takes sts:* and differently cased actions and condition keys as ccoctl meant them', () => {
    expect(problems(statement({ Action: ['STS:*'] }))).toEqual([]);
    expect(
      problems(statement({ Condition: { StringEquals: { [KEY.toUpperCase()]: [OPERATOR, CONTROLLER] } } })),
    ).toEqual([]);
  });
});
