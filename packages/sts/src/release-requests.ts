/*
 * The AWS CredentialsRequests of a release as a cluster includes them: `oc adm release extract --credentials-requests
 * --cloud=aws --included --install-config=<file>`, then only the AWS requests kept. One module, because `extract`
 * (the release this commit names) and `credentials-diff` (the release a git ref or the installed cluster names) must
 * select the requests in exactly the same way, or the diff would show differences of selection, not of release.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runTool, toolContext, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { isAwsRequest, readCredentialsRequests, type CredentialsRequest } from './credentials-requests.ts';

/**
 * Folder of the cluster's .work/ holding releases' AWS requests extracted for other steps than extract (the base of
 * credentials-diff, the installed release that ccoctl, verify and upgrade hold roles to), one sub-folder per digest of
 * what oc reads. A memo that any step may fill, and no target's output: what a folder holds is a function of its name,
 * so a cached step that reads one has that name in its cache key (ccoctl: the installed release).
 */
export const RELEASE_REQUESTS_DIR = 'release-requests';

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

export interface ReleaseRequestsOptions {
  /** Pull spec of the release. */
  releaseImage: string;
  /** Absolute path of the install-config that `--included` reads (platform, feature set, topology, capabilities). */
  installConfig: string;
  /** Registry credentials for oc (`-a`). */
  authFile: string;
  /** An empty folder to extract into (oc never removes files already in it). */
  to: string;
  /** Print oc's command and output (default true); false where stdout must hold one JSON object. */
  echo?: boolean;
}

/** Extracts the AWS requests of a release into `to` and returns them; a release with none is an error. */
export async function extractReleaseAwsRequests(
  step: ClusterStep,
  { releaseImage, installConfig, authFile, to, echo = true }: ReleaseRequestsOptions,
): Promise<CredentialsRequest[]> {
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
      `--to=${to}`,
      '-a',
      authFile,
      releaseImage,
    ],
    ...toolContext(step),
    echo,
  });
  const requests = keepAwsRequestsOnly(to, readCredentialsRequests(to));
  if (requests.length === 0) {
    throw new UserError(`oc extracted no AWS CredentialsRequest from ${releaseImage}; is it an AWS release?`);
  }
  return requests;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Copies the CredentialsRequest documents named in `ids` (`namespace/name`) from the YAML files of `fromDir` into
 * `toDir`, each file keeping its name and only those documents (files left with none are not written): the folder
 * of requests that `ccoctl aws create-iam-roles --credentials-requests-dir` gets for an update. Returns the files.
 */
export function copyRequestDocuments(fromDir: string, toDir: string, ids: ReadonlySet<string>): string[] {
  mkdirSync(toDir, { recursive: true });
  const written: string[] = [];
  for (const file of readdirSync(fromDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const docs = parseAllDocuments(readFileSync(join(fromDir, file), 'utf8'))
      .map((d) => d.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null)
      .filter(
        (d) => d?.kind === 'CredentialsRequest' && ids.has(`${text(d.metadata?.namespace)}/${text(d.metadata?.name)}`),
      );
    if (docs.length === 0) continue;
    writeFileSync(join(toDir, file), docs.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join(''));
    written.push(file);
  }
  return written;
}
