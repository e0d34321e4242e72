// Playwright drives Debian's Chromium (never a downloaded browser) against the release build in
// dist/, served by Python's static server so trunk is not needed at test time.
import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts run their suites side by side on one machine; E2E_DIST, a build
// other than dist/ (relative to this folder) be tested while dist/ is in use.
const PORT = Number(process.env.E2E_PORT ?? 8765);
const DIST = process.env.E2E_DIST ?? '../../dist';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

// Every test starts in a profile that has already answered the annotator question with "no name"
// (browser/annotator_name.rs): the first export asks who is annotating, and only identity.spec.mjs
// is about that. Contexts a test makes itself (browser.newContext) get it from `use` too.
export const ANSWERED = {
  cookies: [],
  origins: [{
    origin: `http://127.0.0.1:${PORT}`,
    localStorage: [{ name: 'article-annotator-annotator', value: '' }],
  }],
};

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  // The JSON report feeds failures.mjs, which repeats each failure's error last: CI keeps only
  // the tail of a run's output, below the list reporter's attachments.
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    storageState: ANSWERED,
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
