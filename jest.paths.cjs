// Maps the tsconfig path aliases for every Jest project (one source of truth: tsconfig.base.json).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')}$`,
    path.join(__dirname, target),
  ]),
);
