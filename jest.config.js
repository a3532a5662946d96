/**
 * Jest in its native ESM mode (npm run jest passes --experimental-vm-modules): the packages are ESM TypeScript and
 * execa is ESM-only, so everything is loaded for real; @swc/jest only strips the types.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' }, sourceMaps: 'inline' },
    ],
  },
  testMatch: ['<rootDir>/packages/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/clusters/.*/\\.work/', '<rootDir>/\\.nx/', '<rootDir>/dist/'],
  // One AWS emulator (moto on loopback) for the whole run; its endpoint reaches every worker and child process.
  globalSetup: '<rootDir>/tools/aws-emulator/jest-global-setup.ts',
  globalTeardown: '<rootDir>/tools/aws-emulator/jest-global-teardown.ts',
  testTimeout: 30000,
};
