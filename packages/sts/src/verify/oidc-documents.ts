/*
 * The issuer's documents: `.well-known/openid-configuration` (whose `issuer` must be the issuer and whose `jwks_uri`
 * must be issuer + /keys.json) and `keys.json` (exactly the public half of the signing key in tls/), published where
 * AWS STS fetches them.
 *
 * Public bucket (issuer https://<sts_name>-oidc.s3.<region>.amazonaws.com): the objects are read from the bucket
 * through the S3 API, and the bucket must let everyone read them (bucket policy s3:GetObject for "*", no public-access
 * block on policies), since STS fetches them anonymously.
 *
 * Private bucket (issuer https://<id>.cloudfront.net): the distribution is found by its domain (CloudFront
 * ListDistributions), must be enabled, and its S3 origin bucket must let CloudFront read: through the origin access
 * identity the origin names (what ccoctl makes: `origin-access-identity/cloudfront/<id>`, which must exist and be the
 * one the bucket policy grants), or through an origin access control (a grant to cloudfront.amazonaws.com for this
 * distribution). The objects are read from that origin bucket through the S3 API. They are not fetched through CloudFront itself: the emulator (moto) keeps
 * distributions as records but serves no content at their domains, and verify makes no call outside the AWS APIs.
 */
import {
  GetCloudFrontOriginAccessIdentityCommand,
  ListDistributionsCommand,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import { GetBucketPolicyCommand, GetObjectCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { originAccessIdentityOf, s3BucketOfHost, type AwsReader, type Read } from '@ocp-sts/aws';
import { DISCOVERY_KEY, JWKS_KEY, type Issuer, type PublicJwk } from '../issuer/index.ts';
import { fixes, type Findings } from './findings.ts';
import { jwksProblems } from './jwks.ts';
import type { ClusterFacts } from './outputs.ts';
import { asList, coversAction, isRecord, parsePolicyDocument } from './policy-document.ts';

interface Where {
  bucket: string;
  /** Key prefix of the documents in the bucket (a CloudFront origin path), '' or ending in '/'. */
  prefix: string;
  /** Who must be able to read: everyone (public bucket), or CloudFront for this distribution. */
  reader: { kind: 'public' } | CloudFrontReader;
}

interface CloudFrontReader {
  kind: 'cloudfront';
  distributionArn: string;
  distributionId: string;
  /** The origin access identity the distribution's S3 origin reads through (ccoctl's way), if any. */
  originAccessIdentity?: { id: string; s3CanonicalUserId: string | undefined } | undefined;
}

async function readText(aws: AwsReader, bucket: string, key: string): Promise<Read<string>> {
  return aws.read('s3:GetObject', async (c) => {
    const object = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  });
}

/** The distribution that serves the issuer's domain; paginated. */
async function findDistribution(aws: AwsReader, domain: string): Promise<DistributionSummary | undefined> {
  let marker: string | undefined;
  do {
    const read = await aws.read('cloudfront:ListDistributions', (c) =>
      c.cloudfront.send(new ListDistributionsCommand({ ...(marker && { Marker: marker }) })),
    );
    if (!read.found) return undefined;
    const list = read.value.DistributionList;
    const found = list?.Items?.find((d) => d.DomainName === domain || (d.Aliases?.Items ?? []).includes(domain));
    if (found) return found;
    marker = list?.IsTruncated ? list.NextMarker : undefined;
  } while (marker);
  return undefined;
}

async function locate(
  aws: AwsReader,
  facts: ClusterFacts,
  issuer: Issuer,
  findings: Findings,
): Promise<Where | undefined> {
  const rerun = fixes.rerunCcoctl(facts.project);
  const { source } = issuer;
  if (source.kind === 's3') return { bucket: source.bucket, prefix: '', reader: { kind: 'public' } };
  if (source.kind === 'unknown') {
    findings.checked('oidc-documents');
    findings.error(
      'oidc-documents',
      issuer.url,
      `an issuer ccoctl makes: https://${facts.stsName}-oidc.s3.${facts.region}.amazonaws.com or https://<id>.cloudfront.net`,
      `${issuer.url}: verify cannot tell where its documents are published`,
      rerun,
    );
    return undefined;
  }
  findings.checked('oidc-documents');
  const distribution = await findDistribution(aws, source.domain);
  if (!distribution?.Id || !distribution.ARN) {
    findings.error(
      'oidc-documents',
      issuer.url,
      `a CloudFront distribution serving ${source.domain}`,
      'none in the account: AWS STS cannot fetch the discovery document',
      rerun,
    );
    return undefined;
  }
  findings.checked('oidc-documents');
  if (distribution.Enabled === false) {
    findings.error(
      'oidc-documents',
      distribution.ARN,
      'an enabled distribution',
      'disabled: the issuer serves nothing',
      `enable it: aws cloudfront get-distribution-config --id ${distribution.Id}, set Enabled true, update-distribution`,
    );
  }
  const origins = distribution.Origins?.Items ?? [];
  const origin =
    origins.find((o) => o.Id === distribution.DefaultCacheBehavior?.TargetOriginId) ?? origins[0] ?? undefined;
  const bucket = s3BucketOfHost(origin?.DomainName)?.bucket;
  findings.checked('oidc-documents');
  if (!bucket) {
    findings.error(
      'oidc-documents',
      distribution.ARN,
      `an S3 bucket origin (${facts.stsName}-oidc)`,
      origin?.DomainName ? `origin ${origin.DomainName}` : 'no origin',
      rerun,
    );
    return undefined;
  }
  const path = (origin?.OriginPath ?? '').replace(/^\/+|\/+$/g, '');
  const reader: CloudFrontReader = {
    kind: 'cloudfront',
    distributionArn: distribution.ARN,
    distributionId: distribution.Id,
  };
  const oaiReference = origin?.S3OriginConfig?.OriginAccessIdentity;
  if (oaiReference) {
    const id = originAccessIdentityOf(oaiReference);
    const identity = id
      ? await aws.read('cloudfront:GetCloudFrontOriginAccessIdentity', (c) =>
          c.cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id })),
        )
      : undefined;
    findings.checked('oidc-documents');
    if (!id || !identity?.found) {
      findings.error(
        'oidc-documents',
        distribution.ARN,
        'an origin access identity that exists, for the origin to read the bucket with',
        `${oaiReference}: ${id && identity && !identity.found ? `missing (${identity.code})` : 'not an origin access identity'}; CloudFront cannot read the bucket`,
        rerun,
      );
      return undefined;
    }
    reader.originAccessIdentity = {
      id,
      s3CanonicalUserId: identity.value.CloudFrontOriginAccessIdentity?.S3CanonicalUserId,
    };
  }
  return { bucket, prefix: path ? `${path}/` : '', reader };
}

/** Whether a bucket-policy principal names this origin access identity (by its ARN, or its S3 canonical user). */
function namesIdentity(
  principal: Record<string, unknown>,
  identity: { id: string; s3CanonicalUserId?: string | undefined },
) {
  const arns = asList(principal.AWS).filter((p): p is string => typeof p === 'string');
  return (
    arns.some((p) => p.endsWith(`CloudFront Origin Access Identity ${identity.id}`)) ||
    (!!identity.s3CanonicalUserId && asList(principal.CanonicalUser).includes(identity.s3CanonicalUserId))
  );
}

/** Does a bucket policy let the reader get the objects? */
export function policyLetsRead(policyText: string | undefined, where: Where): boolean {
  const document = parsePolicyDocument(policyText);
  if (!document) return false;
  return document.statements.some((s) => {
    if (s.Effect !== 'Allow' || !coversAction(s, 's3:GetObject')) return false;
    const principal = s.Principal;
    if (where.reader.kind === 'public') {
      return principal === '*' || (isRecord(principal) && asList(principal.AWS).includes('*'));
    }
    if (!isRecord(principal)) return false;
    const identity = where.reader.originAccessIdentity;
    // The origin reads through an origin access identity: the grant must name that one.
    if (identity) return namesIdentity(principal, identity);
    const oai = asList(principal.AWS).some(
      (p) => typeof p === 'string' && p.includes('CloudFront Origin Access Identity'),
    );
    const service = asList(principal.Service).includes('cloudfront.amazonaws.com');
    if (!oai && !service && principal.CanonicalUser === undefined) return false;
    // An origin access control grant names its distribution (AWS:SourceArn): it must be this one.
    const sourceArns = isRecord(s.Condition)
      ? Object.values(s.Condition).flatMap((keys) =>
          isRecord(keys)
            ? Object.entries(keys)
                .filter(([k]) => k.toLowerCase() === 'aws:sourcearn')
                .flatMap(([, v]) => asList(v))
            : [],
        )
      : [];
    const reader = where.reader;
    return sourceArns.length === 0 || sourceArns.includes(reader.distributionArn);
  });
}

async function checkAccess(aws: AwsReader, facts: ClusterFacts, where: Where, findings: Findings): Promise<void> {
  const { bucket } = where;
  const [policy, block] = await Promise.all([
    aws.read('s3:GetBucketPolicy', (c) => c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    where.reader.kind === 'public'
      ? aws.read('s3:GetPublicAccessBlock', (c) => c.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
      : undefined,
  ]);
  if (!policy.found && policy.code === 'NoSuchBucket') return; // reported with the objects
  const rerun = fixes.rerunCcoctl(facts.project);
  findings.checked('oidc-documents');
  const policyText = policy.found ? policy.value.Policy : undefined;
  if (!policyLetsRead(policyText, where)) {
    findings.error(
      'oidc-documents',
      `s3://${bucket}`,
      where.reader.kind === 'public'
        ? 'a bucket policy allowing s3:GetObject to everyone (AWS STS fetches the documents anonymously)'
        : `a bucket policy letting CloudFront (distribution ${where.reader.distributionId}${where.reader.originAccessIdentity ? `, origin access identity ${where.reader.originAccessIdentity.id}` : ''}) read the objects`,
      policyText ? `policy ${policyText}` : 'no bucket policy',
      rerun,
    );
  }
  if (block) {
    findings.checked('oidc-documents');
    const config = block.found ? block.value.PublicAccessBlockConfiguration : undefined;
    if (config?.BlockPublicPolicy || config?.RestrictPublicBuckets) {
      findings.error(
        'oidc-documents',
        `s3://${bucket}`,
        'public access through the bucket policy (BlockPublicPolicy and RestrictPublicBuckets false)',
        `public-access block ${JSON.stringify(config)}`,
        `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration ` +
          'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false',
      );
    }
  }
}

export async function checkOidcDocuments(
  aws: AwsReader,
  facts: ClusterFacts,
  issuer: Issuer,
  signingKey: PublicJwk | undefined,
  findings: Findings,
): Promise<void> {
  const where = await locate(aws, facts, issuer, findings);
  if (!where) return;
  const rerun = fixes.rerunCcoctl(facts.project);
  const { bucket, prefix } = where;
  const [discovery, keys] = await Promise.all([
    readText(aws, bucket, `${prefix}${DISCOVERY_KEY}`),
    readText(aws, bucket, `${prefix}${JWKS_KEY}`),
    checkAccess(aws, facts, where, findings),
  ]);
  const resource = (key: string) => `s3://${bucket}/${prefix}${key}`;
  findings.checked('oidc-documents');
  if (!discovery.found && discovery.code === 'NoSuchBucket') {
    findings.error(
      'oidc-documents',
      `s3://${bucket}`,
      `the bucket holding the documents of ${issuer.url}`,
      'missing (NoSuchBucket): AWS STS cannot fetch the discovery document',
      rerun,
    );
    return;
  }

  // The discovery document.
  if (!discovery.found) {
    findings.error(
      'oidc-documents',
      resource(DISCOVERY_KEY),
      'the OpenID discovery document',
      `missing (${discovery.code})`,
      rerun,
    );
  } else {
    let document: unknown;
    try {
      document = JSON.parse(discovery.value);
    } catch {
      document = undefined;
    }
    const jwksUri = `${issuer.url}/${JWKS_KEY}`;
    if (!isRecord(document)) {
      findings.error(
        'oidc-documents',
        resource(DISCOVERY_KEY),
        'a JSON discovery document',
        'not a JSON object',
        rerun,
      );
    } else {
      findings.checked('oidc-documents', 2);
      if (document.issuer !== issuer.url) {
        findings.error(
          'oidc-documents',
          resource(DISCOVERY_KEY),
          `issuer ${issuer.url} (spec.serviceAccountIssuer)`,
          `issuer ${JSON.stringify(document.issuer)}`,
          rerun,
        );
      }
      if (document.jwks_uri !== jwksUri) {
        findings.error(
          'oidc-documents',
          resource(DISCOVERY_KEY),
          `jwks_uri ${jwksUri}`,
          `jwks_uri ${JSON.stringify(document.jwks_uri)}`,
          rerun,
        );
      }
    }
  }

  // The key set.
  findings.checked('oidc-documents');
  if (!keys.found) {
    findings.error('oidc-documents', resource(JWKS_KEY), 'the JSON Web Key Set', `missing (${keys.code})`, rerun);
  } else if (signingKey) {
    for (const problem of jwksProblems(keys.value, signingKey)) {
      findings.error('oidc-documents', resource(JWKS_KEY), problem.expected, problem.found, rerun);
    }
  }
}
