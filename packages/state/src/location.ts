/*
 * Where a cluster's state lives: what git cannot rebuild (the signing key pair, the installer's records, the admin
 * credentials, the ccoctl and install records) and the cluster's lock. The one module that says so for both backends.
 *
 * - local: `clusters/<name>/.work/state/<object>`, laid out as the S3 keys are, but for the signing key pair, whose home
 *   stays secrets/<name>/ (git-ignored, owner-only, where users have always kept it). No target's output folder is
 *   the state: the steps restore their folders from it (and keep what they made in it) through the same calls as
 *   with S3. A checkout whose state predates this layout migrates on first use (local-layout.ts).
 * - s3: `s3://<bucket>/<prefix>/<name>/<object>` (`<name>/<object>` without a prefix).
 */
import { join } from 'node:path';
import { clusterSecretsDir, WORK_DIR, type LoadedCluster } from '@ocp-sts/cluster-config';
import type { AwsTarget } from '@ocp-sts/aws';

/** The lock's object name, the same in both backends. */
export const LOCK_OBJECT = 'lock.json';

/**
 * The folders of the state's objects that copy a step's files: `signing-key/<file>` the key pair (whose local home is
 * secrets/<name>/<file>), `installer/<path>` what of .work/installer/ git cannot rebuild, `ccoctl-output/<path>` what
 * ccoctl made (for a read-only `verify` where ccoctl never ran). The steps name the files in them.
 */
export const STATE_GROUPS = {
  signingKey: 'signing-key',
  installer: 'installer',
  ccoctlOutput: 'ccoctl-output',
} as const;
export type StateGroup = (typeof STATE_GROUPS)[keyof typeof STATE_GROUPS];

/**
 * Inside the cluster's .work/: the local backend. No target has it among its outputs (so Nx never restores or removes
 * it) and no step deletes it (steps delete only their own output folders), so a lock in it lasts exactly as long as
 * its run; it is git-ignored with the rest of .work/ (the s3 backend is what survives a machine).
 */
export const LOCAL_STATE_DIR = 'state';

/** In the local backend's folder: written once the checkout's state is in this layout (local-layout.ts); no object. */
export const LOCAL_LAYOUT_MARKER = '.layout';

export interface LocalStateLocation {
  backend: 'local';
  cluster: string;
  /** Absolute: the home of the `signing-key/` objects, where ccoctl's signing key pair is kept between runs. */
  signingKeyDir: string;
  /** Absolute: every other object, `<objectsDir>/<name>`. */
  objectsDir: string;
  /** Absolute: the cluster's .work/, where a state of the layout before .work/state/ held it all is found. */
  workDir: string;
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
    objectsDir: join(workspaceRoot, projectRoot, WORK_DIR, LOCAL_STATE_DIR),
    workDir: join(workspaceRoot, projectRoot, WORK_DIR),
  };
}
