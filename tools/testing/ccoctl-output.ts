/*
 * ccoctl's output folder written by a test, for the specs that need one with a single thing wrong (the reader of the
 * folder, inject): the Secret manifests are the ccoctl stand-in's own, the rest is laid out as the stand-in lays it
 * out (packages/sts/src/ccoctl-output/layout.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUTHENTICATION_MANIFEST,
  MANIFESTS_DIR,
  SIGNER_PUBLIC,
  SIGNING_KEY,
  TLS_DIR,
} from '../../packages/sts/src/ccoctl-output/layout.ts';
import { secretManifestName } from '../../packages/sts/src/credentials-requests.ts';
import { secretManifest } from '../stand-ins/src/ccoctl/iam-roles.ts';
import type { KeyPair } from './provisioned-cluster.ts';

type SecretRef = { namespace: string; name: string };

/** The Secret manifest ccoctl writes for a secretRef; an empty role ARN gives a dry run's placeholder Secret. */
export function secretYaml(secretRef: SecretRef, roleArn: string): string {
  return secretManifest(
    { file: '', name: '', namespace: '', annotations: {}, secretRef, serviceAccountNames: [], providerSpec: {} },
    roleArn,
  );
}

export function authenticationYaml(issuerUrl: string): string {
  return `apiVersion: config.openshift.io/v1\nkind: Authentication\nmetadata:\n  name: cluster\nspec:\n  serviceAccountIssuer: ${issuerUrl}`;
}

export interface CcoctlOutputSpec {
  issuerUrl: string;
  /** tls/'s key and the published key. */
  keys: KeyPair;
  /** One Secret each. */
  secrets: { secretRef: SecretRef; roleArn: string }[];
}

/** A `ccoctl aws create-all` output in `dir`: the Secrets, the Authentication manifest, tls/'s key, the published key. */
export function writeCcoctlOutput(dir: string, spec: CcoctlOutputSpec): void {
  mkdirSync(join(dir, MANIFESTS_DIR), { recursive: true });
  mkdirSync(join(dir, TLS_DIR), { recursive: true });
  writeFileSync(join(dir, SIGNING_KEY), spec.keys.privateKey);
  writeFileSync(join(dir, SIGNER_PUBLIC), spec.keys.publicKey);
  writeFileSync(join(dir, AUTHENTICATION_MANIFEST), authenticationYaml(spec.issuerUrl));
  for (const { secretRef, roleArn } of spec.secrets) {
    writeFileSync(join(dir, MANIFESTS_DIR, secretManifestName({ secretRef })), secretYaml(secretRef, roleArn));
  }
}
