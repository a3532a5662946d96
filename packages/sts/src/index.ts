// The CCO / AWS side: AWS clients and errors, preflight, and the scan for (and deletion of) what ccoctl made.
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
