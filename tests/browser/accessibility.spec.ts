import { test } from '@japa/runner'
import axe from 'axe-core'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'
import User from '#models/user'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import Opinion from '#models/opinion'
import Citizen from '#models/citizen'
import { freshDemoDatabase, STAFF } from './support.js'

/**
 * Automated WCAG 2.1 A/AA checks with axe-core in Chromium.
 *
 * axe is injected with `page.evaluate(axe.source)`: evaluation through the
 * DevTools protocol is not subject to the page's Content Security Policy,
 * so the pages are audited with their real, strict CSP in force
 * (`page.addScriptTag` is refused by that CSP, and `bypassCSP` is not needed).
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const BLOCKING_IMPACTS = ['serious', 'critical']

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** The page's global scope once axe is injected (the project compiles without the DOM lib). */
type AxeWindow = { axe: typeof axe }

/** Runs axe on the current document; returns the violations and the number of passed rules. */
async function audit(page: Page): Promise<{ violations: Violation[]; passes: number }> {
  await page.evaluate(axe.source)
  return page.evaluate(async (tags) => {
    const { axe: pageAxe } = globalThis as unknown as AxeWindow
    const results = await pageAxe.run({ runOnly: { type: 'tag', values: tags } })
    return {
      passes: results.passes.length,
      violations: results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      })),
    }
  }, WCAG_TAGS)
}

/** Fails with the rule ids and element targets of every serious or critical violation. */
async function assertAccessible(page: Page, assert: Assert) {
  const { violations, passes } = await audit(page)
  assert.isAbove(passes, 0, 'axe-core did not run any rule')
  const blocking = violations.filter((violation) =>
    BLOCKING_IMPACTS.includes(violation.impact ?? '')
  )
  if (blocking.length > 0) {
    const report = blocking
      .map(
        (v) =>
          `  [${v.impact}] ${v.id}: ${v.help}\n${v.targets.map((t) => `      ${t}`).join('\n')}`
      )
      .join('\n')
    assert.fail(`${blocking.length} serious/critical axe violation(s) on ${page.url()}:\n${report}`)
  }
}

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
