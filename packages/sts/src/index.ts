// The CCO / AWS side: preflight, verify, what ccoctl made (its inventory), CredentialsRequests and their diff.
export { runPreflightChecks } from './preflight/preflight.ts';
export { findStsResources } from './inventory/scan.ts';
export { deleteStsResources } from './inventory/delete.ts';
export { describeResource, howToDelete, type StsResource } from './inventory/resources.ts';
export { credentialsDiff, headRequestsNeedingRoles } from './credentials-diff/credentials-diff.ts';
export { roleNameFor } from './credentials-requests.ts';
export { updateRoles } from './upgrade-roles.ts';
export { verifyCluster, verifyInputFor } from './verify/verify.ts';
export { formatJson, formatReport, type VerifyReport } from './verify/report.ts';
