// The CCO / AWS side: preflight, verify, what ccoctl made (its inventory), the roles of an upgrade.
export { runPreflightChecks } from './preflight/preflight.ts';
export { findStsResources } from './inventory/scan.ts';
export { deleteStsResources } from './inventory/delete.ts';
export { describeResource, howToDelete, type StsResource } from './inventory/resources.ts';
export { rolesForTarget } from './upgrade-roles.ts';
export { verifyCluster, verifyInputFor } from './verify/verify.ts';
export { formatJson, formatReport, type VerifyReport } from './verify/report.ts';
