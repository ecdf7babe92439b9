#!/usr/bin/env node
// Reads Jest's --json results and fails when any suite or test was skipped, left todo, or none ran at all,
// then prints the plain closing line "N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'tmp/jest-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no test results at ${file}: ${error.message}`);
  process.exit(1);
}
const problems = [];
if (results.numTotalTests === 0) problems.push('no tests ran');
if (results.numPendingTests > 0) problems.push(`${results.numPendingTests} tests skipped`);
if (results.numTodoTests > 0) problems.push(`${results.numTodoTests} tests marked todo`);
if (results.numPendingTestSuites > 0) problems.push(`${results.numPendingTestSuites} suites skipped`);
if (results.numRuntimeErrorTestSuites > 0)
  problems.push(`${results.numRuntimeErrorTestSuites} suites failed to run`);
for (const suite of results.testResults ?? []) {
  const skipped = (suite.assertionResults ?? []).filter(
    (a) => a.status === 'pending' || a.status === 'skipped',
  );
  for (const a of skipped) problems.push(`skipped: ${suite.name} > ${a.fullName}`);
}
const suites = new Set((results.testResults ?? []).map((s) => s.name));
for (const required of [
  'apps/api/test/integration/',
  'test/e2e/',
  'libs/stats/',
  'libs/shared/',
  'libs/demo-data/',
]) {
  if (![...suites].some((name) => name.includes(required))) problems.push(`no suite ran from ${required}`);
}
for (const p of problems) console.error(`CI: ${p}`);
console.log(`${results.numPassedTests} passed, ${results.numFailedTests} failed`);
process.exit(problems.length > 0 || results.numFailedTests > 0 || !results.success ? 1 : 0);
