/*
 * Never a second key for one identity. Before ccoctl runs for real, the step compares the signing key it has (kept
 * in secrets/<name>/ or in the state backend) with what the sts name's issuer already publishes:
 *  - no key, but the issuer publishes keys: ccoctl would make a new key and overwrite keys.json, and every token of
 *    the running cluster would stop verifying. Refused, naming the issuer and how to get the key back.
 *  - a key whose key id is not among the published ones: the same overwrite. Refused (rotating the key is a later
 *    feature with its own target).
 * The key id is the one ccoctl and Kubernetes derive from the public key (issuer/jwk.ts).
 */
import { clusterSecretsDir } from '@ocp-sts/cluster-config';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { awsClients, clusterAwsTarget, type AwsClients } from '@ocp-sts/aws';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../ccoctl-output/layout.ts';
import { keyIdOf, publishedIssuer, publishesKeys, type PublishedIssuer } from '../issuer/index.ts';

export interface AvailableKey {
  /** Whether the cluster's signing key pair is at hand (in secrets/<name>/, or in the state backend). */
  keyAvailable: boolean;
  /** Its public key (a private key's PEM does as well: its public half is taken), when available. */
  publicKeyPem?: string | undefined;
}

function issuerText(issuer: PublishedIssuer): string {
  const published = [
    ...(issuer.keys
      ? [
          `the S3 bucket ${issuer.bucket} serves keys.json (${issuer.keys.kids.length ? `kid ${issuer.keys.kids.join(', kid ')}` : 'no key id it could read'})`,
        ]
      : []),
    ...issuer.providers.map((arn) => `the IAM OIDC provider ${arn} exists`),
  ];
  return `the OIDC issuer of sts_name ${issuer.stsName}${issuer.issuerUrl ? ` (${issuer.issuerUrl})` : ''} already publishes keys: ${published.join('; ')}`;
}

/** Why ccoctl must not run with this key (or without one), or undefined when it may. Pure. */
export function signingKeyRefusal(
  issuer: PublishedIssuer,
  key: { available: boolean; kid?: string | undefined },
  cluster: { name: string; region: string },
): string | undefined {
  if (!publishesKeys(issuer)) return undefined;
  const secrets = clusterSecretsDir(cluster.name);
  if (!key.available) {
    return (
      `refusing to make a new service-account signing key for ${cluster.name}: ${issuerText(issuer)}, and its ` +
      `signing key is neither in ${secrets}/ nor in the state backend. A new key would replace keys.json and every ` +
      'token of the running cluster would stop verifying; nothing was created. Get the key back: copy ' +
      `${secrets}/${SIGNER_PRIVATE} and ${SIGNER_PUBLIC} from the checkout or machine that installed the cluster, or ` +
      `configure the state: backend that holds it (state: in clusters/${cluster.name}/cluster.yaml or ` +
      `clusters/defaults.yaml). If that cluster is gone: nx run ${cluster.name}:destroy --yes where it was ` +
      `installed, or delete the issuer (ccoctl aws delete --name=${issuer.stsName} --region=${cluster.region})`
    );
  }
  if (!issuer.keys || (key.kid !== undefined && issuer.keys.kids.includes(key.kid))) return undefined;
  return (
    `refusing to publish another signing key for sts_name ${issuer.stsName}: the signing key of ${cluster.name} ` +
    `(kid ${key.kid ?? '?'}, from ${secrets}/ or the state backend) is not one that ${issuerText(issuer)}. ccoctl ` +
    'would replace keys.json and every token of the running cluster would stop verifying; nothing was created. Use ' +
    `the cluster's own key pair (${secrets}/${SIGNER_PRIVATE} and ${SIGNER_PUBLIC} from the checkout, machine or ` +
    `state backend that installed it); if ${issuer.stsName} is another cluster's issuer, choose another ` +
    'credentials.sts_name. Rotating the signing key is not supported yet'
  );
}

/**
 * The ccoctl step's guard, before anything is created (not in a dry run, which creates nothing and makes no AWS
 * call): throws a UserError when ccoctl would publish a second key for the sts name's issuer.
 */
export async function guardSigningKey(step: ClusterStep, key: AvailableKey, clients?: AwsClients): Promise<void> {
  if (key.keyAvailable && key.publicKeyPem === undefined) {
    throw new Error('guardSigningKey: keyAvailable without publicKeyPem');
  }
  const { cluster, stsName } = step.loaded;
  const region = cluster.platform.region;
  const issuer = await publishedIssuer(clients ?? awsClients(clusterAwsTarget(cluster)), { stsName, region });
  const refusal = signingKeyRefusal(
    issuer,
    { available: key.keyAvailable, kid: key.publicKeyPem === undefined ? undefined : keyIdOf(key.publicKeyPem) },
    { name: cluster.name, region },
  );
  if (refusal) throw new UserError(refusal);
}
