/** The end of an upgrade in the state: the new release in the `installed` record, and no `upgrading` record. */
import {
  STATE_RECORDS,
  whoIsRunning,
  writeInstalledRecord,
  type InstalledRecord,
  type ObjectStore,
  type UpgradingRecord,
} from '@ocp-sts/state';
import type { ClusterStep } from '@ocp-sts/toolchain';

export async function recordUpgraded(
  step: ClusterStep,
  state: ObjectStore,
  installed: InstalledRecord,
  record: UpgradingRecord,
): Promise<void> {
  const now: InstalledRecord = {
    ...installed,
    version: record.to.version,
    releaseImage: record.to.releaseImage,
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  await writeInstalledRecord(step, state, now);
  await state.delete(STATE_RECORDS.upgrading);
}
