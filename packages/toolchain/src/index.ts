export * from './errors.ts';
export * from './output-dir.ts';
export * from './executor.ts';
export * from './redact.ts';
export * from './resolve.ts';
export * from './exit-codes.ts';
export * from './run-tool.ts';
export * from './signals.ts';
