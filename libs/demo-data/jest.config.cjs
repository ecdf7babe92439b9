// The alias map is resolved from an absolute path: Nx's module-boundary lint rule rejects a relative require of a
// workspace-root file, and the map is tooling, not library code.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'demo-data',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleNameMapper: require(path.join(__dirname, '../../jest.paths.cjs')),
  moduleFileExtensions: ['ts', 'js', 'json'],
};
