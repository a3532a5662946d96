/*
 * A signing key as the issuer publishes it in keys.json: the JWK of its public half, with the key id ccoctl and
 * Kubernetes derive, base64url(SHA-256(DER SubjectPublicKeyInfo)).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { UserError } from '@ocp-sts/toolchain';

export interface PublicJwk {
  kid: string;
  n: string;
  e: string;
}

/** The JWK fields of the public half of a key (a private key yields its public half). */
export function publicJwkOf(key: KeyObject): PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { kid: createHash('sha256').update(der).digest('base64url'), n: jwk.n ?? '', e: jwk.e ?? '' };
}

/** The key id ccoctl publishes for a key (a private key's PEM does as well: its public half is taken). */
export function keyIdOf(pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new UserError(`the service-account signing key is not a PEM key: ${(error as Error).message}`);
  }
  return publicJwkOf(key).kid;
}
