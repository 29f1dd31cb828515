import { existsSync } from 'node:fs'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import type { Test } from '@japa/runner/core'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { chromium } from 'playwright'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const chromiumInstalled = existsSync(CHROMIUM_PATH)

/**
 * Plugins: assertions, HTTP client with session/auth/CSRF helpers, and the
 * browser client driving Debian's Chromium (no browser download needed).
 */
export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  authApiClient(app),
  shieldApiClient(),
  browserClient({
    runInSuites: ['browser'],
    contextOptions: { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
    launcher: (launcherOptions) =>
      chromium.launch({
        ...launcherOptions,
        executablePath: CHROMIUM_PATH,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
  }),
  sessionBrowserClient(app),
  authBrowserClient(app),
]

/**
 * The browser suite needs Chromium; without it the suite is left out and the
 * run says so instead of failing.
 */
export function suitesAvailable<T extends { name: string }>(suites: T[]): T[] {
  if (chromiumInstalled) return suites
  console.log(`browser suite skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`)
  return suites.filter((suite) => suite.name !== 'browser')
}

/**
 * Migrate a fresh schema once for the whole run; roll it back at the end.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate()],
  teardown: [],
}

/**
 * A test's in-process jobs end with it, before its database transaction is rolled back: a job
 * still running afterwards would write for real, outside the transaction (a failed mail's row in
 * `failed_jobs`, encrypted with a key that a later test rotates away). Those not started are
 * dropped; those running get up to 10 s.
 */
function settleJobsAfter(test: Test) {
  test.cleanup(async () => {
    const { default: JobQueue } = await import('#services/jobs/job_queue')
    await JobQueue.settle(10_000)
  })
}

/**
 * HTTP server for functional and browser suites; every suite's jobs settled after each test.
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  suite.onTest(settleJobsAfter)
  suite.onGroup((group) => group.tap(settleJobsAfter))
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
