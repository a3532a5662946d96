import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { INSTALL_CONFIG_FILE } from '@ocp-sts/cluster-config';
import {
  buildOutputDir,
  readStepInputs,
  registryAuthFile,
  removeOutputDir,
  runTool,
  stsIsOff,
  UserError,
  type ClusterStep,
  toolContext,
} from '@ocp-sts/toolchain';
import { isAwsRequest, readCredentialsRequests, type CredentialsRequest } from '../../credentials-requests.ts';

export interface ExtractOptions {
  /** Registry credentials for oc; default $REGISTRY_AUTH_FILE, else the cluster's pull secret. */
  registryAuthFile?: string;
}

/**
 * Drops every document that is not an AWS CredentialsRequest from the extracted files, and files left empty.
 * `oc --cloud=aws` already does this; ccoctl aborts on a single non-AWS request, so it is enforced here too.
 */
export function keepAwsRequestsOnly(dir: string, requests: CredentialsRequest[]): CredentialsRequest[] {
  const kept = requests.filter(isAwsRequest);
  for (const file of new Set(requests.map((r) => r.file))) {
    const path = join(dir, file);
    const docs = parseAllDocuments(readFileSync(path, 'utf8'))
      .map((d) => d.toJS() as { kind?: unknown; spec?: { providerSpec?: { kind?: unknown } } } | null)
      .filter((d) => d?.kind === 'CredentialsRequest' && d.spec?.providerSpec?.kind === 'AWSProviderSpec');
    if (docs.length === 0) rmSync(path);
    else writeFileSync(path, docs.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join(''));
  }
  return kept;
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
  const inputs = readStepInputs(step, 'extract');
  const auth = options.registryAuthFile ?? registryAuthFile(step);
  const installConfig = join(step.dir('render'), INSTALL_CONFIG_FILE);
  return buildOutputDir(outDir, async (dir) => {
    await runTool({
      tool: 'oc',
      args: [
        'adm',
        'release',
        'extract',
        '--credentials-requests',
        '--cloud=aws',
        '--included',
        `--install-config=${installConfig}`,
        `--to=${dir}`,
        '-a',
        auth,
        inputs.releaseImage,
      ],
      ...toolContext(step),
    });
    const requests = keepAwsRequestsOnly(dir, readCredentialsRequests(dir));
    if (requests.length === 0) {
      throw new UserError(`oc extracted no AWS CredentialsRequest from ${inputs.releaseImage}; is it an AWS release?`);
    }
    return requests;
  });
}
