import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Browser, BrowserContext, Page } from 'playwright'
import User from '#models/user'
import { appUrl, freshDemoDatabase, SCREENSHOT_DIR, STAFF } from './support.js'

/** The parts of the page's DOM used in `page.evaluate` (no DOM lib in this project). */
interface CanvasContext {
  font: string
  clearRect(x: number, y: number, width: number, height: number): void
  fillText(text: string, x: number, y: number): void
  getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> }
}
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number }
  fonts: { ready: Promise<unknown> }
  querySelector(selector: string): object | null
  createElement(tag: 'canvas'): {
    width: number
    height: number
    getContext(kind: '2d'): CanvasContext
  }
}
declare function getComputedStyle(element: object): { font: string }

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

/** Full-page screenshot, once the web fonts have settled; returns the PNG. */
async function screenshot(page: Page, name: string) {
  await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  return page.screenshot({ path: app.makePath(SCREENSHOT_DIR, name), fullPage: true })
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/**
 * Whether the element's font draws Japanese glyphs: 「台帳」 drawn in its computed font must
 * differ from two private-use characters, which any font draws as the missing-glyph box (tofu).
 */
function drawsJapanese(page: Page, selector: string) {
  return page.evaluate((target) => {
    const element = document.querySelector(target)
    if (!element) return false
    const canvas = document.createElement('canvas')
    canvas.width = 240
    canvas.height = 80
    const context = canvas.getContext('2d')
    const pixels = (text: string) => {
      context.clearRect(0, 0, canvas.width, canvas.height)
      context.font = getComputedStyle(element).font
      context.fillText(text, 0, 60)
      return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data).join(',')
    }
    const japanese = pixels('台帳')
    return japanese !== pixels('') && japanese !== pixels('\uE000\uE001')
  }, selector)
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

  test('screenshots: home and login at 1366×768', async ({ visit, assert }) => {
    const page = await visit('/')
    await page.setViewportSize(DESKTOP)
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja')
    assert.equal(await page.title(), '台帳 — 個人情報保護・委託先監督・広聴業務 | 台帳')
    await page.assertVisible(
      page.getByRole('heading', { level: 1, name: '台帳 — 個人情報保護・委託先監督・広聴業務' })
    )
    await page.assertVisible(
      page.getByRole('heading', { level: 2, name: '区職員・受託事業者の方' })
    )
    await page.assertVisible(page.getByRole('heading', { level: 2, name: '区民の方', exact: true }))
    await page.assertVisible(
      page
        .getByRole('navigation', { name: 'メインメニュー' })
        .getByRole('link', { name: '職員・事業者ログイン' })
    )
    assert.isTrue(
      await drawsJapanese(page, 'h1'),
      'the heading is drawn in a Japanese font, not as missing-glyph boxes'
    )
    const home = pngSize(await screenshot(page, 'home.png'))
    assert.equal(home.width, DESKTOP.width)
    assert.isAtLeast(home.height, DESKTOP.height)

    await page.goto('/login')
    await page.assertPath('/login')
    await page.assertVisible(page.getByRole('heading', { level: 1, name: '職員・事業者ログイン' }))
    await page.assertVisible(page.getByLabel('メールアドレス'))
    await page.assertVisible(page.getByLabel('パスワード'))
    await page.assertVisible(page.getByRole('button', { name: 'ログイン' }))
    assert.isTrue(
      await drawsJapanese(page, 'label[for="field-email"]'),
      'the form labels are drawn in a Japanese font'
    )
    const login = pngSize(await screenshot(page, 'login.png'))
    assert.equal(login.width, DESKTOP.width)
  })

  test('screenshot: staff dashboard at 1366×768', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await User.findByOrFail('email', STAFF.email))
    const page = await visit('/dashboard')
    await page.setViewportSize(DESKTOP)
    await page.assertPath('/dashboard')
    await page.assertTextContains('main', STAFF.name)
    await screenshot(page, 'dashboard.png')
  })

  test('screenshot: home on a 390×844 phone', async ({ browser, assert }) => {
    const context = await phoneContext(browser)
    try {
      const page = await context.visit('/')
      const heading = page.getByRole('heading', {
        level: 1,
        name: '台帳 — 個人情報保護・委託先監督・広聴業務',
      })
      await page.assertVisible(heading)
      // The heading wraps inside the phone's width instead of overflowing it.
      const box = await heading.boundingBox()
      assert.isNotNull(box)
      assert.isAtMost((box?.x ?? 0) + (box?.width ?? 0), PHONE.width)
      await page.assertVisible(page.getByRole('link', { name: '職員・事業者ログイン' }).first())
      await page.assertVisible(page.getByRole('link', { name: '区民の方のログイン' }).first())
      assert.isTrue(
        await drawsJapanese(page, 'h1'),
        'the heading is drawn in a Japanese font on the phone'
      )
      // deviceScaleFactor 2: the PNG is twice the CSS width.
      const png = pngSize(await screenshot(page, 'home-phone.png'))
      assert.equal(png.width, PHONE.width * 2)
    } finally {
      await context.close()
    }
  })
})
