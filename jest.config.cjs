// Every Jest project of the workspace; `npm test` runs them all (API suites need --experimental-vm-modules).
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    '<rootDir>/libs/shared/jest.config.cjs',
    '<rootDir>/libs/stats/jest.config.cjs',
    '<rootDir>/libs/demo-data/jest.config.cjs',
  ],
};
