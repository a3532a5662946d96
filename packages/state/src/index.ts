// A cluster's state backend and its lock; the AWS client settings and error wording every AWS call shares.
export * from './aws/client-config.ts';
export * from './aws/errors.ts';
export * from './location.ts';
export * from './store.ts';
export * from './open-store.ts';
export * from './lock.ts';
export * from './cluster-state.ts';
export * from './installed-record.ts';
export * from './bucket-check.ts';
