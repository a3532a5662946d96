/*
 * What verify reads from the cluster's .work/ before asking AWS anything: ccoctl's output (the issuer in
 * manifests/cluster-authentication-02-config.yaml, one Secret manifest per request with the role ARN inside
 * stringData.credentials, the signing key in tls/, its public half, and our record ocp-sts-ccoctl.json) and the
 * extracted CredentialsRequests. Local problems (a dry run, a missing Secret or key, a role ARN for another account,
 * two requests sharing a truncated role name) are findings of the `outputs` and `roles` families.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '@ocp-sts/toolchain';
import {
  isAwsRequest,
  readCredentialsRequests,
  roleNameCollisions,
  roleNameFor,
  secretManifestName,
  type CredentialsRequest,
} from '../credentials-requests.ts';
import { fixes, type Findings } from './findings.ts';
import { dnsSuffixOf, parseIssuer, type Issuer, type Partition } from './issuer.ts';
import { expectedKeyOf, type ExpectedKey } from './jwks.ts';

export const AUTHENTICATION_MANIFEST = join('manifests', 'cluster-authentication-02-config.yaml');
export const SIGNING_KEY = join('tls', 'bound-service-account-signing-key.key');
export const SIGNER_PUBLIC = 'serviceaccount-signer.public';
export const CCOCTL_RECORD = 'ocp-sts-ccoctl.json';
const DRY_RUN_PLACEHOLDER = 'POPULATE ROLE ARN AND DELETE THIS LINE';
const DRY_RUN_FILE = '01-oidc-bucket.json';
const DELETE_ANNOTATION = 'release.openshift.io/delete';
const FEATURE_SET_ANNOTATION = 'release.openshift.io/feature-set';

/** The cluster as cluster.yaml describes it: what AWS should hold. */
export interface ClusterFacts {
  /** The Nx project, for the fixes (`nx run <project>:ccoctl`). */
  project: string;
  accountId: string;
  region: string;
  partition: Partition;
  stsName: string;
  awsProfile?: string | undefined;
  permissionsBoundaryArn?: string | undefined;
  /** featureSet TechPreviewNoUpgrade: ccoctl ran with --enable-tech-preview. */
  techPreview: boolean;
}

/** One request ccoctl made a role for, with what its Secret says. */
export interface RequestToVerify {
  request: CredentialsRequest;
  /** The role ccoctl names for it: `<sts_name>-<secret ns>-<secret name>`, cut to 64 characters. */
  roleName: string;
  /** Workspace-relative Secret manifest. */
  secretFile: string;
  /** The Secret's role_arn, when it is there and well-formed for this cluster; AWS checks need it. */
  roleArn?: string | undefined;
}

export interface LocalOutputs {
  issuer?: Issuer | undefined;
  /** The public half of the signing key the installer gets (tls/), else of serviceaccount-signer.public. */
  signingKey?: ExpectedKey | undefined;
  requests: RequestToVerify[];
  /** A dry run: no resources exist, nothing in AWS to verify. */
  dryRun: boolean;
}

export interface OutputPaths {
  /** .work/ccoctl */
  ccoctlDir: string;
  /** .work/credrequests */
  credentialsRequestsDir: string;
  /** Absolute path → what messages show (workspace-relative). */
  show: (path: string) => string;
}

/** The requests ccoctl processes, as it filters them (delete-annotated and feature-set requests are passed over). */
export function requestsCcoctlProcesses(
  requests: CredentialsRequest[],
  techPreview: boolean,
): { aws: CredentialsRequest[]; notAws: CredentialsRequest[] } {
  const processed = requests.filter((r) => {
    if (r.annotations[DELETE_ANNOTATION] === 'true') return false;
    const featureSet = r.annotations[FEATURE_SET_ANNOTATION];
    return featureSet === undefined || (techPreview && featureSet === 'TechPreviewNoUpgrade');
  });
  return { aws: processed.filter(isAwsRequest), notAws: processed.filter((r) => !isAwsRequest(r)) };
}

/** `role_arn = ...` inside the Secret's AWS config profile (stringData.credentials, or base64 data.credentials). */
export function roleArnOfSecret(text: string): string | undefined {
  let doc: { stringData?: { credentials?: unknown }; data?: { credentials?: unknown } } | null;
  try {
    doc = parse(text) as typeof doc;
  } catch {
    return undefined;
  }
  let credentials = doc?.stringData?.credentials;
  if (typeof credentials !== 'string' && typeof doc?.data?.credentials === 'string') {
    credentials = Buffer.from(doc.data.credentials, 'base64').toString('utf8');
  }
  if (typeof credentials !== 'string') return undefined;
  return /^\s*role_arn\s*=\s*(\S*)\s*$/m.exec(credentials)?.[1] ?? undefined;
}

/** `arn:<partition>:iam::<account>:role/<path/><name>` → its parts. */
export function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const match = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(arn);
  return match ? { partition: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

function readKey(path: string, kind: 'private' | 'public'): KeyObject | undefined {
  try {
    const pem = readFileSync(path);
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    return undefined;
  }
}

function isDryRun(ccoctlDir: string, secretTexts: string[]): boolean {
  try {
    const record = JSON.parse(readFileSync(join(ccoctlDir, CCOCTL_RECORD), 'utf8')) as { dryRun?: unknown };
    if (record.dryRun === true) return true;
  } catch {
    // No record (ccoctl run by hand): judge by the files.
  }
  return existsSync(join(ccoctlDir, DRY_RUN_FILE)) || secretTexts.some((t) => t.includes(DRY_RUN_PLACEHOLDER));
}

export function readLocalOutputs(paths: OutputPaths, facts: ClusterFacts, findings: Findings): LocalOutputs {
  const { ccoctlDir, show } = paths;
  const rerun = fixes.rerunCcoctl(facts.project);
  if (!existsSync(ccoctlDir)) {
    throw new UserError(
      `${show(ccoctlDir)} is missing: run \`nx run ${facts.project}:ccoctl\` first (nx runs it for you through dependsOn)`,
    );
  }
  const manifestsDir = join(ccoctlDir, 'manifests');
  const manifestFiles = existsSync(manifestsDir) ? readdirSync(manifestsDir).sort() : [];
  const texts = new Map(manifestFiles.map((f) => [f, readFileSync(join(manifestsDir, f), 'utf8')]));

  findings.checked('outputs');
  if (isDryRun(ccoctlDir, [...texts.values()])) {
    findings.error(
      'outputs',
      show(ccoctlDir),
      'IAM roles and an OIDC issuer created by ccoctl aws create-all',
      'the output of a ccoctl dry run: AWS CLI inputs only, Secrets without a role ARN, nothing created in AWS',
      `run ccoctl without --dry-run (unset CCO_DRY_RUN): nx run ${facts.project}:ccoctl --skip-nx-cache`,
    );
    return { requests: [], dryRun: true };
  }

  // The issuer.
  const authFile = join(ccoctlDir, AUTHENTICATION_MANIFEST);
  let issuer: Issuer | undefined;
  findings.checked('outputs');
  if (!texts.has('cluster-authentication-02-config.yaml')) {
    findings.error(
      'outputs',
      show(authFile),
      'the Authentication manifest with spec.serviceAccountIssuer',
      'no such file',
      rerun,
    );
  } else {
    let issuerUrl: unknown;
    try {
      issuerUrl = (
        parse(texts.get('cluster-authentication-02-config.yaml')!) as {
          spec?: { serviceAccountIssuer?: unknown };
        } | null
      )?.spec?.serviceAccountIssuer;
    } catch {
      issuerUrl = undefined;
    }
    issuer = typeof issuerUrl === 'string' ? parseIssuer(issuerUrl) : undefined;
    if (!issuer) {
      findings.error(
        'outputs',
        show(authFile),
        'spec.serviceAccountIssuer: an https URL',
        typeof issuerUrl === 'string' ? issuerUrl : 'none',
        rerun,
      );
    } else if (issuer.source.kind === 's3') {
      // ccoctl's public issuer is its bucket <sts_name>-oidc in the cluster's region.
      findings.checked('outputs');
      const want = `https://${facts.stsName}-oidc.s3.${facts.region}.${dnsSuffixOf(facts.partition)}`;
      if (issuer.url !== want) {
        findings.error(
          'outputs',
          show(authFile),
          `spec.serviceAccountIssuer ${want} (credentials.sts_name, platform.region)`,
          `${issuer.url}: made for another sts_name or region`,
          rerun,
        );
      }
    }
  }

  // The signing key the installer gets, and the public key ccoctl published from.
  const keyFile = join(ccoctlDir, SIGNING_KEY);
  const publicFile = join(ccoctlDir, SIGNER_PUBLIC);
  const privateKey = existsSync(keyFile) ? readKey(keyFile, 'private') : undefined;
  const publicKey = existsSync(publicFile) ? readKey(publicFile, 'public') : undefined;
  findings.checked('outputs');
  if (!existsSync(keyFile)) {
    findings.error(
      'outputs',
      show(keyFile),
      'the service-account signing key for the installer',
      'no such file: the installer would make its own key, which the OIDC provider cannot verify (InvalidIdentityToken)',
      `${rerun} (without --public-key-file)`,
    );
  } else if (!privateKey) {
    findings.error('outputs', show(keyFile), 'an RSA private key (PEM)', 'unreadable', rerun);
  } else if (publicKey) {
    findings.checked('outputs');
    const a = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    if (!a.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
      findings.error(
        'outputs',
        show(keyFile),
        `the private half of ${show(publicFile)} (the key ccoctl published)`,
        'another key',
        rerun,
      );
    }
  }
  const signingKey = privateKey ? expectedKeyOf(privateKey) : publicKey ? expectedKeyOf(publicKey) : undefined;

  // The requests, and a Secret with a role for each.
  const all = readCredentialsRequests(paths.credentialsRequestsDir);
  const { aws, notAws } = requestsCcoctlProcesses(all, facts.techPreview);
  for (const request of notAws) {
    findings.checked('outputs');
    findings.warning(
      'outputs',
      show(join(paths.credentialsRequestsDir, request.file)),
      'AWS CredentialsRequests only',
      `${request.namespace}/${request.name} is ${request.providerKind || 'of no provider kind'}: ccoctl refuses it`,
      `re-run extract: nx run ${facts.project}:extract --skip-nx-cache`,
    );
  }
  findings.checked('outputs');
  for (const collision of roleNameCollisions(facts.stsName, aws)) {
    findings.error(
      'outputs',
      show(paths.credentialsRequestsDir),
      'one role per request (ccoctl cuts role names to 64 characters without a hash)',
      collision,
      'use a shorter credentials.sts_name in cluster.yaml, then re-run ccoctl',
    );
  }

  const requests: RequestToVerify[] = [];
  const secretFiles = new Set<string>();
  for (const request of aws) {
    const fileName = secretManifestName(request);
    secretFiles.add(fileName);
    const file = join(manifestsDir, fileName);
    const roleName = roleNameFor(facts.stsName, request);
    const entry: RequestToVerify = { request, roleName, secretFile: show(file) };
    requests.push(entry);
    findings.checked('outputs');
    const text = texts.get(fileName);
    if (text === undefined) {
      findings.error(
        'outputs',
        show(file),
        `the Secret ${request.secretRef.namespace}/${request.secretRef.name} for ${request.namespace}/${request.name}`,
        'no such file',
        rerun,
      );
      continue;
    }
    const roleArn = roleArnOfSecret(text);
    findings.checked('roles');
    const expectedArn = `arn:${facts.partition}:iam::${facts.accountId}:role/${roleName}`;
    const parsed = roleArn ? parseRoleArn(roleArn) : undefined;
    if (!roleArn || !parsed) {
      findings.error(
        'roles',
        show(file),
        `role_arn = ${expectedArn}`,
        roleArn ? `role_arn = ${roleArn}` : 'no role_arn',
        rerun,
      );
      continue;
    }
    const wrong: string[] = [];
    if (parsed.partition !== facts.partition) wrong.push(`partition ${parsed.partition}, not ${facts.partition}`);
    if (parsed.account !== facts.accountId)
      wrong.push(`account ${parsed.account}, not platform.account_id ${facts.accountId}`);
    if (parsed.name !== roleName) wrong.push(`role ${parsed.name}, not ${roleName}`);
    if (wrong.length) {
      findings.error(
        'roles',
        show(file),
        `role_arn = ${expectedArn}`,
        `role_arn = ${roleArn} (${wrong.join('; ')})`,
        rerun,
      );
      continue;
    }
    entry.roleArn = roleArn;
  }
  for (const file of manifestFiles) {
    if (!file.endsWith('-credentials.yaml') || secretFiles.has(file)) continue;
    findings.warning(
      'outputs',
      show(join(manifestsDir, file)),
      'a Secret only for the extracted CredentialsRequests',
      'a Secret for no current request: inject would still give it to the installer',
      rerun,
    );
  }
  return { issuer, signingKey, requests, dryRun: false };
}
