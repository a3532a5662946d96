/*
 * The JSON Web Key Set the issuer publishes must hold exactly the public half of the service-account signing key the
 * installer gets (ccoctl's tls/bound-service-account-signing-key.key): same RSA modulus and exponent, and the key id
 * Kubernetes derives, base64url(SHA-256(DER SubjectPublicKeyInfo)).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export interface ExpectedKey {
  kid: string;
  n: string;
  e: string;
}

/** The JWK fields of the public half of a key (a private key yields its public half). */
export function expectedKeyOf(key: KeyObject): ExpectedKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { kid: createHash('sha256').update(der).digest('base64url'), n: jwk.n ?? '', e: jwk.e ?? '' };
}

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
export function jwksProblems(text: string, expected: ExpectedKey): JwksProblem[] {
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
