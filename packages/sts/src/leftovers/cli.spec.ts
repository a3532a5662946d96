/*
 * The leftovers command. Listing runs against the shared AWS emulator and asserts only about the sts names this file
 * provisions (other test files provision their own at the same time, which look like orphans here). Deleting runs
 * against an emulator of its own: on the shared one, --delete would remove what concurrent tests just made.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../../../tools/aws-emulator/emulator.ts';
import { asRealCcoctlPrivateBucket } from '../../../../tools/testing/ccoctl-private-bucket.ts';
import {
  clusterYaml,
  provisionSts,
  testWorkspace,
  uniqueName,
  unprovisionSts,
  withEnv,
  type TestWorkspace,
} from '../../../../tools/testing/cluster-workspace.ts';
import { loadClusterConfig } from '@ocp-sts/cluster-config';
import { openStateStore, STATE_RECORDS, writeRecord } from '@ocp-sts/state';
import { awsClients } from '@ocp-sts/aws';
import { tagOwnedResources } from '../ownership/tag-owner.ts';
import { EXIT, main, type Io } from './cli.ts';
import type { OrphanGroup } from './orphans.ts';
import { findStsResources } from '../inventory/scan.ts';

const REGION = 'eu-west-1';
const CLI = join(import.meta.dirname, 'cli.ts');

interface Captured {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd = tmpdir()): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env: process.env,
    cwd,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

/** The command as a user runs it: a child process on the pinned Node. */
function runChild(argv: string[], env: NodeJS.ProcessEnv): Promise<Captured> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...argv], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface JsonResult {
  orphans: OrphanGroup[];
  inUse: string[];
  clusters: { cluster: string; stsName: string }[];
  warnings: string[];
  deleted?: unknown[];
}

describe('ocp-sts-leftovers, listing (shared emulator)', () => {
  let ws: TestWorkspace;
  const kept = uniqueName('lo-kept');
  const orphan = uniqueName('lo-orphan');

  beforeAll(async () => {
    ws = testWorkspace('leftovers-spec-');
    ws.addCluster({ name: kept, stsName: kept, region: REGION });
    // A cluster whose cluster.yaml does not load, but whose sts_name is still readable: claimed, with a warning.
    ws.write(
      `clusters/broken/cluster.yaml`,
      `name: broken\nplatform: { typo: 1 }\ncredentials: { sts_name: ${orphan}-b }\n`,
    );
    await Promise.all([provisionSts(kept, REGION), provisionSts(orphan, REGION), provisionSts(`${orphan}-b`, REGION)]);
  }, 60_000);
  afterAll(async () => {
    ws.remove();
    await Promise.all([kept, orphan, `${orphan}-b`].map((name) => unprovisionSts(name, REGION)));
  }, 30_000);

  it('prints the sts names no cluster uses, grouped, and leaves the clusters’ own alone (JSON)', async () => {
    const result = await run(['--workspace', ws.root, '--region', REGION, '--json']);
    expect(result.status).toBe(EXIT.orphansFound);
    const json = JSON.parse(result.stdout) as JsonResult;
    const mine = json.orphans.filter((g) => [kept, orphan, `${orphan}-b`].includes(g.stsName));
    expect(mine.map((g) => g.stsName)).toEqual([orphan]);
    expect(mine[0]!.resources.map((r) => r.kind)).toEqual(['iam-role', 'iam-role', 'oidc-provider', 's3-bucket']);
    expect(json.inUse).toEqual(expect.arrayContaining([kept, `${orphan}-b`]));
    expect(json.clusters).toEqual([
      { cluster: 'broken', stsName: 'broken', loaded: false },
      { cluster: 'broken', stsName: `${orphan}-b`, loaded: false },
      { cluster: kept, stsName: kept, region: REGION, loaded: true },
    ]);
    expect(result.stderr).toContain(`warning: skipping clusters/broken/cluster.yaml, which does not load (`);
    expect(result.stderr).toContain(`its sts names broken and ${orphan}-b are still treated as in use`);
    // Nothing was deleted.
    expect(await findStsResources(awsClients({ region: REGION }), { stsName: orphan })).toHaveLength(4);
  });

  it('prints them as text, in the workspace it is started in', async () => {
    const result = await run(['--region', REGION], ws.root);
    expect(result.status).toBe(EXIT.orphansFound);
    expect(result.stdout).toMatch(
      /^leftovers: account 123456789012 \(arn:aws:sts::123456789012:user\/moto\); IAM and CloudFront, and S3 buckets in eu-west-1\n/,
    );
    expect(result.stdout).toContain(
      `clusters in ${join(ws.root, 'clusters')}: broken, broken (${orphan}-b), ${kept}\n`,
    );
    const block = result.stdout.slice(result.stdout.indexOf(`\n  ${orphan} (4 resources)\n`));
    expect(block).toMatch(new RegExp(`^\\n {2}${orphan} \\(4 resources\\)\\n {4}- IAM role ${orphan}-`));
    expect(block).toContain(
      `    - S3 bucket ${orphan}-oidc in eu-west-1 (2 objects: .well-known/openid-configuration, keys.json)`,
    );
    expect(result.stdout).not.toContain(`\n  ${kept} (`);
    expect(result.stdout).toContain('Nothing was deleted. Delete them with --delete (npm run leftovers -- --delete).');
  });

  it('refuses to run where there is no clusters/ folder, and on unknown flags', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-clusters-'));
    const none = await run(['--workspace', empty]);
    expect(none.status).toBe(EXIT.usage);
    expect(none.stderr).toContain('has no clusters/ folder, so every sts name would look orphaned');
    expect((await run(['--force'])).status).toBe(EXIT.usage);
    expect((await run(['--help'])).stdout).toContain('Usage: ocp-sts-leftovers [options]');
    rmSync(empty, { recursive: true, force: true });
  });

  it('says in one line when AWS cannot be reached', async () => {
    const result = await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, () =>
      run(['--workspace', ws.root, '--region', REGION]),
    );
    expect(result.status).toBe(EXIT.failed);
    expect(result.stderr).toMatch(
      /^ocp-sts-leftovers: cannot reach the endpoint http:\/\/127\.0\.0\.1:1 \(AWS_ENDPOINT_URL\): ECONNREFUSED \(profile \(default credential chain\), region eu-west-1, sts:GetCallerIdentity\): [^\n]+\n$/,
    );
  }, 20_000);
});

describe('ocp-sts-leftovers --delete (an emulator of its own)', () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let root: string;
  const kept = uniqueName('del-kept');
  const orphan = uniqueName('del-orphan');

  beforeAll(async () => {
    emulator = await startEmulator({ log: () => undefined });
    env = { AWS_ENDPOINT_URL: emulator.endpoint };
    root = mkdtempSync(join(tmpdir(), 'leftovers-delete-'));
    mkdirSync(join(root, 'clusters', kept), { recursive: true });
    writeFileSync(
      join(root, 'clusters', kept, 'cluster.yaml'),
      clusterYaml({ name: kept, stsName: kept, region: REGION }),
    );
    await Promise.all([
      provisionSts(kept, REGION, { env }),
      provisionSts(orphan, REGION, { env, privateBucket: true }),
    ]);
  }, 60_000);
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await emulator.stop();
  });

  it('deletes the orphans in the safe order, reporting each, and leaves the clusters’ own', async () => {
    const listed = await runChild(['--workspace', root, '--region', REGION, '--json'], env);
    expect(listed.status).toBe(EXIT.orphansFound);
    expect((JSON.parse(listed.stdout) as JsonResult).orphans.map((g) => g.stsName)).toEqual([orphan]);

    const deleted = await runChild(['--workspace', root, '--region', REGION, '--delete'], env);
    expect(deleted.stderr).toBe('');
    expect(deleted.status).toBe(EXIT.ok);
    const reports = deleted.stdout.split('\n').filter((l) => /^(deleted|FAILED) /.test(l));
    expect(reports.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'deleted IAM role',
      'deleted IAM role',
      'deleted IAM OIDC',
      'deleted S3 bucket',
      'deleted CloudFront distribution',
      'deleted CloudFront origin',
    ]);
    expect(deleted.stdout).toContain(
      `  deleted inline policy ${orphan}-openshift-ingress-operator-cloud-credentials of IAM role`,
    );
    expect(deleted.stdout).toContain('done: 6 deleted, 0 failed\n');

    const again = await runChild(['--workspace', root, '--region', REGION], env);
    expect(again.status).toBe(EXIT.ok);
    expect(again.stdout).toContain(`in use by a cluster (left alone): ${kept}\n`);
    expect(again.stdout).toContain('no orphans');
  });

  it('refuses to delete while a cluster’s sts_name cannot be read', async () => {
    const other = uniqueName('del-other');
    await provisionSts(other, REGION, { env });
    mkdirSync(join(root, 'clusters', 'garbled'));
    writeFileSync(join(root, 'clusters', 'garbled', 'cluster.yaml'), 'name: [garbled\n');
    const result = await runChild(['--workspace', root, '--region', REGION, '--delete'], env);
    expect(result.status).toBe(EXIT.failed);
    expect(result.stderr).toContain(
      'ocp-sts-leftovers: not deleting anything: the sts_name of clusters/garbled cannot be read, and its resources ' +
        'could be among these. Fix those cluster.yaml files first.',
    );
    const left = await withEnv(env, () => findStsResources(awsClients({ region: REGION }), { stsName: other }));
    expect(left).toHaveLength(4);
  });
});

describe('ocp-sts-leftovers --delete after an sts_name edit (an emulator of its own)', () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let root: string;
  const cluster = uniqueName('ren');
  const before = uniqueName('ren-a');
  const after = uniqueName('ren-b');
  const gone = uniqueName('ren-gone');
  // A cluster installed before owner tags existed: only its state records the sts name ccoctl made for it.
  const untagged = uniqueName('ren-state');
  const untaggedBefore = uniqueName('ren-c');

  beforeAll(async () => {
    emulator = await startEmulator({ log: () => undefined });
    env = { AWS_ENDPOINT_URL: emulator.endpoint };
    root = mkdtempSync(join(tmpdir(), 'leftovers-renamed-'));
    mkdirSync(join(root, 'clusters', cluster), { recursive: true });
    // Installed under sts name A: ccoctl made A's resources, and the step tagged them with the cluster as owner; and
    // a cluster that is gone from clusters/ left its own, owner-tagged too.
    const [a, old] = await Promise.all([
      provisionSts(before, REGION, { env }),
      provisionSts(gone, REGION, { env }),
      provisionSts(untaggedBefore, REGION, { env }),
    ]);
    await withEnv(env, async () => {
      const clients = awsClients({ region: REGION });
      const quiet = () => undefined;
      await tagOwnedResources(clients, { cluster, stsName: before, roles: a.roles, privateBucket: false }, quiet);
      await tagOwnedResources(
        clients,
        { cluster: 'gone', stsName: gone, roles: old.roles, privateBucket: false },
        quiet,
      );
    });
    // Then its cluster.yaml was edited to sts name B.
    writeFileSync(
      join(root, 'clusters', cluster, 'cluster.yaml'),
      clusterYaml({ name: cluster, stsName: after, region: REGION }),
    );
    const projectRoot = `clusters/${untagged}`;
    mkdirSync(join(root, projectRoot));
    writeFileSync(
      join(root, projectRoot, 'cluster.yaml'),
      clusterYaml({ name: untagged, stsName: uniqueName('ren-d'), region: REGION }),
    );
    const state = openStateStore({
      workspaceRoot: root,
      projectRoot,
      loaded: loadClusterConfig({ workspaceRoot: root, projectRoot }),
    });
    await writeRecord(state, STATE_RECORDS.ccoctl, { stsName: untaggedBefore, region: REGION, signingKey: 'created' });
  }, 60_000);
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await emulator.stop();
  });

  it('keeps the old sts name’s resources, listing them as renamed and still in use, and deletes true orphans', async () => {
    const deleted = await runChild(['--workspace', root, '--region', REGION, '--delete'], env);
    expect(deleted.stderr).toBe('');
    expect(deleted.status).toBe(EXIT.ok);
    expect(deleted.stdout).toContain(
      `${before} (4 resources): renamed, still in use by ${cluster} (left alone): tagged ocp-sts.io/cluster=${cluster} ` +
        'or recorded in its state, whose credentials.sts_name was edited after the install.',
    );
    expect(deleted.stdout).toContain(
      `${untaggedBefore} (4 resources): renamed, still in use by ${untagged} (left alone)`,
    );
    // The cluster that is gone is no reason to keep its resources.
    expect(deleted.stdout).toContain(`\n  ${gone} (4 resources)\n`);
    expect(deleted.stdout).toContain('done: 4 deleted, 0 failed\n');
    const left = await withEnv(env, () =>
      findStsResources(awsClients({ region: REGION }), { all: true, regions: [REGION] }),
    );
    expect(left.filter((r) => r.stsName === before).map((r) => r.owner)).toEqual(Array(4).fill(cluster));
    expect(left.filter((r) => r.stsName === untaggedBefore)).toHaveLength(4);
    expect(left).toHaveLength(8);

    const json = JSON.parse(
      (await runChild(['--workspace', root, '--region', REGION, '--json'], env)).stdout,
    ) as JsonResult & {
      renamed: { stsName: string; clusters: string[] }[];
    };
    expect(json.orphans).toEqual([]);
    expect(json.renamed.map((g) => [g.stsName, g.clusters])).toEqual(
      [
        [before, [cluster]],
        [untaggedBefore, [untagged]],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  }, 60_000);
});

describe("ocp-sts-leftovers on the real ccoctl's private bucket (an emulator of its own)", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let root: string;
  const orphan = uniqueName('del-oai');

  beforeAll(async () => {
    emulator = await startEmulator({ log: () => undefined });
    env = { AWS_ENDPOINT_URL: emulator.endpoint };
    root = mkdtempSync(join(tmpdir(), 'leftovers-oai-'));
    mkdirSync(join(root, 'clusters'));
    await provisionSts(orphan, REGION, { env, privateBucket: true });
    // Tagged only Name=<sts name>, neither comment ccoctl's: the distribution's origin is what names it.
    await withEnv(env, () =>
      asRealCcoctlPrivateBucket(orphan, REGION, { comment: 'by hand', identityComment: 'by hand' }),
    );
  }, 60_000);
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await emulator.stop();
  });

  it('lists the distribution (by its origin) and the origin access identity it reads through, and deletes them', async () => {
    const listed = await runChild(['--workspace', root, '--region', REGION, '--json'], env);
    expect(listed.status).toBe(EXIT.orphansFound);
    const [group] = (JSON.parse(listed.stdout) as JsonResult).orphans;
    expect(group?.stsName).toBe(orphan);
    expect(group?.resources.map((r) => r.kind)).toEqual([
      'iam-role',
      'iam-role',
      'oidc-provider',
      's3-bucket',
      'cloudfront-distribution',
      'cloudfront-origin-access-identity',
    ]);

    const deleted = await runChild(['--workspace', root, '--region', REGION, '--delete'], env);
    expect(deleted.stderr).toBe('');
    expect(deleted.status).toBe(EXIT.ok);
    const reports = deleted.stdout.split('\n').filter((l) => /^(deleted|FAILED) /.test(l));
    expect(reports.slice(-2)).toEqual([
      expect.stringMatching(/^deleted CloudFront distribution \w+ \(.*\) \(untagged; matched by its name\)$/),
      expect.stringMatching(
        /^deleted CloudFront origin access identity \w+ \("by hand"\) \(untagged; matched by its name\)$/,
      ),
    ]);
    expect(deleted.stdout).toContain('done: 6 deleted, 0 failed\n');
    expect(await withEnv(env, () => findStsResources(awsClients({ region: REGION }), { stsName: orphan }))).toEqual([]);
  });
});
