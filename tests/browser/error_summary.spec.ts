import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import { assertAccessible } from './axe.js'
import { appUrl, freshDemoDatabase, SCREENSHOT_DIR } from './support.js'

/*
| Issue 18, point 14, in Chromium: a form sent with mistakes comes back
| with 「エラー：」 at the start of its title, the error summary first in
| <main> with the focus on it (role="alert"), each error linking to its
| field, the form's own labels in the messages, and no WCAG A/AA
| violation. Without JavaScript the same page works, only the focus stays.
*/

test.group('Forms with errors (Chromium)', (group) => {
  group.setup(freshDemoDatabase)

  test('the intake form sent empty: title, summary with the focus, links to the fields, axe', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'operator@demo.daicho.jp'))
    const page = await visit('/opinions/create')
    assert.equal(await page.locator('form[action="/opinions"]').getAttribute('novalidate'), '')
    await page.getByRole('button', { name: '受け付ける' }).click()
    const summary = page.locator('[data-error-summary]')
    await summary.waitFor()
    await page.assertPath('/opinions/create')

    assert.match(await page.title(), /^エラー：意見等の受付/)
    assert.equal(await summary.getAttribute('role'), 'alert')
    await page.waitForFunction(() => {
      const active = (globalThis as any).document.activeElement
      return active?.hasAttribute('data-error-summary') === true
    })

    const links = summary.getByRole('link')
    const entries = await links.evaluateAll((anchors) =>
      anchors.map((anchor) => [anchor.getAttribute('href'), anchor.textContent?.trim()])
    )
    assert.deepInclude(entries, ['#field-channel', '受付経路を選択してください'])
    assert.deepInclude(entries, ['#field-kind', '種別を選択してください'])
    assert.deepInclude(entries, ['#field-subject', '件名を入力してください'])
    assert.deepInclude(entries, ['#field-body', '内容を入力してください'])
    // The empty option of a select says what to do.
    const emptyOption = await page.locator('#field-kind option').first().innerText()
    assert.equal(emptyOption.trim(), '選択してください')
    // Each field says what its summary entry says.
    const fieldError = await page.locator('#field-kind-error').innerText()
    assert.equal(fieldError.trim(), '種別を選択してください')

    await assertAccessible(page, assert)
    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'form-errors-1280.png') })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'form-errors-390.png') })

    // A link moves the focus to its field.
    await summary.getByRole('link', { name: '種別を選択してください' }).click()
    await page.waitForFunction(
      () => (globalThis as any).document.activeElement?.id === 'field-kind'
    )
    await page.waitForURL('**/opinions/create#field-kind')
  })

  test('without JavaScript the page is the same, the browser keeps its focus', async ({
    browser,
    assert,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ja-JP' })
    const page = await context.newPage()
    await page.goto(`${appUrl()}/voice`)
    await page.getByRole('button', { name: '匿名で送信する' }).click()
    const summary = page.locator('[data-error-summary]')
    await summary.waitFor()
    assert.match(await page.title(), /^エラー：/)
    assert.equal(await summary.getAttribute('role'), 'alert')
    const texts = await summary.getByRole('link').allInnerTexts()
    assert.include(texts, '種別を選択してください')
    assert.include(texts, '件名を入力してください')
    assert.equal(await page.locator('[data-error-summary]:focus').count(), 0)
    // The layout's summary: first in <main>, above the page's heading.
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'form-errors-voice.png'),
      fullPage: true,
    })
    await summary.getByRole('link', { name: '件名を入力してください' }).click()
    await page.waitForURL('**/voice#field-subject')
    await context.close()
  })
})
