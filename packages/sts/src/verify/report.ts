/*
 * verify's output: human text by default (findings grouped by check family, one line each, then the summary line
 * `verify: N checks, M errors`), or one JSON object on one line for CI (`--format=json`).
 */
import { CHECK_FAMILIES, FAMILY_TITLES, type Finding } from './findings.ts';

export type OutputFormat = 'text' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json'];

export interface VerifyReport {
  /** The Nx project (cluster). */
  cluster: string;
  /** `verified`: no error; `failed`: at least one error; `skipped`: nothing to verify (cco_mode not manual-sts). */
  status: 'verified' | 'failed' | 'skipped';
  /** Why nothing was verified, when skipped. */
  reason?: string;
  stsName: string;
  accountId: string;
  region: string;
  /** credentials.aws_profile; null: the default credential chain. */
  profile: string | null;
  issuer: string | null;
  checks: number;
  errors: number;
  warnings: number;
  findings: Finding[];
  /** AWS calls made, by operation (e.g. `iam:GetRole`), and their total. */
  calls: Record<string, number>;
  awsCalls: number;
  durationMs: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(report: Pick<VerifyReport, 'checks' | 'errors' | 'warnings'>): string {
  const warnings = report.warnings ? `, ${plural(report.warnings, 'warning')}` : '';
  return `verify: ${plural(report.checks, 'check')}, ${plural(report.errors, 'error')}${warnings}`;
}

export function findingLine(finding: Finding): string {
  const label = finding.severity === 'error' ? 'ERROR  ' : 'WARNING';
  return `  ${label} ${finding.resource}: expected ${finding.expected}; found ${finding.found}. Fix: ${finding.fix}`;
}

export function formatText(report: VerifyReport): string {
  if (report.status === 'skipped') return `verify: nothing to verify for ${report.cluster}: ${report.reason ?? ''}`;
  const head =
    `verify ${report.cluster}: sts name ${report.stsName}, account ${report.accountId}, region ${report.region}, ` +
    (report.profile ? `profile ${report.profile}` : 'default credential chain') +
    (report.issuer ? `, issuer ${report.issuer}` : '');
  const lines = [head];
  for (const family of CHECK_FAMILIES) {
    const group = report.findings.filter((f) => f.check === family);
    if (!group.length) continue;
    lines.push(`${FAMILY_TITLES[family]}:`);
    lines.push(...group.map(findingLine));
  }
  if (report.findings.length === 0)
    lines.push('  the trust chain is whole: OIDC provider, published keys and every role');
  lines.push(`${summaryLine(report)} (${plural(report.awsCalls, 'AWS call')}, ${report.durationMs} ms)`);
  return lines.join('\n');
}

/** One line of JSON, so that CI can pick it out of Nx's output. */
export function formatJson(report: VerifyReport): string {
  return JSON.stringify(report);
}

export function formatReport(report: VerifyReport, format: OutputFormat): string {
  return format === 'json' ? formatJson(report) : formatText(report);
}
