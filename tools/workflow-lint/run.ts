/*
 * The workflow linters from the command line (on the workspace's pinned Node):
 *
 *   node tools/workflow-lint/run.ts install           installs the pinned actionlint and zizmor (e.g. to warm CI)
 *   node tools/workflow-lint/run.ts [files...]        lints the files (default .github/workflows/*.yml); exit 1 on a finding
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureActionlint, ensureZizmor, lintWorkflows } from './lint.ts';

const [verb, ...rest] = process.argv.slice(2);
if (verb === 'install') {
  process.stdout.write(`${await ensureActionlint()}\n${await ensureZizmor()}\n`);
} else {
  const files = verb
    ? [verb, ...rest]
    : readdirSync('.github/workflows')
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join('.github/workflows', f));
  const result = await lintWorkflows(files);
  process.stdout.write(result.actionlint.output + result.zizmor.output);
  if (!result.clean) process.exitCode = 1;
}
