/*
 * A role's trust policy, as ccoctl writes it: one statement allowing sts:AssumeRoleWithWebIdentity to the cluster's
 * IAM OIDC provider (Principal.Federated), with StringEquals on `<issuer host/path>:sub` listing
 * `system:serviceaccount:<secret namespace>:<sa>` for each of the request's service accounts. verify wants exactly
 * that: this provider and no other principal, these subjects and no others (a missing one breaks an operator, an
 * extra one or a wildcard lets another service account take the role).
 */
import { asList, conditionValues, coversAction, isRecord, type PolicyDocument } from './policy-document.ts';
import { listText } from './findings.ts';

export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

export interface TrustExpectation {
  providerArn: string;
  /** `<issuer host/path>:sub` */
  subjectKey: string;
  /** `system:serviceaccount:<ns>:<sa>` for each service account of the request. */
  subjects: string[];
}

export interface TrustProblem {
  /** What kind of problem, for tests and JSON consumers. */
  kind: 'no-web-identity' | 'provider' | 'other-principal' | 'subjects' | 'unbound';
  expected: string;
  found: string;
}

/** Every principal of a statement as `<type>:<value>` (`*` for the wildcard). */
function principalsOf(statement: Record<string, unknown>): { type: string; value: string }[] {
  const principal = statement.Principal;
  if (principal === '*') return [{ type: '*', value: '*' }];
  if (!isRecord(principal)) return [];
  return Object.entries(principal).flatMap(([type, values]) =>
    asList(values).map((value) => ({ type, value: typeof value === 'string' ? value : JSON.stringify(value) })),
  );
}

/** Values of the `<issuer>:sub` key under any condition operator of a statement (condition keys ignore case). */
function subjectConditions(statement: Record<string, unknown>, key: string): { operator: string; values: string[] }[] {
  const condition = statement.Condition;
  if (!isRecord(condition)) return [];
  const found: { operator: string; values: string[] }[] = [];
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isRecord(keys)) continue;
    for (const [k, values] of Object.entries(keys)) {
      if (k.toLowerCase() === key.toLowerCase()) found.push({ operator, values: conditionValues(values) });
    }
  }
  return found;
}

export function trustPolicyProblems(document: PolicyDocument, expected: TrustExpectation): TrustProblem[] {
  const problems: TrustProblem[] = [];
  const allows = document.statements.filter((s) => s.Effect === 'Allow');
  const webIdentity = allows.filter((s) => coversAction(s, WEB_IDENTITY_ACTION));
  const wantProvider = `sts:AssumeRoleWithWebIdentity for Federated ${expected.providerArn}`;
  if (webIdentity.length === 0) {
    return [{ kind: 'no-web-identity', expected: wantProvider, found: 'no statement allows it' }];
  }

  // Which principals the role trusts, and for what.
  const federated = new Set<string>();
  const others: string[] = [];
  for (const statement of allows) {
    const isWebIdentity = webIdentity.includes(statement);
    for (const p of principalsOf(statement)) {
      if (isWebIdentity && p.type === 'Federated') federated.add(p.value);
      else others.push(p.type === '*' ? 'everyone (Principal "*")' : `${p.type} ${p.value}`);
    }
  }
  if (!federated.has(expected.providerArn)) {
    problems.push({
      kind: 'provider',
      expected: wantProvider,
      found: federated.size ? `Federated ${listText([...federated])}` : 'no Federated principal',
    });
  }
  const otherProviders = [...federated].filter((arn) => arn !== expected.providerArn);
  if (otherProviders.length && federated.has(expected.providerArn)) {
    problems.push({
      kind: 'provider',
      expected: `only Federated ${expected.providerArn}`,
      found: `also Federated ${listText(otherProviders)}`,
    });
  }
  if (others.length) {
    problems.push({ kind: 'other-principal', expected: 'no principal but the OIDC provider', found: listText(others) });
  }

  // Which service accounts may take the role through our provider.
  const ours = webIdentity.filter((s) =>
    principalsOf(s).some((p) => p.type === 'Federated' && p.value === expected.providerArn),
  );
  const found = new Set<string>();
  let unbound = false;
  for (const statement of ours) {
    const conditions = subjectConditions(statement, expected.subjectKey);
    if (conditions.length === 0) {
      unbound = true;
      problems.push({
        kind: 'unbound',
        expected: `StringEquals ${expected.subjectKey} = ${listText(expected.subjects)}`,
        found: `a statement without a ${expected.subjectKey} condition: any service account of the cluster can take the role`,
      });
    }
    for (const { operator, values } of conditions) {
      for (const value of values) found.add(operator === 'StringEquals' ? value : `${value} (${operator})`);
    }
  }
  const missing = expected.subjects.filter((s) => !found.has(s));
  const extra = [...found].filter((s) => !expected.subjects.includes(s));
  if (ours.length && !unbound && (missing.length || extra.length)) {
    const parts = [
      ...(missing.length ? [`missing ${listText(missing)}`] : []),
      ...(extra.length ? [`extra ${listText(extra)}`] : []),
    ];
    problems.push({
      kind: 'subjects',
      expected: `${expected.subjectKey} = exactly ${listText(expected.subjects)}`,
      found: `${listText([...found])} (${parts.join('; ')})`,
    });
  }
  return problems;
}
