import { test } from '@japa/runner'
import User from '#models/user'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import Opinion from '#models/opinion'
import Citizen from '#models/citizen'
import { freshDemoDatabase, STAFF } from './support.js'
import { assertAccessible } from './axe.js'

test.group('Accessibility (axe-core, WCAG 2.1 A/AA)', (group) => {
  group.setup(freshDemoDatabase)

  for (const [name, url] of [
    ['home', '/'],
    ['staff login', '/login'],
    ['citizen login', '/citizen/login'],
    ['citizen registration', '/citizen/register'],
  ]) {
    test(`${name} page (${url})`, async ({ visit, assert }) => {
      const page = await visit(url)
      await assertAccessible(page, assert)
    })
  }

  test('staff login page after a failed login', async ({ visit, assert }) => {
    const page = await visit('/login')
    await page.getByLabel('メールアドレス').fill('nobody@demo.daicho.jp')
    await page.getByLabel('パスワード').fill('wrong-password')
    await page.getByRole('button', { name: 'ログイン' }).click()
    await page.getByRole('alert').waitFor()
    await page.assertPath('/login')
    await assertAccessible(page, assert)
  })

  test('staff login page with validation errors', async ({ visit, assert }) => {
    const page = await visit('/login')
    await page.getByRole('button', { name: 'ログイン' }).click()
    await page.locator('.field-error').first().waitFor()
    await page.assertPath('/login')
    await assertAccessible(page, assert)
  })

  test('citizen registration with validation errors', async ({ visit, assert }) => {
    const page = await visit('/citizen/register')
    await page.getByRole('button', { name: '登録する' }).click()
    await page.locator('.field-error').first().waitFor()
    await page.assertPath('/citizen/register')
    await assertAccessible(page, assert)
  })

  test('staff dashboard', async ({ visit, browserContext, assert }) => {
    await browserContext.loginAs(await User.findByOrFail('email', STAFF.email))
    const page = await visit('/dashboard')
    await page.assertPath('/dashboard')
    await assertAccessible(page, assert)
  })

  // The working pages of the register, council and oversight, as the privacy officer sees them.
  // Ids are looked up: SQLite does not reuse them after the demo data is reloaded.
  const systemId = async () => {
    const system = await PersonalDataSystem.findByOrFail('name', 'コールセンター')
    return system.id
  }
  const contractId = async () => {
    const contract = await Contract.findByOrFail('title', 'コールセンター業務委託について')
    return contract.id
  }
  for (const [name, url] of [
    ['register list', async () => '/systems'],
    ['system page', async () => `/systems/${await systemId()}`],
    ['contract page', async () => `/contracts/${await contractId()}`],
    ['contract form', async () => `/contracts/${await contractId()}/edit`],
    ['council dashboard', async () => '/council'],
    ['oversight dashboard', async () => '/oversight'],
    ['incident list', async () => '/incidents'],
    ['file register', async () => '/file-register'],
  ] as const) {
    test(name, async ({ visit, browserContext, assert }) => {
      await browserContext.loginAs(await User.findByOrFail('email', 'privacy@demo.daicho.jp'))
      const path = await url()
      const page = await visit(path)
      await page.assertPath(path)
      await page.locator('main h1').first().waitFor()
      assert.notInclude(await page.title(), 'ページが見つかりません')
      await assertAccessible(page, assert)
    })
  }

  // 区民の声: the opinion office's pages (operator), a reply awaiting approval (supervisor), the citizen portal.
  const opinionId = async (subject: string) => {
    const opinion = await Opinion.findByOrFail('subject', subject)
    return opinion.id
  }
  for (const [name, email, url] of [
    ['opinion list', 'operator@demo.daicho.jp', async () => '/opinions'],
    ['opinion intake form', 'operator@demo.daicho.jp', async () => '/opinions/create'],
    ['opinion history search', 'operator@demo.daicho.jp', async () => '/opinions/history'],
    [
      'opinion with a reply awaiting approval',
      'supervisor@demo.daicho.jp',
      async () => `/opinions/${await opinionId('駅前の駐輪場の増設を')}`,
    ],
  ] as const) {
    test(name, async ({ visit, browserContext, assert }) => {
      await browserContext.loginAs(await User.findByOrFail('email', email))
      const path = await url()
      const page = await visit(path)
      await page.assertPath(path)
      await page.locator('main h1').first().waitFor()
      await assertAccessible(page, assert)
    })
  }

  for (const [name, url] of [
    ['citizen portal with submissions', async () => '/citizen'],
    ['citizen opinion form', async () => '/citizen/opinions/create'],
    [
      'citizen reading a reply',
      async () => `/citizen/opinions/${await opinionId('地域の防災訓練の日程について')}`,
    ],
  ] as const) {
    test(name, async ({ visit, browserContext, assert }) => {
      await browserContext.withGuard('citizen').loginAs(await Citizen.findByOrFail('isDemo', true))
      const path = await url()
      const page = await visit(path)
      await page.assertPath(path)
      await assertAccessible(page, assert)
    })
  }

  test('anonymous opinion box', async ({ visit, assert }) => {
    const page = await visit('/voice')
    await assertAccessible(page, assert)
  })

  test('contractor portal', async ({ visit, browserContext, assert }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'contractor@demo.daicho.jp'))
    const page = await visit('/portal')
    await page.assertPath('/portal')
    await assertAccessible(page, assert)
  })
})
