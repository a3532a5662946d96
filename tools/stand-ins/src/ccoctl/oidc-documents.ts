/*
 * What the OIDC issuer publishes: the discovery document at `.well-known/openid-configuration` and the JSON web key
 * set at `keys.json` (one RSA key, `kid` = base64url of the SHA-256 of the DER (SPKI) public key, as Kubernetes
 * derives it), formatted as ccoctl writes them.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { log, wrap } from './log.ts';

export const DISCOVERY_DOCUMENT_KEY = '.well-known/openid-configuration';
export const KEYS_KEY = 'keys.json';

export function discoveryDocument(issuerURL: string): string {
  const document = {
    issuer: issuerURL,
    jwks_uri: `${issuerURL}/${KEYS_KEY}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    // ccoctl's template lists "sub" twice.
    claims_supported: ['aud', 'exp', 'sub', 'iat', 'iss', 'sub'],
  };
  return JSON.stringify(document, null, 4);
}

/** The key id Kubernetes gives a public key: base64url(SHA-256(DER SPKI)), no padding. */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

export function jsonWebKeySet(publicKeyPath: string): string {
  log('Reading public key');
  let pem: string;
  try {
    pem = readFileSync(publicKeyPath, 'utf8');
  } catch (error) {
    throw wrap(error, 'failed to read public key');
  }
  let key;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw wrap(error, 'error parsing key content');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error('public key is not of type RSA');
  const jwk = key.export({ format: 'jwk' });
  const keys = [{ use: 'sig', kty: 'RSA', kid: keyIdOf(pem), alg: 'RS256', n: jwk.n, e: jwk.e }];
  return JSON.stringify({ keys }, null, 4);
}
