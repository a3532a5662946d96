/*
 * One IAM role per CredentialsRequest (ccoctl's createIAMRoles / createRole):
 *   - name `<name>-<secretRef.namespace>-<secretRef.name>`, cut to 64 characters with no hash (two long names can
 *     collide: the later request then reuses the earlier role);
 *   - trust policy: sts:AssumeRoleWithWebIdentity for the OIDC provider, StringEquals on `<issuer host/path>:sub` =
 *     `system:serviceaccount:<secretRef.namespace>:<sa>` for each service account;
 *   - inline policy of the same name holding the request's statement entries;
 *   - description `OpenShift role for <ns>/<secret>`, optional permissions boundary, the two ccoctl tags;
 *   - Secret manifest `<out>/manifests/<ns>-<secret>-credentials.yaml` pointing the operator at the role.
 * An existing role is reused as it is (trust policy, boundary and tags are NOT updated); its inline policy and the
 * Secret are rewritten. Requests are processed in order and the first bad one stops the run, leaving the roles of the
 * requests before it in place. The role ARN in a Secret is the one CreateRole or GetRole returned (no STS call).
 *
 * The issuer for the trust policies is read from the identity provider (GetOpenIDConnectProvider). In a dry run,
 * ccoctl 4.19+ writes the placeholder `<enter_issuer_url_here>` instead; before 4.19 a dry run of `create-iam-roles`
 * still reads the provider, so it fails when the provider does not exist yet.
 */
import {
  CreateRoleCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAwsError, ownedTags, type AwsClients } from './aws.ts';
import {
  awsStatements,
  listCredentialsRequests,
  type CredentialsRequest,
  type StatementEntry,
} from './credentials-requests.ts';
import { log, step, wrap } from './log.ts';
import { MANIFESTS_DIR } from './output-dirs.ts';

export const TOKEN_PATH = '/var/run/secrets/openshift/serviceaccount/token';
export const POPULATE_LINE = 'POPULATE ROLE ARN AND DELETE THIS LINE';
const PLACEHOLDER_ISSUER = '<enter_issuer_url_here>';
export const MAX_ROLE_NAME = 64;

export interface IAMRolesOptions {
  name: string;
  outputDir: string;
  credentialsRequestsDir: string;
  enableTechPreview: boolean;
  permissionsBoundaryARN: string;
  /** ARN of the OIDC provider ('' in create-all's dry run). */
  providerARN: string;
  dryRun: boolean;
  /** ccoctl before 4.19: a dry run still reads the issuer from the provider (with `clients`). */
  readsProviderInDryRun: boolean;
  /** AWS clients; undefined when no AWS call is made. */
  clients: AwsClients | undefined;
}

/** `<name>-<ns>-<secret>`, and the same cut to 64 characters (what AWS gets). */
export function roleNamesFor(name: string, request: CredentialsRequest): { full: string; short: string } {
  const full = `${name}-${request.secretRef.namespace}-${request.secretRef.name}`;
  return { full, short: full.slice(0, MAX_ROLE_NAME) };
}

export function trustPolicy(
  providerARN: string,
  issuerHostPath: string,
  namespace: string,
  serviceAccounts: string[],
): string {
  if (serviceAccounts.length === 0) {
    // Sic: ccoctl's message spells it "ServieAccounts".
    throw new Error('CredentialsRequest must provide ServieAccounts to bind the Role policy to');
  }
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuerHostPath}:sub`]: serviceAccounts.map((sa) => `system:serviceaccount:${namespace}:${sa}`),
          },
        },
      },
    ],
  });
}

/** Go's encoding/json writes map keys sorted: do the same inside conditions. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The inline policy: the request's statements as Effect/Action/Resource/Condition, compact like json.Marshal. */
export function rolePolicy(statements: StatementEntry[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((entry) => ({
      Effect: entry.effect,
      Action: entry.action,
      Resource: entry.resource,
      ...(entry.policyCondition && { Condition: sortKeysDeep(entry.policyCondition) }),
    })),
  });
}

export function secretManifest(request: CredentialsRequest, roleARN: string): string {
  const manifest = `apiVersion: v1
stringData:
  credentials: |-
    [default]
    sts_regional_endpoints = regional
    role_arn = ${roleARN}
    web_identity_token_file = ${TOKEN_PATH}
kind: Secret
metadata:
  name: ${request.secretRef.name}
  namespace: ${request.secretRef.namespace}
type: Opaque`;
  // A dry run has no role ARN: make sure the Secret is invalid until someone fills it in.
  return roleARN === '' ? `${manifest}\n${POPULATE_LINE}` : manifest;
}

function writeSecret(options: IAMRolesOptions, request: CredentialsRequest, roleARN: string): void {
  const path = join(
    options.outputDir,
    MANIFESTS_DIR,
    `${request.secretRef.namespace}-${request.secretRef.name}-credentials.yaml`,
  );
  try {
    writeFileSync(path, secretManifest(request, roleARN), { mode: 0o600 });
  } catch (error) {
    throw wrap(wrap(error, 'Failed to save Secret file'), 'failed to save Secret for install manifests');
  }
  log(`Saved credentials configuration to: ${path}`);
}

function saveDryRunFile(path: string, what: string, content: string): void {
  log(`Saving ${what} locally at ${path}`);
  try {
    writeFileSync(path, content, { mode: 0o644 });
  } catch (error) {
    throw wrap(error, `Failed to save ${what} locally at ${path}`);
  }
}

async function createRole(
  options: IAMRolesOptions,
  request: CredentialsRequest,
  index: number,
  issuerHostPath: string,
): Promise<void> {
  const { full, short } = roleNamesFor(options.name, request);
  const statements = awsStatements(request);
  let assumeRolePolicy: string;
  try {
    assumeRolePolicy = trustPolicy(
      options.providerARN,
      issuerHostPath,
      request.secretRef.namespace,
      request.serviceAccountNames,
    );
  } catch (error) {
    throw wrap(error, `error while creating Role policy document for ${request.name}`);
  }
  const description = `OpenShift role for ${request.secretRef.namespace}/${request.secretRef.name}`;
  const policy = rolePolicy(statements);
  const boundary = options.permissionsBoundaryARN;

  if (options.dryRun) {
    // json.Marshal of a map: keys sorted.
    const roleInput = {
      AssumeRolePolicyDocument: assumeRolePolicy,
      Description: description,
      ...(boundary && { PermissionsBoundary: boundary }),
      RoleName: short,
      Tags: ownedTags(options.name),
    };
    saveDryRunFile(join(options.outputDir, `05-${index}-${full}-role.json`), description, JSON.stringify(roleInput));
    const policyInput = { PolicyDocument: policy, PolicyName: short, RoleName: short };
    saveDryRunFile(
      join(options.outputDir, `06-${index}-${full}-policy.json`),
      `policy for ${description}`,
      JSON.stringify(policyInput),
    );
    writeSecret(options, request, '');
    return;
  }

  if (!options.clients) throw new Error('no AWS clients outside a dry run');
  const { iam } = options.clients;
  let roleARN: string | undefined;
  let found = false;
  try {
    roleARN = (await iam.send(new GetRoleCommand({ RoleName: short }))).Role?.Arn;
    found = true;
    log(`Existing role ${roleARN ?? ''} found`);
  } catch (error) {
    if (!isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) throw wrap(error, `failed to get role ${short}`);
  }
  if (!found) {
    try {
      roleARN = (
        await iam.send(
          new CreateRoleCommand({
            RoleName: short,
            Description: description,
            AssumeRolePolicyDocument: assumeRolePolicy,
            Tags: ownedTags(options.name),
            ...(boundary && { PermissionsBoundary: boundary }),
          }),
        )
      ).Role?.Arn;
    } catch (error) {
      throw wrap(error, 'Failed to create role');
    }
    if (!roleARN) throw new Error('Failed to create role: no ARN returned');
    log(`Role ${roleARN} created`);
  }
  if (!roleARN) throw new Error(`role ${short} has no ARN`);
  writeSecret(options, request, roleARN);
  try {
    await iam.send(new PutRolePolicyCommand({ RoleName: short, PolicyName: short, PolicyDocument: policy }));
  } catch (error) {
    throw wrap(error, 'Failed to put role policy');
  }
  log(`Updated Role policy for Role ${short}`);
}

export async function createIAMRoles(options: IAMRolesOptions): Promise<void> {
  let requests: CredentialsRequest[];
  try {
    requests = listCredentialsRequests(options.credentialsRequestsDir, options.enableTechPreview);
  } catch (error) {
    throw wrap(error, 'Failed to process files containing CredentialsRequests');
  }
  try {
    let issuerHostPath = PLACEHOLDER_ISSUER;
    if (!options.dryRun || options.readsProviderInDryRun) {
      if (!options.clients) throw new Error('no AWS clients to read the IAM Identity Provider');
      try {
        const provider = await options.clients.iam.send(
          new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: options.providerARN }),
        );
        issuerHostPath = provider.Url ?? '';
      } catch (error) {
        throw wrap(error, 'failed to get IAM Identity Provider');
      }
    }
    await step('iam-roles');
    for (const [index, request] of requests.entries()) {
      await step(`iam-role-${index}`);
      await createRole(options, request, index, issuerHostPath);
    }
  } catch (error) {
    throw wrap(error, 'Failed while processing each CredentialsRequest');
  }
}
