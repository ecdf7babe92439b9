// NestJS 12 is ESM-only, so the API's tests run in Jest's native ESM mode (node --experimental-vm-modules).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', useESM: true }],
  },
  moduleNameMapper: require('../../jest.paths.cjs'),
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
