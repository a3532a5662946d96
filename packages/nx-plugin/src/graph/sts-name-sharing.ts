import { basename, dirname, join } from 'node:path';
import { readClaimText, scanStsName, UNSURE } from '@ocp-sts/cluster-config/sts-name-scan';

/**
 * For each cluster.yaml (workspace-relative), the other cluster.yaml files that claim the same sts name, sorted; a
 * file that shares its sts name with no other is not in the map.
 *
 * This is what render's cache key gets to know about the other clusters (see render's target.ts): a list that
 * changes only when this cluster's collision set changes, so a fleet's renders stay cached while cluster.yaml files
 * change, and a new collision still changes the key of every cluster in it. Every file is read with the cheap
 * scanner; the few it cannot settle are parsed (the parser is loaded only then). A file that cannot be read (gone,
 * over the size limit, unreadable) claims nothing; its own render says why. Never throws: a collision must not
 * break the graph, render reports it. Deterministic: the result depends on the files' content and paths alone.
 */
export async function stsNameSharing(
  configFiles: readonly string[],
  workspaceRoot: string,
): Promise<Map<string, string[]>> {
  const texts = new Map<string, string>();
  for (const file of configFiles) {
    const text = readClaimText(join(workspaceRoot, file));
    if (text !== undefined) texts.set(file, text);
  }
  const claims = new Map<string, string>();
  const unsure: string[] = [];
  for (const [file, text] of texts) {
    const scanned = scanStsName(text, basename(dirname(file)));
    if (scanned === UNSURE) unsure.push(file);
    else if (scanned !== undefined) claims.set(file, scanned);
  }
  if (unsure.length) {
    const { stsNameClaim } = await import('@ocp-sts/cluster-config/sts-name-claim');
    for (const file of unsure) {
      const claim = stsNameClaim(file, texts.get(file)!);
      if (claim) claims.set(file, claim.stsName);
    }
  }
  const byName = new Map<string, string[]>();
  for (const [file, stsName] of claims) {
    const files = byName.get(stsName);
    if (files) files.push(file);
    else byName.set(stsName, [file]);
  }
  const sharing = new Map<string, string[]>();
  for (const files of byName.values()) {
    if (files.length < 2) continue;
    const sorted = [...files].sort();
    for (const file of sorted)
      sharing.set(
        file,
        sorted.filter((other) => other !== file),
      );
  }
  return sharing;
}
