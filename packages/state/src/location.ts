/*
 * Where a cluster's state lives: what git cannot rebuild (the signing key pair, the installer's records, the admin
 * credentials, the ccoctl and install records) and the cluster's lock. The one module that says so for both backends.
 *
 * - local: the checkout, as before there was a backend: the signing key pair in secrets/<name>/, the installer's files
 *   in .work/installer/, and the objects with no older home (the lock and the records) in .work/state/.
 * - s3: `s3://<bucket>/<prefix>/<name>/<object>` (`<name>/<object>` without a prefix).
 */
import { join } from 'node:path';
import { clusterSecretsDir, outputDir, WORK_DIR, type LoadedCluster } from '@ocp-sts/cluster-config';
import type { AwsTarget } from '@ocp-sts/aws';

/** The lock's object name, the same in both backends. */
export const LOCK_OBJECT = 'lock.json';

/**
 * The folders of objects that have a home of their own in the local backend: `signing-key/<file>` is
 * secrets/<name>/<file>, `installer/<path>` is .work/installer/<path>, `ccoctl-output/<path>` is .work/ccoctl/<path>
 * (what ccoctl made, for a read-only `verify` where ccoctl never ran). The steps name the files in them.
 */
export const STATE_GROUPS = {
  signingKey: 'signing-key',
  installer: 'installer',
  ccoctlOutput: 'ccoctl-output',
} as const;
export type StateGroup = (typeof STATE_GROUPS)[keyof typeof STATE_GROUPS];

/**
 * Inside the cluster's .work/: the local backend's own objects. No target has it among its outputs (so Nx never
 * restores or removes it) and no step deletes it (steps delete only their own output folders), so a lock in it
 * lasts exactly as long as its run; it is git-ignored with the rest of .work/ (the s3 backend is what survives a machine).
 */
export const LOCAL_STATE_DIR = 'state';

export interface LocalStateLocation {
  backend: 'local';
  cluster: string;
  /** Absolute: where ccoctl's signing key pair is kept between runs. */
  signingKeyDir: string;
  /** Absolute: the folder openshift-install creates the cluster from (install's output). */
  installerDir: string;
  /** Absolute: ccoctl's output. */
  ccoctlDir: string;
  /** Absolute: the objects of the local backend (the lock). */
  objectsDir: string;
}

export interface S3StateLocation {
  backend: 's3';
  cluster: string;
  bucket: string;
  /** The cluster's key prefix, ending in `/`: `<prefix>/<cluster>/`, or `<cluster>/`. */
  keyPrefix: string;
  /** SSE-KMS with this key; undefined: SSE-S3. */
  kmsKeyId: string | undefined;
  /** The bucket's region; state.profile, else credentials.aws_profile, else the default chain. */
  aws: AwsTarget;
}

export type StateLocation = LocalStateLocation | S3StateLocation;

export interface StateOwner {
  workspaceRoot: string;
  /** Workspace-relative folder of the cluster, e.g. `clusters/prod`. */
  projectRoot: string;
  loaded: LoadedCluster;
}

export function stateLocation({ workspaceRoot, projectRoot, loaded }: StateOwner): StateLocation {
  const { state, name, credentials } = loaded.cluster;
  if (state.backend === 's3') {
    // The model refuses an s3 backend without them; a caller that built a config by hand gets told so here too.
    if (!state.bucket || !state.region) throw new Error('state.backend s3 needs state.bucket and state.region');
    return {
      backend: 's3',
      cluster: name,
      bucket: state.bucket,
      keyPrefix: `${state.prefix ? `${state.prefix}/` : ''}${name}/`,
      kmsKeyId: state.kms_key_id,
      aws: { region: state.region, profile: state.profile ?? credentials.aws_profile },
    };
  }
  return {
    backend: 'local',
    cluster: name,
    signingKeyDir: join(workspaceRoot, clusterSecretsDir(name)),
    installerDir: join(workspaceRoot, outputDir(projectRoot, 'install')),
    ccoctlDir: join(workspaceRoot, outputDir(projectRoot, 'ccoctl')),
    objectsDir: join(workspaceRoot, projectRoot, WORK_DIR, LOCAL_STATE_DIR),
  };
}
