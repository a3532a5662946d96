/*
 * What changed in a cluster's AWS CredentialsRequests between two releases. Pure: two lists in, one diff out, the
 * same diff for the same lists whatever their order. A request is known by `namespace/name` (never its file or its
 * position: both move between releases). Per request in both: the IAM actions added and removed over all its
 * statements (set difference), per statement (matched by index) its effect, resource, policyCondition and other
 * keys, an action list re-ordered or moved between statements, statements added or removed, spec.secretRef,
 * spec.serviceAccountNames (order-sensitive, as ccoctl writes the trust policy in that order), every other spec key,
 * and the annotations.
 */
import { UserError } from '@ocp-sts/toolchain';
import type { CredentialsRequest } from '../credentials-requests.ts';

/** One difference inside a request present in both releases. */
export type RequestChange =
  | { kind: 'actions-added'; actions: string[] }
  | { kind: 'actions-removed'; actions: string[] }
  /** A key of statement `index` (0-based) other than its action list: effect, resource, policyCondition, ... */
  | { kind: 'statement-field'; index: number; field: string; from: unknown; to: unknown }
  /** Statement `index`'s action list differs beyond the actions added and removed: re-ordered, or moved. */
  | { kind: 'statement-actions'; index: number; from: string[]; to: string[] }
  | { kind: 'statement-added'; index: number; statement: unknown }
  | { kind: 'statement-removed'; index: number; statement: unknown }
  | { kind: 'secret-ref'; from: SecretRef; to: SecretRef }
  | { kind: 'service-accounts'; from: string[]; to: string[] }
  /** Any other key of spec (providerSpec keys as `providerSpec.<key>`); undefined: absent on that side. */
  | { kind: 'spec'; key: string; from: unknown; to: unknown }
  /** An annotation; null: absent on that side. */
  | { kind: 'annotation'; key: string; from: string | null; to: string | null };

export interface SecretRef {
  namespace: string;
  name: string;
}

/** A request that is in one release only. */
export interface RequestSummary {
  /** `namespace/name` */
  request: string;
  secretRef: SecretRef;
  serviceAccountNames: string[];
  /** Its IAM actions over all statements, sorted, without repeats. */
  actions: string[];
}

export interface ChangedRequest {
  request: string;
  /** The secret in the release compared to (`to`). */
  secretRef: SecretRef;
  changes: RequestChange[];
}

export interface CredentialsDiff {
  added: RequestSummary[];
  removed: RequestSummary[];
  changed: ChangedRequest[];
  unchanged: number;
}

export function requestId(request: Pick<CredentialsRequest, 'namespace' | 'name'>): string {
  return `${request.namespace}/${request.name}`;
}

interface Statement {
  action: string[];
  rest: Record<string, unknown>;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A statement entry's action list (a lone string counts as a list of one) and its other keys. */
function statementOf(entry: unknown): Statement {
  const { action, ...rest } = asRecord(entry);
  const list = Array.isArray(action) ? action.map(String) : typeof action === 'string' ? [action] : [];
  return { action: list, rest };
}

function actionsOf(request: CredentialsRequest): string[] {
  return sorted(new Set(request.statementEntries.flatMap((entry) => statementOf(entry).action)));
}

const sorted = (values: Iterable<string>) => [...values].sort(compareText);

/** Code-point order, not the locale's: the same order on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with sorted keys: two values are equal when their canonical forms are. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function byId(requests: readonly CredentialsRequest[], side: string): Map<string, CredentialsRequest> {
  const map = new Map<string, CredentialsRequest>();
  for (const request of requests) {
    const id = requestId(request);
    const other = map.get(id);
    if (other) {
      throw new UserError(
        `the ${side} release holds two CredentialsRequests named ${id} (${other.file} and ${request.file}); ` +
          'ccoctl would give them one role, so they cannot be compared',
      );
    }
    map.set(id, request);
  }
  return map;
}

function summary(request: CredentialsRequest): RequestSummary {
  return {
    request: requestId(request),
    secretRef: { ...request.secretRef },
    serviceAccountNames: [...request.serviceAccountNames],
    actions: actionsOf(request),
  };
}

/** spec keys compared on their own, or as statements; the rest is compared key by key. */
const SPEC_KEYS_OF_THEIR_OWN = new Set(['secretRef', 'serviceAccountNames', 'providerSpec']);
const PROVIDER_KEYS_OF_THEIR_OWN = new Set(['statementEntries']);

function otherSpecKeys(request: CredentialsRequest): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  for (const [key, value] of Object.entries(request.spec)) {
    if (!SPEC_KEYS_OF_THEIR_OWN.has(key)) keys.set(key, value);
  }
  for (const [key, value] of Object.entries(asRecord(request.spec.providerSpec))) {
    if (!PROVIDER_KEYS_OF_THEIR_OWN.has(key)) keys.set(`providerSpec.${key}`, value);
  }
  return keys;
}

function statementChanges(from: CredentialsRequest, to: CredentialsRequest, added: Set<string>, removed: Set<string>) {
  const changes: RequestChange[] = [];
  const before = from.statementEntries.map(statementOf);
  const after = to.statementEntries.map(statementOf);
  for (let index = 0; index < Math.min(before.length, after.length); index++) {
    const a = before[index]!;
    const b = after[index]!;
    // An action added or removed is reported once for the request; what is left must match, in order.
    const rest = (list: string[], drop: Set<string>) => list.filter((action) => !drop.has(action));
    if (!same(rest(a.action, removed), rest(b.action, added))) {
      changes.push({ kind: 'statement-actions', index, from: a.action, to: b.action });
    }
    for (const field of sorted(new Set([...Object.keys(a.rest), ...Object.keys(b.rest)]))) {
      if (!same(a.rest[field], b.rest[field])) {
        changes.push({ kind: 'statement-field', index, field, from: a.rest[field], to: b.rest[field] });
      }
    }
  }
  for (let index = before.length; index < after.length; index++) {
    changes.push({ kind: 'statement-added', index, statement: to.statementEntries[index] });
  }
  for (let index = after.length; index < before.length; index++) {
    changes.push({ kind: 'statement-removed', index, statement: from.statementEntries[index] });
  }
  return changes;
}

/** Every difference between one request in two releases, in a fixed order; empty when they are the same. */
export function requestChanges(from: CredentialsRequest, to: CredentialsRequest): RequestChange[] {
  const changes: RequestChange[] = [];
  if (!same(from.secretRef, to.secretRef)) {
    changes.push({ kind: 'secret-ref', from: { ...from.secretRef }, to: { ...to.secretRef } });
  }
  if (!same(from.serviceAccountNames, to.serviceAccountNames)) {
    changes.push({ kind: 'service-accounts', from: [...from.serviceAccountNames], to: [...to.serviceAccountNames] });
  }
  const before = new Set(actionsOf(from));
  const after = new Set(actionsOf(to));
  const added = new Set([...after].filter((action) => !before.has(action)));
  const removed = new Set([...before].filter((action) => !after.has(action)));
  if (added.size) changes.push({ kind: 'actions-added', actions: sorted(added) });
  if (removed.size) changes.push({ kind: 'actions-removed', actions: sorted(removed) });
  changes.push(...statementChanges(from, to, added, removed));
  const specBefore = otherSpecKeys(from);
  const specAfter = otherSpecKeys(to);
  for (const key of sorted(new Set([...specBefore.keys(), ...specAfter.keys()]))) {
    if (!same(specBefore.get(key), specAfter.get(key))) {
      changes.push({ kind: 'spec', key, from: specBefore.get(key), to: specAfter.get(key) });
    }
  }
  for (const key of sorted(new Set([...Object.keys(from.annotations), ...Object.keys(to.annotations)]))) {
    const a = from.annotations[key] ?? null;
    const b = to.annotations[key] ?? null;
    if (a !== b) changes.push({ kind: 'annotation', key, from: a, to: b });
  }
  return changes;
}

/**
 * The diff of the AWS requests of two releases (`from`: the one installed or named by the base ref; `to`: the one
 * this commit names). Requests are sorted by `namespace/name`. Non-AWS requests must be left out by the caller
 * (the extraction keeps AWS ones only).
 */
export function diffCredentialsRequests(
  from: readonly CredentialsRequest[],
  to: readonly CredentialsRequest[],
): CredentialsDiff {
  const before = byId(from, 'base');
  const after = byId(to, 'head');
  const ids = sorted(new Set([...before.keys(), ...after.keys()]));
  const diff: CredentialsDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const id of ids) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a && b) diff.added.push(summary(b));
    else if (a && !b) diff.removed.push(summary(a));
    else if (a && b) {
      const changes = requestChanges(a, b);
      if (changes.length) diff.changed.push({ request: id, secretRef: { ...b.secretRef }, changes });
      else diff.unchanged++;
    }
  }
  return diff;
}

export function hasChanges(diff: CredentialsDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length > 0;
}

/** Changes that ccoctl's role or Secret reflect; an annotation alone changes neither. */
function needsRole(change: RequestChange): boolean {
  return change.kind !== 'annotation';
}

/**
 * `namespace/name` of the requests of the `to` release whose IAM role must be created or updated before the update
 * (`ccoctl aws create-iam-roles` on these): the added ones and the changed ones whose policy, trust (service
 * accounts), Secret or other spec changed. Sorted.
 */
export function requestsNeedingRoles(diff: CredentialsDiff): string[] {
  return sorted([
    ...diff.added.map((r) => r.request),
    ...diff.changed.filter((r) => r.changes.some(needsRole)).map((r) => r.request),
  ]);
}

/** The requests of `to` that requestsNeedingRoles names, in their order in `to` (as ccoctl would read them). */
export function selectRequestsNeedingRoles(
  diff: CredentialsDiff,
  to: readonly CredentialsRequest[],
): CredentialsRequest[] {
  const wanted = new Set(requestsNeedingRoles(diff));
  return to.filter((request) => wanted.has(requestId(request)));
}
