/*
 * verify: the read-only check, before install, that the trust chain ccoctl built is still whole. From the cluster's
 * .work/ outputs (outputs.ts) and AWS: the caller's account (identity.ts), the IAM OIDC provider (oidc-provider.ts),
 * the published discovery document and JWKS (oidc-documents.ts), and per request the role, its trust policy and its
 * inline policy (roles.ts, trust-policy.ts, role-policy.ts). Every AWS call goes through one pool per cluster
 * (aws/reader.ts); the calls are 6 + 2 per request for a public issuer (5 + 2 per request, plus the pages of
 * ListDistributions and one GetCloudFrontOriginAccessIdentity when the origin reads through one, for a private one),
 * so they grow linearly with the requests.
 */
import { partitionOf, sortedTags } from '@ocp-sts/cluster-config';
import type { ClusterStep } from '@ocp-sts/toolchain';
import { awsClients, awsReader, type AwsClients } from '@ocp-sts/aws';
import { Findings } from './findings.ts';
import { checkIdentity } from './identity.ts';
import { checkOidcDocuments } from './oidc-documents.ts';
import { checkOidcProvider } from './oidc-provider.ts';
import { readLocalOutputs, type ClusterFacts, type OutputPaths } from './outputs.ts';
import type { VerifyReport } from './report.ts';
import { checkRole } from './roles.ts';

/** At most this many AWS calls at once per cluster, unless the `concurrency` option says otherwise. */
export const DEFAULT_CONCURRENCY = 6;

export interface VerifyInput {
  facts: ClusterFacts;
  /** credentials.cco_mode: anything but manual-sts has nothing to verify. */
  ccoMode: string;
  paths: OutputPaths;
  concurrency?: number | undefined;
  /** The cluster's AWS clients; default awsClients({ profile, region }). The benchmark passes its own to count. */
  clients?: AwsClients | undefined;
}

/** The input of verifyCluster for a cluster step of an executor. */
export function verifyInputFor(step: ClusterStep, concurrency?: number): VerifyInput {
  const { cluster, stsName } = step.loaded;
  return {
    facts: {
      project: step.projectName,
      accountId: cluster.platform.account_id,
      region: cluster.platform.region,
      partition: partitionOf(cluster.platform.region),
      stsName,
      awsProfile: cluster.credentials.aws_profile ?? undefined,
      permissionsBoundaryArn: cluster.credentials.permissions_boundary_arn ?? undefined,
      techPreview: cluster.openshift.feature_set === 'TechPreviewNoUpgrade',
      userTags: sortedTags(cluster.tags),
    },
    ccoMode: cluster.credentials.cco_mode,
    paths: { ccoctlDir: step.dir('ccoctl'), credentialsRequestsDir: step.dir('extract'), show: step.show },
    concurrency,
  };
}

export async function verifyCluster(input: VerifyInput): Promise<VerifyReport> {
  const started = Date.now();
  const { facts } = input;
  const base = {
    cluster: facts.project,
    stsName: facts.stsName,
    accountId: facts.accountId,
    region: facts.region,
    profile: facts.awsProfile ?? null,
  };
  if (input.ccoMode !== 'manual-sts') {
    return {
      ...base,
      status: 'skipped',
      reason: `cco_mode is ${input.ccoMode}, not manual-sts: ccoctl made nothing`,
      issuer: null,
      checks: 0,
      errors: 0,
      warnings: 0,
      findings: [],
      calls: {},
      awsCalls: 0,
      durationMs: Date.now() - started,
    };
  }

  const findings = new Findings();
  const local = readLocalOutputs(input.paths, facts, findings);
  const clients = input.clients ?? awsClients({ profile: facts.awsProfile, region: facts.region });
  const callsBefore = new Map(clients.calls);

  if (!local.dryRun) {
    const aws = awsReader(clients, input.concurrency ?? DEFAULT_CONCURRENCY);
    if (await checkIdentity(aws, facts, findings)) {
      const { issuer } = local;
      await Promise.all([
        issuer ? checkOidcProvider(aws, facts, issuer, findings) : undefined,
        issuer ? checkOidcDocuments(aws, facts, issuer, local.signingKey, findings) : undefined,
        ...local.requests.map((entry) => checkRole(aws, facts, issuer, entry, findings)),
      ]);
    }
  }

  const calls = Object.fromEntries(
    [...clients.calls.entries()]
      .map(([call, n]): [string, number] => [call, n - (callsBefore.get(call) ?? 0)])
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const errors = findings.errors;
  return {
    ...base,
    status: errors ? 'failed' : 'verified',
    issuer: local.issuer?.url ?? null,
    checks: findings.checks,
    errors,
    warnings: findings.warnings,
    findings: findings.sorted(),
    calls,
    awsCalls: Object.values(calls).reduce((a, b) => a + b, 0),
    durationMs: Date.now() - started,
  };
}
