import { createPublicKey, createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOutputDir, restrictToOwner, stsIsOff, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { readCredentialsRequests, secretManifestName } from '../../credentials-requests.ts';
import { SIGNER_PUBLIC } from '../ccoctl/ccoctl.ts';

/** The file the installer must find in tls/, or it silently makes its own key (and the install times out). */
export const SIGNING_KEY = join('tls', 'bound-service-account-signing-key.key');
export const AUTHENTICATION_MANIFEST = join('manifests', 'cluster-authentication-02-config.yaml');
/** Written by ccoctl --dry-run into the Secret manifests. */
const DRY_RUN_PLACEHOLDER = 'POPULATE ROLE ARN AND DELETE THIS LINE';
/** Our own records, which are not installer input. */
const RECORDS = /^ocp-sts-.*\.json$/;

/** Everything wrong with ccoctl's output for these requests, each naming the file and the fix. */
export function ccoctlOutputProblems(step: ClusterStep): string[] {
  const cco = step.dir('ccoctl');
  const show = (file: string) => step.show(join(cco, file));
  if (!existsSync(cco)) return [`${step.show(cco)} is missing: run the ccoctl target first`];
  const problems: string[] = [];
  const manifests = join(cco, 'manifests');
  const secrets = existsSync(manifests) ? readdirSync(manifests) : [];
  const placeholders = new Set<string>();
  for (const file of secrets) {
    const text = readFileSync(join(manifests, file), 'utf8');
    if (text.includes(DRY_RUN_PLACEHOLDER) || /role_arn\s*=\s*$/m.test(text)) {
      placeholders.add(file);
      problems.push(
        `${show(join('manifests', file))} is a dry-run placeholder (no role ARN): run ccoctl without --dry-run / CCO_DRY_RUN`,
      );
    }
  }
  for (const request of readCredentialsRequests(step.dir('extract'))) {
    const file = join('manifests', secretManifestName(request));
    if (!existsSync(join(cco, file))) {
      problems.push(`${show(file)} is missing: no Secret for ${request.namespace}/${request.name}; re-run ccoctl`);
      continue;
    }
    // A placeholder is reported above, and is not even valid YAML.
    if (placeholders.has(secretManifestName(request))) continue;
    let secret: { metadata?: { name?: unknown; namespace?: unknown } } | null;
    try {
      secret = parse(readFileSync(join(cco, file), 'utf8')) as typeof secret;
    } catch {
      problems.push(`${show(file)} is not valid YAML; re-run ccoctl`);
      continue;
    }
    if (
      secret?.metadata?.name !== request.secretRef.name ||
      secret.metadata.namespace !== request.secretRef.namespace
    ) {
      problems.push(`${show(file)} is not the Secret ${request.secretRef.namespace}/${request.secretRef.name}`);
    }
  }
  if (!existsSync(join(cco, AUTHENTICATION_MANIFEST))) {
    problems.push(`${show(AUTHENTICATION_MANIFEST)} is missing: without it the cluster keeps its default issuer`);
  }
  problems.push(...signingKeyProblems(step, cco));
  return problems;
}

function signingKeyProblems(step: ClusterStep, cco: string): string[] {
  const keyFile = join(cco, SIGNING_KEY);
  if (!existsSync(keyFile)) {
    return [
      `${step.show(keyFile)} is missing: the installer would generate a new signing key that the IAM OIDC provider ` +
        'cannot verify (InvalidIdentityToken 40 minutes later). Do not use ccoctl --public-key-file here.',
    ];
  }
  const publicFile = join(cco, SIGNER_PUBLIC);
  if (!existsSync(publicFile)) return [`${step.show(publicFile)} is missing: cannot check the signing key`];
  try {
    const fromPrivate = createPublicKey(createPrivateKey(readFileSync(keyFile))).export({
      type: 'spki',
      format: 'der',
    });
    const published = createPublicKey(readFileSync(publicFile)).export({ type: 'spki', format: 'der' });
    if (!fromPrivate.equals(published)) {
      return [
        `${step.show(keyFile)} does not match ${step.show(publicFile)}, the key the OIDC issuer publishes; re-run ccoctl`,
      ];
    }
  } catch {
    return [`${step.show(keyFile)} or ${step.show(publicFile)} is not a readable key`];
  }
  return [];
}

/**
 * The staged installer folder: the manifests output, plus ccoctl's manifests/ (the Secrets and the Authentication
 * config) and tls/ (the signing key). Refuses anything that would give a cluster whose operators cannot get
 * credentials.
 */
export async function stageInstallerDir(step: ClusterStep): Promise<{ injected: number }> {
  const manifests = step.dir('manifests');
  if (!existsSync(manifests)) throw new UserError(`${step.show(manifests)} is missing: run the manifests target first`);
  const sts = !stsIsOff(step);
  if (sts) {
    const problems = ccoctlOutputProblems(step);
    if (problems.length) throw new UserError(`refusing to stage the installer dir:\n  ${problems.join('\n  ')}`);
  }
  return buildOutputDir(step.dir('inject'), (dir) => {
    cpSync(manifests, dir, { recursive: true, filter: (src) => !RECORDS.test(src.split('/').pop() ?? '') });
    let injected = 0;
    if (sts) {
      const cco = step.dir('ccoctl');
      for (const file of readdirSync(join(cco, 'manifests'))) {
        cpSync(join(cco, 'manifests', file), join(dir, 'manifests', file));
        injected++;
      }
      rmSync(join(dir, 'tls'), { recursive: true, force: true });
      cpSync(join(cco, 'tls'), join(dir, 'tls'), { recursive: true });
    }
    restrictToOwner(dir);
    return { injected };
  });
}
