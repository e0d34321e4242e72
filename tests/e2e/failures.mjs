// Prints each failed or flaky test of the last run (test-results/results.json, written by the
// JSON reporter) with the first lines of its error, so that the end of a run's output says what
// failed and why: CI shows only the tail, where the list reporter puts attachment paths.
import fs from 'node:fs';

const file = new URL('./test-results/results.json', import.meta.url);
if (!fs.existsSync(file)) {
  console.log('failures.mjs: no test-results/results.json (the run stopped before reporting)');
  process.exit(0);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const strip = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

function* specs(suite, titles = []) {
  const here = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) yield [here, spec];
  for (const child of suite.suites ?? []) yield* specs(child, here);
}

for (const suite of report.suites ?? []) {
  for (const [titles, spec] of specs(suite)) {
    for (const test of spec.tests ?? []) {
      const failed = test.results.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
      if (failed.length === 0) continue;
      const verdict = test.status === 'flaky' ? 'FLAKY' : 'FAILED';
      console.log(`\n${verdict}: ${[...titles, spec.title].join(' › ')} (${spec.file}:${spec.line})`);
      for (const result of failed) {
        const error = result.error ?? result.errors?.[0] ?? {};
        const where = error.location ? ` at ${error.location.file.split('/').pop()}:${error.location.line}` : '';
        const message = strip(error.message ?? result.status).split('\n').slice(0, 12).join('\n    ');
        console.log(`  try ${result.retry + 1}: ${result.status}${where}\n    ${message}`);
      }
    }
  }
}
