import { parse } from 'yaml';
import { parsePolicyDocument } from './policy-document.ts';
import { rolePolicyProblems, statementsFromEntries } from './role-policy.ts';

// The statement entries of the EBS CSI driver's request in 4.16, as the CredentialsRequest holds them.
const ENTRIES = parse(`
- action: [ec2:AttachVolume, ec2:CreateVolume]
  effect: Allow
  resource: "*"
- action: [kms:RevokeGrant, kms:CreateGrant, kms:ListGrants]
  effect: Allow
  policyCondition:
    Bool:
      kms:GrantIsForAWSResource: true
  resource: "*"
`) as unknown[];

/** What ccoctl puts: Effect, Action, Resource, Condition, compact JSON; GetRolePolicy returns it URL-encoded. */
const CCOCTL_POLICY = encodeURIComponent(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:CreateVolume'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['kms:RevokeGrant', 'kms:CreateGrant', 'kms:ListGrants'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    ],
  }),
);

const problems = (policy: unknown) =>
  rolePolicyProblems(
    parsePolicyDocument(typeof policy === 'string' ? policy : JSON.stringify(policy))!,
    statementsFromEntries(ENTRIES),
  );

describe('rolePolicyProblems', () => {
  it('accepts the policy ccoctl writes for the request', () => {
    expect(problems(CCOCTL_POLICY)).toEqual([]);
  });

  it('ignores the order of statements and actions, string-or-list, action case and "true" vs true', () => {
    expect(
      problems({
        Statement: [
          {
            Effect: 'Allow',
            Action: ['KMS:ListGrants', 'kms:CreateGrant', 'kms:RevokeGrant'],
            Resource: ['*'],
            Condition: { Bool: { 'KMS:GrantIsForAWSResource': 'true' } },
          },
          { Effect: 'Allow', Action: ['ec2:CreateVolume', 'ec2:AttachVolume'], Resource: '*' },
        ],
      }),
    ).toEqual([]);
  });

  it('names added and removed actions of an edited statement', () => {
    expect(
      problems({
        Statement: [
          { Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:DeleteVolume'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['kms:RevokeGrant', 'kms:CreateGrant', 'kms:ListGrants'],
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
          },
        ],
      }),
    ).toEqual([
      {
        expected: 'statement Allow ec2:AttachVolume and ec2:CreateVolume on *',
        found: 'changed: actions missing: ec2:CreateVolume; actions added: ec2:DeleteVolume',
      },
    ]);
  });

  it('names a dropped condition, a missing statement and an extra one', () => {
    const [dropped] = problems({
      Statement: [
        { Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:CreateVolume'], Resource: '*' },
        { Effect: 'Allow', Action: ['kms:RevokeGrant', 'kms:CreateGrant', 'kms:ListGrants'], Resource: '*' },
      ],
    });
    expect(dropped!.found).toBe('changed: Condition {}');
    expect(
      problems({
        Statement: [
          { Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:CreateVolume'], Resource: '*' },
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        ],
      }),
    ).toEqual([
      {
        expected: expect.stringContaining(
          'statement Allow kms:CreateGrant, kms:ListGrants and kms:RevokeGrant on * if',
        ),
        found: 'missing',
      },
      { expected: 'no statement beyond the request', found: 'extra statement Allow iam:PassRole on *' },
    ]);
  });

  it('sees a narrowed resource and a Deny', () => {
    const [resource] = problems({
      Statement: [
        { Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:CreateVolume'], Resource: 'arn:aws:ec2:*:*:volume/*' },
        JSON.parse(decodeURIComponent(CCOCTL_POLICY)).Statement[1],
      ],
    });
    expect(resource!.found).toBe('changed: Resource arn:aws:ec2:*:*:volume/*');
    const [deny] = problems({
      Statement: [
        { Effect: 'Deny', Action: ['ec2:AttachVolume', 'ec2:CreateVolume'], Resource: '*' },
        JSON.parse(decodeURIComponent(CCOCTL_POLICY)).Statement[1],
      ],
    });
    expect(deny!.found).toBe('changed: Effect Deny');
  });
});
