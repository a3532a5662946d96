/*
 * The OIDC identity provider (ccoctl's createIdentityProvider): the issuer's S3 bucket `<name>-oidc`, the discovery
 * document and key set in it, the IAM OIDC provider for the issuer URL, and the installer's Authentication manifest.
 *
 * Public bucket (default): public-access block that lets bucket policies through, a bucket policy granting
 * s3:GetObject to `*`; issuer `https://<name>-oidc.s3.<region>.<dnsSuffix>`.
 *
 * Private bucket (--create-private-s3-bucket), as ccoctl does it in every version: a CloudFront origin access identity
 * (caller reference `<name>`, comment `openshift.io/cloud-credential-operator/<name>`, by which delete finds it), a
 * bucket policy letting that identity read the objects, all public access blocked, and a distribution (tagged with the
 * two ccoctl tags, commented with the tag key) whose one origin is the bucket's regional domain through the identity,
 * known by the bucket's https URL; issuer `https://<distribution domain>`. moto has no origin access identity API: the
 * emulator's launcher adds it (tools/aws-emulator/README.md). ccoctl's dry-run template differs from what it creates:
 * there the distribution carries only the `Name` tag and its origin id is the bare bucket domain.
 *
 * A re-run that finds the bucket already ours makes nothing new for the endpoint: a public bucket's policy is left as
 * it is; for a private one the distribution whose origin is the bucket is looked up and serves the issuer. CloudFront
 * does not exist in GovCloud: a private bucket there is refused before anything is created.
 */
import {
  CreateDistributionWithTagsCommand,
  CreateCloudFrontOriginAccessIdentityCommand,
  GetDistributionCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  type CloudFrontClient,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import {
  CreateOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectedFailure } from '../faults.ts';
import {
  isAwsError,
  NAME_TAG_KEY,
  ownedTagKey,
  ownedTags,
  ownedTagsQuery,
  type AwsClients,
  type Partition,
} from './aws.ts';
import { DISCOVERY_DOCUMENT_KEY, discoveryDocument, jsonWebKeySet, KEYS_KEY } from './oidc-documents.ts';
import { log, step, wrap } from './log.ts';
import { MANIFESTS_DIR } from './output-dirs.ts';

export interface IdentityProviderOptions {
  name: string;
  region: string;
  partition: Partition;
  outputDir: string;
  publicKeyPath: string;
  createPrivateS3: boolean;
  /** AWS clients; undefined in a dry run (no AWS call is made). */
  clients: AwsClients | undefined;
}

export const AUTHENTICATION_MANIFEST = 'cluster-authentication-02-config.yaml';
export const CLIENT_IDS = ['openshift', 'sts.amazonaws.com'];
/**
 * ccoctl reads the thumbprint from an HTTPS HEAD to the issuer URL (SHA-1 of the last certificate presented), outside
 * the SDK's endpoint. The stand-in's issuer hosts do not exist (its AWS is the emulator), so it records the thumbprint
 * of the DigiCert root that serves Amazon S3 (the constant ccoctl itself used before it read the certificate); AWS no
 * longer checks it for S3 or CloudFront. STANDIN_FAIL=ccoctl:issuer-unreachable makes that HEAD fail as ccoctl's does.
 */
export const STAND_IN_THUMBPRINT = 'A9D53002E97E00E043244F3D170D6F4C414104FD';
/** The fault step (src/faults.ts) that makes the issuer unreachable for the thumbprint. */
export const ISSUER_UNREACHABLE_STEP = 'issuer-unreachable';
/** CloudFront's managed "CachingDisabled" policy, which ccoctl uses for the distribution. */
const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const DEPLOYED = 'Deployed';
const DEPLOY_POLL_MS = 30_000;

// Dry-run file names (numbered AWS-CLI `--cli-input-json` inputs).
export const DRY_RUN_FILES = {
  bucket: '01-oidc-bucket.json',
  discovery: '02-openid-configuration',
  keys: '03-keys.json',
  provider: '04-iam-identity-provider.json',
  originAccessIdentity: '05-cloudfront-origin-access-identity.json',
  bucketPolicyForOAI: '06-put-bucket-policy-to-allow-origin-access-identity.json',
  blockPublicAccess: '07-block-public-access-to-oidc-bucket.json',
  distribution: '08-cloudfront-distribution.json',
};
export const PLACEHOLDER_CLOUDFRONT_URL = '<enter_cloudfront_distribution_url_here>';
const PLACEHOLDER_OAI = '<enter_cloudfront_origin_access_identity_here>';
const PLACEHOLDER_THUMBPRINT = '<enter_tls_fingerprint_for_issuer_url_here>';

export function bucketNameFor(name: string): string {
  return `${name}-oidc`;
}

function s3BucketDomain(options: IdentityProviderOptions): string {
  return `${bucketNameFor(options.name)}.s3.${options.region}.${options.partition.dnsSuffix}`;
}

function saveDryRunFile(options: IdentityProviderOptions, file: string, what: string, content: string): void {
  const path = join(options.outputDir, file);
  log(`Saving ${what} locally at ${path}`);
  try {
    writeFileSync(path, content, { mode: 0o644 });
  } catch (error) {
    throw wrap(error, `Failed to save ${what} locally at ${path}`);
  }
}

function refuseGovCloudCloudFront(options: IdentityProviderOptions): void {
  if (options.createPrivateS3 && options.partition.id === 'aws-us-gov') {
    throw new Error(
      `CloudFront is not available in the ${options.partition.id} partition (region ${options.region}): ` +
        'a private S3 bucket (--create-private-s3-bucket) cannot be served there',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dry run: the inputs for the AWS CLI, no AWS call

function dryRunEndpoint(options: IdentityProviderOptions): string {
  const bucket = bucketNameFor(options.name);
  const tagKey = ownedTagKey(options.name);
  const bucketInput =
    options.region === 'us-east-1'
      ? { ACL: 'private', Bucket: bucket }
      : { ACL: 'private', Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: options.region } };
  saveDryRunFile(options, DRY_RUN_FILES.bucket, 'OIDC S3 bucket', JSON.stringify(bucketInput, null, '\t'));
  if (!options.createPrivateS3) return `https://${s3BucketDomain(options)}`;

  // What real ccoctl writes for a private bucket (the OAI flow: these files are inputs for real AWS).
  saveDryRunFile(
    options,
    DRY_RUN_FILES.originAccessIdentity,
    'JSON to create CloudFront Origin Access Identity',
    JSON.stringify(
      { CloudFrontOriginAccessIdentityConfig: { CallerReference: options.name, Comment: tagKey } },
      null,
      3,
    ),
  );
  const oaiPolicy = {
    Version: '2008-10-17',
    Id: 'PolicyForCloudFrontPrivateContent',
    Statement: [
      {
        Sid: '1',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${PLACEHOLDER_OAI}` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
  saveDryRunFile(
    options,
    DRY_RUN_FILES.bucketPolicyForOAI,
    'JSON to put bucket policy allowing access from CloudFront Origin Access Identity',
    JSON.stringify({ Bucket: bucket, Policy: JSON.stringify(oaiPolicy) }, null, 8),
  );
  saveDryRunFile(
    options,
    DRY_RUN_FILES.blockPublicAccess,
    'JSON to block public access to OIDC S3 bucket',
    JSON.stringify(
      {
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      null,
      '\t',
    ),
  );
  const distribution = {
    DistributionConfigWithTags: {
      DistributionConfig: dryRunDistributionConfig(options),
      // ccoctl's template: only the Name tag, the origin known by the bare bucket domain.
      Tags: { Items: [{ Key: NAME_TAG_KEY, Value: options.name }] },
    },
  };
  saveDryRunFile(
    options,
    DRY_RUN_FILES.distribution,
    'JSON to create CloudFront Distribution',
    JSON.stringify(distribution, null, 3),
  );
  return PLACEHOLDER_CLOUDFRONT_URL;
}

/** ccoctl's dry-run template of the distribution (every field it writes, in its order). */
function dryRunDistributionConfig(options: IdentityProviderOptions) {
  const domain = s3BucketDomain(options);
  const methods = { Quantity: 2, Items: ['HEAD', 'GET'] };
  return {
    CallerReference: options.name,
    Aliases: { Quantity: 0 },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: domain,
          DomainName: domain,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          S3OriginConfig: { OriginAccessIdentity: `origin-access-identity/cloudfront/${PLACEHOLDER_OAI}` },
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
          OriginShield: { Enabled: false },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: domain,
      TrustedSigners: { Enabled: false, Quantity: 0 },
      TrustedKeyGroups: { Enabled: false, Quantity: 0 },
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: { ...methods, CachedMethods: methods },
      SmoothStreaming: false,
      Compress: false,
      LambdaFunctionAssociations: { Quantity: 0 },
      FunctionAssociations: { Quantity: 0 },
      FieldLevelEncryptionId: '',
      CachePolicyId: CACHING_DISABLED_POLICY_ID,
    },
    CacheBehaviors: { Quantity: 0 },
    CustomErrorResponses: { Quantity: 0 },
    Comment: ownedTagKey(options.name),
    Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
    PriceClass: 'PriceClass_All',
    Enabled: true,
    ViewerCertificate: { CloudFrontDefaultCertificate: true },
  };
}

/** The live distribution ccoctl creates: the bucket's regional domain as origin, known by the bucket's https URL. */
function distributionConfig(options: IdentityProviderOptions, originAccessIdentityId: string) {
  const domain = s3BucketDomain(options);
  const originId = `https://${domain}`;
  return {
    CallerReference: options.name,
    Comment: ownedTagKey(options.name),
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: originId,
          DomainName: domain,
          S3OriginConfig: { OriginAccessIdentity: `origin-access-identity/cloudfront/${originAccessIdentityId}` },
        },
      ],
    },
    Enabled: true,
    DefaultCacheBehavior: {
      AllowedMethods: {
        Quantity: 2,
        Items: ['HEAD' as const, 'GET' as const],
        CachedMethods: { Quantity: 2, Items: ['HEAD' as const, 'GET' as const] },
      },
      TargetOriginId: originId,
      ViewerProtocolPolicy: 'https-only' as const,
      CachePolicyId: CACHING_DISABLED_POLICY_ID,
    },
    ViewerCertificate: { CloudFrontDefaultCertificate: true },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The bucket and its public or private endpoint

/** Creates and tags the bucket; false when it already exists and is ours (ccoctl then skips the endpoint's setup). */
async function createBucket(options: IdentityProviderOptions, clients: AwsClients): Promise<boolean> {
  const bucket = bucketNameFor(options.name);
  try {
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the default location; AWS refuses it as an explicit constraint.
        ...(options.region !== 'us-east-1' && {
          CreateBucketConfiguration: { LocationConstraint: options.region as never },
        }),
      }),
    );
  } catch (error) {
    if (isAwsError(error, 'BucketAlreadyOwnedByYou')) {
      log(`Bucket ${bucket} already exists and is owned by the user`);
      return false;
    }
    throw wrap(error, 'failed to create a bucket to store OpenID Connect configuration');
  }
  log(`Bucket ${bucket} created`);
  try {
    await clients.s3.send(
      new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: ownedTags(options.name) } }),
    );
  } catch (error) {
    throw wrap(error, `failed to tag the bucket ${bucket}`);
  }
  return true;
}

async function publicEndpoint(options: IdentityProviderOptions, clients: AwsClients): Promise<string> {
  const bucket = bucketNameFor(options.name);
  try {
    // Let bucket policies (not ACLs) control public access to the bucket.
    await clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: false,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: false,
        },
      }),
    );
  } catch (error) {
    throw wrap(error, `failed to allow public access for the bucket ${bucket}`);
  }
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowReadPublicAccess',
        Principal: '*',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`arn:${options.partition.id}:s3:::${bucket}/*`],
      },
    ],
  };
  try {
    await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  } catch (error) {
    throw wrap(error, `failed to apply public access policy to the bucket ${bucket}`);
  }
  return `https://${s3BucketDomain(options)}`;
}

/** Every CloudFront distribution carrying the `openshift.io/cloud-credential-operator/<name>` tag (delete's way). */
export async function distributionsOwnedBy(cloudfront: CloudFrontClient, name: string): Promise<DistributionSummary[]> {
  const owned: DistributionSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand({ ...(marker && { Marker: marker }) }));
    for (const distribution of page.DistributionList?.Items ?? []) {
      let tags;
      try {
        tags = await cloudfront.send(new ListTagsForResourceCommand({ Resource: distribution.ARN }));
      } catch (error) {
        if (isAwsError(error, 'NoSuchResource')) continue; // deleted since it was listed
        throw error;
      }
      if (tags.Tags?.Items?.some((tag) => tag.Key === ownedTagKey(name))) owned.push(distribution);
    }
    marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  return owned;
}

/**
 * A re-run with a private bucket that exists: ccoctl looks for the distribution whose origin is the bucket (first
 * page of ListDistributions only, as ccoctl) and serves the issuer from it; it makes nothing new.
 */
async function existingDistributionURL(options: IdentityProviderOptions, cloudfront: CloudFrontClient) {
  const bucket = bucketNameFor(options.name);
  let list;
  try {
    list = await cloudfront.send(new ListDistributionsCommand({}));
  } catch (error) {
    throw wrap(error, 'failed to list cloudfront distributions');
  }
  if (!list.DistributionList) throw new Error('found S3 bucket but no CloudFront distributions exist');
  const origin = s3BucketDomain(options);
  for (const distribution of list.DistributionList.Items ?? []) {
    if (distribution.Origins?.Items?.some((item) => item.DomainName === origin)) {
      log(`Found existing CloudFront distribution ${distribution.Id ?? ''} for S3 bucket ${bucket}`);
      return `https://${distribution.DomainName ?? ''}`;
    }
  }
  throw new Error(`found S3 bucket ${bucket} but no matching CloudFront distribution`);
}

/**
 * A new private bucket: ccoctl's origin access identity (commented with the owner tag key, by which delete finds it),
 * a bucket policy letting it read the objects, all public access blocked, and a distribution tagged like everything
 * else whose origin is the bucket through that identity. ccoctl then waits 30 s for the identity to become active;
 * the emulator needs no wait, and the stand-in does not wait.
 */
async function privateEndpoint(options: IdentityProviderOptions, clients: AwsClients): Promise<string> {
  const bucket = bucketNameFor(options.name);
  const { cloudfront, s3 } = clients;
  let oaiId: string | undefined;
  try {
    oaiId = (
      await cloudfront.send(
        new CreateCloudFrontOriginAccessIdentityCommand({
          CloudFrontOriginAccessIdentityConfig: { CallerReference: options.name, Comment: ownedTagKey(options.name) },
        }),
      )
    ).CloudFrontOriginAccessIdentity?.Id;
  } catch (error) {
    throw wrap(error, 'failed to create CloudFront origin access identity');
  }
  if (!oaiId) throw new Error('failed to create CloudFront origin access identity: no ID returned');
  log(`CloudFront origin access identity created with ID ${oaiId}, waiting 30s for it to become active`);

  // ccoctl's template names the principal in the aws partition whatever the region.
  const policy = {
    Version: '2008-10-17',
    Id: 'PolicyForCloudFrontPrivateContent',
    Statement: [
      {
        Sid: '1',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${oaiId}` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
  try {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy, null, 4) }));
  } catch (error) {
    throw wrap(error, `failed to add policy for the bucket ${bucket}`);
  }
  log(`Update policy for bucket ${bucket} to allow access from CloudFront origin access identity with ID ${oaiId}`);

  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  } catch (error) {
    throw wrap(error, `failed to block public access for the bucket ${bucket}`);
  }
  log(`Blocked public access for the bucket ${bucket}`);

  let distributionId: string | undefined;
  let domainName: string | undefined;
  try {
    const created = await cloudfront.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          DistributionConfig: distributionConfig(options, oaiId),
          Tags: { Items: ownedTags(options.name) },
        },
      }),
    );
    ({ Id: distributionId, DomainName: domainName } = created.Distribution ?? {});
  } catch (error) {
    throw wrap(error, 'failed to create CloudFront Distribution');
  }
  if (!distributionId || !domainName) throw new Error('failed to create CloudFront Distribution: none returned');
  log(`CloudFront distribution created with ID ${distributionId}`);

  for (;;) {
    let status: string | undefined;
    try {
      status = (await cloudfront.send(new GetDistributionCommand({ Id: distributionId }))).Distribution?.Status;
    } catch (error) {
      throw wrap(error, `failed to get CloudFront Distribution with ID ${distributionId}`);
    }
    if (status === DEPLOYED) {
      log(`CloudFront distribution with ID ${distributionId} is successfully deployed`);
      break;
    }
    log(`Waiting 30s for CloudFront distribution with ID ${distributionId} to be deployed...`);
    await new Promise((resolve) => setTimeout(resolve, DEPLOY_POLL_MS));
  }
  return `https://${domainName}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The IAM OIDC provider

/** The first IAM OIDC provider tagged `openshift.io/cloud-credential-operator/<name>`, if any. */
export async function providerOwnedBy(iam: IAMClient, name: string): Promise<string | undefined> {
  const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  for (const provider of providers.OpenIDConnectProviderList ?? []) {
    if (!provider.Arn) continue;
    const tags: Tag[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await iam.send(
          new ListOpenIDConnectProviderTagsCommand({
            OpenIDConnectProviderArn: provider.Arn,
            ...(marker && { Marker: marker }),
          }),
        );
        tags.push(...(page.Tags ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) continue; // deleted since it was listed
      throw error;
    }
    if (tags.some((tag) => tag.Key === ownedTagKey(name))) return provider.Arn;
  }
  return undefined;
}

async function createIAMIdentityProvider(options: IdentityProviderOptions, issuerURL: string): Promise<string> {
  if (!options.clients) {
    const input = { Url: issuerURL, ClientIDList: CLIENT_IDS, ThumbprintList: [PLACEHOLDER_THUMBPRINT] };
    saveDryRunFile(
      options,
      DRY_RUN_FILES.provider,
      'AWS IAM Identity Provider',
      `${JSON.stringify(input, null, '\t')}\n`,
    );
    return '';
  }
  // ccoctl reads the thumbprint first, even when it then finds an existing provider.
  if (injectedFailure('ccoctl', ISSUER_UNREACHABLE_STEP) !== undefined) {
    const host = new URL(issuerURL).host;
    throw new Error(
      `failed to get fingerprint: error validating TLS Fingerprint: Head "${issuerURL}": ` +
        `dial tcp: lookup ${host}: no such host`,
    );
  }
  const { iam } = options.clients;
  let existing: string | undefined;
  try {
    existing = await providerOwnedBy(iam, options.name);
  } catch (error) {
    throw wrap(error, 'failed to fetch list of Identity Providers');
  }
  if (existing) {
    log(`Existing Identity Provider found with ARN: ${existing}`);
    return existing;
  }
  let arn: string | undefined;
  try {
    arn = (
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: issuerURL,
          ClientIDList: CLIENT_IDS,
          ThumbprintList: [STAND_IN_THUMBPRINT],
          Tags: ownedTags(options.name),
        }),
      )
    ).OpenIDConnectProviderArn;
  } catch (error) {
    throw wrap(error, 'failed to create Identity Provider');
  }
  if (!arn) throw new Error('failed to create Identity Provider: no ARN returned');
  log(`Identity Provider created with ARN: ${arn}`);
  return arn;
}

// ---------------------------------------------------------------------------------------------------------------

export function writeClusterAuthentication(outputDir: string, issuerURL: string): void {
  const path = join(outputDir, MANIFESTS_DIR, AUTHENTICATION_MANIFEST);
  const manifest = `apiVersion: config.openshift.io/v1
kind: Authentication
metadata:
  name: cluster
spec:
  serviceAccountIssuer: ${issuerURL}`;
  try {
    writeFileSync(path, manifest, { mode: 0o600 });
  } catch (error) {
    throw wrap(error, 'failed to save cluster authentication file');
  }
  log(`Wrote cluster authentication manifest at path ${path}`);
  log(`Issuer URL (serviceAccountIssuer) is ${issuerURL}`);
}

/** Creates (or, in a dry run, describes) the identity provider; resolves to its issuer URL and ARN ('' in a dry run). */
export async function createIdentityProvider(
  options: IdentityProviderOptions,
): Promise<{ issuerURL: string; providerARN: string }> {
  const { clients } = options;
  const bucket = bucketNameFor(options.name);
  refuseGovCloudCloudFront(options);

  await step('oidc-bucket');
  let issuerURL: string;
  if (!clients) {
    issuerURL = dryRunEndpoint(options);
  } else {
    if (!(await createBucket(options, clients))) {
      issuerURL = options.createPrivateS3
        ? await existingDistributionURL(options, clients.cloudfront)
        : `https://${s3BucketDomain(options)}`;
    } else {
      issuerURL = options.createPrivateS3
        ? await privateEndpoint(options, clients)
        : await publicEndpoint(options, clients);
    }
  }

  await step('oidc-objects');
  const discovery = discoveryDocument(issuerURL);
  if (!clients) {
    saveDryRunFile(options, DRY_RUN_FILES.discovery, 'discovery document', discovery);
  } else {
    try {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: DISCOVERY_DOCUMENT_KEY,
          Body: discovery,
          Tagging: ownedTagsQuery(options.name),
        }),
      );
    } catch (error) {
      throw wrap(error, `failed to upload discovery document in the S3 bucket ${bucket}`);
    }
    log(`OpenID Connect discovery document in the S3 bucket ${bucket} at ${DISCOVERY_DOCUMENT_KEY} updated`);
  }
  let keys: string;
  try {
    keys = jsonWebKeySet(options.publicKeyPath);
  } catch (error) {
    throw wrap(error, 'failed to build JSON web key set from the public key');
  }
  if (!clients) {
    saveDryRunFile(options, DRY_RUN_FILES.keys, 'JSON web key set (JWKS)', keys);
  } else {
    try {
      await clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: KEYS_KEY, Body: keys, Tagging: ownedTagsQuery(options.name) }),
      );
    } catch (error) {
      throw wrap(error, `failed to upload JSON web key set (JWKS) in the S3 bucket ${bucket}`);
    }
    log(`JSON web key set (JWKS) in the S3 bucket ${bucket} at ${KEYS_KEY} updated`);
  }

  await step('oidc-provider');
  const providerARN = await createIAMIdentityProvider(options, issuerURL);
  writeClusterAuthentication(options.outputDir, issuerURL);
  return { issuerURL, providerARN };
}
