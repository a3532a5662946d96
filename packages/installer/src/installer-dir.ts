/*
 * The files of an openshift-install folder that the steps read or write (manifests' output, install's
 * .work/installer/), what the pipeline adds to such a folder, and the kubeconfig install hands on. One module, so
 * that manifests, install and destroy agree without importing from one another.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readStateFile, STATE_GROUPS, writeOwnerOnly, type ObjectStore } from '@ocp-sts/state';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';

/** What manifests records beside the installer's files (inject leaves it out of the installer dir). */
export const MANIFESTS_RECORD = 'ocp-sts-manifests.json';
/** Written when `create cluster` (or `wait-for install-complete`) succeeded: the install is finished. */
export const INSTALLED_MARKER = '.ocp-sts-installed';
/** The installer's record of the infrastructure it created: `destroy cluster` needs it, and it holds the infraID. */
export const INSTALLER_METADATA = 'metadata.json';
export const INFRASTRUCTURE_MANIFEST = join('manifests', 'cluster-infrastructure-02-config.yml');
/** The installer writes it to `auth/`; install copies it to the cluster's .work/ under the same name. */
export const KUBECONFIG = 'kubeconfig';
/** The installer's own log: it can hold the pull secret and the kubeadmin password line. */
const INSTALLER_LOG = '.openshift_install.log';
/** The installer's record of the assets it made: `wait-for install-complete` resumes from it. */
const INSTALLER_STATE = '.openshift_install_state.json';
/** The cluster-admin credentials the installer writes while it makes the ignition configs, before any machine. */
export const AUTH_KUBECONFIG = join('auth', KUBECONFIG);
export const AUTH_KUBEADMIN_PASSWORD = join('auth', 'kubeadmin-password');

/**
 * What of an installer dir git cannot rebuild, and so goes into the cluster's state backend: what destroy and a resume
 * need (metadata and state), the admin credentials, and the log (always kept redacted).
 */
export const INSTALLER_STATE_FILES = [
  INSTALLER_METADATA,
  INSTALLER_STATE,
  AUTH_KUBECONFIG,
  AUTH_KUBEADMIN_PASSWORD,
  INSTALLER_LOG,
] as const;
/** Those of them that exist before the installer creates infrastructure and are kept at once: all but the log. */
export const EARLY_INSTALLER_STATE_FILES = INSTALLER_STATE_FILES.filter((file) => file !== INSTALLER_LOG);

/** The cluster-admin kubeconfig that install leaves in .work/ (and destroy removes). */
export function kubeconfigPath(step: ClusterStep): string {
  return step.work(KUBECONFIG);
}

/**
 * Writes the cluster-admin kubeconfig that install kept in the state to .work/kubeconfig, owner-only, and returns its
 * path; undefined when the state holds none (each caller says what that means for it).
 */
export async function kubeconfigFromState(step: ClusterStep, state: ObjectStore): Promise<string | undefined> {
  const body = await readStateFile(state, STATE_GROUPS.installer, AUTH_KUBECONFIG);
  if (!body) return undefined;
  const path = kubeconfigPath(step);
  writeOwnerOnly(path, body);
  return path;
}

/**
 * Rewrites the installer's own log in an installer dir through the step's redactor (again, harmlessly, when it was
 * redacted already). Written beside it and renamed over it, so that a kill midway leaves the whole log, never half.
 */
export function redactInstallerLog(step: ClusterStep, installerDir: string): void {
  const log = join(installerDir, INSTALLER_LOG);
  if (!existsSync(log)) return;
  const redacted = `${log}.redacted-${process.pid}`;
  writeFileSync(redacted, step.redactor.text(readFileSync(log, 'utf8')), { mode: 0o600 });
  renameSync(redacted, log);
}

/** The infrastructure id the installer chose, from manifests/cluster-infrastructure-02-config.yml. */
export function readInfraId(installerDir: string): string {
  const file = join(installerDir, INFRASTRUCTURE_MANIFEST);
  if (!existsSync(file)) throw new UserError(`openshift-install wrote no ${INFRASTRUCTURE_MANIFEST}`);
  const doc = parse(readFileSync(file, 'utf8')) as { status?: { infrastructureName?: unknown } } | null;
  const infraID = doc?.status?.infrastructureName;
  if (typeof infraID !== 'string' || !infraID) {
    throw new UserError(`${INFRASTRUCTURE_MANIFEST} has no status.infrastructureName`);
  }
  return infraID;
}
