/*
 * The JSON Web Key Set the issuer publishes must hold exactly the public half of the service-account signing key the
 * installer gets (ccoctl's tls/bound-service-account-signing-key.key): same RSA modulus and exponent, and the key id
 * Kubernetes derives (issuer/jwk.ts).
 */
import type { PublicJwk } from '../issuer/index.ts';

/** Short form of a key for messages: `kid … (RSA n …1a2b3c, e AQAB)`. */
export function describeKey(key: { kid?: unknown; n?: unknown; e?: unknown; kty?: unknown }): string {
  const n = typeof key.n === 'string' ? key.n : '';
  return `kid ${typeof key.kid === 'string' ? key.kid : '(none)'} (${typeof key.kty === 'string' ? key.kty : '?'} n …${n.slice(-8)}, e ${typeof key.e === 'string' ? key.e : '?'})`;
}

export interface JwksProblem {
  expected: string;
  found: string;
}

/** What is wrong with a published JWKS, compared with the signing key's public half; [] when it matches exactly. */
export function jwksProblems(text: string, expected: PublicJwk): JwksProblem[] {
  const want = `one RSA key, ${describeKey({ ...expected, kty: 'RSA' })}: the public half of the signing key in tls/`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [{ expected: want, found: 'not JSON' }];
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [{ expected: want, found: 'no "keys" list' }];
  const jwks = keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null);
  const sameKey = jwks.filter((k) => k.kty === 'RSA' && k.n === expected.n && k.e === expected.e);
  const problems: JwksProblem[] = [];
  if (sameKey.length === 0) {
    problems.push({
      expected: want,
      found: jwks.length ? `only other keys: ${jwks.map(describeKey).join('; ')}` : 'no keys',
    });
    return problems;
  }
  for (const key of sameKey) {
    if (key.kid !== expected.kid) {
      problems.push({
        expected: `kid ${expected.kid} (base64url of SHA-256 of the DER public key)`,
        found: `kid ${typeof key.kid === 'string' ? key.kid : '(none)'} on the signing key`,
      });
    }
  }
  const others = jwks.filter((k) => !sameKey.includes(k));
  if (others.length) {
    problems.push({
      expected: 'no key but the signing key (any other key lets its holder mint tokens the roles trust)',
      found: `also ${others.map(describeKey).join('; ')}`,
    });
  }
  return problems;
}
