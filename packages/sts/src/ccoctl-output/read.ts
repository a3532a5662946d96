/*
 * A typed reader of ccoctl's output folder (layout.ts): what the folder holds, and what is wrong with it for a set of
 * CredentialsRequests. The reader judges nothing against cluster.yaml or AWS: inject turns the problems into one
 * error before the installer sees the files, verify turns them into findings and checks the rest against the cluster.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { secretManifestName, type CredentialsRequest } from '../credentials-requests.ts';
import {
  AUTHENTICATION_MANIFEST,
  AUTHENTICATION_MANIFEST_NAME,
  DRY_RUN_MARKER,
  DRY_RUN_PLACEHOLDER,
  MANIFESTS_DIR,
  readCcoctlRecord,
  SIGNER_PUBLIC,
  SIGNING_KEY,
  type CcoctlRecord,
} from './layout.ts';

/** The Secret manifest ccoctl writes for one request. */
export interface RequestSecret {
  request: CredentialsRequest;
  /** manifests/<secret namespace>-<secret name>-credentials.yaml (absolute). */
  path: string;
  exists: boolean;
  /** The role_arn inside, when it is set (a dry run leaves it empty). */
  roleArn: string | undefined;
}

export interface CcoctlOutput {
  dir: string;
  /** Our record beside the output; undefined when ccoctl ran by hand. */
  record: CcoctlRecord | undefined;
  /**
   * The output of a ccoctl --dry-run (AWS CLI inputs, nothing created): the record says so, the dry run's first AWS
   * CLI input is there, or a Secret carries the dry run's placeholder line.
   */
  dryRun: boolean;
  /** The Authentication manifest, when there is one; issuerUrl is its spec.serviceAccountIssuer when that is a string. */
  authentication: { path: string; issuerUrl: string | undefined } | undefined;
  /** tls/'s private key, the one the installer signs service-account tokens with, when it is readable. */
  signingKey: KeyObject | undefined;
  /** The public key ccoctl published, when it is readable. */
  publicKey: KeyObject | undefined;
  /** One per request, in the order given. */
  secrets: RequestSecret[];
}

/** What is wrong inside the folder; every path is absolute. */
export type CcoctlFileProblem =
  /** A Secret manifest as ccoctl --dry-run leaves it: the placeholder line, or an empty role_arn. */
  | { kind: 'dry-run-secret'; path: string }
  | { kind: 'missing-secret'; path: string; request: CredentialsRequest }
  | { kind: 'invalid-secret'; path: string; request: CredentialsRequest }
  /** A manifest whose metadata is not the request's secretRef. */
  | { kind: 'wrong-secret'; path: string; request: CredentialsRequest }
  /** A Secret manifest for none of the requests. */
  | { kind: 'unrequested-secret'; path: string }
  | { kind: 'missing-authentication'; path: string }
  | { kind: 'missing-signing-key'; path: string }
  | { kind: 'unreadable-signing-key'; path: string; publicKeyPath: string }
  | { kind: 'missing-public-key'; path: string }
  | { kind: 'unreadable-public-key'; path: string; signingKeyPath: string }
  /** tls/'s private key is not the private half of the published key. */
  | { kind: 'keys-differ'; path: string; publicKeyPath: string };

export type CcoctlOutputProblem = { kind: 'no-output'; path: string } | CcoctlFileProblem;

export type CcoctlOutputReading =
  | { output: undefined; problems: [{ kind: 'no-output'; path: string }] }
  | { output: CcoctlOutput; problems: CcoctlFileProblem[] };

const SECRET_MANIFEST = /-credentials\.yaml$/;

/** `role_arn = ...` inside the Secret's AWS config profile (stringData.credentials, or base64 data.credentials). */
export function roleArnOfSecret(text: string): string | undefined {
  let doc: { stringData?: { credentials?: unknown }; data?: { credentials?: unknown } } | null;
  try {
    doc = parse(text) as typeof doc;
  } catch {
    return undefined;
  }
  let credentials = doc?.stringData?.credentials;
  if (typeof credentials !== 'string' && typeof doc?.data?.credentials === 'string') {
    credentials = Buffer.from(doc.data.credentials, 'base64').toString('utf8');
  }
  if (typeof credentials !== 'string') return undefined;
  return /^\s*role_arn\s*=\s*(\S*)\s*$/m.exec(credentials)?.[1] ?? undefined;
}

function readKey(path: string, kind: 'private' | 'public'): KeyObject | undefined {
  try {
    const pem = readFileSync(path);
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    return undefined;
  }
}

/** The issuer ccoctl wrote into the Authentication manifest of the output folder `dir`, if any. */
export function issuerWrittenIn(dir: string): string | undefined {
  const file = join(dir, AUTHENTICATION_MANIFEST);
  return existsSync(file) ? issuerUrlOf(readFileSync(file, 'utf8')) : undefined;
}

function issuerUrlOf(text: string): string | undefined {
  try {
    const url = (parse(text) as { spec?: { serviceAccountIssuer?: unknown } } | null)?.spec?.serviceAccountIssuer;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The metadata of a Secret manifest; undefined when the text is not YAML. */
function secretMetadata(text: string): { name?: unknown; namespace?: unknown } | undefined {
  try {
    return (parse(text) as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata ?? {};
  } catch {
    return undefined;
  }
}

/** The signing key pair: tls/'s private key (what the installer gets) against the key ccoctl published. */
function readKeys(dir: string): {
  signingKey: KeyObject | undefined;
  publicKey: KeyObject | undefined;
  problems: CcoctlFileProblem[];
} {
  const keyPath = join(dir, SIGNING_KEY);
  const publicKeyPath = join(dir, SIGNER_PUBLIC);
  const publicKey = existsSync(publicKeyPath) ? readKey(publicKeyPath, 'public') : undefined;
  if (!existsSync(keyPath)) {
    return { signingKey: undefined, publicKey, problems: [{ kind: 'missing-signing-key', path: keyPath }] };
  }
  const problems: CcoctlFileProblem[] = [];
  const signingKey = readKey(keyPath, 'private');
  if (!signingKey) problems.push({ kind: 'unreadable-signing-key', path: keyPath, publicKeyPath });
  if (!existsSync(publicKeyPath)) problems.push({ kind: 'missing-public-key', path: publicKeyPath });
  else if (!publicKey) problems.push({ kind: 'unreadable-public-key', path: publicKeyPath, signingKeyPath: keyPath });
  if (signingKey && publicKey) {
    const fromPrivate = createPublicKey(signingKey).export({ type: 'spki', format: 'der' });
    if (!fromPrivate.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
      problems.push({ kind: 'keys-differ', path: keyPath, publicKeyPath });
    }
  }
  return { signingKey, publicKey, problems };
}

/**
 * Reads ccoctl's output folder `dir`, whose Secrets should serve `requests` (one Secret manifest each). Problems come
 * in this order: dry-run Secrets, the requests' Secrets, the Authentication manifest, the signing key pair, Secrets
 * for no request.
 */
export function readCcoctlOutput(dir: string, requests: readonly CredentialsRequest[]): CcoctlOutputReading {
  if (!existsSync(dir)) return { output: undefined, problems: [{ kind: 'no-output', path: dir }] };
  const manifestsDir = join(dir, MANIFESTS_DIR);
  const names = existsSync(manifestsDir) ? readdirSync(manifestsDir).sort() : [];
  const texts = new Map(names.map((name) => [name, readFileSync(join(manifestsDir, name), 'utf8')]));
  const problems: CcoctlFileProblem[] = [];

  const placeholders = new Set<string>();
  for (const [name, text] of texts) {
    if (text.includes(DRY_RUN_PLACEHOLDER) || /role_arn\s*=\s*$/m.test(text)) {
      placeholders.add(name);
      problems.push({ kind: 'dry-run-secret', path: join(manifestsDir, name) });
    }
  }

  const secrets: RequestSecret[] = [];
  for (const request of requests) {
    const name = secretManifestName(request);
    const path = join(manifestsDir, name);
    const text = texts.get(name);
    const roleArn = text === undefined ? undefined : roleArnOfSecret(text) || undefined;
    secrets.push({ request, path, exists: text !== undefined, roleArn });
    if (text === undefined) {
      problems.push({ kind: 'missing-secret', path, request });
      continue;
    }
    // A placeholder is reported above, and is not even valid YAML.
    if (placeholders.has(name)) continue;
    const metadata = secretMetadata(text);
    if (!metadata) problems.push({ kind: 'invalid-secret', path, request });
    else if (metadata.name !== request.secretRef.name || metadata.namespace !== request.secretRef.namespace) {
      problems.push({ kind: 'wrong-secret', path, request });
    }
  }

  const authenticationText = texts.get(AUTHENTICATION_MANIFEST_NAME);
  const authenticationPath = join(dir, AUTHENTICATION_MANIFEST);
  if (authenticationText === undefined) problems.push({ kind: 'missing-authentication', path: authenticationPath });

  const keys = readKeys(dir);
  problems.push(...keys.problems);

  const requested = new Set(requests.map(secretManifestName));
  for (const name of names) {
    if (SECRET_MANIFEST.test(name) && !requested.has(name)) {
      problems.push({ kind: 'unrequested-secret', path: join(manifestsDir, name) });
    }
  }

  const record = readCcoctlRecord(dir);
  const dryRun =
    record?.dryRun === true ||
    existsSync(join(dir, DRY_RUN_MARKER)) ||
    [...texts.values()].some((text) => text.includes(DRY_RUN_PLACEHOLDER));
  return {
    output: {
      dir,
      record,
      dryRun,
      authentication:
        authenticationText === undefined
          ? undefined
          : { path: authenticationPath, issuerUrl: issuerUrlOf(authenticationText) },
      signingKey: keys.signingKey,
      publicKey: keys.publicKey,
      secrets,
    },
    problems,
  };
}
