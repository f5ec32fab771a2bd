import { defineConfig } from '@playwright/test'

// Browser tests drive Debian's chromium (never a downloaded browser) against
// a freshly built jxc with a new database and the demo company. Screenshots
// of the main screens land in e2e/output (not committed).
const port = Number(process.env.JXC_E2E_PORT || 18931)

export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/output/results',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    viewport: { width: 1366, height: 800 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
  webServer: {
    command: `sh e2e/serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
