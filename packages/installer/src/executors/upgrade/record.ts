/** The end of an upgrade in the state: the new release in the `installed` record, and no `upgrading` record. */
import {
  STATE_RECORDS,
  whoIsRunning,
  writeRecord,
  type InstalledRecord,
  type ObjectStore,
  type UpgradingRecord,
} from '@ocp-sts/state';

export async function recordUpgraded(
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
  await writeRecord(state, STATE_RECORDS.installed, now);
  await state.delete(STATE_RECORDS.upgrading);
}
