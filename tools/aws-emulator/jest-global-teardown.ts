/* Jest globalTeardown: stops the emulator that jest-global-setup.ts started (same process, so globalThis is shared). */
import type { Emulator } from './emulator.ts';

declare global {
  var __AWS_EMULATOR__: Emulator | undefined;
}

export default async function globalTeardown(): Promise<void> {
  await globalThis.__AWS_EMULATOR__?.stop();
  globalThis.__AWS_EMULATOR__ = undefined;
}
