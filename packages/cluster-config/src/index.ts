export * from './schema.ts';
export * from './load.ts';
export * from './install-config.ts';
export * from './layout.ts';
export { parseYamlSource, locate } from './yaml-source.ts';
export * from './json-schema.ts';
export * from './release.ts';
export * from './step-inputs.ts';
export * from './instance-types.ts';
