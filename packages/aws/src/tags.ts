/*
 * How ccoctl marks and names what it creates (openshift/cloud-credential-operator,
 * pkg/cmd/provisioning/aws/create_identity_provider.go): the roles, the OIDC provider and the bucket carry the tags
 * `openshift.io/cloud-credential-operator/<name>=owned` and `Name=<name>`; the OIDC bucket is `<name>-oidc`. For a
 * private bucket it creates a CloudFront origin access identity (caller reference `<name>`, comment the tag key) and a
 * distribution (the same caller reference and comment) whose origin is the bucket's domain
 * `<name>-oidc.s3.<region>.<dnsSuffix>`, reading it through `origin-access-identity/cloudfront/<id>`; the
 * distribution may carry only the `Name` tag, so its origin (or its comment) is what ties it to the name.
 */

export const CCO_TAG_PREFIX = 'openshift.io/cloud-credential-operator/';
export const OWNED = 'owned';
export const NAME_TAG = 'Name';

/** `openshift.io/cloud-credential-operator/<stsName>` */
export function ownedTagKey(stsName: string): string {
  return `${CCO_TAG_PREFIX}${stsName}`;
}

/** The sts name a tag key marks, or undefined for any other key. */
export function stsNameOfTagKey(key: string | undefined): string | undefined {
  if (!key?.startsWith(CCO_TAG_PREFIX)) return undefined;
  const name = key.slice(CCO_TAG_PREFIX.length);
  return name || undefined;
}

/** ccoctl's OIDC bucket for an sts name. */
export function oidcBucketName(stsName: string): string {
  return `${stsName}-oidc`;
}

/** The sts name of ccoctl's OIDC bucket `<sts_name>-oidc`, or undefined for any other bucket. */
export function stsNameOfOidcBucket(bucket: string | undefined): string | undefined {
  const name = bucket?.endsWith('-oidc') ? bucket.slice(0, -'-oidc'.length) : undefined;
  return name || undefined;
}

const S3_HOST =
  /^(?<bucket>[a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-](?<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+))?\.amazonaws\.com(?:\.cn)?$/;

/**
 * The bucket (and region, when the host names one) of an S3 virtual-hosted domain: an issuer's host
 * `<bucket>.s3.<region>.amazonaws.com`, or a CloudFront S3 origin's domain name.
 */
export function s3BucketOfHost(host: string | undefined): { bucket: string; region: string | undefined } | undefined {
  const groups = host ? S3_HOST.exec(host)?.groups : undefined;
  return groups ? { bucket: groups.bucket!, region: groups.region } : undefined;
}

const OAI_REFERENCE = /^origin-access-identity\/cloudfront\/(?<id>[A-Z0-9]+)$/;

/** The id of the origin access identity an S3 origin reads through (`origin-access-identity/cloudfront/<id>`). */
export function originAccessIdentityOf(reference: string | undefined): string | undefined {
  return reference ? OAI_REFERENCE.exec(reference)?.groups?.id : undefined;
}

export interface TagLike {
  Key?: string | undefined;
  Value?: string | undefined;
}

/** The sts names these tags mark as owned (normally one). */
export function ownerStsNames(tags: readonly TagLike[] | undefined): string[] {
  return (tags ?? []).flatMap((t) => {
    const name = stsNameOfTagKey(t.Key);
    return name ? [name] : [];
  });
}

/** Whether the tags mark the resource as ccoctl's for `stsName` (`...=owned`). */
export function isOwnedBy(tags: readonly TagLike[] | undefined, stsName: string): boolean {
  return (tags ?? []).some((t) => t.Key === ownedTagKey(stsName) && t.Value === OWNED);
}
