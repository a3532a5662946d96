/*
 * What the OIDC issuer of an sts name publishes today, and whether it publishes keys at all: it does when its bucket
 * `<sts_name>-oidc` holds `keys.json` (whose key ids say which keys), or when an IAM OIDC provider of the issuer
 * exists (AWS STS then trusts whatever key the issuer serves). The bucket and the provider are found as the leftovers
 * scan finds them (the provider by the bucket's host or by ccoctl's tag, which covers a private bucket's CloudFront
 * issuer).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { awsClients, awsReader, oidcBucketName, valueOf, type AwsClients } from '@ocp-sts/aws';
import { findStsResources } from '../inventory/scan.ts';
import { DISCOVERY_KEY, issuerOf, JWKS_KEY, keyIdsOf } from './documents.ts';

export interface PublishedIssuer {
  stsName: string;
  /** `<sts_name>-oidc` */
  bucket: string;
  /** The issuer's URL: the IAM OIDC provider's, else the discovery document's `issuer`; undefined when neither. */
  issuerUrl: string | undefined;
  /** The bucket's keys.json, when it is there: the key ids (`kid`) it publishes ([] when it names none). */
  keys: { kids: string[]; region: string } | undefined;
  /** ARNs of the IAM OIDC providers of the issuer. */
  providers: string[];
}

/** Whether the issuer publishes keys at all (keys.json, or a provider that would trust what it serves). */
export function publishesKeys(issuer: PublishedIssuer): boolean {
  return issuer.keys !== undefined || issuer.providers.length > 0;
}

/** What the issuer of `stsName` publishes today (read-only). */
export async function publishedIssuer(
  clients: AwsClients,
  query: { stsName: string; region: string },
): Promise<PublishedIssuer> {
  const bucket = oidcBucketName(query.stsName);
  // The bucket is looked for from the issuer's region (platform.region), where ccoctl makes it.
  if (clients.target.region !== query.region) clients = awsClients({ ...clients.target, region: query.region });
  const found = await findStsResources(clients, { stsName: query.stsName });
  const providers = found.flatMap((r) => (r.kind === 'oidc-provider' ? [r] : []));
  const own = found.find((r) => r.kind === 's3-bucket' && r.name === bucket);
  let keys: PublishedIssuer['keys'];
  let discovery: string | undefined;
  if (own?.kind === 's3-bucket') {
    const s3 =
      own.region === clients.target.region ? clients.s3 : awsClients({ ...clients.target, region: own.region }).s3;
    const aws = awsReader(clients, 2);
    const text = (key: string) =>
      aws.read('s3:GetObject', async () => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await object.Body?.transformToString('utf8')) ?? '';
      });
    const [jwks, document] = await Promise.all([
      own.objects.includes(JWKS_KEY) ? text(JWKS_KEY).then(valueOf) : undefined,
      own.objects.includes(DISCOVERY_KEY) ? text(DISCOVERY_KEY).then(valueOf) : undefined,
    ]);
    if (jwks !== undefined) keys = { kids: keyIdsOf(jwks), region: own.region };
    discovery = document;
  }
  const provider = providers[0];
  return {
    stsName: query.stsName,
    bucket,
    issuerUrl: provider ? `https://${provider.url}` : issuerOf(discovery),
    keys,
    providers: providers.map((p) => p.arn),
  };
}
