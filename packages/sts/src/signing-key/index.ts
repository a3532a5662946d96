/*
 * The cluster's service-account signing key, its whole life: kept in secrets/<name>/ (local.ts) and in the state
 * backend, restored from there, a local key that is not the state's refused (state.ts); never a second key for an
 * issuer that already publishes one (guard.ts); handed to ccoctl and kept after it ran (ccoctl-run.ts). The issuer's
 * side of a key (its JWK, key id, what keys.json publishes) is issuer/.
 */
export { handKeyToCcoctl, keepKeyAfterCcoctl } from './ccoctl-run.ts';
export { guardSigningKey, type AvailableKey } from './guard.ts';
export { keepNewKey, signingKeyDir, type SigningKey } from './local.ts';
export { keepSigningKeyInState, signingKeyFromState } from './state.ts';
