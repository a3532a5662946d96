import type { PublishedIssuer } from '../issuer/index.ts';
import { signingKeyRefusal } from './guard.ts';

const cluster = { name: 'prod', region: 'us-east-1' };
const nothing: PublishedIssuer = {
  stsName: 'prod-x',
  bucket: 'prod-x-oidc',
  issuerUrl: undefined,
  keys: undefined,
  providers: [],
};
const provider = 'arn:aws:iam::123456789012:oidc-provider/d111.cloudfront.net';

describe('signingKeyRefusal', () => {
  it('lets ccoctl run for an issuer that publishes nothing, with or without a key', () => {
    expect(signingKeyRefusal(nothing, { available: false }, cluster)).toBeUndefined();
    expect(signingKeyRefusal(nothing, { available: true, kid: 'k' }, cluster)).toBeUndefined();
  });

  it('refuses a new key when only the OIDC provider is left (the provider trusts whatever the issuer serves)', () => {
    const issuer = { ...nothing, issuerUrl: 'https://d111.cloudfront.net', providers: [provider] };
    expect(signingKeyRefusal(issuer, { available: false }, cluster)).toContain(
      'the OIDC issuer of sts_name prod-x (https://d111.cloudfront.net) already publishes keys: the IAM OIDC ' +
        `provider ${provider} exists, and its signing key is neither in secrets/prod/ nor in the state backend`,
    );
    // With the key, ccoctl publishes keys.json again: nothing is overwritten.
    expect(signingKeyRefusal(issuer, { available: true, kid: 'k' }, cluster)).toBeUndefined();
  });

  it('lets the published key through, and refuses another one or a keys.json it cannot read', () => {
    const issuer = { ...nothing, keys: { kids: ['k1'], region: 'us-east-1' } };
    expect(signingKeyRefusal(issuer, { available: true, kid: 'k1' }, cluster)).toBeUndefined();
    expect(signingKeyRefusal(issuer, { available: true, kid: 'k2' }, cluster)).toMatch(
      /^refusing to publish another signing key for sts_name prod-x: the signing key of prod \(kid k2, .*keys\.json \(kid k1\)/,
    );
    const unreadable = { ...nothing, keys: { kids: [], region: 'us-east-1' } };
    expect(signingKeyRefusal(unreadable, { available: true, kid: 'k1' }, cluster)).toContain(
      'serves keys.json (no key id it could read)',
    );
  });
});
