/*
 * IAM policy documents as GetRole (AssumeRolePolicyDocument) and GetRolePolicy (PolicyDocument) return them:
 * URL-encoded JSON (RFC 3986) on AWS and in the emulator; ListRoles and some tools give raw JSON. Both are accepted.
 */

export type PolicyStatement = Record<string, unknown>;

export interface PolicyDocument {
  statements: PolicyStatement[];
}

/** Decodes and parses a policy document; undefined when it is not a JSON object. */
export function parsePolicyDocument(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  let json = text.trim();
  if (!json.startsWith('{')) {
    try {
      json = decodeURIComponent(json);
    } catch {
      return undefined;
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  return { statements: asList(parsed.Statement).filter(isRecord) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IAM's "a string or a list of strings" (and absent: empty). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Condition values as IAM compares them: strings (a JSON true and "true" are the same), one or many. */
export function conditionValues(value: unknown): string[] {
  return asList(value).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** `Action` of a statement as given (string or list). */
export function actionsOf(statement: PolicyStatement): string[] {
  return asList(statement.Action).filter((a): a is string => typeof a === 'string');
}

/** True when the statement's actions cover `action` (`sts:*`, `*` and case-insensitive matches included). */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  const [service] = action.toLowerCase().split(':');
  return actionsOf(statement).some((a) => {
    const lower = a.toLowerCase();
    return lower === action.toLowerCase() || lower === '*' || lower === `${service}:*`;
  });
}
