// @ts-check
/*
 * The `runtime` input of a cached step that reads secret files (secretDigestsInput in constants.ts). Secrets are
 * git-ignored and Nx never hashes git-ignored files, so Nx runs this instead (through `sh`, in the workspace root)
 * and hashes what it prints: one line per file, sorted by name, a sha256 of its content or why there is none
 * (`missing`, `unreadable (EACCES)`). Never the secret itself, and no path: the same files give the same lines in
 * every clone.
 *
 * Plain JavaScript with Node built-ins only: it runs on every hash of the step, and Node's type stripping would
 * cost more than the rest of it (and is refused under node_modules, where an installed plugin lives).
 *
 * Usage: node secret-digests.js <record.json>, where the record (written by render) is a JSON object of
 * name -> file, each file relative to the working directory (the workspace root) or absolute.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** @param {string} file @returns {string} */
function digestOf(file) {
  try {
    return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code ?? 'error';
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `unreadable (${code})`;
  }
}

const [recordFile, ...rest] = process.argv.slice(2);
if (!recordFile || rest.length) {
  console.error('usage: node secret-digests.js <record.json>');
  process.exit(2);
}
if (existsSync(recordFile)) {
  /** @type {Record<string, string>} */
  const files = JSON.parse(readFileSync(recordFile, 'utf8'));
  console.log(
    Object.keys(files)
      .sort()
      .map((name) => `${name} ${digestOf(files[name] ?? '')}`)
      .join('\n'),
  );
} else {
  // Before render ran (Nx hashes the step once render is done, so only when the step runs on its own).
  console.log(`no record of the secret files yet (${recordFile})`);
}
