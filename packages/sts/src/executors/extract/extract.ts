import { join } from 'node:path';
import { INSTALL_CONFIG_FILE } from '@ocp-sts/cluster-config';
import {
  buildOutputDir,
  readSlice,
  registryAuthFile,
  removeOutputDir,
  stsIsOff,
  type ClusterStep,
  type LogLevelOption,
} from '@ocp-sts/toolchain';
import type { CredentialsRequest } from '../../credentials-requests.ts';
import { extractReleaseAwsRequests } from '../../release-requests.ts';

export interface ExtractOptions extends LogLevelOption {
  /** Registry credentials for oc; default $REGISTRY_AUTH_FILE, else the cluster's pull secret. */
  registryAuthFile?: string;
}

/**
 * `oc adm release extract --credentials-requests --cloud=aws --included` for the cluster's release, into a fresh
 * .work/credrequests/ (oc never removes files already in the target folder). Returns the AWS requests.
 */
export async function extractCredentialsRequests(
  step: ClusterStep,
  options: ExtractOptions,
): Promise<CredentialsRequest[] | undefined> {
  const outDir = step.dir('extract');
  if (stsIsOff(step)) {
    removeOutputDir(outDir);
    return undefined;
  }
  const inputs = readSlice(step, 'extract');
  const authFile = options.registryAuthFile ?? registryAuthFile(step);
  const installConfig = join(step.dir('render'), INSTALL_CONFIG_FILE);
  return buildOutputDir(outDir, (to) =>
    extractReleaseAwsRequests(step, { releaseImage: inputs.releaseImage, installConfig, authFile, to }),
  );
}
