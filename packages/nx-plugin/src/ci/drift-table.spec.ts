import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatJson, type VerifyReport } from '@ocp-sts/sts';
import { driftTable, reportsIn } from './drift-table.ts';

const SCRIPT = join(import.meta.dirname, 'drift-table.ts');

const verified = JSON.stringify({ cluster: 'dev', status: 'verified', errors: 0, warnings: 1, findings: [] });
const failed = JSON.stringify({
  cluster: 'prod-east',
  status: 'failed',
  errors: 2,
  warnings: 0,
  findings: [
    { severity: 'warning', check: 'x', resource: 'y' },
    {
      severity: 'error',
      check: 'role-policy',
      resource: 'role/a|b',
      expected: 'ec2:*',
      found: 'none',
      fix: 'run ccoctl',
    },
  ],
});
const LOG = [
  '> nx run dev:verify --format=json',
  '',
  verified,
  '{not json',
  '> nx run prod-east:verify --format=json',
  `  ${failed}`,
  ' NX   Ran target verify for 2 projects',
].join('\n');

describe('ocp-sts-drift-table', () => {
  it('reads the JSON lines among Nx log lines', () => {
    expect(reportsIn(LOG).map((r) => [r.cluster, r.status, r.errors])).toEqual([
      ['dev', 'verified', 0],
      ['prod-east', 'failed', 2],
    ]);
  });

  it("reads verify's own --format=json line", () => {
    const report: VerifyReport = {
      cluster: 'prod-west',
      status: 'failed',
      stsName: 'prod-west-k3x9q',
      accountId: '123456789012',
      region: 'us-west-2',
      profile: null,
      issuer: 'https://prod-west-k3x9q-oidc.s3.us-west-2.amazonaws.com',
      checks: 12,
      errors: 1,
      warnings: 0,
      findings: [
        {
          severity: 'error',
          check: 'roles',
          resource: 'arn:aws:iam::123456789012:role/x',
          expected: 'a role',
          found: 'none',
          fix: 'ccoctl',
        },
      ],
      calls: {},
      awsCalls: 6,
      durationMs: 10,
    };
    const table = driftTable(reportsIn(`> nx run prod-west:verify --format=json\n\n${formatJson(report)}\n`));
    expect(table.drifted).toEqual(['prod-west']);
    expect(table.markdown).toContain(
      '| prod-west | ❌ drifted | 1 | 0 | roles: arn:aws:iam::123456789012:role/x: expected a role, found none |',
    );
  });

  it('marks drifted clusters and those without a report, naming the first error', () => {
    const table = driftTable(reportsIn(LOG), ['dev', 'prod-east', 'stage']);
    expect(table.drifted).toEqual(['prod-east', 'stage']);
    expect(table.markdown).toBe(
      [
        '### Drift: 2 of 3 clusters',
        '',
        '| cluster | status | errors | warnings | first error |',
        '| --- | --- | --- | --- | --- |',
        '| dev | ✅ verified | 0 | 1 |  |',
        '| prod-east | ❌ drifted | 2 | 0 | role-policy: role/a\\|b: expected ec2:*, found none |',
        '| stage | ❌ no result | – | – | verify did not report (see the log) |',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on drift and 0 on a clean fleet, printing the table either way', () => {
    const drift = spawnSync(process.execPath, [SCRIPT, '--expect', '["dev","prod-east"]'], {
      input: LOG,
      encoding: 'utf8',
    });
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('| prod-east | ❌ drifted |');
    expect(drift.stderr).toContain('drifted: prod-east');
    const clean = spawnSync(process.execPath, [SCRIPT, '--expect', '["dev"]'], { input: verified, encoding: 'utf8' });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('### Drift: 0 of 1 cluster\n');
  });

  it('says in one line, exit 2, when --expect is not a JSON list or a flag is unknown', () => {
    const names = spawnSync(process.execPath, [SCRIPT, '--expect', 'dev'], { input: LOG, encoding: 'utf8' });
    expect({ status: names.status, stderr: names.stderr, stdout: names.stdout }).toEqual({
      status: 2,
      stderr:
        'ocp-sts-drift-table: --expect: expected a JSON list of project names, as nx show projects --json prints it; got "dev"\n',
      stdout: '',
    });
    const flag = spawnSync(process.execPath, [SCRIPT, '--expected', '["dev"]'], { input: LOG, encoding: 'utf8' });
    expect([flag.status, flag.stderr]).toEqual([
      2,
      expect.stringMatching(/^ocp-sts-drift-table: Unknown option '--expected'/),
    ]);
  });
});
