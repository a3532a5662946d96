/*
 * Reading the CredentialsRequests directory as ccoctl's provisioning.GetListOfCredentialsRequests does: only regular
 * files named *.yaml / *.yml directly in the directory (no recursion), in file-name order, every YAML document of
 * each file. Requests annotated `release.openshift.io/delete: "true"` are skipped; so are requests annotated
 * `release.openshift.io/feature-set`, unless --enable-tech-preview is given and the value is TechPreviewNoUpgrade.
 * The provider spec is only decoded later, per request (createRole), so a non-AWS request fails there, after the
 * roles of the requests before it have been made.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { log, wrap } from './log.ts';

export const DELETE_ANNOTATION = 'release.openshift.io/delete';
export const FEATURE_SET_ANNOTATION = 'release.openshift.io/feature-set';
export const TECH_PREVIEW = 'TechPreviewNoUpgrade';

export interface CredentialsRequest {
  /** The file it came from (for messages only). */
  file: string;
  name: string;
  namespace: string;
  annotations: Record<string, string>;
  secretRef: { namespace: string; name: string };
  serviceAccountNames: string[];
  providerSpec: unknown;
}

export interface StatementEntry {
  effect: string;
  action: string[];
  resource: string;
  policyCondition?: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function goType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** Decoding errors worded like Go's encoding/json (which the Kubernetes YAML decoder goes through). */
function cannotUnmarshal(value: unknown, field: string, type: string): Error {
  return new Error(`json: cannot unmarshal ${goType(value)} into Go struct field ${field} of type ${type}`);
}

function optionalString(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw cannotUnmarshal(value, field, 'string');
  return value;
}

function decode(doc: Record<string, unknown>, file: string): CredentialsRequest {
  const metadata = doc.metadata ?? {};
  if (!isRecord(metadata)) throw cannotUnmarshal(metadata, 'CredentialsRequest.metadata', 'v1.ObjectMeta');
  const annotationsRaw = metadata.annotations ?? {};
  if (!isRecord(annotationsRaw)) {
    throw cannotUnmarshal(annotationsRaw, 'ObjectMeta.metadata.annotations', 'map[string]string');
  }
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotationsRaw)) {
    annotations[key] = optionalString(value, 'ObjectMeta.metadata.annotations');
  }
  const spec = doc.spec ?? {};
  if (!isRecord(spec)) throw cannotUnmarshal(spec, 'CredentialsRequest.spec', 'v1.CredentialsRequestSpec');
  const secretRef = spec.secretRef ?? {};
  if (!isRecord(secretRef))
    throw cannotUnmarshal(secretRef, 'CredentialsRequestSpec.spec.secretRef', 'v1.ObjectReference');
  const serviceAccountNames = spec.serviceAccountNames ?? [];
  if (!Array.isArray(serviceAccountNames)) {
    throw cannotUnmarshal(serviceAccountNames, 'CredentialsRequestSpec.spec.serviceAccountNames', '[]string');
  }
  return {
    file,
    name: optionalString(metadata.name, 'ObjectMeta.metadata.name'),
    namespace: optionalString(metadata.namespace, 'ObjectMeta.metadata.namespace'),
    annotations,
    secretRef: {
      namespace: optionalString(secretRef.namespace, 'ObjectReference.spec.secretRef.namespace'),
      name: optionalString(secretRef.name, 'ObjectReference.spec.secretRef.name'),
    },
    serviceAccountNames: serviceAccountNames.map((sa) =>
      optionalString(sa, 'CredentialsRequestSpec.spec.serviceAccountNames'),
    ),
    providerSpec: spec.providerSpec,
  };
}

/** Every request to process, in order; throws (with ccoctl's wording) on an unreadable dir or file. */
export function listCredentialsRequests(dir: string, enableTechPreview: boolean): CredentialsRequest[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `open ${dir}: no such file or directory` : `open ${dir}: ${String(error)}`, {
      cause: error,
    });
  }
  const files = entries
    .filter((entry) => !entry.isDirectory() && (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')))
    .map((entry) => entry.name)
    .sort();
  const requests: CredentialsRequest[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) {
        throw new Error(`Failed to decode to CredentialsRequest: ${file}: ${document.errors[0]!.message}`);
      }
      const content: unknown = document.toJS();
      if (content === null || content === undefined) continue; // an empty document (e.g. before a leading ---)
      if (!isRecord(content)) {
        throw new Error(
          `Failed to decode to CredentialsRequest: ${cannotUnmarshal(content, 'CredentialsRequest', 'v1.CredentialsRequest').message}`,
        );
      }
      let request: CredentialsRequest;
      try {
        request = decode(content, file);
      } catch (error) {
        throw wrap(error, 'Failed to decode to CredentialsRequest');
      }
      if (request.annotations[DELETE_ANNOTATION] === 'true') {
        log(`Ignoring CredentialsRequest ${request.namespace}/${request.name} as it is marked for in-cluster deletion`);
        continue;
      }
      const featureSet = request.annotations[FEATURE_SET_ANNOTATION];
      if (featureSet !== undefined) {
        if (!enableTechPreview) {
          log(`Ignoring CredentialsRequest ${request.namespace}/${request.name} with tech-preview annotation`);
          continue;
        }
        if (featureSet !== TECH_PREVIEW) {
          log(`Ignoring CredentialsRequest ${request.namespace}/${request.name} with tech-preview value ${featureSet}`);
          continue;
        }
      }
      requests.push(request);
    }
  }
  return requests;
}

function decodeStatements(entries: unknown): StatementEntry[] {
  const list = entries ?? [];
  if (!Array.isArray(list)) throw cannotUnmarshal(list, 'AWSProviderSpec.statementEntries', '[]v1.StatementEntry');
  return list.map((entry: unknown) => {
    if (!isRecord(entry)) throw cannotUnmarshal(entry, 'AWSProviderSpec.statementEntries', 'v1.StatementEntry');
    const action = entry.action ?? [];
    if (!Array.isArray(action)) throw cannotUnmarshal(action, 'StatementEntry.action', '[]string');
    const condition = entry.policyCondition ?? undefined;
    if (condition !== undefined && !isRecord(condition)) {
      throw cannotUnmarshal(condition, 'StatementEntry.policyCondition', 'v1.IAMPolicyCondition');
    }
    return {
      effect: optionalString(entry.effect, 'StatementEntry.effect'),
      action: action.map((a) => optionalString(a, 'StatementEntry.action')),
      resource: optionalString(entry.resource, 'StatementEntry.resource'),
      ...(condition && Object.keys(condition).length > 0 && { policyCondition: condition }),
    };
  });
}

/** Decodes an AWSProviderSpec; throws `CredentialsRequest <ns>/<name> is not of type AWS` for any other kind. */
export function awsStatements(request: CredentialsRequest): StatementEntry[] {
  const spec = request.providerSpec;
  if (!isRecord(spec) || typeof spec.kind !== 'string' || spec.kind === '') {
    throw new Error("Failed to decode the provider spec: Object 'Kind' is missing in providerSpec");
  }
  if (spec.kind !== 'AWSProviderSpec') {
    throw new Error(`CredentialsRequest ${request.namespace}/${request.name} is not of type AWS`);
  }
  try {
    return decodeStatements(spec.statementEntries);
  } catch (error) {
    throw wrap(error, 'Failed to decode the provider spec');
  }
}
