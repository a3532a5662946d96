import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildOutputDir,
  openStepLog,
  restrictToOwner,
  stsIsOff,
  UserError,
  type ClusterStep,
} from '@ocp-sts/toolchain';
import { MANIFESTS_DIR, TLS_DIR } from '../../ccoctl-output/layout.ts';
import { readCcoctlOutput, type CcoctlOutputProblem } from '../../ccoctl-output/read.ts';
import { readCredentialsRequests } from '../../credentials-requests.ts';

/** Our own records, which are not installer input. */
const RECORDS = /^ocp-sts-.*\.json$/;

/** Everything wrong with ccoctl's output for these requests, each naming the file and the fix. */
export function ccoctlOutputProblems(step: ClusterStep): string[] {
  const cco = step.dir('ccoctl');
  // Without an output there are no Secrets to look for: say that, rather than what extract may lack.
  const requests = existsSync(cco) ? readCredentialsRequests(step.dir('extract')) : [];
  const { problems } = readCcoctlOutput(cco, requests);
  // Both halves of the key pair unreadable read as one line.
  return [...new Set(problems.flatMap((problem) => problemLine(step, problem) ?? []))];
}

/** The line for a problem, or null for one inject lets through (a switch over every kind: a new one must be placed). */
function problemLine(step: ClusterStep, problem: CcoctlOutputProblem): string | null {
  const show = step.show;
  switch (problem.kind) {
    case 'no-output':
      return `${show(problem.path)} is missing: run the ccoctl target first`;
    case 'dry-run-secret':
      return `${show(problem.path)} is a dry-run placeholder (no role ARN): run ccoctl without --dry-run / CCO_DRY_RUN`;
    case 'missing-secret':
      return `${show(problem.path)} is missing: no Secret for ${problem.request.namespace}/${problem.request.name}; re-run ccoctl`;
    case 'invalid-secret':
      return `${show(problem.path)} is not valid YAML; re-run ccoctl`;
    case 'wrong-secret': {
      const { secretRef } = problem.request;
      return `${show(problem.path)} is not the Secret ${secretRef.namespace}/${secretRef.name}`;
    }
    case 'unrequested-secret':
      // Staged as it is: verify warns about it.
      return null;
    case 'missing-authentication':
      return `${show(problem.path)} is missing: without it the cluster keeps its default issuer`;
    case 'missing-signing-key':
      return (
        `${show(problem.path)} is missing: the installer would generate a new signing key that the IAM OIDC provider ` +
        'cannot verify (InvalidIdentityToken 40 minutes later). Do not use ccoctl --public-key-file here.'
      );
    case 'missing-public-key':
      return `${show(problem.path)} is missing: cannot check the signing key`;
    case 'unreadable-signing-key':
      return `${show(problem.path)} or ${show(problem.publicKeyPath)} is not a readable key`;
    case 'unreadable-public-key':
      return `${show(problem.signingKeyPath)} or ${show(problem.path)} is not a readable key`;
    case 'keys-differ':
      return `${show(problem.path)} does not match ${show(problem.publicKeyPath)}, the key the OIDC issuer publishes; re-run ccoctl`;
  }
}

/**
 * The staged installer folder: the manifests output, plus ccoctl's manifests/ (the Secrets and the Authentication
 * config) and tls/ (the signing key). Refuses anything that would give a cluster whose operators cannot get
 * credentials.
 */
export async function stageInstallerDir(step: ClusterStep): Promise<{ injected: number }> {
  const manifests = step.dir('manifests');
  if (!existsSync(manifests)) throw new UserError(`${step.show(manifests)} is missing: run the manifests target first`);
  const sts = !stsIsOff(step);
  if (sts) {
    const problems = ccoctlOutputProblems(step);
    if (problems.length) throw new UserError(`refusing to stage the installer dir:\n  ${problems.join('\n  ')}`);
  }
  const log = openStepLog(step);
  const staged = await buildOutputDir(step.dir('inject'), (dir) => {
    cpSync(manifests, dir, { recursive: true, filter: (src) => !RECORDS.test(src.split('/').pop() ?? '') });
    log(`copied ${step.show(manifests)} (without our records) to ${step.show(step.dir('inject'))}`);
    let injected = 0;
    if (sts) {
      const cco = step.dir('ccoctl');
      for (const file of readdirSync(join(cco, MANIFESTS_DIR))) {
        cpSync(join(cco, MANIFESTS_DIR, file), join(dir, 'manifests', file));
        log(`injected manifests/${file} from ${step.show(join(cco, MANIFESTS_DIR))}`);
        injected++;
      }
      rmSync(join(dir, 'tls'), { recursive: true, force: true });
      cpSync(join(cco, TLS_DIR), join(dir, 'tls'), { recursive: true });
      // Names only: tls/ holds the signing key.
      log(`copied ${step.show(join(cco, TLS_DIR))} to tls/: ${readdirSync(join(dir, 'tls')).sort().join(', ')}`);
    } else {
      log(`cco_mode ${step.loaded.cluster.credentials.cco_mode}: nothing to inject`);
    }
    restrictToOwner(dir);
    return { injected };
  });
  log(`staged ${step.show(step.dir('inject'))}: ${staged.injected} ccoctl manifests injected`);
  return staged;
}
