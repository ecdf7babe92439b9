// Unit tests for the dashboard's pure logic (formatting, sorting, redirects); no DOM needed.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'web',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // Runtime values come from single files of libs/shared (see src/app/core/access.ts).
  moduleNameMapper: { '^@hiresignal/shared/(.+)$': '<rootDir>/../../libs/shared/src/lib/$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
