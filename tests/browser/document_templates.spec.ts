import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import DocumentTemplate from '#models/document_template'
import { UserFactory } from '#database/factories/user_factory'
import { SCREENSHOT_DIR } from './support.js'

test.group('Document templates in the browser', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('rows move with the up/down buttons and save in the new order', async ({
    browserContext,
    visit,
    assert,
  }) => {
    // Other browser groups empty the tables: make sure the four templates exist.
    await DocumentTemplate.ensureAll()
    const template = await DocumentTemplate.findByOrFail('kind', 'contract_annex')
    await browserContext.loginAs(await UserFactory.apply('privacyOfficer').create())

    const page = await visit(`/document-templates/${template.id}/edit`)
    await page.getByRole('button', { name: '「委託理由」を上へ' }).click()
    await page.getByRole('button', { name: '「委託理由」を上へ' }).click()
    await page.getByRole('button', { name: '「保有課(担当課)」を下へ' }).click()
    await page.getByLabel('項目名（委託の内容）').fill('委託する業務の内容')
    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'document_template_edit.png'),
      fullPage: true,
    })
    await page.getByRole('button', { name: '保存する' }).click()
    await page.waitForURL(`**/document-templates/${template.id}/edit`)
    await page.getByText('様式を保存しました。').waitFor()

    const saved = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(
      saved.rows.slice(0, 4).map((row) => row.key),
      ['system_name', 'holder_department', 'contractor', 'reason']
    )
    assert.equal(saved.label('content'), '委託する業務の内容')
  })
})
