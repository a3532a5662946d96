/*
 * The cluster's OIDC issuer: its URL and what follows from it (url.ts), its two documents (documents.ts), the JWK
 * and key id of a signing key (jwk.ts), what an sts name's issuer publishes in AWS (published.ts), and ccoctl's
 * failure to read its TLS thumbprint (thumbprint.ts). verify, the signing key's guard and the ccoctl step use it.
 */
export { DISCOVERY_KEY, JWKS_KEY } from './documents.ts';
export { keyIdOf, publicJwkOf, type PublicJwk } from './jwk.ts';
export { publishedIssuer, publishesKeys, type PublishedIssuer } from './published.ts';
export { issuerThumbprintFailure } from './thumbprint.ts';
export {
  dnsSuffixOf,
  parseIssuer,
  providerArnFor,
  serviceAccountSubject,
  subjectKey,
  type Issuer,
  type Partition,
} from './url.ts';
