/*
 * Keeps an install's files in the cluster's state backend as they appear: metadata.json and the admin credentials as
 * soon as the installer has written them (it does so before it creates any machine), so that from then on another
 * machine can resume or destroy the cluster; then, at the end, everything again with the redacted log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keepInState, STATE_GROUPS, type ObjectStore } from '@ocp-sts/state';
import { EARLY_INSTALLER_STATE_FILES, INSTALLER_METADATA, INSTALLER_STATE_FILES } from '../../installer-dir.ts';

export class InstallerStateKeeper {
  private early: Promise<unknown> | undefined;

  private readonly state: ObjectStore;
  private readonly dir: string;

  constructor(state: ObjectStore, dir: string) {
    this.state = state;
    this.dir = dir;
  }

  /** Called on each line of the installer's output: the first time metadata.json exists, keeps the early files. */
  poke(): void {
    if (this.early || !existsSync(join(this.dir, INSTALLER_METADATA))) return;
    // Its failure is not lost: keepAll() puts the same files again and reports what goes wrong then.
    this.early = keepInState(this.state, STATE_GROUPS.installer, this.dir, EARLY_INSTALLER_STATE_FILES).catch(
      () => undefined,
    );
  }

  /** Keeps every state file of the folder (the log redacted before this is called); returns their names. */
  async keepAll(): Promise<string[]> {
    await this.early;
    return keepInState(this.state, STATE_GROUPS.installer, this.dir, INSTALLER_STATE_FILES);
  }
}
