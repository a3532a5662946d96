/*
 * The service-account issuer ccoctl wrote into cluster-authentication-02-config.yaml, and what follows from it: where
 * its documents are published, the IAM OIDC provider's ARN and the `sub` condition key of the trust policies.
 */
import { s3BucketOfHost } from '@ocp-sts/aws';

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

export type IssuerSource =
  /** Public bucket: `https://<bucket>.s3.<region>.amazonaws.com[.cn]`, documents read from the bucket. */
  | { kind: 's3'; bucket: string; region: string | undefined }
  /** Private bucket: `https://<id>.cloudfront.net`, documents in the distribution's S3 origin. */
  | { kind: 'cloudfront'; domain: string }
  | { kind: 'unknown' };

export interface Issuer {
  /** As written, e.g. `https://prod-oidc.s3.us-east-1.amazonaws.com`. */
  url: string;
  /** Without the scheme and trailing slash: IAM's provider Url, and the prefix of the `:sub` condition key. */
  hostPath: string;
  host: string;
  source: IssuerSource;
}

const CLOUDFRONT_HOST = /^[a-z0-9]+\.cloudfront\.net$/;

/** Parses an issuer URL; undefined unless it is an https URL. */
export function parseIssuer(url: string): Issuer | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.search || parsed.hash) return undefined;
  const host = parsed.host;
  const hostPath = `${host}${parsed.pathname}`.replace(/\/+$/, '');
  const s3 = s3BucketOfHost(host);
  let source: IssuerSource = { kind: 'unknown' };
  if (s3 && parsed.pathname.replace(/\/+$/, '') === '') {
    source = { kind: 's3', bucket: s3.bucket, region: s3.region };
  } else if (CLOUDFRONT_HOST.test(host)) {
    source = { kind: 'cloudfront', domain: host };
  }
  return { url: url.replace(/\/+$/, ''), hostPath, host, source };
}

/** The ARN IAM gives the OIDC provider of an issuer. */
export function providerArnFor(partition: Partition, account: string, issuer: Issuer): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${issuer.hostPath}`;
}

/** The trust-policy condition key ccoctl binds service accounts with. */
export function subjectKey(issuer: Issuer): string {
  return `${issuer.hostPath}:sub`;
}

export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** The region's DNS suffix for S3 (ccoctl: amazonaws.com, amazonaws.com.cn in China). */
export function dnsSuffixOf(partition: Partition): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}
