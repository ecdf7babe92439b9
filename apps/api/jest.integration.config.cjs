// Integration suites: the API in-process on a real database and queue (see test/support/test-app.ts).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-integration',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', useESM: true }],
  },
  moduleNameMapper: require('../../jest.paths.cjs'),
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 120_000,
};
