/*
 * The IAM side of an upgrade: `ccoctl aws create-iam-roles` for the requests of the target release that are new or
 * changed (credentials-diff against the installed release), trusting the cluster's existing OIDC provider (its ARN
 * from the issuer ccoctl recorded). It creates the roles that do not exist and replaces the inline policy of those
 * that do; it never makes a key pair or a provider. Its Secret manifests (one per request, in <output>/manifests/)
 * are what the cluster gets next. The roles of requests the target no longer has are named, not touched.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { partitionOf, sortedTags } from '@ocp-sts/cluster-config';
import {
  keepInState,
  openStateStore,
  readRecord,
  STATE_GROUPS,
  STATE_RECORDS,
  type CcoctlStateRecord,
} from '@ocp-sts/state';
import { buildOutputDir, runTool, toolContext, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { issuerWrittenIn } from './ccoctl-output/read.ts';
import { MANIFESTS_DIR } from './ccoctl-output/layout.ts';
import { credentialsDiff, headRequestsNeedingRoles } from './credentials-diff/credentials-diff.ts';
import { roleNameFor, type CredentialsRequest } from './credentials-requests.ts';
import { copyRequestDocuments } from './release-requests.ts';
import { parseIssuer, providerArnFor } from './issuer/index.ts';
import { tagCcoctlOwner } from './ownership/tag-owner.ts';

/** The cluster's OIDC provider ARN: from the issuer in the state's ccoctl record, else in ccoctl's output. */
export async function clusterProviderArn(step: ClusterStep): Promise<string> {
  const record = await readRecord<CcoctlStateRecord>(openStateStore(step), STATE_RECORDS.ccoctl);
  const url = record?.issuer ?? issuerWrittenIn(step.dir('ccoctl'));
  const issuer = url ? parseIssuer(url) : undefined;
  if (!issuer) {
    throw new UserError(
      `no OIDC issuer of ${step.loaded.cluster.name} is recorded (neither the state's ccoctl record nor ` +
        `${step.show(step.dir('ccoctl'))}/ names one): the roles cannot be updated without the cluster's provider. ` +
        `Run nx run ${step.projectName}:ccoctl on the installed release first`,
    );
  }
  const { account_id: account, region } = step.loaded.cluster.platform;
  return providerArnFor(partitionOf(region), account, issuer);
}

export interface RoleUpdate {
  /** The requests handed to ccoctl, `namespace/name`. */
  requests: string[];
  /** The folder of the Secret manifests ccoctl wrote for them. */
  secretsDir: string;
}

/**
 * Runs `ccoctl aws create-iam-roles` for `requests` (of extract's output) into `outputDir`, made all or nothing. Safe
 * to repeat: a role that exists gets its policy replaced again.
 */
export async function updateRoles(
  step: ClusterStep,
  requests: readonly CredentialsRequest[],
  run: { outputDir: string; binDirs: string[] },
): Promise<RoleUpdate> {
  const ids = requests.map((r) => `${r.namespace}/${r.name}`).sort();
  const providerArn = await clusterProviderArn(step);
  const { stsName } = step.loaded;
  const { region } = step.loaded.cluster.platform;
  const { credentials, openshift } = step.loaded.cluster;
  await buildOutputDir(run.outputDir, async (dir) => {
    const requestsDir = join(dir, 'credrequests');
    copyRequestDocuments(step.dir('extract'), requestsDir, new Set(ids));
    await runTool({
      tool: 'ccoctl',
      args: [
        'aws',
        'create-iam-roles',
        `--name=${stsName}`,
        `--region=${region}`,
        `--credentials-requests-dir=${requestsDir}`,
        `--identity-provider-arn=${providerArn}`,
        `--output-dir=${dir}`,
        ...(credentials.permissions_boundary_arn
          ? [`--permissions-boundary-arn=${credentials.permissions_boundary_arn}`]
          : []),
        ...(openshift.feature_set === 'TechPreviewNoUpgrade' ? ['--enable-tech-preview'] : []),
      ],
      ...toolContext(step),
      binDirs: run.binDirs,
      env: credentials.aws_profile ? { AWS_PROFILE: credentials.aws_profile } : {},
    });
    const secrets = join(dir, MANIFESTS_DIR);
    const written = existsSync(secrets) ? readdirSync(secrets).length : 0;
    if (written < ids.length) {
      throw new UserError(
        `ccoctl aws create-iam-roles wrote ${written} Secret manifest(s) for ${ids.length} request(s) in ${step.show(secrets)}`,
      );
    }
  });
  // As the ccoctl step tags what create-all made: a role made here would else have no owner and no user tags.
  const roles = requests.map((r) => ({ request: `${r.namespace}/${r.name}`, role: roleNameFor(stsName, r) }));
  await tagCcoctlOwner(
    step,
    { stsName, region, dryRun: false, privateBucket: false, roles },
    sortedTags(step.loaded.cluster.tags),
  );
  const secretsDir = join(run.outputDir, MANIFESTS_DIR);
  // A verify where ccoctl never ran reads ccoctl's output from the state (verify/outputs-from-state.ts): these Secrets
  // replace their older copies there, and a new request's joins them. The ccoctl target's own folder is left alone.
  const files = readdirSync(secretsDir).map((file) => `${MANIFESTS_DIR}/${file}`);
  await keepInState(openStateStore(step), STATE_GROUPS.ccoctlOutput, run.outputDir, files);
  return { requests: ids, secretsDir };
}

export interface TargetRoles {
  /** The roles made or updated for the target's new and changed requests; undefined when there are none. */
  update: RoleUpdate | undefined;
  /** The requests the target release no longer has, with their roles. */
  removed: { request: string; role: string }[];
}

/** The roles of the target release (extract's output), against the installed one's, into `run.outputDir`. */
export async function rolesForTarget(
  step: ClusterStep,
  run: { outputDir: string; binDirs: string[] },
): Promise<TargetRoles> {
  const diff = await credentialsDiff(step, { echo: false });
  const needing = headRequestsNeedingRoles(step, diff);
  const removed =
    diff.status === 'changed'
      ? diff.diff.removed.map((r) => ({ request: r.request, role: roleNameFor(step.loaded.stsName, r) }))
      : [];
  return { update: needing.length ? await updateRoles(step, needing, run) : undefined, removed };
}
