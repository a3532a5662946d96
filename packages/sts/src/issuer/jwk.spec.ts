import { testKeyPair } from '../../../../tools/stand-ins/src/ccoctl/test-support.ts';
import { keyIdOf as standInKeyIdOf } from '../../../../tools/stand-ins/src/ccoctl/oidc-documents.ts';
import { keyIdOf } from './jwk.ts';

describe('keyIdOf', () => {
  it('is the kid ccoctl publishes, from the public key or the private key', () => {
    const keys = testKeyPair();
    expect(keyIdOf(keys.publicKey)).toBe(standInKeyIdOf(keys.publicKey));
    expect(keyIdOf(keys.privateKey)).toBe(standInKeyIdOf(keys.publicKey));
    expect(() => keyIdOf('not a key')).toThrow('the service-account signing key is not a PEM key');
  });
});
