import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Browser, BrowserContext, Page } from 'playwright'
import User from '#models/user'
import Citizen from '#models/citizen'
import Opinion from '#models/opinion'
import FaqEntry from '#models/faq_entry'
import { makePasswordResetUrl } from '#actions/citizen/request_citizen_password_reset'
import { appUrl, freshDemoDatabase, SCREENSHOT_DIR } from './support.js'
import { assertAccessible } from './axe.js'

/** The parts of the page's DOM used in `page.evaluate` (no DOM lib in this project). */
interface Box {
  top: number
  bottom: number
  right: number
}
interface Element {
  getBoundingClientRect(): Box
}
declare const document: {
  scrollingElement: { scrollWidth: number; clientWidth: number }
  fonts: { ready: Promise<unknown> }
  querySelector(selector: string): Element | null
  querySelectorAll(selector: string): ArrayLike<Element>
}
declare function getComputedStyle(element: Element, pseudo?: string): Record<string, string>

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

/** A phone-like context: 390×844, touch, the page's viewport meta honoured. */
function phoneContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}) {
  return browser.newContext({
    baseURL: appUrl(),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    ...options,
  })
}

/** How wide the page scrolls: more than the window means a sideways scroll bar. */
function scrollWidth(page: Page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth)
}

async function screenshot(page: Page, name: string) {
  await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, name), fullPage: true })
}

async function asCitizen(context: BrowserContext) {
  await context.withGuard('citizen').loginAs(await Citizen.findByOrFail('isDemo', true))
}

const opinionPath = async (subject: string) => {
  const opinion = await Opinion.findByOrFail('subject', subject)
  return `/citizen/opinions/${opinion.id}`
}

/** The reset form behind a fresh link of the demo citizen (path and query only). */
const resetFormPath = async () => {
  const citizen = await Citizen.findByOrFail('isDemo', true)
  const url = new URL(makePasswordResetUrl(citizen, Math.floor(Date.now() / 1000) + 3600))
  return `${url.pathname}${url.search}`
}

test.group('Phones (390 px): citizen and public pages fit the width and pass axe', (group) => {
  group.setup(freshDemoDatabase)

  const guestPages: Array<[string, () => Promise<string>]> = [
    ['home', async () => '/'],
    ['citizen login', async () => '/citizen/login'],
    ['citizen registration', async () => '/citizen/register'],
    ['forgotten password', async () => '/citizen/password/forgot'],
    ['new password (reset link)', resetFormPath],
    ['anonymous opinion box', async () => '/voice'],
    ['FAQ', async () => '/faq'],
    [
      'a FAQ answer',
      async () => {
        const entry = await FaqEntry.query().where('status', 'published').firstOrFail()
        return `/faq/${entry.id}`
      },
    ],
    ['個人情報ファイル簿', async () => '/file-register'],
  ]
  const citizenPages: Array<[string, () => Promise<string>]> = [
    ['citizen portal', async () => '/citizen'],
    ['citizen opinion form', async () => '/citizen/opinions/create'],
    ['citizen reading a reply', () => opinionPath('地域の防災訓練の日程について')],
  ]

  for (const [name, pathOf] of [...guestPages, ...citizenPages]) {
    test(`${name}: no sideways scroll at 390 px, no serious axe violation`, async ({
      browser,
      assert,
    }) => {
      const context = await phoneContext(browser)
      try {
        if (citizenPages.some(([pageName]) => pageName === name)) await asCitizen(context)
        const path = await pathOf()
        const page = await context.visit(path)
        await page.assertPath(path.split('?')[0])
        await page.locator('main h1').first().waitFor()
        assert.isAtMost(await scrollWidth(page), PHONE.width, `${path} scrolls sideways at 390 px`)
        await assertAccessible(page, assert)
      } finally {
        await context.close()
      }
    })
  }

  test('the portal list stacks: each submission is a box whose cells name their column', async ({
    browser,
    assert,
  }) => {
    const context = await phoneContext(browser)
    try {
      await asCitizen(context)
      const page = await context.visit('/citizen')
      const table = page.locator('table.table--stack')
      await table.waitFor()
      const layout = await page.evaluate(() => {
        const cell = document.querySelector('table.table--stack tbody td')!
        const rows = document.querySelectorAll('table.table--stack tbody tr')
        return {
          cellDisplay: getComputedStyle(cell).display,
          label: getComputedStyle(cell, '::before').content,
          headHeight: document.querySelector('table.table--stack thead')!.getBoundingClientRect(),
          rowsStacked:
            rows.length > 1 &&
            rows[1].getBoundingClientRect().top >= rows[0].getBoundingClientRect().bottom,
          tableRight: document.querySelector('table.table--stack')!.getBoundingClientRect().right,
        }
      })
      assert.equal(layout.cellDisplay, 'block')
      assert.equal(layout.label, '"受付番号"')
      assert.isAtMost(
        layout.headHeight.bottom - layout.headHeight.top,
        1,
        'the header row is for screen readers only'
      )
      assert.isTrue(layout.rowsStacked)
      assert.isAtMost(layout.tableRight, PHONE.width)
      await screenshot(page, 'citizen-portal-phone.png')

      // At desktop width the same list is a plain table with its header row.
      await page.setViewportSize(DESKTOP)
      const wide = await page.evaluate(() => ({
        cellDisplay: getComputedStyle(document.querySelector('table.table--stack tbody td')!)
          .display,
        label: getComputedStyle(document.querySelector('table.table--stack tbody td')!, '::before')
          .content,
      }))
      assert.equal(wide.cellDisplay, 'table-cell')
      assert.equal(wide.label, 'none')
      await screenshot(page, 'citizen-portal-desktop.png')
    } finally {
      await context.close()
    }
  })

  test('the file register puts each label above its value', async ({ browser, assert }) => {
    const context = await phoneContext(browser)
    try {
      const page = await context.visit('/file-register')
      const boxes = await page.evaluate(() => {
        const label = document.querySelector('table.sheet th')!.getBoundingClientRect()
        const value = document.querySelector('table.sheet td')!.getBoundingClientRect()
        return { label, value }
      })
      assert.isAtMost(boxes.label.bottom, boxes.value.top + 1)
      assert.isAtMost(boxes.value.right, PHONE.width)
    } finally {
      await context.close()
    }
  })
})

test.group('Main menu on a phone and on a desktop', (group) => {
  group.setup(freshDemoDatabase)

  test('on a phone the groups are an accordion: one opens at a time, Escape closes it, nothing overflows', async ({
    browser,
    assert,
  }) => {
    const context = await phoneContext(browser)
    try {
      await context.loginAs(await User.findByOrFail('email', 'privacy@demo.daicho.jp'))
      const page = await context.visit('/dashboard')
      const nav = page.getByRole('navigation', { name: 'メインメニュー' })
      const council = nav.getByText('台帳・審議会', { exact: true })
      const oversight = nav.getByText('委託先管理', { exact: true })
      await page.assertNotVisible(nav.getByRole('link', { name: '登録業務' }))

      await council.click()
      await page.assertVisible(nav.getByRole('link', { name: '登録業務' }))
      assert.isAtMost(await scrollWidth(page), PHONE.width)
      await oversight.click()
      await page.assertVisible(nav.getByRole('link', { name: '委託先監督' }))
      await page.assertNotVisible(nav.getByRole('link', { name: '登録業務' }))

      await page.keyboard.press('Escape')
      await page.assertNotVisible(nav.getByRole('link', { name: '委託先監督' }))
      await assertAccessible(page, assert)
      await oversight.click()
      await screenshot(page, 'nav-phone.png')
    } finally {
      await context.close()
    }
  })

  test('without JavaScript the groups still open (native disclosure)', async ({ browser }) => {
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    try {
      await context.loginAs(await User.findByOrFail('email', 'operator@demo.daicho.jp'))
      const page = await context.visit('/dashboard')
      const nav = page.getByRole('navigation', { name: 'メインメニュー' })
      await nav.getByText('意見・問い合わせ', { exact: true }).click()
      await nav.getByRole('link', { name: '受付' }).click()
      await page.assertPath('/opinions/create')
    } finally {
      await context.close()
    }
  })

  test('on a desktop a group drops down over the page; the last one stays inside the window', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'admin@demo.daicho.jp'))
    const page = await visit('/dashboard')
    await page.setViewportSize(DESKTOP)
    const nav = page.getByRole('navigation', { name: 'メインメニュー' })
    const summaries = nav.locator('summary')
    assert.equal(await summaries.first().textContent(), '管理')

    await summaries.last().click()
    await page.assertVisible(nav.locator('details[open] a').first())
    assert.isAtMost(await scrollWidth(page), DESKTOP.width)
    // A click elsewhere closes it.
    await page.locator('.site-footer').click()
    assert.equal(await nav.locator('details[open]').count(), 0)

    await summaries.first().click()
    await page.assertVisible(nav.getByRole('link', { name: '利用者管理' }))
    await assertAccessible(page, assert)
    await screenshot(page, 'nav-desktop.png')
  })
})

test.group('Password reset in the browser (390 px)', (group) => {
  group.setup(freshDemoDatabase)

  test('a weak password comes back on the same form with the message; a strong one logs in', async ({
    browser,
    assert,
  }) => {
    const context = await phoneContext(browser)
    try {
      const path = await resetFormPath()
      const page = await context.visit(path)
      await page.locator('#field-password').fill('short')
      await page.locator('#field-password_confirmation').fill('short')
      await page.getByRole('button', { name: 'パスワードを設定する' }).click()
      await page.locator('.field-error').first().waitFor()
      assert.equal(new URL(page.url()).search, new URL(path, appUrl()).search)
      await page.assertTextContains('#field-password-error', '12文字以上')
      assert.isAtMost(await scrollWidth(page), PHONE.width)
      await assertAccessible(page, assert)
      await screenshot(page, 'password-reset-phone.png')

      await page.locator('#field-password').fill('aoi-sora-no-shita-de-5123')
      await page.locator('#field-password_confirmation').fill('aoi-sora-no-shita-de-5123')
      await page.getByRole('button', { name: 'パスワードを設定する' }).click()
      await page.waitForURL('**/citizen')
      await page.assertTextContains('[role="status"]', 'パスワードを再設定しました')

      // The same link again, in another browser: refused in Japanese.
      const other = await phoneContext(browser)
      const again = await other.visit(path)
      await again.assertTextContains('main', 'このリンクは既に使われたか')
      await other.close()
    } finally {
      await context.close()
    }
  })
})
