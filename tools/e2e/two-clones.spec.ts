/*
 * End to end: any machine can finish the job. With the s3 state backend (its bucket in the emulator, made by the
 * state-bucket generator), the example cluster is installed in one clone; a second clone, fresh from git plus only
 * the pull secret and ssh key, then verifies it, writes its kubeconfig and destroys it, and nothing of it is left.
 */
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadClusterConfig } from '@ocp-sts/cluster-config';
import { awsClients } from '@ocp-sts/aws';
import { findStsResources } from '@ocp-sts/sts';
import { uniqueName } from '../testing/cluster-workspace.ts';
import { pipelineWorkspace, sandboxNx, sandboxNxStatus } from '../testing/pipeline.ts';
import { cloneTempWorkspace, type TempWorkspace } from '../testing/workspace.ts';

const REGION = 'us-east-1';
const PREFIX = 'fleet';

async function objectsOf(bucket: string): Promise<string[]> {
  const s3 = new S3Client({ region: REGION, forcePathStyle: true });
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${PREFIX}/example/` }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(`${PREFIX}/example/`.length)).sort();
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** The files under a folder, relative and sorted, as the state names them. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('two clones sharing an s3 state backend', () => {
  let first: TempWorkspace | undefined;
  let second: TempWorkspace | undefined;
  afterAll(() => {
    first?.remove();
    second?.remove();
  });

  it('installs in one; the other, with only the secrets, verifies, writes the kubeconfig and destroys', async () => {
    first = pipelineWorkspace();
    const bucket = uniqueName('ocp-state');
    sandboxNx(first, [
      'g',
      '@ocp-sts/nx-plugin:state-bucket',
      `--bucket=${bucket}`,
      `--region=${REGION}`,
      '--setDefault',
      `--prefix=${PREFIX}`,
      '--no-interactive',
    ]);
    // The team's repository says where the state is: the second clone gets it from git.
    expect(readFileSync(join(first.root, 'clusters/defaults.yaml'), 'utf8')).toContain(`prefix: ${PREFIX}`);
    first.git('add', '-A');
    first.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'state backend');
    const { stsName } = loadClusterConfig({ workspaceRoot: first.root, projectRoot: 'clusters/example' });

    const installed = sandboxNx(first, ['run', 'example:install']);
    expect(installed).toContain('install: example is installed');
    const objects = await objectsOf(bucket);
    // And what ccoctl made, file for file, for a verify that runs no ccoctl (below).
    const ccoctlDir = join(first.root, 'clusters/example/.work/ccoctl');
    expect(objects.filter((o) => o.startsWith('ccoctl-output/'))).toEqual(
      filesUnder(ccoctlDir).map((f) => `ccoctl-output/${f}`),
    );
    expect(objects.filter((o) => !o.startsWith('ccoctl-output/'))).toEqual([
      'ccoctl.json',
      'installed.json',
      'installer/.openshift_install.log',
      'installer/.openshift_install_state.json',
      'installer/auth/kubeadmin-password',
      'installer/auth/kubeconfig',
      'installer/metadata.json',
      'installing.json',
      'signing-key/serviceaccount-signer.private',
      'signing-key/serviceaccount-signer.public',
    ]);
    // Encrypted at rest (SSE-S3 without state.kms_key_id), the lock gone with its run.
    const s3 = new S3Client({ region: REGION, forcePathStyle: true });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${PREFIX}/example/signing-key/serviceaccount-signer.private` }),
    );
    expect(head.ServerSideEncryption).toBe('AES256');
    const password = readFileSync(join(first.root, 'clusters/example/.work/installer/auth/kubeadmin-password'), 'utf8');
    expect(installed).not.toContain(password.trim());

    second = cloneTempWorkspace(first);
    for (const file of ['pull-secret.json', 'ssh.pub']) {
      mkdirSync(join(second.root, 'secrets/example'), { recursive: true });
      copyFileSync(join(first.root, 'secrets/example', file), join(second.root, 'secrets/example', file));
    }
    expect(existsSync(join(second.root, 'clusters/example/.work'))).toBe(false);

    const kubeconfig = sandboxNx(second, ['run', 'example:kubeconfig']);
    expect(kubeconfig).toContain(
      `kubeconfig: clusters/example/.work/kubeconfig (owner-only) from the state of example (s3://${bucket}/${PREFIX}/example/)`,
    );
    const written = join(second.root, 'clusters/example/.work/kubeconfig');
    expect(readFileSync(written, 'utf8')).toBe(
      readFileSync(join(first.root, 'clusters/example/.work/kubeconfig'), 'utf8'),
    );
    expect(mode(written)).toBe(0o600);

    // The fleet's verify, with a read-only role: extract, then verify without its dependencies. ccoctl's output comes
    // from the state and ccoctl does not run, so a policy changed by hand is reported, not repaired.
    const [role] = (await findStsResources(awsClients({ region: REGION }), { stsName })).filter(
      (r) => r.kind === 'iam-role',
    );
    const iam = new IAMClient({ region: REGION });
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: role!.name, PolicyName: role!.name }));
    const original = decodeURIComponent(policy.PolicyDocument!);
    const widened = JSON.parse(original) as { Statement: { Action: string[] | string }[] };
    widened.Statement[0]!.Action = ['iam:*'];
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role!.name,
        PolicyName: role!.name,
        PolicyDocument: JSON.stringify(widened),
      }),
    );
    sandboxNx(second, ['run', 'example:extract']);
    const fleet = sandboxNxStatus(second, ['run', 'example:verify', '--excludeTaskDependencies']);
    expect(fleet.status).toBe(1);
    expect(fleet.output).toContain(
      "verify: ccoctl's output of example is read from the state backend " +
        `(s3://${bucket}/${PREFIX}/example/ccoctl-output/, ${filesUnder(ccoctlDir).length} files): ccoctl has not run in this checkout`,
    );
    // verify read a copy of its own, removed since: the ccoctl target's folder is ccoctl's alone.
    expect(readdirSync(join(second.root, 'clusters/example/.work')).filter((f) => /ccoctl/.test(f))).toEqual([]);
    expect(fleet.output).toContain(`(inline policy ${role!.name})`);
    expect(fleet.output).not.toMatch(/^> nx run example:ccoctl/m);
    const after = await iam.send(new GetRolePolicyCommand({ RoleName: role!.name, PolicyName: role!.name }));
    expect(JSON.parse(decodeURIComponent(after.PolicyDocument!))).toEqual(widened);
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role!.name, PolicyName: role!.name, PolicyDocument: original }),
    );
    expect(sandboxNx(second, ['run', 'example:verify', '--excludeTaskDependencies'])).toContain(
      'Successfully ran target verify',
    );

    // verify runs ccoctl first (this clone's cache is its own): with the key from the state, never a new one.
    const verified = sandboxNx(second, ['run', 'example:verify']);
    expect(verified).toContain('the signing key pair of example came from the state backend');
    expect(verified).not.toContain('kept the new service-account signing key pair');
    const key = 'secrets/example/serviceaccount-signer.private';
    expect(readFileSync(join(second.root, key))).toEqual(readFileSync(join(first.root, key)));
    expect(mode(join(second.root, key))).toBe(0o600);

    // install knows the cluster is installed: its files come from the state, and openshift-install does not run.
    const again = sandboxNx(second, ['run', 'example:install']);
    expect(again).toContain('install: example was installed by ');
    expect(again).toContain('install: example is already installed from clusters/example/.work/installer');
    expect(again).not.toContain('$ openshift-install create cluster');
    expect(readFileSync(join(second.root, 'clusters/example/.work/installer/metadata.json'), 'utf8')).toBe(
      readFileSync(join(first.root, 'clusters/example/.work/installer/metadata.json'), 'utf8'),
    );

    const destroyed = sandboxNx(second, ['run', 'example:destroy', '--yes']);
    expect(destroyed).toContain('destroy: the cluster example is destroyed');
    expect(destroyed).toContain(`nothing tagged for it or named ${stsName}-* is left`);
    expect(await findStsResources(awsClients({ region: REGION }), { stsName })).toEqual([]);
    // What is left of the state: the key pair (kept until deleted by hand) and the record that the cluster is gone.
    expect(await objectsOf(bucket)).toEqual([
      'destroyed.json',
      'signing-key/serviceaccount-signer.private',
      'signing-key/serviceaccount-signer.public',
    ]);
  }, 600000);
});
