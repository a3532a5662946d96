/*
 * Applies this workspace's patches to the installed Nx (npm ci runs it as postinstall):
 *   node tools/nx-patches/apply.ts
 * See skipped-tasks-exit-code.ts for what it fixes and why.
 */
import { join } from 'node:path';
import { PATCHED_NX_VERSION, patchInstalledNx } from './skipped-tasks-exit-code.ts';

const nxDir = join(import.meta.dirname, '..', '..', 'node_modules', 'nx');
const outcome = patchInstalledNx(nxDir);
if (outcome === 'other-version') {
  process.stderr.write(
    `nx-patches: nx is not ${PATCHED_NX_VERSION}; the exit-code patch (a failed dependency exits 1, not 130) is not ` +
      'applied: check that this Nx exits 1 when a dependency fails (tools/e2e/crash-hygiene.spec.ts), then remove it\n',
  );
} else if (outcome === 'patched') {
  process.stderr.write('nx-patches: a failed dependency now makes nx exit 1, not 130 (tools/nx-patches/)\n');
}
