/*
 * A role's inline policy (named like the role) must hold exactly the request's statement entries, as ccoctl writes
 * them: Effect, Action (list), Resource, and Condition from policyCondition. Compared after normalising what IAM
 * treats as the same: order of statements and of actions, a string or a one-element list, the case of action names
 * and condition keys, and condition values as strings (ccoctl writes `"kms:GrantIsForAWSResource": true`, a JSON
 * boolean; IAM means the string "true").
 */
import { asList, conditionValues, isRecord, type PolicyDocument, type PolicyStatement } from './policy-document.ts';
import { listText } from './findings.ts';

/** A statement in a form where equal permissions give equal JSON. */
interface CanonicalStatement {
  Effect: string;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string[]>>;
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();
/** Action names ignore case: unique and sorted by their lower case, each kept as first spelt (for messages). */
const actionList = (values: string[]) =>
  [...new Map(values.map((a): [string, string] => [a.toLowerCase(), a])).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, spelt]) => spelt);
const lower = (values: string[] | undefined) => values?.map((a) => a.toLowerCase());
const strings = (value: unknown) => asList(value).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));

function canonicalCondition(condition: unknown): CanonicalStatement['Condition'] {
  if (!isRecord(condition)) return undefined;
  const operators = Object.keys(condition).sort();
  const result: Record<string, Record<string, string[]>> = {};
  for (const operator of operators) {
    const keys = condition[operator];
    if (!isRecord(keys)) continue;
    const entries = Object.entries(keys)
      .map(([key, values]): [string, string[]] => [key.toLowerCase(), sortedUnique(conditionValues(values))])
      .sort(([a], [b]) => a.localeCompare(b));
    if (entries.length) result[operator] = Object.fromEntries(entries);
  }
  return Object.keys(result).length ? result : undefined;
}

export function canonicalStatement(statement: PolicyStatement): CanonicalStatement {
  const canonical: CanonicalStatement = { Effect: typeof statement.Effect === 'string' ? statement.Effect : '' };
  if (statement.Action !== undefined) canonical.Action = actionList(strings(statement.Action));
  if (statement.NotAction !== undefined) canonical.NotAction = actionList(strings(statement.NotAction));
  if (statement.Resource !== undefined) canonical.Resource = sortedUnique(strings(statement.Resource));
  if (statement.NotResource !== undefined) canonical.NotResource = sortedUnique(strings(statement.NotResource));
  if (statement.Principal !== undefined) canonical.Principal = statement.Principal;
  const condition = canonicalCondition(statement.Condition);
  if (condition) canonical.Condition = condition;
  return canonical;
}

/** The inline policy statements ccoctl writes for a request's `statementEntries`. */
export function statementsFromEntries(entries: unknown[]): PolicyStatement[] {
  return entries.filter(isRecord).map((entry) => {
    const condition = entry.policyCondition;
    return {
      Effect: entry.effect,
      Action: entry.action,
      Resource: entry.resource,
      ...(isRecord(condition) && Object.keys(condition).length > 0 && { Condition: condition }),
    };
  });
}

export interface RolePolicyProblem {
  expected: string;
  found: string;
}

/** Equal for statements that grant the same (action case aside). */
const key = (s: CanonicalStatement) => JSON.stringify({ ...s, Action: lower(s.Action), NotAction: lower(s.NotAction) });

/** Compact text of a canonical statement for messages, e.g. `Allow s3:getobject, s3:putobject on *`. */
export function describeStatement(s: CanonicalStatement): string {
  const actions = s.Action ? listText(s.Action) : `all but ${listText(s.NotAction ?? [])}`;
  const resources = s.Resource ? listText(s.Resource) : `all but ${listText(s.NotResource ?? [])}`;
  const condition = s.Condition ? ` if ${JSON.stringify(s.Condition)}` : '';
  const principal = s.Principal !== undefined ? ` for ${JSON.stringify(s.Principal)}` : '';
  return `${s.Effect} ${actions} on ${resources}${principal}${condition}`;
}

/** How one statement differs from the found one that plays its part (the one sharing most actions with it). */
function statementDiff(expected: CanonicalStatement, found: CanonicalStatement): string {
  const parts: string[] = [];
  const has = (list: string[] | undefined, action: string) => (lower(list) ?? []).includes(action.toLowerCase());
  const missing = (expected.Action ?? []).filter((a) => !has(found.Action, a));
  const extra = (found.Action ?? []).filter((a) => !has(expected.Action, a));
  if (missing.length) parts.push(`actions missing: ${listText(missing)}`);
  if (extra.length) parts.push(`actions added: ${listText(extra)}`);
  if (expected.Effect !== found.Effect) parts.push(`Effect ${found.Effect || '(none)'}`);
  if (key({ Effect: '', Resource: expected.Resource }) !== key({ Effect: '', Resource: found.Resource }))
    parts.push(`Resource ${listText(found.Resource ?? [])}`);
  if (JSON.stringify(expected.Condition) !== JSON.stringify(found.Condition))
    parts.push(`Condition ${JSON.stringify(found.Condition ?? {})}`);
  for (const field of ['NotAction', 'NotResource', 'Principal'] as const) {
    if (found[field] !== undefined) parts.push(`${field} ${JSON.stringify(found[field])}`);
  }
  return parts.join('; ');
}

function overlap(a: CanonicalStatement, b: CanonicalStatement): number {
  return (lower(b.Action) ?? []).filter((x) => (lower(a.Action) ?? []).includes(x)).length;
}

/** [] when the policy holds exactly the expected statements (as a multiset, after normalising). */
export function rolePolicyProblems(
  document: PolicyDocument,
  expectedStatements: PolicyStatement[],
): RolePolicyProblem[] {
  const expected = expectedStatements.map(canonicalStatement);
  const found = document.statements.map(canonicalStatement);
  const unmatchedFound = [...found];
  const unmatchedExpected: CanonicalStatement[] = [];
  for (const statement of expected) {
    const index = unmatchedFound.findIndex((f) => key(f) === key(statement));
    if (index >= 0) unmatchedFound.splice(index, 1);
    else unmatchedExpected.push(statement);
  }
  const problems: RolePolicyProblem[] = [];
  // Pair each missing statement with the found one most like it, so that an edit reads as an edit.
  for (const statement of unmatchedExpected) {
    const best = unmatchedFound
      .map((f, i) => ({ i, score: overlap(statement, f) }))
      .sort((a, b) => b.score - a.score)[0];
    if (best && best.score > 0) {
      const [changed] = unmatchedFound.splice(best.i, 1);
      problems.push({
        expected: `statement ${describeStatement(statement)}`,
        found: `changed: ${statementDiff(statement, changed!)}`,
      });
    } else {
      problems.push({ expected: `statement ${describeStatement(statement)}`, found: 'missing' });
    }
  }
  for (const statement of unmatchedFound) {
    problems.push({
      expected: 'no statement beyond the request',
      found: `extra statement ${describeStatement(statement)}`,
    });
  }
  return problems;
}
