import { mkdir, readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import DocumentTemplate from '#models/document_template'
import { UserFactory } from '#database/factories/user_factory'
import { SCREENSHOT_DIR } from './support.js'

const STRAY = 'この行はどの欄にも属さない書き込みです'

test.group('Council import review in the browser', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(90_000)

  test('a pasted document is reviewed with its unused line highlighted', async ({
    browserContext,
    visit,
    assert,
  }) => {
    await DocumentTemplate.ensureAll()
    await browserContext.loginAs(await UserFactory.apply('privacyOfficer').create())
    const seed = await readFile(
      app.makePath('tests/fixtures/seeds/004_1402d2ef23b0738c.txt'),
      'utf8'
    )

    const page = await visit('/council/imports/create')
    await page.setViewportSize({ width: 1440, height: 1400 })
    await page
      .getByLabel('資料の本文（貼り付け）')
      .fill(seed.replace('## 事業の概要', `${STRAY}\n\n## 事業の概要`))
    await page.getByRole('button', { name: '読み取って確認へ進む' }).click()
    await page.waitForURL(/\/council\/imports\/\d+$/)
    await page.getByText(/原文のうち \d+ 行はどの項目にも使われていません/).waitFor()

    const stray = page.locator('.source-line--unused', { hasText: STRAY })
    assert.equal(await stray.count(), 1)
    assert.include(await stray.innerText(), '未使用')

    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'council-import-review.png') })

    // Confirmed: the register's records are created and the round trip is shown.
    await page.getByRole('button', { name: '台帳に登録する' }).click()
    await page.getByText(/往復確認：原文 \d+ 行のうち \d+ 行が同一/).waitFor()
    await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'council-import-result.png') })
  })
})
