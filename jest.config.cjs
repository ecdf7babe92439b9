// Every Jest project of the workspace; `npm test` runs them all, in native ESM mode for the NestJS code.
/** @type {import('jest').Config} */
module.exports = {
  // testTimeout is a global option: the projects' own values are ignored in a multi-project run.
  testTimeout: 300_000,
  projects: [
    '<rootDir>/libs/shared/jest.config.cjs',
    '<rootDir>/libs/stats/jest.config.cjs',
    '<rootDir>/libs/demo-data/jest.config.cjs',
    '<rootDir>/apps/api/jest.config.cjs',
    '<rootDir>/apps/web/jest.config.cjs',
    '<rootDir>/apps/web/jest.dom.config.cjs',
    '<rootDir>/apps/api/jest.integration.config.cjs',
    '<rootDir>/test/jest.config.cjs',
  ],
};
