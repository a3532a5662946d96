#!/usr/bin/env node
/*
 * ocp-sts-drift-table: the drift table of the scheduled verify workflow, for `$GITHUB_STEP_SUMMARY`.
 *
 *   nx run-many -t verify --format=json --outputStyle=static | npx --no-install ocp-sts-drift-table --expect '<json list>'
 *
 * stdin is the run's log: Nx's own lines, and one JSON line per verified cluster (verify's `--format=json`:
 * cluster, status verified|failed|skipped, errors, warnings, findings[]). Lines that are not such an object are
 * skipped, so the log can be piped as it is. `--expect` is the fleet (`nx show projects --withTarget verify --json`):
 * a cluster without a JSON line (its verify or a step before it failed before verify could report) counts as drifted
 * too, so a broken run is never a green table. Prints the markdown table; exits 1 when any cluster drifted.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isMainModule, runCommandLine } from '@ocp-sts/toolchain';
import { parseProjectList } from './project-list.ts';

export interface Finding {
  severity: string;
  check: string;
  resource: string;
  expected?: string;
  found?: string;
  fix?: string;
}

export interface VerifyReport {
  cluster: string;
  status: string;
  errors: number;
  warnings: number;
  findings: Finding[];
}

function isReport(value: unknown): value is { cluster: string; status: string; [key: string]: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.cluster === 'string' && typeof r.status === 'string';
}

/** The verify reports among the log's lines (last one wins for a cluster verified twice). */
export function reportsIn(log: string): VerifyReport[] {
  const byCluster = new Map<string, VerifyReport>();
  for (const line of log.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (isReport(value)) {
      byCluster.set(value.cluster, {
        cluster: value.cluster,
        status: value.status,
        errors: Number(value.errors) || 0,
        warnings: Number(value.warnings) || 0,
        findings: Array.isArray(value.findings) ? (value.findings as Finding[]) : [],
      });
    }
  }
  return [...byCluster.values()];
}

/** Markdown table cell: one line, no pipe that would end the cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

export interface DriftTable {
  markdown: string;
  drifted: string[];
}

export function driftTable(reports: VerifyReport[], expected: string[] = []): DriftTable {
  const rows = new Map<
    string,
    { status: string; errors: string; warnings: string; detail: string; drifted: boolean }
  >();
  for (const report of reports) {
    const firstError = report.findings.find((f) => f.severity === 'error');
    const drifted = report.status === 'failed' || report.errors > 0;
    rows.set(report.cluster, {
      status: drifted ? 'drifted' : report.status,
      errors: String(report.errors),
      warnings: String(report.warnings),
      detail: firstError
        ? `${firstError.check}: ${firstError.resource}: expected ${firstError.expected ?? '?'}, found ${firstError.found ?? '?'}`
        : '',
      drifted,
    });
  }
  for (const cluster of expected) {
    if (!rows.has(cluster)) {
      rows.set(cluster, {
        status: 'no result',
        errors: '–',
        warnings: '–',
        detail: 'verify did not report (see the log)',
        drifted: true,
      });
    }
  }
  const names = [...rows.keys()].sort();
  const drifted = names.filter((name) => rows.get(name)!.drifted);
  const lines = [
    `### Drift: ${drifted.length} of ${names.length} cluster${names.length === 1 ? '' : 's'}`,
    '',
    '| cluster | status | errors | warnings | first error |',
    '| --- | --- | --- | --- | --- |',
    ...names.map((name) => {
      const row = rows.get(name)!;
      return `| ${cell(name)} | ${row.drifted ? '❌' : '✅'} ${cell(row.status)} | ${row.errors} | ${row.warnings} | ${cell(row.detail)} |`;
    }),
  ];
  return { markdown: `${lines.join('\n')}\n`, drifted };
}

function main(): void {
  const { values } = parseArgs({ options: { expect: { type: 'string' } } });
  const expected = values.expect ? parseProjectList(values.expect, '--expect') : [];
  const table = driftTable(reportsIn(readFileSync(0, 'utf8')), expected);
  process.stdout.write(table.markdown);
  if (table.drifted.length) {
    process.stderr.write(`drift-table: drifted: ${table.drifted.join(', ')}\n`);
    process.exitCode = 1;
  }
}

if (isMainModule(import.meta.filename)) await runCommandLine('ocp-sts-drift-table', main);
