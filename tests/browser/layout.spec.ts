import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Browser, BrowserContext, Page } from 'playwright'
import User from '#models/user'
import { appUrl, freshDemoDatabase, SCREENSHOT_DIR, STAFF } from './support.js'

/** The parts of the page's `document` read in `page.evaluate` (no DOM lib in this project). */
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number }
  fonts: { ready: Promise<unknown> }
}

const DESKTOP = { width: 1366, height: 768 }
const PHONE = { width: 390, height: 844 }

/** A phone-like context (390×844, touch, mobile viewport meta honoured). */
function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: appUrl(),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  })
}

/** Widths that matter for horizontal overflow, measured in the page. */
function widths(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
}

/** Full-page screenshot, once the web fonts have settled. */
async function screenshot(page: Page, name: string) {
  await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, name), fullPage: true })
}

test.group('Layout: no horizontal overflow, screenshots', (group) => {
  group.setup(freshDemoDatabase)

  for (const url of ['/', '/login']) {
    test(`${url} fits 1366×768`, async ({ visit, assert }) => {
      const page = await visit(url)
      await page.setViewportSize(DESKTOP)
      const { scrollWidth, clientWidth } = await widths(page)
      assert.equal(clientWidth, DESKTOP.width)
      assert.isAtMost(scrollWidth, clientWidth, `${url} overflows horizontally at 1366px`)
    })

    test(`${url} fits a 390×844 phone`, async ({ browser, assert }) => {
      const context = await phoneContext(browser)
      try {
        const page = await context.visit(url)
        const { scrollWidth, clientWidth } = await widths(page)
        assert.equal(clientWidth, PHONE.width)
        assert.isAtMost(scrollWidth, clientWidth, `${url} overflows horizontally on a 390px phone`)
      } finally {
        await context.close()
      }
    })
  }

  test('screenshots: home and login at 1366×768', async ({ visit }) => {
    const page = await visit('/')
    await page.setViewportSize(DESKTOP)
    await screenshot(page, 'home.png')
    await page.goto('/login')
    await screenshot(page, 'login.png')
  })

  test('screenshot: staff dashboard at 1366×768', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await User.findByOrFail('email', STAFF.email))
    const page = await visit('/dashboard')
    await page.setViewportSize(DESKTOP)
    await page.assertPath('/dashboard')
    await page.assertTextContains('main', STAFF.name)
    await screenshot(page, 'dashboard.png')
  })

  test('screenshot: home on a 390×844 phone', async ({ browser }) => {
    const context = await phoneContext(browser)
    try {
      const page = await context.visit('/')
      await screenshot(page, 'home-phone.png')
    } finally {
      await context.close()
    }
  })
})
