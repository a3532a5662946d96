// A cluster's state backend and its lock.
export { stateLocation, STATE_GROUPS } from './location.ts';
export { S3ObjectStore, type ObjectStore } from './store.ts';
export { openStateStore } from './open-store.ts';
export { acquireLock, withClusterLock } from './lock.ts';
export {
  forgetFolderInState,
  forgetInState,
  keepFolderInState,
  keepInState,
  readRecord,
  readStateFile,
  restoreFolderFromState,
  restoreFromState,
  stateCopyOf,
  STATE_RECORDS,
  whoIsRunning,
  writeOwnerOnly,
  writeRecord,
  type CcoctlStateRecord,
  type InstalledRecord,
  type InstallingRecord,
  type UpgradingRecord,
} from './cluster-state.ts';
export {
  forgetInstalledRecord,
  installedReleaseChanged,
  installedReleaseKey,
  readInstalledRecord,
  seenInstalledRelease,
  writeInstalledRecord,
  type SeenInstalledRelease,
} from './installed-record.ts';
export { ensureStateBucket, stateBucketClient, stateBucketProblems, type StateBucket } from './bucket-check.ts';
