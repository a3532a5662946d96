/*
 * The issuer's two documents, as ccoctl publishes them at the root of its bucket: the OpenID discovery document
 * (whose `issuer` is the issuer and whose `jwks_uri` is issuer + /keys.json) and the JSON Web Key Set, and what is
 * read from their text.
 */

export const DISCOVERY_KEY = '.well-known/openid-configuration';
export const JWKS_KEY = 'keys.json';

/** The key ids of a JSON Web Key Set's text; [] when it is no key set. */
export function keyIdsOf(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.flatMap((k: unknown) => {
    const kid = (k as { kid?: unknown } | null)?.kid;
    return typeof kid === 'string' ? [kid] : [];
  });
}

/** The `issuer` of a discovery document's text, if it names one. */
export function issuerOf(text: string | undefined): string | undefined {
  try {
    const issuer = (JSON.parse(text ?? '') as { issuer?: unknown } | null)?.issuer;
    return typeof issuer === 'string' && issuer ? issuer : undefined;
  } catch {
    return undefined;
  }
}
