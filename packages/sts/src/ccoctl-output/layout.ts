/*
 * The layout of ccoctl's output folder (.work/ccoctl/), as `ccoctl aws create-all` writes it, plus the record our
 * ccoctl executor writes beside it. The one place that names these files: the ccoctl executor writes through it,
 * read.ts reads through it (for inject and verify).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFESTS_DIR = 'manifests';
/** The Authentication config with spec.serviceAccountIssuer, in manifests/. */
export const AUTHENTICATION_MANIFEST_NAME = 'cluster-authentication-02-config.yaml';
export const AUTHENTICATION_MANIFEST = join(MANIFESTS_DIR, AUTHENTICATION_MANIFEST_NAME);
/** The installer's tls/ files: inject stages the folder as it is. */
export const TLS_DIR = 'tls';
/** The file the installer must find in tls/, or it silently makes its own key (and the install times out). */
export const SIGNING_KEY = join(TLS_DIR, 'bound-service-account-signing-key.key');
/** The key pair ccoctl publishes the issuer's JWKS from; ccoctl reuses a private key already in its output folder. */
export const SIGNER_PRIVATE = 'serviceaccount-signer.private';
export const SIGNER_PUBLIC = 'serviceaccount-signer.public';
/** Written by ccoctl --dry-run into the Secret manifests, whose role_arn it leaves empty. */
export const DRY_RUN_PLACEHOLDER = 'POPULATE ROLE ARN AND DELETE THIS LINE';
/** The first AWS CLI input a ccoctl --dry-run writes: its presence marks a dry run's output. */
export const DRY_RUN_MARKER = '01-oidc-bucket.json';
/** What our ccoctl executor records beside ccoctl's output; not installer input (inject leaves it behind). */
export const CCOCTL_RECORD = 'ocp-sts-ccoctl.json';

export interface CcoctlRecord {
  stsName: string;
  region: string;
  dryRun: boolean;
  privateBucket: boolean;
  roles: { request: string; role: string }[];
}

export function writeCcoctlRecord(dir: string, record: CcoctlRecord): void {
  writeFileSync(join(dir, CCOCTL_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record in a ccoctl output folder; undefined when there is none (ccoctl run by hand) or it is not one. */
export function readCcoctlRecord(dir: string): CcoctlRecord | undefined {
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(join(dir, CCOCTL_RECORD), 'utf8'));
  } catch {
    return undefined;
  }
  return isCcoctlRecord(record) ? record : undefined;
}

function isCcoctlRecord(value: unknown): value is CcoctlRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.stsName === 'string' &&
    typeof r.region === 'string' &&
    typeof r.dryRun === 'boolean' &&
    typeof r.privateBucket === 'boolean' &&
    Array.isArray(r.roles) &&
    r.roles.every(
      (role: unknown) =>
        typeof role === 'object' &&
        role !== null &&
        typeof (role as Record<string, unknown>).request === 'string' &&
        typeof (role as Record<string, unknown>).role === 'string',
    )
  );
}
