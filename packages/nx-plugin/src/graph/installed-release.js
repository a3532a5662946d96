// @ts-check
/*
 * The `runtime` input of the ccoctl target (installedReleaseInput in constants.ts): what of the installed release its
 * output depends on. ccoctl keeps an installed cluster's roles those of its installed release until `upgrade`, so the
 * same inputs give another output once the cluster runs another release than the commit names. The state itself
 * cannot be hashed (it may be in S3, and a cache hit makes no AWS call): the checkout's copy of the installed release
 * is (written beside every read or write of the state's record; installed-record.ts in @ocp-sts/state, whose
 * installedReleaseKey says the same as this, and whose installedReleaseChanged makes ccoctl refuse a stale copy).
 *
 * Prints `as named` when no release is installed, the copy is missing, or the installed release is the one render
 * chose (same image or same version); else `installed <image>`. Plain JavaScript with Node built-ins only, as
 * secret-digests.js beside it, for the same reasons.
 *
 * Usage: node installed-release.js <installed-release.json> <render's release.json>, relative to the workspace root.
 */
import { readFileSync } from 'node:fs';

/** @param {string} file @returns {any} */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const [seenFile, releaseFile, ...rest] = process.argv.slice(2);
if (!seenFile || !releaseFile || rest.length) {
  console.error('usage: node installed-release.js <installed-release.json> <release.json>');
  process.exit(2);
}
const seen = readJson(seenFile);
const named = readJson(releaseFile) ?? {};
const same =
  !seen?.installed ||
  seen.releaseImage === named.image ||
  (seen.version !== null && seen.version !== undefined && seen.version === named.version);
console.log(same ? 'as named' : `installed ${String(seen.releaseImage)}`);
