/*
 * Helpers for the stand-ins' own tests: run a stand-in as a real child process (through tools/stand-ins/bin, as
 * PATH would find it) in a temporary folder, and write the inputs the real tools would be given.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', 'bin');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The environment of a stand-in run: this process's, without any STANDIN_* or registry settings, plus `env`. */
export function standInEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('STANDIN_') && key !== 'REGISTRY_AUTH_FILE'),
  );
  return { ...base, ...env };
}

export function run(
  /** A stand-in's name (run from tools/stand-ins/bin) or a path to an executable. */
  tool: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): RunResult {
  const start = Date.now();
  const command = tool.includes('/') ? tool : join(BIN, tool);
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: standInEnv(options.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - start };
}

export function tempDir(prefix = 'stand-in-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A pull secret that looks real enough (JSON with `auths`); its auth is a marker tests look for in output. */
export const PULL_SECRET_MARKER = 'c3RhbmQtaW4tcHVsbC1zZWNyZXQtbWFya2Vy';
export const PULL_SECRET = JSON.stringify({
  auths: { 'quay.io': { auth: PULL_SECRET_MARKER, email: 'someone@example.com' } },
});
export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGl0c2Egc3RhbmQtaW4gdGVzdCBrZXkgb25seQ someone@example.com';

/** A minimal valid AWS install-config (manual STS) as YAML, with overrides merged at the top level. */
export function installConfigYaml(overrides: Record<string, unknown> = {}): string {
  const config: Record<string, unknown> = {
    apiVersion: 'v1',
    baseDomain: 'example.com',
    credentialsMode: 'Manual',
    metadata: { name: 'mycluster' },
    platform: { aws: { region: 'us-east-1' } },
    pullSecret: PULL_SECRET,
    sshKey: SSH_KEY,
    ...overrides,
  };
  for (const [key, value] of Object.entries(config)) if (value === undefined) Reflect.deleteProperty(config, key);
  // JSON is YAML; the stand-ins must not care about the style.
  return JSON.stringify(config, null, 2);
}

export function writeInstallConfig(dir: string, overrides: Record<string, unknown> = {}): void {
  writeFileSync(join(dir, 'install-config.yaml'), installConfigYaml(overrides));
}

/** A registry auth file (`-a`), by default the pull secret (whose marker must never be printed). */
export function writeRegistryAuth(dir: string, content = PULL_SECRET, name = 'pull-secret.json'): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A Secret manifest as ccoctl writes one per CredentialsRequest (role ARN in `stringData`). */
export function ccoctlSecretYaml(namespace: string, name: string, roleArn: string): string {
  return [
    'apiVersion: v1',
    'stringData:',
    '  credentials: |-',
    '    [default]',
    '    sts_regional_endpoints = regional',
    `    role_arn = ${roleArn}`,
    '    web_identity_token_file = /var/run/secrets/openshift/serviceaccount/token',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'type: Opaque',
    '',
  ].join('\n');
}

/**
 * Installs a stand-in cluster in `dir` (create manifests, a ccoctl Secret copied into manifests/, create cluster),
 * as the pipeline does, and returns its kubeconfig. It lives in the AWS emulator of the jest global setup.
 */
export function installSandboxCluster(
  dir: string,
  options: { name?: string; env?: Record<string, string | undefined>; overrides?: Record<string, unknown> } = {},
): { kubeconfig: string; infraID: string; result: RunResult } {
  writeInstallConfig(dir, { metadata: { name: options.name ?? 'example' }, ...options.overrides });
  const manifests = run('openshift-install', ['create', 'manifests', '--dir', dir], { env: options.env });
  if (manifests.status !== 0) throw new Error(`create manifests failed: ${manifests.stderr}`);
  writeFileSync(
    join(dir, 'manifests', 'openshift-machine-api-aws-cloud-credentials-credentials.yaml'),
    ccoctlSecretYaml('openshift-machine-api', 'aws-cloud-credentials', 'arn:aws:iam::123456789012:role/example-mapi'),
  );
  const result = run('openshift-install', ['create', 'cluster', '--dir', dir], { env: options.env });
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { infraID: string };
  return { kubeconfig: join(dir, 'auth', 'kubeconfig'), infraID: metadata.infraID, result };
}

/** What the tests read of an object that `oc get -o json` prints (every kind, loosely). */
export interface KubeJson {
  apiVersion: string;
  kind: string;
  type?: string;
  stringData?: unknown;
  data: Record<string, string>;
  metadata: { name: string; resourceVersion: string; annotations: Record<string, string | undefined> };
  spec: { channel?: string; credentialsMode?: string; desiredUpdate?: Record<string, unknown> };
  status: {
    conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime: string }[];
    desired: { version: string; image: string; channels?: string[] };
    history: {
      state: string;
      version: string;
      image: string;
      completionTime: string | null;
      verified: boolean;
      acceptedRisks?: string;
    }[];
    availableUpdates: { version: string; image: string }[] | null;
    versions?: { name: string; version: string }[];
  };
}

/** The object a successful `oc get -o json` printed. */
export function kubeJson(result: RunResult): KubeJson {
  if (result.status !== 0) throw new Error(`oc failed (${String(result.status)}): ${result.stderr}`);
  return JSON.parse(result.stdout) as KubeJson;
}

/** A condition of an object's status. */
export function conditionOf(object: KubeJson, type: string): KubeJson['status']['conditions'][number] | undefined {
  return object.status.conditions.find((c) => c.type === type);
}
