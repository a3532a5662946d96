export * from './errors.ts';
export * from './output-dir.ts';
export * from './executor.ts';
