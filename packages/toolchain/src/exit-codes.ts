import type { ToolName } from './resolve.ts';

/** What openshift-install's exit codes mean (openshift/installer cmd/openshift-install). */
const INSTALLER_EXIT: Record<number, string> = {
  1: 'fatal error',
  3: 'install-config.yaml is invalid',
  4: 'creating the infrastructure failed',
  5: 'bootstrapping failed',
  6: 'the install did not complete',
  7: 'operators did not become stable',
  8: 'interrupted',
};

export function exitMeaning(tool: ToolName, code: number | undefined, signal?: string): string {
  if (signal) return `killed by ${signal}`;
  if (code === undefined) return 'did not start';
  if (tool === 'openshift-install') return INSTALLER_EXIT[code] ?? 'failed';
  // oc and ccoctl exit 1 on any failure (ccoctl even exits 0 on a failed delete; callers check).
  if (tool === 'ccoctl') return 'stopped at the first error; what it created before stays in AWS, a re-run reuses it';
  return 'oc reported an error';
}
