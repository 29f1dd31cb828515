import { test } from '@japa/runner'
import { freshDemoDatabase, STAFF } from './support.js'

/** A date in the Japanese era, e.g. 令和7年11月23日 (令和元年… for the first year). */
const REIWA_DATE = /令和(元|\d+)年\d{1,2}月\d{1,2}日/

test.group('Staff login (Chromium, real form)', (group) => {
  group.setup(freshDemoDatabase)

  test('valid credentials land on the dashboard with the name and a 令和 date', async ({ visit, assert }) => {
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

  test('a wrong password shows the Japanese error and stays on the form', async ({ visit, assert }) => {
    const page = await visit('/login')
    await page.getByLabel('メールアドレス').fill(STAFF.email)
    await page.getByLabel('パスワード').fill('not-the-password')
    await page.getByRole('button', { name: 'ログイン' }).click()

    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.equal((await alert.innerText()).trim(), 'メールアドレスまたはパスワードが正しくありません。')
    await page.assertPath('/login')
    // The e-mail address is kept; the password never is.
    await page.assertInputValue(page.getByLabel('メールアドレス'), STAFF.email)
    await page.assertInputValue(page.getByLabel('パスワード'), '')
    await page.assertNotExists('a[href="/dashboard"]')
  })
})
