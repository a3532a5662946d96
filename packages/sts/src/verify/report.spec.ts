import { formatReport, summaryLine, type VerifyReport } from './report.ts';

const report: VerifyReport = {
  cluster: 'prod',
  status: 'failed',
  stsName: 'prod-x1',
  accountId: '123456789012',
  region: 'us-east-1',
  profile: 'prod-admin',
  issuer: 'https://prod-x1-oidc.s3.us-east-1.amazonaws.com',
  checks: 40,
  errors: 2,
  warnings: 1,
  findings: [
    {
      severity: 'error',
      check: 'oidc-provider',
      resource: 'arn:aws:iam::123456789012:oidc-provider/prod-x1-oidc.s3.us-east-1.amazonaws.com',
      expected: 'an IAM OIDC provider for https://prod-x1-oidc.s3.us-east-1.amazonaws.com',
      found: 'missing (NoSuchEntity)',
      fix: 're-run ccoctl: nx run prod:ccoctl --skip-nx-cache',
    },
    {
      severity: 'warning',
      check: 'roles',
      resource: 'arn:aws:iam::123456789012:role/prod-x1-a-b',
      expected: 'tag openshift.io/cloud-credential-operator/prod-x1=owned',
      found: 'not tagged',
      fix: 'aws iam tag-role ...',
    },
    {
      severity: 'error',
      check: 'roles',
      resource: 'arn:aws:iam::123456789012:role/prod-x1-c-d',
      expected: 'the role',
      found: 'missing',
      fix: 're-run ccoctl: nx run prod:ccoctl --skip-nx-cache',
    },
  ],
  calls: { 'iam:GetRole': 2 },
  awsCalls: 2,
  durationMs: 12,
};

describe('verify output', () => {
  it('groups the findings by check, one line each, and ends with the summary', () => {
    expect(formatReport(report, 'text')).toBe(
      [
        'verify prod: sts name prod-x1, account 123456789012, region us-east-1, profile prod-admin, issuer https://prod-x1-oidc.s3.us-east-1.amazonaws.com',
        'IAM OIDC provider:',
        '  ERROR   arn:aws:iam::123456789012:oidc-provider/prod-x1-oidc.s3.us-east-1.amazonaws.com: expected an IAM OIDC provider for https://prod-x1-oidc.s3.us-east-1.amazonaws.com; found missing (NoSuchEntity). Fix: re-run ccoctl: nx run prod:ccoctl --skip-nx-cache',
        'IAM roles:',
        '  WARNING arn:aws:iam::123456789012:role/prod-x1-a-b: expected tag openshift.io/cloud-credential-operator/prod-x1=owned; found not tagged. Fix: aws iam tag-role ...',
        '  ERROR   arn:aws:iam::123456789012:role/prod-x1-c-d: expected the role; found missing. Fix: re-run ccoctl: nx run prod:ccoctl --skip-nx-cache',
        'verify: 40 checks, 2 errors, 1 warning (2 AWS calls, 12 ms)',
      ].join('\n'),
    );
  });

  it('is one line of JSON for CI', () => {
    const json = formatReport(report, 'json');
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual(report);
  });

  it('says when there was nothing to verify, and counts in the singular', () => {
    expect(formatReport({ ...report, status: 'skipped', reason: 'cco_mode is mint', findings: [] }, 'text')).toBe(
      'verify: nothing to verify for prod: cco_mode is mint',
    );
    expect(summaryLine({ checks: 1, errors: 1, warnings: 0 })).toBe('verify: 1 check, 1 error');
    expect(summaryLine({ checks: 31, errors: 0, warnings: 0 })).toBe('verify: 31 checks, 0 errors');
  });
});
