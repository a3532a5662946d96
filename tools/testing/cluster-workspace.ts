/*
 * Helpers for the tests of the STS side (preflight, destroy, leftovers): small workspaces holding clusters (cluster.yaml plus throwaway secrets), the
 * ClusterStep of a cluster in them, and unique names in the shared AWS emulator that jest's global setup started.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { clusterStep, type ClusterStep } from '@ocp-sts/toolchain';
import { ensureSandboxSecrets } from '../sandbox/secrets.ts';
import {
  IMAGE_REGISTRY,
  INGRESS,
  outputDirWithKeys,
  requestsDir,
  requestYaml,
  runCcoctl,
  testKeyPair,
  type KeyPair,
} from '../stand-ins/src/ccoctl/test-support.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const STAND_IN_BIN = join(REPO_ROOT, 'tools', 'stand-ins', 'bin');

export interface ClusterSpec {
  name: string;
  stsName?: string;
  accountId?: string;
  region?: string;
  ccoMode?: string;
  profile?: string;
  /** cluster.yaml's `tags`. */
  tags?: Record<string, string>;
}

export function clusterYaml(spec: ClusterSpec): string {
  const region = spec.region ?? 'eu-west-1';
  const credentials = [
    `cco_mode: ${spec.ccoMode ?? 'manual-sts'}`,
    ...(spec.stsName ? [`sts_name: ${spec.stsName}`] : []),
    ...(spec.profile ? [`aws_profile: ${spec.profile}`] : []),
  ].join(', ');
  return (
    `name: ${spec.name}\n` +
    `platform: { type: aws, account_id: "${spec.accountId ?? '123456789012'}", region: ${region} }\n` +
    'dns: { base_domain: example.com }\n' +
    'openshift: { version: "4.16.3" }\n' +
    `credentials: { ${credentials} }\n` +
    (spec.tags ? `tags: ${JSON.stringify(spec.tags)}\n` : '')
  );
}

/** A unique lowercase name (bucket-safe), so that tests sharing the emulator never meet. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface TestWorkspace {
  root: string;
  /** Writes a workspace-relative file. */
  write: (file: string, content: string) => void;
  /** Adds clusters/<name>/cluster.yaml and throwaway secrets/<name>/ (pull secret, ssh key). */
  addCluster: (spec: ClusterSpec) => void;
  step: (cluster: string, target: string) => ClusterStep;
  remove: () => void;
}

export function testWorkspace(prefix = 'sts-spec-'): TestWorkspace {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  return {
    root,
    write,
    addCluster: (spec) => {
      write(`clusters/${spec.name}/cluster.yaml`, clusterYaml(spec));
      ensureSandboxSecrets(root, spec.name);
    },
    step: (cluster, target) =>
      clusterStep({ workspaceRoot: root, projectName: cluster, projectRoot: `clusters/${cluster}` }, target),
    remove: () => {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with process.env changed (undefined removes a variable), then puts it back. */
export async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  };
  apply(changes);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What ccoctl makes, made by the ccoctl stand-in (a child process) in the emulator

export interface Provisioned {
  stsName: string;
  region: string;
  /** Role names, in the order of the requests. */
  roles: string[];
}

let sharedKeys: KeyPair | undefined;

/**
 * `ccoctl aws create-all` of the stand-in for two requests (ingress, image registry) under `stsName`, reusing one
 * small key pair for the whole test file (the stand-in would otherwise make an RSA-4096 key, which is slow).
 */
export async function provisionSts(
  stsName: string,
  region: string,
  options: { privateBucket?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Provisioned> {
  sharedKeys ??= testKeyPair();
  const out = outputDirWithKeys(sharedKeys);
  const requests = requestsDir({
    '00-ingress.yaml': requestYaml(INGRESS),
    '01-registry.yaml': requestYaml(IMAGE_REGISTRY),
  });
  try {
    const result = await runCcoctl(
      [
        'aws',
        'create-all',
        `--name=${stsName}`,
        `--region=${region}`,
        `--credentials-requests-dir=${requests}`,
        `--output-dir=${out}`,
        ...(options.privateBucket ? ['--create-private-s3-bucket'] : []),
      ],
      options.env,
    );
    if (result.code !== 0) throw new Error(`ccoctl aws create-all failed:\n${result.stderr}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(requests, { recursive: true, force: true });
  }
  return {
    stsName,
    region,
    roles: [INGRESS, IMAGE_REGISTRY].map((r) => `${stsName}-${r.secretNamespace}-${r.secretName}`.slice(0, 64)),
  };
}

/** `ccoctl aws delete` of the stand-in (cleans up after a test). */
export async function unprovisionSts(stsName: string, region: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const result = await runCcoctl(['aws', 'delete', `--name=${stsName}`, `--region=${region}`], {
    STANDIN_CCOCTL_DELETE_SKIP_ROLE: undefined,
    ...env,
  });
  if (result.code !== 0) throw new Error(`ccoctl aws delete failed:\n${result.stderr}`);
}
