import { basename, dirname, join } from 'node:path';
import { CLUSTER_FILE } from './layout.ts';
import { ClusterConfigError, type Problem } from './load.ts';
import { newStsName } from './schema.ts';
import { stsNameClaim, type StsNameClaim } from './sts-name-claim.ts';

export interface StsNameCollisionOptions {
  /** Workspace-relative folder of the cluster being rendered, e.g. `clusters/prod-east`. */
  projectRoot: string;
  /** Its sts name, as loadClusterConfig decided it. */
  stsName: string;
  /**
   * Workspace-relative cluster.yaml files of other clusters that the project graph found claiming the same sts name
   * (render's `stsNameSharedWith` option). Each is read again here; only those that do claim it are reported.
   */
  others: readonly string[];
  /** Returns a workspace-relative file's text, or undefined when it does not exist. */
  read: (file: string) => string | undefined;
}

const where = (c: StsNameClaim) => `${c.file}:${c.line}:${c.col}`;

function problemOf(claim: StsNameClaim, all: StsNameClaim[]): Problem {
  const others = all.filter((c) => c !== claim).map(where);
  const cluster = basename(dirname(claim.file));
  const what =
    claim.key === 'name'
      ? `sets no credentials.sts_name, so its sts name is the cluster name "${claim.stsName}", which is also the sts name of`
      : `"${claim.stsName}" is also the sts name of`;
  return {
    file: claim.file,
    line: claim.line,
    col: claim.col,
    key: claim.key,
    message:
      `${what} ${others.join(' and ')}: one sts name is one OIDC issuer (bucket "${claim.stsName}-oidc") and one ` +
      `set of IAM roles, so destroying either cluster would delete the other's. Keep it on the cluster that owns ` +
      `them and give the other its own credentials.sts_name, here e.g. "${newStsName(cluster)}" (the generator's ` +
      `way: the cluster name and 5 random characters)`,
  };
}

/**
 * One problem per cluster.yaml that claims the sts name of this cluster (this one's included), each located at its
 * `credentials.sts_name` (or `name`), naming the others; none when no other cluster claims it.
 */
export function stsNameCollisions({ projectRoot, stsName, others, read }: StsNameCollisionOptions): Problem[] {
  const own = join(projectRoot, CLUSTER_FILE);
  const claimOf = (file: string) => {
    const text = read(file);
    return text === undefined ? undefined : stsNameClaim(file, text);
  };
  const sharing = [...new Set(others)]
    .filter((file) => file !== own)
    .map(claimOf)
    .filter((c): c is StsNameClaim => c?.stsName === stsName);
  if (sharing.length === 0) return [];
  const mine = claimOf(own) ?? { file: own, line: 1, col: 1, key: 'name' as const, stsName };
  const all = [mine, ...sharing].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return all.map((claim) => problemOf(claim, all));
}

/** Throws a ClusterConfigError listing stsNameCollisions, if there are any. */
export function assertStsNameUnshared(options: StsNameCollisionOptions): void {
  const problems = stsNameCollisions(options);
  if (problems.length) throw new ClusterConfigError(problems);
}
