/*
 * The `runtime` input of a cached step that reads secret files (secretDigestsInput in constants.ts). Secrets are
 * git-ignored and Nx never hashes git-ignored files, so Nx runs this instead (through `sh`, in the workspace root)
 * and hashes what it prints: one line per file, a sha256 of its content or `missing`. Never the secret itself, and
 * no path: the same files give the same lines in every clone. Node built-ins only, because it runs on every hash of
 * the step.
 *
 * Usage: node secret-digests.ts <record.json>, where the record (written by render) is a JSON object of
 * name -> file, each file workspace-relative or absolute.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';

/** What a file holds, for the digest: its bytes, or why there are none (`missing`, `unreadable (EACCES)`). */
export type FileRead = Buffer | string;

export function readForDigest(file: string): FileRead {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `unreadable (${code})`;
  }
}

/** One line per named file, sorted by name: `<name> sha256:<hex>`, or `<name> <why not>`. */
export function secretDigests(files: Record<string, string>, read: (file: string) => FileRead): string {
  return Object.keys(files)
    .sort()
    .map((name) => {
      const content = read(files[name]!);
      const digest =
        typeof content === 'string' ? content : `sha256:${createHash('sha256').update(content).digest('hex')}`;
      return `${name} ${digest}`;
    })
    .join('\n');
}

/** The lines for the record at `recordFile`; before render has written it, a line that says so. */
export function secretDigestsOfRecord(recordFile: string, read = readForDigest): string {
  if (!existsSync(recordFile)) return `no record of the secret files yet (${recordFile})`;
  const files = JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, string>;
  return secretDigests(files, read);
}

function invokedAsScript(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === import.meta.filename;
  } catch {
    return false;
  }
}

if (invokedAsScript()) {
  const [recordFile, ...rest] = process.argv.slice(2);
  if (!recordFile || rest.length) {
    console.error('usage: node secret-digests.ts <record.json>');
    process.exit(2);
  }
  console.log(secretDigestsOfRecord(recordFile));
}
