/*
 * Helpers for the ccoctl stand-in's tests: run the stand-in as a real child process, write small CredentialsRequest
 * directories (modelled on the real 4.16 requests: names, namespaces, secrets, service accounts, statements), and
 * read back with the AWS SDK what it made in the emulator (AWS_ENDPOINT_URL from the jest global setup).
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient, ListRolesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CCOCTL = join(import.meta.dirname, '..', '..', 'bin', 'ccoctl');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The emulator's endpoint, exported by tools/aws-emulator/jest-global-setup.ts. Without it these tests would talk to
 * whatever AWS the environment names (or, with no credentials, try instance metadata): refuse instead.
 */
export function emulatorEndpoint(): string {
  const endpoint = process.env.AWS_EMULATOR_ENDPOINT;
  if (!endpoint || process.env.AWS_ENDPOINT_URL !== endpoint) {
    throw new Error(
      'the ccoctl tests need the AWS emulator: run jest with globalSetup tools/aws-emulator/jest-global-setup.ts ' +
        'and globalTeardown tools/aws-emulator/jest-global-teardown.ts',
    );
  }
  return endpoint;
}

/** Runs `tools/stand-ins/bin/ccoctl` with the test's environment plus `env` (undefined values are removed). */
export function runCcoctl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  emulatorEndpoint();
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return new Promise((resolve) => {
    execFile(CCOCTL, args, { env: merged, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A name no other test (or test run against the same emulator) uses: bucket-safe, short. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function tempDir(prefix = 'ccoctl-spec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** A signing key pair made by the test (2048 bits: ccoctl accepts any RSA key it is given, and this is fast). */
export function testKeyPair(): KeyPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/** An output dir that already holds a key pair, so that ccoctl reuses it instead of generating an RSA-4096 one. */
export function outputDirWithKeys(keys: KeyPair): string {
  const dir = tempDir('ccoctl-out-');
  writeFileSync(join(dir, 'serviceaccount-signer.private'), keys.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'serviceaccount-signer.public'), keys.publicKey);
  return dir;
}

/** A port nothing listens on. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// CredentialsRequests

export interface RequestSpec {
  name: string;
  namespace?: string;
  secretNamespace: string;
  secretName: string;
  serviceAccounts: string[];
  annotations?: Record<string, string>;
  /** YAML lines of statementEntries (indented under `statementEntries:`), or a provider kind other than AWS. */
  statements?: string;
  providerKind?: string;
}

const DEFAULT_STATEMENTS = `    - effect: Allow
      action:
      - iam:GetUser
      resource: "*"`;

export function requestYaml(spec: RequestSpec): string {
  const annotations = Object.entries(spec.annotations ?? {})
    .map(([key, value]) => `\n    ${key}: "${value}"`)
    .join('');
  const accounts = spec.serviceAccounts.map((sa) => `\n  - ${sa}`).join('');
  const provider =
    spec.providerKind && spec.providerKind !== 'AWSProviderSpec'
      ? `    apiVersion: cloudcredential.openshift.io/v1
    kind: ${spec.providerKind}
    permissions:
    - iam.serviceAccounts.get`
      : `    apiVersion: cloudcredential.openshift.io/v1
    kind: AWSProviderSpec
    statementEntries:
${spec.statements ?? DEFAULT_STATEMENTS}`;
  return `apiVersion: cloudcredential.openshift.io/v1
kind: CredentialsRequest
metadata:
  name: ${spec.name}
  namespace: ${spec.namespace ?? 'openshift-cloud-credential-operator'}${annotations ? `\n  annotations:${annotations}` : ''}
spec:
  serviceAccountNames:${accounts || ' []'}
  secretRef:
    name: ${spec.secretName}
    namespace: ${spec.secretNamespace}
  providerSpec:
${provider}
`;
}

export const INGRESS: RequestSpec = {
  name: 'openshift-ingress',
  secretNamespace: 'openshift-ingress-operator',
  secretName: 'cloud-credentials',
  serviceAccounts: ['ingress-operator'],
  annotations: { 'capability.openshift.io/name': 'CloudCredential+Ingress' },
  statements: `    - effect: Allow
      action:
      - elasticloadbalancing:DescribeLoadBalancers
      - route53:ListHostedZones
      - route53:ChangeResourceRecordSets
      - tag:GetResources
      - sts:AssumeRole
      resource: "*"`,
};

export const IMAGE_REGISTRY: RequestSpec = {
  name: 'openshift-image-registry',
  secretNamespace: 'openshift-image-registry',
  secretName: 'installer-cloud-credentials',
  serviceAccounts: ['cluster-image-registry-operator', 'registry'],
  statements: `    - effect: Allow
      action:
      - s3:CreateBucket
      - s3:DeleteBucket
      - s3:GetObject
      - s3:PutObject
      resource: '*'`,
};

export const EBS_CSI: RequestSpec = {
  name: 'aws-ebs-csi-driver-operator',
  secretNamespace: 'openshift-cluster-csi-drivers',
  secretName: 'ebs-cloud-credentials',
  serviceAccounts: ['aws-ebs-csi-driver-operator', 'aws-ebs-csi-driver-controller-sa'],
  statements: `    - effect: Allow
      action:
      - ec2:AttachVolume
      - ec2:CreateVolume
      resource: "*"
    - effect: Allow
      action:
      - kms:RevokeGrant
      - kms:CreateGrant
      - kms:ListGrants
      resource: '*'
      policyCondition:
        "Bool":
          "kms:GrantIsForAWSResource": true`,
};

/** `<name>-openshift-cloud-credential-operator-cloud-credential-operator-iam-ro-creds`: longer than 64 characters. */
export const IAM_RO: RequestSpec = {
  name: 'cloud-credential-operator-iam-ro',
  secretNamespace: 'openshift-cloud-credential-operator',
  secretName: 'cloud-credential-operator-iam-ro-creds',
  serviceAccounts: ['cloud-credential-operator'],
  statements: `    - effect: Allow
      action:
      - iam:GetUser
      - iam:GetUserPolicy
      - iam:ListAccessKeys
      resource: "*"`,
};

export const DELETED: RequestSpec = {
  name: 'openshift-old-operator',
  secretNamespace: 'openshift-old-operator',
  secretName: 'old-credentials',
  serviceAccounts: ['old-operator'],
  annotations: { 'release.openshift.io/delete': 'true' },
};

export const TECH_PREVIEW: RequestSpec = {
  name: 'openshift-cluster-api-aws',
  secretNamespace: 'openshift-cluster-api',
  secretName: 'capa-manager-bootstrap-credentials',
  serviceAccounts: ['cluster-capi-operator'],
  annotations: { 'release.openshift.io/feature-set': 'TechPreviewNoUpgrade' },
};

export const CUSTOM_FEATURE_SET: RequestSpec = {
  name: 'openshift-custom-feature',
  secretNamespace: 'openshift-custom',
  secretName: 'custom-credentials',
  serviceAccounts: ['custom-operator'],
  annotations: { 'release.openshift.io/feature-set': 'CustomNoUpgrade' },
};

export const GCP_RO: RequestSpec = {
  name: 'cloud-credential-operator-gcp-ro-creds',
  secretNamespace: 'openshift-cloud-credential-operator',
  secretName: 'cloud-credential-operator-gcp-ro-creds',
  serviceAccounts: ['cloud-credential-operator'],
  providerKind: 'GCPProviderSpec',
};

/**
 * A requests dir like `oc adm release extract` makes, plus things ccoctl must pass over: a multi-document file
 * (each document after `---`), a `.yml` file, requests annotated for deletion and for feature sets, a README and a
 * sub-directory of non-AWS requests (ccoctl does not descend into it).
 */
export function standardRequestsDir(): string {
  const dir = tempDir('ccoctl-credreqs-');
  const files: Record<string, string> = {
    '0000_50_cluster-ingress-operator_00-ingress-credentials-request.yaml': `---\n${requestYaml(INGRESS)}---\n${requestYaml(IMAGE_REGISTRY)}`,
    '0000_50_cluster-storage-operator_03_credentials_request_aws.yaml': requestYaml(EBS_CSI),
    '0000_50_cloud-credential-operator_05-iam-ro-credentialsrequest.yml': requestYaml(IAM_RO),
    '0000_60_old-operator_credentials-request.yaml': requestYaml(DELETED),
    '0000_30_cluster-api_01_credentials-request.yaml': requestYaml(TECH_PREVIEW),
    '0000_70_custom_credentials-request.yaml': requestYaml(CUSTOM_FEATURE_SET),
    'README.md': 'not a manifest\n',
  };
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  mkdirSync(join(dir, 'non-aws'));
  writeFileSync(join(dir, 'non-aws', '05-gcp-ro-credentialsrequest.yaml'), requestYaml(GCP_RO));
  return dir;
}

/**
 * The requests standardRequestsDir() yields without --enable-tech-preview, in ccoctl's order (file name, then
 * document); with it, TECH_PREVIEW comes first (its file sorts first).
 */
export const STANDARD_ORDER = [IAM_RO, INGRESS, IMAGE_REGISTRY, EBS_CSI];

export function requestsDir(files: Record<string, string>): string {
  const dir = tempDir('ccoctl-credreqs-');
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading back from the emulator

export interface Clients {
  iam: IAMClient;
  s3: S3Client;
  sts: STSClient;
  cloudfront: CloudFrontClient;
}

/** SDK clients on the test's environment (the emulator's endpoint and fake credentials from the global setup). */
export function sdkClients(region: string): Clients {
  const endpoint = emulatorEndpoint();
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  return {
    iam: new IAMClient({ region, endpoint, credentials }),
    s3: new S3Client({ region, endpoint, credentials, forcePathStyle: true }),
    sts: new STSClient({ region, endpoint, credentials }),
    cloudfront: new CloudFrontClient({ region, endpoint, credentials }),
  };
}

/** GetRole / GetRolePolicy return URL-encoded policy documents. */
export function decodePolicy(document: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(document ?? ''));
}

/** Names of the IAM roles carrying `openshift.io/cloud-credential-operator/<name>`. */
export async function rolesTaggedFor(iam: IAMClient, name: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ ...(marker && { Marker: marker }) }));
    for (const role of page.Roles ?? []) {
      let tags;
      try {
        tags = await iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName }));
      } catch (error) {
        if (error instanceof Error && error.name === 'NoSuchEntityException') continue; // another test deleted it
        throw error;
      }
      if (tags.Tags?.some((tag) => tag.Key === `openshift.io/cloud-credential-operator/${name}`)) {
        names.push(role.RoleName!);
      }
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names.sort();
}

/** Every stderr line is a Go log line: `YYYY/MM/DD HH:MM:SS message`. */
export function logLines(stderr: string): string[] {
  return stderr.split('\n').filter(Boolean);
}

export const LOG_LINE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \S/;
