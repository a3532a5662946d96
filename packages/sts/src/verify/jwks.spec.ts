import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { publicJwkOf } from '../issuer/index.ts';
import { jwksProblems } from './jwks.ts';
import { newKeyPair } from '../../../../tools/testing/provisioned-cluster.ts';

const signer = newKeyPair();
const other = newKeyPair();
const expected = publicJwkOf(createPrivateKey(signer.privateKey));

/** keys.json as ccoctl writes it for a public key. */
function ccoctlJwks(publicKeyPem: string, kid?: string) {
  const key = createPublicKey(publicKeyPem);
  const jwk = key.export({ format: 'jwk' });
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    use: 'sig',
    kty: 'RSA',
    kid: kid ?? createHash('sha256').update(der).digest('base64url'),
    alg: 'RS256',
    n: jwk.n,
    e: jwk.e,
  };
}

describe('the JWKS against the signing key in tls/', () => {
  it('derives the key id Kubernetes and ccoctl use from the private key', () => {
    expect(expected).toEqual({
      kid: ccoctlJwks(signer.publicKey).kid,
      n: ccoctlJwks(signer.publicKey).n,
      e: 'AQAB',
    });
  });

  it('accepts exactly the public half of the signing key', () => {
    expect(jwksProblems(JSON.stringify({ keys: [ccoctlJwks(signer.publicKey)] }), expected)).toEqual([]);
  });

  it('names a replaced key', () => {
    const [problem] = jwksProblems(JSON.stringify({ keys: [ccoctlJwks(other.publicKey)] }), expected);
    expect(problem!.found).toBe(
      `only other keys: kid ${ccoctlJwks(other.publicKey).kid} (RSA n …${ccoctlJwks(other.publicKey).n!.slice(-8)}, e AQAB)`,
    );
    expect(problem!.expected).toContain(`kid ${expected.kid}`);
  });

  it('names a wrong kid, an extra key, and documents that are not key sets', () => {
    expect(jwksProblems(JSON.stringify({ keys: [ccoctlJwks(signer.publicKey, 'my-kid')] }), expected)).toEqual([
      { expected: expect.stringContaining(`kid ${expected.kid}`), found: 'kid my-kid on the signing key' },
    ]);
    const both = { keys: [ccoctlJwks(signer.publicKey), ccoctlJwks(other.publicKey)] };
    expect(jwksProblems(JSON.stringify(both), expected)).toEqual([
      { expected: expect.stringContaining('no key but the signing key'), found: expect.stringContaining('also kid') },
    ]);
    expect(jwksProblems('<html>', expected)[0]!.found).toBe('not JSON');
    expect(jwksProblems('{}', expected)[0]!.found).toBe('no "keys" list');
    expect(jwksProblems('{"keys":[]}', expected)[0]!.found).toBe('no keys');
  });
});
