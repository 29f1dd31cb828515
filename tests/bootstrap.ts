import { existsSync } from 'node:fs'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
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
 * HTTP server for functional and browser suites.
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
