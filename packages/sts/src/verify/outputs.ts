/*
 * What verify reads from the cluster's .work/ before asking AWS anything: ccoctl's output, through the reader of its
 * folder (ccoctl-output/read.ts: the issuer in the Authentication manifest, one Secret manifest per request with the
 * role ARN inside, the signing key in tls/, its public half, and our record), and the extracted CredentialsRequests.
 * Local problems (a dry run, a missing Secret or key, a role ARN for another account, two requests sharing a truncated
 * role name) are findings of the `outputs` and `roles` families.
 */
import { join } from 'node:path';
import { UserError } from '@ocp-sts/toolchain';
import { readCcoctlOutput, type CcoctlFileProblem } from '../ccoctl-output/read.ts';
import {
  isAwsRequest,
  readCredentialsRequests,
  roleNameCollisions,
  roleNameFor,
  type CredentialsRequest,
} from '../credentials-requests.ts';
import { fixes, type Finding, type Findings } from './findings.ts';
import { dnsSuffixOf, parseIssuer, publicJwkOf, type Issuer, type Partition, type PublicJwk } from '../issuer/index.ts';

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
  /** cluster.yaml's tags, which the ccoctl step puts on the roles and the OIDC provider (user-tags.ts). */
  userTags?: Record<string, string> | undefined;
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
  signingKey?: PublicJwk | undefined;
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

/** `arn:<partition>:iam::<account>:role/<path/><name>` → its parts. */
export function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const match = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(arn);
  return match ? { partition: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

/**
 * The finding for a problem of ccoctl's output, or null for one verify does not report: the checks against the
 * cluster below cover it, or only inject cares. A switch over every kind: a new kind must be placed.
 */
function findingOf(problem: CcoctlFileProblem, show: (path: string) => string, rerun: string): Finding | null {
  const error = (resource: string, expected: string, found: string, fix = rerun): Finding => ({
    severity: 'error',
    check: 'outputs',
    resource: show(resource),
    expected,
    found,
    fix,
  });
  switch (problem.kind) {
    case 'missing-authentication':
      return error(problem.path, 'the Authentication manifest with spec.serviceAccountIssuer', 'no such file');
    case 'missing-signing-key':
      return error(
        problem.path,
        'the service-account signing key for the installer',
        'no such file: the installer would make its own key, which the OIDC provider cannot verify (InvalidIdentityToken)',
        `${rerun} (without --public-key-file)`,
      );
    case 'unreadable-signing-key':
      return error(problem.path, 'an RSA private key (PEM)', 'unreadable');
    case 'keys-differ':
      return error(
        problem.path,
        `the private half of ${show(problem.publicKeyPath)} (the key ccoctl published)`,
        'another key',
      );
    case 'missing-secret': {
      const { request } = problem;
      return error(
        problem.path,
        `the Secret ${request.secretRef.namespace}/${request.secretRef.name} for ${request.namespace}/${request.name}`,
        'no such file',
      );
    }
    case 'unrequested-secret':
      return {
        ...error(
          problem.path,
          'a Secret only for the extracted CredentialsRequests',
          'a Secret for no current request: inject would still give it to the installer',
        ),
        severity: 'warning',
      };
    // Not findings here: a dry run's Secret makes the whole output a dry run's, or (role_arn merely empty) is a
    // `roles` finding below, as is a Secret that is not YAML (no role_arn). A Secret's own name is inject's concern:
    // it refuses the file. The public key only serves to check tls/'s key; the AWS checks compare the issuer's JWKS
    // with tls/'s key (or with the public key, when tls/'s key is missing).
    case 'dry-run-secret':
    case 'invalid-secret':
    case 'wrong-secret':
    case 'missing-public-key':
    case 'unreadable-public-key':
      return null;
  }
}

export function readLocalOutputs(paths: OutputPaths, facts: ClusterFacts, findings: Findings): LocalOutputs {
  const { ccoctlDir, show } = paths;
  const rerun = fixes.rerunCcoctl(facts.project);
  const all = readCredentialsRequests(paths.credentialsRequestsDir);
  const { aws, notAws } = requestsCcoctlProcesses(all, facts.techPreview);
  const { output, problems } = readCcoctlOutput(ccoctlDir, aws);
  if (!output) {
    throw new UserError(
      `${show(ccoctlDir)} is missing: run \`nx run ${facts.project}:ccoctl\` first (nx runs it for you through dependsOn)`,
    );
  }

  findings.checked('outputs');
  if (output.dryRun) {
    findings.error(
      'outputs',
      show(ccoctlDir),
      'IAM roles and an OIDC issuer created by ccoctl aws create-all',
      'the output of a ccoctl dry run: AWS CLI inputs only, Secrets without a role ARN, nothing created in AWS',
      `run ccoctl without --dry-run (unset CCO_DRY_RUN): nx run ${facts.project}:ccoctl --skip-nx-cache`,
    );
    return { requests: [], dryRun: true };
  }
  for (const problem of problems) {
    const finding = findingOf(problem, show, rerun);
    if (finding) findings.add(finding);
  }

  // The issuer (a missing Authentication manifest is a problem above).
  let issuer: Issuer | undefined;
  findings.checked('outputs');
  if (output.authentication) {
    const { path, issuerUrl } = output.authentication;
    issuer = issuerUrl === undefined ? undefined : parseIssuer(issuerUrl);
    if (!issuer) {
      findings.error('outputs', show(path), 'spec.serviceAccountIssuer: an https URL', issuerUrl ?? 'none', rerun);
    } else if (issuer.source.kind === 's3') {
      // ccoctl's public issuer is its bucket <sts_name>-oidc in the cluster's region.
      findings.checked('outputs');
      const want = `https://${facts.stsName}-oidc.s3.${facts.region}.${dnsSuffixOf(facts.partition)}`;
      if (issuer.url !== want) {
        findings.error(
          'outputs',
          show(path),
          `spec.serviceAccountIssuer ${want} (credentials.sts_name, platform.region)`,
          `${issuer.url}: made for another sts_name or region`,
          rerun,
        );
      }
    }
  }

  // The signing key the installer gets, and (when both are readable) that it is the key ccoctl published.
  findings.checked('outputs', output.signingKey && output.publicKey ? 2 : 1);
  const { signingKey: privateKey, publicKey } = output;
  const signingKey = privateKey ? publicJwkOf(privateKey) : publicKey ? publicJwkOf(publicKey) : undefined;

  // The requests, and a Secret with a role for each (a missing Secret is a problem above).
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
  for (const secret of output.secrets) {
    const { request, roleArn } = secret;
    const roleName = roleNameFor(facts.stsName, request);
    const entry: RequestToVerify = { request, roleName, secretFile: show(secret.path) };
    requests.push(entry);
    findings.checked('outputs');
    if (!secret.exists) continue;
    findings.checked('roles');
    const expectedArn = `arn:${facts.partition}:iam::${facts.accountId}:role/${roleName}`;
    const parsed = roleArn ? parseRoleArn(roleArn) : undefined;
    if (!roleArn || !parsed) {
      findings.error(
        'roles',
        show(secret.path),
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
        show(secret.path),
        `role_arn = ${expectedArn}`,
        `role_arn = ${roleArn} (${wrong.join('; ')})`,
        rerun,
      );
      continue;
    }
    entry.roleArn = roleArn;
  }
  return { issuer, signingKey, requests, dryRun: false };
}
