/*
 * Jest globalSetup: one AWS emulator for the whole test run. It runs in Jest's parent process before any test worker
 * is spawned, so the variables put into process.env here (AWS_ENDPOINT_URL, fake credentials, region) are inherited
 * by every worker and by every child process the tests start. AWS_EMULATOR_ENDPOINT holds the endpoint too, for tests
 * that point AWS_ENDPOINT_URL elsewhere for a child (e.g. at a closed port).
 *
 * The emulator is shared by test files running in parallel: tests isolate themselves by unique names, never by
 * `POST /moto-api/reset` (which would wipe what a concurrent test file made). A test that needs a clean server
 * starts its own with startEmulator().
 */
import { emulatorEnv, startEmulator, type Emulator } from './emulator.ts';

declare global {
  var __AWS_EMULATOR__: Emulator | undefined;
}

export default async function globalSetup(): Promise<void> {
  const emulator = await startEmulator({ log: (line) => process.stderr.write(`\naws-emulator: ${line}\n`) });
  globalThis.__AWS_EMULATOR__ = emulator;
  Object.assign(process.env, emulatorEnv(emulator.endpoint), { AWS_EMULATOR_ENDPOINT: emulator.endpoint });
}
