// A cluster's state backend and its lock.
export * from './location.ts';
export * from './store.ts';
export * from './lock.ts';
export * from './cluster-state.ts';
export * from './bucket-check.ts';
