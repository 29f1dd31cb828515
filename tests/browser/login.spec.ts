import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { freshDemoDatabase, SCREENSHOT_DIR, STAFF } from './support.js'

/** A date in the Japanese era, e.g. 令和7年11月23日 (令和元年… for the first year). */
const REIWA_DATE = /令和(元|\d+)年\d{1,2}月\d{1,2}日/

test.group('Staff login (Chromium, real form)', (group) => {
  group.setup(freshDemoDatabase)

  test('valid credentials land on the dashboard with the name and a 令和 date', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await page.getByLabel('メールアドレス').fill(STAFF.email)
    await page.getByLabel('パスワード').fill(STAFF.password)
    await page.getByRole('button', { name: 'ログイン' }).click()
    await page.waitForURL('**/dashboard')

    await page.assertPath('/dashboard')
    await page.assertTextContains('h1', 'ホーム')
    await page.assertTextContains('main', STAFF.name)
    await page.assertTextContains('header', STAFF.name)
    const today = await page.locator('main time').first().innerText()
    assert.match(today, REIWA_DATE)
    await page.assertVisible(page.getByRole('button', { name: 'ログアウト' }))
  })

  test('a wrong password shows the Japanese error and stays on the form', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await page.getByLabel('メールアドレス').fill(STAFF.email)
    await page.getByLabel('パスワード').fill('not-the-password')
    await page.getByRole('button', { name: 'ログイン' }).click()

    const alert = page.getByRole('alert')
    await alert.waitFor()
    const alertText = await alert.innerText()
    assert.equal(alertText.trim(), 'メールアドレスまたはパスワードが正しくありません。')
    await page.assertPath('/login')
    // The e-mail address is kept; the password never is.
    await page.assertInputValue(page.getByLabel('メールアドレス'), STAFF.email)
    await page.assertInputValue(page.getByLabel('パスワード'), '')
    await page.assertNotExists('a[href="/dashboard"]')
  })
  test('an empty form shows the error summary, each error linked to its field', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await page.getByRole('button', { name: 'ログイン' }).click()
    const summary = page.locator('[data-error-summary]')
    await summary.waitFor()
    await page.assertPath('/login')
    assert.equal(await summary.getAttribute('role'), 'alert')
    await page.assertVisible(
      summary.getByRole('heading', { level: 2, name: '入力内容を確認してください。' })
    )
    const links = summary.getByRole('link')
    assert.deepEqual(
      await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href'))),
      ['#field-email', '#field-password']
    )
    // Each link says what the field under it says.
    const linkText = await links.first().innerText()
    const fieldError = await page.locator('#field-email-error').innerText()
    assert.equal(linkText.trim(), fieldError.trim())
    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'login-errors.png'),
      fullPage: true,
    })
    await links.first().click()
    await page.waitForURL('**/login#field-email')
  })
})
