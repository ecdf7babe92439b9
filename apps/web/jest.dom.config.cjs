// Component tests of the dashboard: Angular's TestBed in jsdom (zoneless), for behaviour that needs a DOM
// (focus, pointer, keyboard). Files named *.dom.spec.ts; the pure logic stays in jest.config.cjs.
// ts-jest only transpiles here (tsconfig.spec.json: CommonJS, isolated modules); the type check of these files is
// tsconfig.dom.spec.json, which resolves Angular's package exports as the app does.
const { createCjsPreset } = require('jest-preset-angular/presets');

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'web-dom',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.dom.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/jest.dom.setup.cjs'],
  moduleNameMapper: require('../../jest.paths.cjs'),
};
