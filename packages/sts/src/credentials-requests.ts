import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '@ocp-sts/toolchain';

/** The parts of a CredentialsRequest that the STS steps use. */
export interface CredentialsRequest {
  /** File (in the extract output) and document index it came from. */
  file: string;
  name: string;
  namespace: string;
  secretRef: { namespace: string; name: string };
  serviceAccountNames: string[];
  providerKind: string;
  annotations: Record<string, string>;
  statementEntries: unknown[];
  /** The whole `spec` as parsed (an empty object when absent): what credentials-diff compares beyond the above. */
  spec: Record<string, unknown>;
}

/** IAM's limit; ccoctl cuts role names to it without a hash, so two long names can collide. */
export const ROLE_NAME_MAX = 64;

/** The role ccoctl creates for a request: `<name>-<secret namespace>-<secret name>`, cut to 64 characters. */
export function roleNameFor(stsName: string, request: Pick<CredentialsRequest, 'secretRef'>): string {
  return `${stsName}-${request.secretRef.namespace}-${request.secretRef.name}`.slice(0, ROLE_NAME_MAX);
}

/** The Secret manifest ccoctl writes for a request. */
export function secretManifestName(request: Pick<CredentialsRequest, 'secretRef'>): string {
  return `${request.secretRef.namespace}-${request.secretRef.name}-credentials.yaml`;
}

export function isAwsRequest(request: CredentialsRequest): boolean {
  return request.providerKind === 'AWSProviderSpec';
}

interface RawRequest {
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> };
  spec?: {
    [key: string]: unknown;
    secretRef?: { name?: unknown; namespace?: unknown };
    serviceAccountNames?: unknown;
    providerSpec?: { kind?: unknown; statementEntries?: unknown };
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Every CredentialsRequest in the *.yaml / *.yml files of a folder, in file-name order (as ccoctl reads them). */
export function readCredentialsRequests(dir: string): CredentialsRequest[] {
  if (!existsSync(dir)) throw new UserError(`${dir} does not exist: run the extract target first`);
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).flatMap((doc, index) => {
      if (doc.errors.length)
        throw new UserError(`${join(dir, file)} (document ${index + 1}): ${doc.errors[0]!.message}`);
      const raw = doc.toJS() as RawRequest | null;
      if (raw?.kind !== 'CredentialsRequest') return [];
      const annotations = Object.fromEntries(
        Object.entries(raw.metadata?.annotations ?? {}).map(([k, v]) => [k, String(v)]),
      );
      return [
        {
          file,
          name: str(raw.metadata?.name),
          namespace: str(raw.metadata?.namespace),
          secretRef: { namespace: str(raw.spec?.secretRef?.namespace), name: str(raw.spec?.secretRef?.name) },
          serviceAccountNames: Array.isArray(raw.spec?.serviceAccountNames)
            ? raw.spec.serviceAccountNames.map(String)
            : [],
          providerKind: str(raw.spec?.providerSpec?.kind),
          annotations,
          statementEntries: Array.isArray(raw.spec?.providerSpec?.statementEntries)
            ? raw.spec.providerSpec.statementEntries
            : [],
          spec: raw.spec && typeof raw.spec === 'object' && !Array.isArray(raw.spec) ? raw.spec : {},
        },
      ];
    }),
  );
}

/**
 * Requests that ccoctl would give the same role: their full names differ, but not in the first 64 characters.
 * ccoctl would silently give both operators one role (the second one's policy wins).
 */
export function roleNameCollisions(stsName: string, requests: CredentialsRequest[]): string[] {
  const byRole = new Map<string, CredentialsRequest[]>();
  for (const request of requests) {
    const role = roleNameFor(stsName, request);
    byRole.set(role, [...(byRole.get(role) ?? []), request]);
  }
  return [...byRole.entries()]
    .filter(([, same]) => same.length > 1)
    .map(
      ([role, same]) =>
        `role "${role}" would serve ${same.map((r) => `${r.namespace}/${r.name} (secret ${r.secretRef.namespace}/${r.secretRef.name})`).join(' and ')}`,
    );
}

/** A plain-text table of requests for the terminal: request, secret, service accounts. */
export function requestsTable(requests: CredentialsRequest[]): string {
  const rows = [
    ['REQUEST', 'SECRET (namespace/name)', 'SERVICE ACCOUNTS'],
    ...requests.map((r) => [r.name, `${r.secretRef.namespace}/${r.secretRef.name}`, r.serviceAccountNames.join(', ')]),
  ];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]!}`).join('\n');
}
