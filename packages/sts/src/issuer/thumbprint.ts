/*
 * ccoctl's one failure that depends on this machine's network rather than on AWS: before it creates the IAM OIDC
 * provider, `ccoctl aws create-all` sends an HTTPS HEAD to the issuer URL itself (not through the AWS endpoint) to
 * record the SHA-1 thumbprint of its last certificate. When that fails (a proxy, a firewall, DNS) it exits 1 with
 * `Failed to create Identity provider: failed to get fingerprint: ...`, after the bucket and its two documents exist.
 * This says what is left in AWS and that a re-run completes (ccoctl reuses the bucket).
 */
import { ToolFailedError, UserError } from '@ocp-sts/toolchain';
import { oidcBucketName } from '@ocp-sts/aws';

const FINGERPRINT_FAILURE = 'failed to get fingerprint';

/** The error to report instead, when `error` is ccoctl failing to read the issuer's thumbprint; else undefined. */
export function issuerThumbprintFailure(
  error: unknown,
  facts: { stsName: string; privateBucket: boolean; project: string },
): UserError | undefined {
  if (!(error instanceof ToolFailedError) || !error.message.includes(FINGERPRINT_FAILURE)) return undefined;
  const issuer = /failed to get fingerprint: .*?Head "([^"]+)"/.exec(error.message)?.[1] ?? 'its issuer URL';
  const bucket = oidcBucketName(facts.stsName);
  const left = facts.privateBucket
    ? `the private S3 bucket ${bucket} with its discovery document and keys.json, the CloudFront origin access identity and distribution`
    : `the S3 bucket ${bucket} with its discovery document and keys.json`;
  const [, ...details] = error.message.split('\n');
  return new UserError(
    `\`ccoctl aws create-all\` exited ${error.exitCode ?? '?'}: it could not reach ${issuer} over HTTPS from this ` +
      `machine to read its TLS thumbprint. Left in AWS: ${left}; no OIDC provider or role yet. Let this machine reach ` +
      `the issuer over HTTPS (proxy, firewall, DNS), then re-run \`nx run ${facts.project}:ccoctl\`: ccoctl reuses ` +
      'the bucket and completes.\n' +
      details.join('\n'),
  );
}
