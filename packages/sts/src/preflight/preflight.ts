/*
 * preflight: everything that can be known to be wrong before anything is created, reported all at once: the AWS
 * account of the caller, the region, the pull secret, the ssh key, the OIDC bucket name, the owner of what exists for
 * the sts name (ownership/), the tools and the installer's release, and the state bucket of an s3 state backend.
 * Read-only, in seconds, uncached (it is about the world, not about files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { partitionOfRegion, regionProblems, RELEASE_FILE, type Release } from '@ocp-sts/cluster-config';
import {
  checkInstallerRelease,
  isUserError,
  parseSshPublicKey,
  pullSecretFileProblems,
  readRelease,
  RED_HAT_REGISTRIES,
  resolveTool,
  sshKeyFileProblems,
  stsIsOff,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolName,
  type ToolOptions,
  wantsReleaseTools,
} from '@ocp-sts/toolchain';
import { awsCall, awsClients, type AwsClients, type AwsTarget } from '@ocp-sts/aws';
import { stateBucketClient, stateBucketProblems, stateLocation, type StateBucket } from '@ocp-sts/state';
import { foreignOwnedResources, foreignOwnerProblem } from '../ownership/foreign-owner.ts';
import { OWNER_TAG_KEY } from '../ownership/owner-tag.ts';
import { checkOidcBucket } from './bucket.ts';

export type CheckName =
  | 'account'
  | 'region'
  | 'pull-secret'
  | 'ssh-key'
  | 'oidc-bucket'
  | 'owner'
  | 'state-bucket'
  | 'tools'
  | 'installer-release';
export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  /** What was found (ok), or why the check did not run (skipped). Never a secret. */
  detail: string;
  /** Each names what is wrong and the fix. */
  problems: string[];
}

export interface PreflightReport {
  cluster: string;
  stsMode: boolean;
  target: AwsTarget;
  results: CheckResult[];
  problems: string[];
}

export interface PreflightOptions extends ToolOptions {
  /** AWS clients to use (tests); default: the cluster's profile and region. */
  clients?: AwsClients;
  /**
   * Whether openshift-install must match the release (default true). An upgrade runs no installer: the one on PATH
   * is the installed release's, or none.
   */
  installerRelease?: boolean;
}

/** preflight found problems: the message lists every one of them. */
export class PreflightError extends UserError {
  readonly report: PreflightReport;
  constructor(report: PreflightReport) {
    const n = report.problems.length;
    super(
      `${n} problem${n === 1 ? '' : 's'} found before anything was created for ${report.cluster}:\n` +
        report.problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'PreflightError';
    this.report = report;
  }
}

const ok = (check: CheckName, detail: string): CheckResult => ({ check, status: 'ok', detail, problems: [] });
const skipped = (check: CheckName, detail: string): CheckResult => ({ check, status: 'skipped', detail, problems: [] });
const failed = (check: CheckName, problems: string[], detail = ''): CheckResult => ({
  check,
  status: 'failed',
  detail,
  problems,
});

function message(error: unknown): string {
  if (isUserError(error)) return error.message;
  throw error;
}

async function checkAccount(step: ClusterStep, clients: AwsClients): Promise<CheckResult> {
  const want = step.loaded.cluster.platform.account_id;
  const { target } = clients;
  const profile = target.profile ? `profile ${target.profile}` : 'the default credential chain (no aws_profile)';
  try {
    const identity = await awsCall(target, 'sts:GetCallerIdentity', () =>
      clients.sts.send(new GetCallerIdentityCommand({})),
    );
    if (identity.Account !== want) {
      return failed('account', [
        `the AWS caller ${identity.Arn ?? '?'} (${profile}) is in account ${identity.Account ?? '?'}, but ` +
          `platform.account_id is ${want}: nothing was checked further in AWS. Use a profile of account ${want} ` +
          '(credentials.aws_profile), or correct platform.account_id',
      ]);
    }
    return ok('account', `${identity.Arn ?? '?'} (${profile}) is in ${want}`);
  } catch (error) {
    return failed('account', [message(error)]);
  }
}

function checkPullSecret(step: ClusterStep): CheckResult {
  const problems = pullSecretFileProblems(step, { requiredRegistries: RED_HAT_REGISTRIES });
  if (problems.length) return failed('pull-secret', problems);
  return ok(
    'pull-secret',
    `${step.show(step.loaded.secretFiles.pullSecret)}: credentials for ${RED_HAT_REGISTRIES.join(' and ')}`,
  );
}

function checkSshKey(step: ClusterStep): CheckResult {
  const problems = sshKeyFileProblems(step);
  if (problems.length) return failed('ssh-key', problems);
  const key = parseSshPublicKey(readFileSync(step.loaded.secretFiles.sshPublicKey, 'utf8').trim());
  return ok(
    'ssh-key',
    `${step.show(step.loaded.secretFiles.sshPublicKey)}: ${key.type}${key.bits ? ` (${key.bits} bits)` : ''}`,
  );
}

async function checkBucket(step: ClusterStep, clients: AwsClients): Promise<CheckResult> {
  try {
    const verdict = await checkOidcBucket(clients.s3, clients.target, step.loaded.stsName);
    return verdict.state === 'taken'
      ? failed('oidc-bucket', [verdict.problem])
      : ok(
          'oidc-bucket',
          verdict.state === 'free'
            ? `${verdict.bucket} is free`
            : `${verdict.bucket} exists and is tagged for ${step.loaded.stsName}: ccoctl reuses it`,
        );
  } catch (error) {
    return failed('oidc-bucket', [message(error)]);
  }
}

/** Nothing that exists for the sts name (bucket, OIDC provider, roles) is tagged as another cluster's. */
async function checkOwner(step: ClusterStep, clients: AwsClients): Promise<CheckResult> {
  const query = { stsName: step.loaded.stsName, cluster: step.loaded.cluster.name };
  try {
    const foreign = await foreignOwnedResources(clients, query);
    const problems = foreign.map((f) => foreignOwnerProblem(f, query));
    if (problems.length) return failed('owner', problems);
  } catch (error) {
    return failed('owner', [message(error)]);
  }
  return ok('owner', `nothing of sts_name ${query.stsName} is tagged ${OWNER_TAG_KEY} for another cluster`);
}

/**
 * The state bucket of an s3 backend, with its own region and profile (state.profile, else the cluster's): it may be
 * in another account than the cluster, so it is checked whatever the account check found.
 */
async function checkStateBucket(step: ClusterStep): Promise<CheckResult> {
  const location = stateLocation(step);
  if (location.backend === 'local') return skipped('state-bucket', 'state.backend is local (this checkout): no bucket');
  const target: StateBucket = {
    bucket: location.bucket,
    region: location.aws.region,
    kmsKeyId: location.kmsKeyId,
    profile: location.aws.profile,
  };
  try {
    const problems = await stateBucketProblems(stateBucketClient(target), target);
    if (problems.length) return failed('state-bucket', problems);
  } catch (error) {
    return failed('state-bucket', [message(error)]);
  }
  const encryption = target.kmsKeyId ? `SSE-KMS with ${target.kmsKeyId}` : 'encrypted';
  return ok('state-bucket', `s3://${target.bucket} (${target.region}): versioned, ${encryption}, not public, TLS only`);
}

/** Where preflight looks for the tools, and whether openshift-install and ccoctl come from the release instead. */
interface ToolLookup {
  fromRelease: boolean;
  binDirs: string[];
}

function checkTools(
  step: ClusterStep,
  { fromRelease, binDirs }: ToolLookup,
): { result: CheckResult; installer?: string } {
  const needed: ToolName[] = fromRelease
    ? ['oc']
    : stsIsOff(step)
      ? ['openshift-install']
      : ['openshift-install', 'oc', 'ccoctl'];
  const found = new Map<ToolName, string>();
  const problems: string[] = [];
  for (const tool of needed) {
    try {
      found.set(tool, resolveTool(tool, binDirs));
    } catch (error) {
      problems.push(message(error));
    }
  }
  if (problems.length) return { result: failed('tools', problems) };
  const shown = [...found].map(
    ([tool, path]) => `${tool} (${path.startsWith(step.workspaceRoot) ? step.show(path) : path})`,
  );
  const note = fromRelease
    ? '; openshift-install and ccoctl come from the release (useReleaseTools), extracted by the step that needs them'
    : '';
  const installer = found.get('openshift-install');
  return { result: ok('tools', `${shown.join(', ')}${note}`), ...(installer && { installer }) };
}

async function checkRelease(
  step: ClusterStep,
  { fromRelease, binDirs }: ToolLookup,
  installerFound: boolean,
): Promise<CheckResult> {
  if (fromRelease) {
    return skipped('installer-release', 'the installer is extracted from the release itself (useReleaseTools)');
  }
  if (!installerFound) return skipped('installer-release', 'openshift-install was not found');
  const releaseFile = join(step.dir('render'), RELEASE_FILE);
  if (!existsSync(releaseFile)) {
    return skipped(
      'installer-release',
      `${step.show(releaseFile)} is not there yet (render has not run): manifests and install check it later`,
    );
  }
  let release: Release;
  try {
    release = readRelease(step);
  } catch (error) {
    return failed('installer-release', [message(error)]);
  }
  try {
    await checkInstallerRelease(step, release, binDirs);
    return ok('installer-release', `openshift-install is built for ${release.image}`);
  } catch (error) {
    return failed('installer-release', [message(error)]);
  }
}

/** Every preflight check of the cluster; never throws for a problem it finds (see runPreflightChecks). */
export async function preflightReport(step: ClusterStep, options: PreflightOptions = {}): Promise<PreflightReport> {
  const { cluster } = step.loaded;
  const sts = !stsIsOff(step);
  const target: AwsTarget = {
    profile: cluster.credentials.aws_profile ?? undefined,
    region: cluster.platform.region,
  };
  const results: CheckResult[] = [];

  const regionIssues = regionProblems(target.region);
  const region = regionIssues.length
    ? failed('region', regionIssues)
    : ok('region', `${target.region} (partition ${partitionOfRegion(target.region)})`);

  let account: CheckResult;
  let bucket: CheckResult;
  let owner: CheckResult;
  if (regionIssues.length) {
    account = skipped('account', 'no AWS call is made for an unknown region');
    bucket = skipped('oidc-bucket', 'no AWS call is made for an unknown region');
    owner = skipped('owner', 'no AWS call is made for an unknown region');
  } else {
    const clients = options.clients ?? awsClients(target);
    account = await checkAccount(step, clients);
    if (!sts) {
      bucket = skipped('oidc-bucket', `cco_mode is ${cluster.credentials.cco_mode}: no OIDC bucket`);
      owner = skipped('owner', `cco_mode is ${cluster.credentials.cco_mode}: ccoctl makes nothing`);
    } else if (account.status !== 'ok') {
      bucket = skipped('oidc-bucket', 'not checked: the AWS identity is not usable for this cluster (see account)');
      owner = skipped('owner', 'not checked: the AWS identity is not usable for this cluster (see account)');
    } else {
      // The owner check scans IAM (every role of the account is listed): it runs beside the bucket check.
      [bucket, owner] = await Promise.all([checkBucket(step, clients), checkOwner(step, clients)]);
    }
  }

  // No release handed over: preflight extracts nothing (the steps that need the release's tools do).
  const lookup = { fromRelease: wantsReleaseTools(options), binDirs: await toolDirs(step, undefined, options) };
  const tools = checkTools(step, lookup);
  results.push(
    account,
    region,
    checkPullSecret(step),
    checkSshKey(step),
    bucket,
    owner,
    await checkStateBucket(step),
    tools.result,
    options.installerRelease === false
      ? skipped('installer-release', 'not needed: this step runs no openshift-install')
      : await checkRelease(step, lookup, tools.installer !== undefined),
  );
  return {
    cluster: cluster.name,
    stsMode: sts,
    target,
    results,
    problems: results.flatMap((r) => r.problems),
  };
}

/**
 * The checks as one call for the steps that create things (ccoctl calls it before `ccoctl aws create-all`):
 * resolves to the report when all is well, throws a PreflightError listing every problem otherwise.
 */
export async function runPreflightChecks(step: ClusterStep, options: PreflightOptions = {}): Promise<PreflightReport> {
  const report = await preflightReport(step, options);
  if (report.problems.length) throw new PreflightError(report);
  return report;
}

const LABELS: Record<CheckName, string> = {
  account: 'AWS account',
  region: 'region',
  'pull-secret': 'pull secret',
  'ssh-key': 'ssh key',
  'oidc-bucket': 'OIDC bucket',
  owner: 'owner tag',
  'state-bucket': 'state bucket',
  tools: 'tools',
  'installer-release': 'installer release',
};

/** The report as terminal lines: one per check, problems below the check that found them. */
export function formatPreflightReport(report: PreflightReport): string {
  const profile = report.target.profile ?? '(default credential chain)';
  const head = `preflight: ${report.cluster} (profile ${profile}, region ${report.target.region}${report.stsMode ? '' : ', not manual-sts'})`;
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  const lines = report.results.flatMap((r) => {
    const mark = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' }[r.status];
    const first = `  ${mark}  ${LABELS[r.check].padEnd(width)}  ${r.detail || (r.problems.length === 1 ? '' : `${r.problems.length} problems`)}`;
    const problems = r.problems.map((p) => `        ${' '.repeat(width)}  - ${p}`);
    return r.status === 'failed' && r.problems.length === 1 && !r.detail
      ? [`  ${mark}  ${LABELS[r.check].padEnd(width)}  ${r.problems[0]!}`]
      : [first.trimEnd(), ...problems];
  });
  return [head, ...lines].join('\n');
}
