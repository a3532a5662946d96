/*
 * What every subcommand shares: fault-injection points with the installer's exit code for each step, the times
 * it prints, and how it writes and lists asset files.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFaults } from '../faults.ts';
import type { Logger } from './log.ts';

export const TOOL = 'openshift-install';

/** Whether STANDIN_FAIL names an exit code for this step (`tool:step:code`) rather than just the step. */
function explicitCode(name: string): boolean {
  const entry = (process.env.STANDIN_FAIL ?? '')
    .split(',')
    .map((e) => e.trim().split(':'))
    .find(([tool, stepName]) => tool === TOOL && (stepName === name || stepName === '*'));
  return entry?.[2] !== undefined;
}

/**
 * A fault-injection point (faults.ts): fails with the code STANDIN_FAIL gives, or with the code the real installer
 * uses for a failure at this step when it gives none.
 */
export async function step(log: Logger, name: string, realCode: number, message: () => string): Promise<void> {
  await applyFaults(TOOL, name, (code) =>
    log.fatal(`${message()} (injected by STANDIN_FAIL)`, explicitCode(name) ? code : realCode),
  );
}

/** Go's time.Kitchen plus zone, as the installer prints the end of a wait. */
export function until(minutes: number): string {
  const end = new Date(Date.now() + minutes * 60_000);
  const hours = end.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${h12}:${String(end.getUTCMinutes()).padStart(2, '0')}${hours < 12 ? 'AM' : 'PM'} UTC`;
}

export function elapsed(start: number): string {
  const seconds = Math.round((Date.now() - start) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

export function writeFile(dir: string, relative: string, content: string, mode = 0o640): void {
  const file = join(dir, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
}

export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(?:ya?ml|json)$/.test(name) && statSync(join(dir, name)).isFile())
    .sort();
}
