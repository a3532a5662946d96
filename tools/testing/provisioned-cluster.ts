/*
 * For verify's tests and benchmark: a sandbox cluster provisioned for real. A folder holding clusters/<name>/cluster.yaml
 * and the cluster's .work/: .work/credrequests from the `oc` stand-in (the AWS CredentialsRequests of the 4.16 payload,
 * as `oc adm release extract --credentials-requests --cloud=aws` writes them; extracted once, copied to every cluster)
 * and .work/ccoctl from the `ccoctl`
 * stand-in (`ccoctl aws create-all`, which creates the bucket, documents, OIDC provider and roles in the AWS emulator
 * that AWS_ENDPOINT_URL names), plus the record our ccoctl executor writes beside it. Both stand-ins run as child
 * processes. One RSA key pair is generated per process and handed to every ccoctl run (as the ccoctl executor hands
 * back a kept key), because the stand-in's RSA-4096 generation is slow.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { partitionOf } from '@ocp-sts/cluster-config';
import { SIGNER_PRIVATE, SIGNER_PUBLIC, writeCcoctlRecord } from '../../packages/sts/src/ccoctl-output/layout.ts';
import { readCredentialsRequests, roleNameFor } from '../../packages/sts/src/credentials-requests.ts';
import { requestsCcoctlProcesses, type ClusterFacts } from '../../packages/sts/src/verify/outputs.ts';
import type { VerifyInput } from '../../packages/sts/src/verify/verify.ts';
import { STAND_IN_BIN } from './cluster-workspace.ts';

export const RELEASE_IMAGE = 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64';
export const ACCOUNT = '123456789012';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

let keyPair: KeyPair | undefined;

/** One signing key pair per process (2048 bits: ccoctl takes any RSA key it is handed, and this is quick). */
export function sharedKeyPair(): KeyPair {
  keyPair ??= newKeyPair();
  return keyPair;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/** A lowercase name no other test run against the same emulator uses (bucket-safe). */
export function uniqueStsName(prefix = 'vfy'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

const CCOCTL_WITH_CREATE_ALL_DRY_RUN = 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

let extracted: Promise<{ dir: string; requests: string }> | undefined;

/**
 * The AWS CredentialsRequests of the 4.16 payload, extracted once per process by the `oc` stand-in into a temporary
 * folder (every cluster gets a copy, as every cluster's extract step would write the same files).
 */
export async function extractedRequests(): Promise<string> {
  extracted ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-credreqs-'));
    const authFile = join(dir, 'registry-auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { 'quay.io': { auth: 'c2FuZGJveDpzYW5kYm94' } } }));
    const to = join(dir, 'credrequests');
    await run(join(STAND_IN_BIN, 'oc'), [
      'adm',
      'release',
      'extract',
      '--credentials-requests',
      '--cloud=aws',
      `--registry-config=${authFile}`,
      `--to=${to}`,
      RELEASE_IMAGE,
    ]);
    return { dir, requests: to };
  })();
  return (await extracted).requests;
}

/** Removes what extractedRequests() made (call it once the clusters are provisioned, e.g. in afterAll). */
export async function removeExtractedRequests(): Promise<void> {
  const made = extracted;
  extracted = undefined;
  if (made) rmSync((await made).dir, { recursive: true, force: true });
}

export interface SandboxClusterSpec {
  stsName: string;
  /** Project (and folder) name; default `cluster`. */
  project?: string;
  region?: string;
  accountId?: string;
  ccoMode?: string;
  profile?: string;
  /** credentials.permissions_boundary_arn; ccoctl gets it too unless `boundaryForCcoctl` is false. */
  boundary?: string;
  boundaryForCcoctl?: boolean;
  privateBucket?: boolean;
  dryRun?: boolean;
  /** Where to make the workspace (default: a fresh temporary folder). */
  root?: string;
  /** Keep only the extracted request files this accepts (default: all 7, of which ccoctl processes 6). */
  requestFiles?: (file: string) => boolean;
}

export interface SandboxCluster {
  root: string;
  project: string;
  stsName: string;
  /** clusters/<project>/.work */
  work: string;
  facts: ClusterFacts;
  /** The input of verifyCluster for this cluster. */
  input: (extra?: Partial<VerifyInput>) => VerifyInput;
  remove: () => void;
}

export function clusterYaml(spec: SandboxClusterSpec, project: string): string {
  const credentials = [
    `cco_mode: ${spec.ccoMode ?? 'manual-sts'}`,
    `sts_name: ${spec.stsName}`,
    ...(spec.profile ? [`aws_profile: ${spec.profile}`] : []),
    ...(spec.boundary ? [`permissions_boundary_arn: "${spec.boundary}"`] : []),
    ...(spec.privateBucket ? ['create_private_s3_bucket: true'] : []),
  ];
  return (
    `name: ${project}\n` +
    `platform: { type: aws, account_id: "${spec.accountId ?? ACCOUNT}", region: ${spec.region ?? 'us-east-1'} }\n` +
    'dns: { base_domain: example.com }\n' +
    'openshift: { version: "4.16.3" }\n' +
    `credentials:\n${credentials.map((line) => `  ${line}\n`).join('')}`
  );
}

/**
 * Writes the cluster and runs the stand-ins: extract, then (for manual-sts) ccoctl aws create-all. Resolves when the
 * cluster's STS resources exist in the emulator.
 */
export async function provisionCluster(spec: SandboxClusterSpec): Promise<SandboxCluster> {
  const project = spec.project ?? 'cluster';
  const root = spec.root ?? mkdtempSync(join(tmpdir(), 'verify-spec-'));
  const clusterDir = join(root, 'clusters', project);
  const work = join(clusterDir, '.work');
  const region = spec.region ?? 'us-east-1';
  mkdirSync(work, { recursive: true });
  writeFileSync(join(clusterDir, 'cluster.yaml'), clusterYaml(spec, project));

  const credreqs = join(work, 'credrequests');
  const keep = spec.requestFiles;
  cpSync(await extractedRequests(), credreqs, {
    recursive: true,
    ...(keep && { filter: (source: string) => !source.endsWith('.yaml') || keep(basename(source)) }),
  });

  const ccoctlDir = join(work, 'ccoctl');
  const techPreview = false;
  if ((spec.ccoMode ?? 'manual-sts') === 'manual-sts') {
    mkdirSync(ccoctlDir);
    const keys = sharedKeyPair();
    writeFileSync(join(ccoctlDir, SIGNER_PRIVATE), keys.privateKey, { mode: 0o600 });
    writeFileSync(join(ccoctlDir, SIGNER_PUBLIC), keys.publicKey);
    const boundary = spec.boundary && spec.boundaryForCcoctl !== false ? spec.boundary : undefined;
    await run(
      join(STAND_IN_BIN, 'ccoctl'),
      [
        'aws',
        'create-all',
        `--name=${spec.stsName}`,
        `--region=${region}`,
        `--credentials-requests-dir=${credreqs}`,
        `--output-dir=${ccoctlDir}`,
        ...(spec.privateBucket ? ['--create-private-s3-bucket'] : []),
        ...(boundary ? [`--permissions-boundary-arn=${boundary}`] : []),
        ...(spec.dryRun ? ['--dry-run'] : []),
      ],
      // create-all --dry-run needs a ccoctl of 4.19 or later (the stand-in is 4.16's unless told otherwise).
      spec.dryRun ? { ...process.env, STANDIN_RELEASE_IMAGE: CCOCTL_WITH_CREATE_ALL_DRY_RUN } : process.env,
    );
    // What the ccoctl executor records beside ccoctl's output.
    const requests = requestsCcoctlProcesses(readCredentialsRequests(credreqs), techPreview).aws;
    writeCcoctlRecord(ccoctlDir, {
      stsName: spec.stsName,
      region,
      dryRun: spec.dryRun ?? false,
      privateBucket: spec.privateBucket ?? false,
      roles: requests.map((r) => ({ request: `${r.namespace}/${r.name}`, role: roleNameFor(spec.stsName, r) })),
    });
  }

  const facts: ClusterFacts = {
    project,
    accountId: spec.accountId ?? ACCOUNT,
    region,
    partition: partitionOf(region),
    stsName: spec.stsName,
    awsProfile: spec.profile,
    permissionsBoundaryArn: spec.boundary,
    techPreview,
  };
  return {
    root,
    project,
    stsName: spec.stsName,
    work,
    facts,
    input: (extra = {}) => ({
      facts,
      ccoMode: spec.ccoMode ?? 'manual-sts',
      paths: {
        ccoctlDir,
        credentialsRequestsDir: credreqs,
        show: (path: string) => relative(root, path),
      },
      ...extra,
    }),
    remove: () => {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Secret manifests in a ccoctl output (one per role). */
export function secretManifests(cluster: SandboxCluster): string[] {
  return readdirSync(join(cluster.work, 'ccoctl', 'manifests')).filter((f) => f.endsWith('-credentials.yaml'));
}
