// Unit tests for the dashboard's pure logic (formatting, sorting, redirects); no DOM needed.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'web',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Component tests (*.dom.spec.ts) need jsdom and TestBed: jest.dom.config.cjs runs them.
  testPathIgnorePatterns: ['\\.dom\\.spec\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleNameMapper: require('../../jest.paths.cjs'),
  moduleFileExtensions: ['ts', 'js', 'json'],
};
