import { test } from '@japa/runner'
import User from '#models/user'
import Department from '#models/department'
import Opinion from '#models/opinion'
import Contract from '#models/contract'
import { DateTime } from 'luxon'
import { freshDemoDatabase } from './support.js'
import { assertAccessible } from './axe.js'

/** The pages of the office's daily work added for issue 18, checked with axe as their users see them. */
test.group('Accessibility of the work pages (axe-core, WCAG 2.1 A/AA)', (group) => {
  group.setup(freshDemoDatabase)

  const departmentId = async (name: string) => {
    const department = await Department.findByOrFail('name', name)
    return department.id
  }
  const opinionId = async (subject: string) => {
    const opinion = await Opinion.findByOrFail('subject', subject)
    return opinion.id
  }

  for (const [name, email, url, heading] of [
    ['定型文 list', 'supervisor@demo.daicho.jp', async () => '/canned-texts', '定型文'],
    ['定型文 form', 'supervisor@demo.daicho.jp', async () => '/canned-texts/create', '定型文'],
    [
      'opinions forwarded and not handled (my filter)',
      'supervisor@demo.daicho.jp',
      async () => '/opinions?handling=pending&assignee=me',
      '',
    ],
    [
      'an opinion with its reply form, 定型文 and assignment',
      'supervisor@demo.daicho.jp',
      async () => `/opinions/${await opinionId('駅前の駐輪場の増設を')}`,
      '駅前の駐輪場の増設を',
    ],
    [
      'approvers of a department',
      'admin@demo.daicho.jp',
      async () => `/admin/departments/${await departmentId('広聴担当課')}/approvers`,
      '承認者',
    ],
  ] as const) {
    test(name, async ({ visit, browserContext, assert }) => {
      await browserContext.loginAs(await User.findByOrFail('email', email))
      const path = await url()
      const page = await visit(path)
      await page.locator('main h1').first().waitFor()
      if (heading) assert.include(await page.locator('main h1').first().innerText(), heading)
      await assertAccessible(page, assert)
    })
  }

  test('an on-site audit logged through its form, then its checklist page', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'privacy@demo.daicho.jp'))
    const contract = await Contract.findByOrFail('title', 'コールセンター業務委託について')
    const page = await visit(`/contracts/${contract.id}/oversight-audits/create`)
    await assertAccessible(page, assert)
    await page.locator('input[name="auditedOn"]').fill(DateTime.now().toISODate()!)
    const auditors = page.locator('input[name="auditorIds[]"]')
    await auditors.nth(0).check()
    await auditors.nth(1).check()
    await page.locator('main form button[type="submit"]').last().click()
    await page.waitForURL(/\/oversight-audits\/\d+\/checklist$/)
    await page.locator('main h1').first().waitFor()
    assert.match(await page.locator('main').innerText(), /回答済み/)
    await assertAccessible(page, assert)
  })
})
