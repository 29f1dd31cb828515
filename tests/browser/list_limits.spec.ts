import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import HandlerRoster from '#models/handler_roster'
import { appUrl, freshDemoDatabase, SCREENSHOT_DIR } from './support.js'

/**
 * Issue 12, point 1, as a contractor meets it: the roster form has no row
 * limit, and rows are added without JavaScript (the form works as plain
 * HTML), keeping everything typed.
 */
test.group('List limits in the browser, without JavaScript', (group) => {
  group.setup(freshDemoDatabase)

  test('a contractor adds rows to the roster form and submits 30 members', async ({
    browser,
    assert,
  }) => {
    const user = await User.findByOrFail('email', 'contractor@demo.daicho.jp')
    const contractor = await Contractor.findOrFail(user.contractorId)
    const contract = await Contract.query()
      .where('contractorId', contractor.id)
      .whereNull('parentContractId')
      .orderBy('id')
      .firstOrFail()
    const context = await browser.newContext({
      baseURL: appUrl(),
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      javaScriptEnabled: false,
    })
    try {
      await context.loginAs(user)
      const page = await context.visit(`/contracts/${contract.id}/rosters/create`)
      const rows = page.locator('input[name$="[fullName]"]')
      const offered = await rows.count()
      assert.isAtLeast(offered, 6)

      // Type into the first rows, then ask for enough rows for 30 people.
      const name = (index: number) => `名簿 太郎${String(index + 1).padStart(2, '0')}`
      for (let index = 0; index < offered; index++) {
        await page
          .locator(`select[name="members[${index}][memberKind]"]`)
          .selectOption(index === 0 ? 'responsible' : 'handler')
        await page.locator(`input[name="members[${index}][fullName]"]`).fill(name(index))
      }
      await page.getByLabel('追加する行数').fill(String(30 - offered))
      await page.getByRole('button', { name: '行を追加' }).click()
      await page.waitForURL(`**/contracts/${contract.id}/rosters/create`)
      assert.equal(await rows.count(), 30)
      assert.equal(
        await page.locator(`input[name="members[${offered - 1}][fullName]"]`).inputValue(),
        name(offered - 1)
      )

      for (let index = offered; index < 30; index++) {
        await page.locator(`select[name="members[${index}][memberKind]"]`).selectOption('handler')
        await page.locator(`input[name="members[${index}][fullName]"]`).fill(name(index))
      }
      await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
      await page.screenshot({
        path: app.makePath(SCREENSHOT_DIR, 'roster-30-rows.png'),
        fullPage: true,
      })
      await page.getByRole('button', { name: '名簿を提出する' }).click()
      await page.waitForURL('**/rosters/*')

      const roster = await HandlerRoster.query()
        .where('contractId', contract.id)
        .preload('members', (members) => members.orderBy('sortOrder'))
        .orderBy('version', 'desc')
        .firstOrFail()
      assert.deepEqual(
        roster.members.map((member) => member.name),
        Array.from({ length: 30 }, (_, index) => name(index))
      )
      await page.assertTextContains('main', name(29))
    } finally {
      await context.close()
    }
  })
})
