/*
 * How credentials-diff shows its answer: a table for people (one row per changed thing, headed by `<from> → <to>`),
 * or one JSON object on one line for CI (`--format=json`, schema below and in the executor's schema.json).
 */
import { canonical, requestsNeedingRoles, type CredentialsDiff, type RequestChange } from './diff.ts';

export type DiffFormat = 'table' | 'json';
export const DIFF_FORMATS: readonly DiffFormat[] = ['table', 'json'];

/** One side of the comparison. */
export interface ComparedRelease {
  /** X.Y.Z when known. */
  version: string | null;
  releaseImage: string;
  /** Where it came from: `installed` (the state's record), `git <ref>` (--base), `this commit` (the head). */
  source: string;
}

export type DiffOutcome =
  | {
      status: 'nothing-to-compare';
      cluster: string;
      /** A sentence: why there is nothing to compare. */
      reason: string;
      from: ComparedRelease | null;
      to: ComparedRelease | null;
    }
  | {
      status: 'changed' | 'unchanged';
      cluster: string;
      from: ComparedRelease;
      to: ComparedRelease;
      diff: CredentialsDiff;
    };

/** The version, or the image when there is no version (or both sides have the same version). */
export function releaseLabels(from: ComparedRelease, to: ComparedRelease): [string, string] {
  if (from.version && to.version && from.version !== to.version) return [from.version, to.version];
  return [from.releaseImage, to.releaseImage];
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  return typeof value === 'string' ? value : canonical(value);
}

const actions = (n: number) => `${n} action${n === 1 ? '' : 's'}`;
const list = (values: readonly string[]) => (values.length ? values.join(', ') : '(none)');

/** The rows (change, detail) of one change; the actions added or removed are one row each. */
function changeRows(change: RequestChange): [string, string][] {
  switch (change.kind) {
    case 'actions-added':
      return change.actions.map((action) => ['action added', action]);
    case 'actions-removed':
      return change.actions.map((action) => ['action removed', action]);
    case 'statement-field':
      return [[`statementEntries[${change.index}].${change.field}`, `${shown(change.from)} → ${shown(change.to)}`]];
    case 'statement-actions':
      return [[`statementEntries[${change.index}].action order`, `${list(change.from)} → ${list(change.to)}`]];
    case 'statement-added':
      return [[`statementEntries[${change.index}] added`, shown(change.statement)]];
    case 'statement-removed':
      return [[`statementEntries[${change.index}] removed`, shown(change.statement)]];
    case 'secret-ref':
      return [['secret', `${change.from.namespace}/${change.from.name} → ${change.to.namespace}/${change.to.name}`]];
    case 'service-accounts':
      return [['service accounts', `${list(change.from)} → ${list(change.to)}`]];
    case 'spec':
      return [[`spec.${change.key}`, `${shown(change.from)} → ${shown(change.to)}`]];
    case 'annotation':
      return [[`annotation ${change.key}`, `${shown(change.from)} → ${shown(change.to)}`]];
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

export function formatTable(outcome: DiffOutcome): string {
  if (outcome.status === 'nothing-to-compare') return `credentials-diff: nothing to compare: ${outcome.reason}`;
  const [from, to] = releaseLabels(outcome.from, outcome.to);
  const { diff } = outcome;
  if (outcome.status === 'unchanged') {
    return (
      `credentials-diff: no AWS CredentialsRequest changed between ${from} and ${to} ` +
      `(${diff.unchanged} compared; ${outcome.from.source} → ${outcome.to.source})`
    );
  }
  const secret = (r: { secretRef: { namespace: string; name: string } }) =>
    `secret ${r.secretRef.namespace}/${r.secretRef.name}`;
  const rows: string[][] = [['REQUEST', 'CHANGE', 'DETAIL']];
  for (const r of diff.added) {
    rows.push([
      r.request,
      'request added',
      `${secret(r)}; ${actions(r.actions.length)}; service accounts ${list(r.serviceAccountNames)}`,
    ]);
  }
  for (const r of diff.removed) rows.push([r.request, 'request removed', `${secret(r)}; ${actions(r.actions.length)}`]);
  for (const r of diff.changed) {
    for (const [change, detail] of r.changes.flatMap(changeRows)) rows.push([r.request, change, detail]);
  }
  const roles = requestsNeedingRoles(diff);
  return [
    `credentials-diff ${outcome.cluster}: ${from} → ${to} (${outcome.from.source} → ${outcome.to.source}), AWS CredentialsRequests as this cluster includes them`,
    '',
    table(rows),
    '',
    `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed, ${diff.unchanged} unchanged. ` +
      (roles.length
        ? `IAM roles to create or update before the update: ${roles.length} (${roles.join(', ')}).`
        : 'No IAM role needs creating or updating.'),
  ].join('\n');
}

/** The version of the JSON schema; a change that is not an addition gets a new one. */
export const DIFF_JSON_SCHEMA = 'ocp-sts/credentials-diff/v1';

/**
 * One JSON object on one line:
 * `{schema, cluster, status: changed|unchanged|nothing-to-compare, reason (string|null), from, to (each
 * {version, releaseImage, source} or null), added[] and removed[] ({request, secretRef, serviceAccountNames,
 * actions}), changed[] ({request, secretRef, changes[] by kind}), unchanged (count), needRoles[] (namespace/name)}`.
 * A value absent on one side of a change is null, so every key is always there.
 */
export function formatJson(outcome: DiffOutcome): string {
  const diff = outcome.status === 'nothing-to-compare' ? undefined : outcome.diff;
  const object = {
    schema: DIFF_JSON_SCHEMA,
    cluster: outcome.cluster,
    status: outcome.status,
    reason: outcome.status === 'nothing-to-compare' ? outcome.reason : null,
    from: outcome.from,
    to: outcome.to,
    added: diff?.added ?? [],
    removed: diff?.removed ?? [],
    changed: diff?.changed ?? [],
    unchanged: diff?.unchanged ?? 0,
    needRoles: diff ? requestsNeedingRoles(diff) : [],
  };
  return JSON.stringify(object, (_key, value: unknown) => (value === undefined ? null : value));
}

export function formatOutcome(outcome: DiffOutcome, format: DiffFormat): string {
  return format === 'json' ? formatJson(outcome) : formatTable(outcome);
}
