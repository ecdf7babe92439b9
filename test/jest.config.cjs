// End-to-end suites: the built product (dist/) as real processes, driven over HTTP and in Debian's Chromium.
// `npm test` builds api and web before running them.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: require('../jest.paths.cjs'),
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 240_000,
};
