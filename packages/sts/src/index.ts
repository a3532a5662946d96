// The CCO / AWS side: AWS clients and errors, preflight, what ccoctl made (its scan and deletion) and who owns it.
export { awsClients, totalCalls, type AwsClients, type AwsTarget } from './aws/clients.ts';
export { AwsCallError, awsCall, explainAwsError, type AwsErrorKind } from '@ocp-sts/state';
export { ownedTagKey, oidcBucketName } from './aws/tags.ts';
export {
  formatPreflightReport,
  preflightReport,
  PreflightError,
  runPreflightChecks,
  type CheckResult,
  type PreflightOptions,
  type PreflightReport,
} from './preflight/preflight.ts';
export { findStsResources, type ScanOptions, type StsQuery } from './leftovers/scan.ts';
export { deleteStsResources, type DeleteOptions, type DeleteOutcome } from './leftovers/delete.ts';
export { describeResource, groupByStsName, howToDelete, type StsResource } from './leftovers/resources.ts';
export { OWNER_TAG_KEY, ownerOf } from './ownership/owner-tag.ts';
export { keyIdOf, publishedIssuer, publishesKeys, type PublishedIssuer } from './issuer/index.ts';
export { guardSigningKey, type AvailableKey } from './signing-key/index.ts';
export {
  baseReleaseRequests,
  type BaseRelease,
  type CredentialsDiffOptions,
} from './credentials-diff/credentials-diff.ts';
export {
  diffCredentialsRequests,
  hasChanges,
  requestsNeedingRoles,
  selectRequestsNeedingRoles,
  type ChangedRequest,
  type CredentialsDiff,
  type RequestChange,
  type RequestSummary,
} from './credentials-diff/diff.ts';
export { formatOutcome, type ComparedRelease, type DiffFormat, type DiffOutcome } from './credentials-diff/format.ts';
export { copyRequestDocuments, extractReleaseAwsRequests } from './release-requests.ts';
export { rolesForTarget } from './upgrade-roles.ts';
export { verifyCluster, verifyInputFor } from './verify/verify.ts';
export { formatJson, formatReport, type VerifyReport } from './verify/report.ts';
export { fileAt } from './credentials-diff/base-release.ts';
