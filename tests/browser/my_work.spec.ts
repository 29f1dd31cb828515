import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import axe from 'axe-core'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'
import User from '#models/user'
import Opinion from '#models/opinion'
import { freshDemoDatabase, SCREENSHOT_DIR, STAFF } from './support.js'

/** The page's global scope once axe is injected (the project compiles without the DOM lib). */
type AxeWindow = { axe: typeof axe }

/** Fails with every serious or critical WCAG 2.1 A/AA violation axe-core finds (as accessibility.spec.ts). */
async function assertAccessible(page: Page, assert: Assert) {
  await page.evaluate(axe.source)
  const { passes, blocking } = await page.evaluate(async () => {
    const { axe: pageAxe } = globalThis as unknown as AxeWindow
    const results = await pageAxe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return {
      passes: results.passes.length,
      blocking: results.violations
        .filter((violation) => ['serious', 'critical'].includes(violation.impact ?? ''))
        .map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' ')}`
        ),
    }
  })
  assert.isAbove(passes, 0, 'axe-core did not run any rule')
  assert.deepEqual(blocking, [], `axe violations on ${page.url()}`)
}

async function screenshot(page: Page, name: string) {
  await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
  await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, name), fullPage: true })
}

test.group('わたしの仕事 in the browser', (group) => {
  group.setup(freshDemoDatabase)

  test('department staff: the list on the start page, a section of its own, both accessible', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', STAFF.email))
    const page = await visit('/dashboard')
    await page.getByRole('heading', { name: 'わたしの仕事' }).waitFor()
    const forwards = page.getByRole('region', { name: /所属に転送された意見等（未対応）/ })
    await forwards.getByRole('link', { name: 'ごみ収集の時間について' }).waitFor()
    await page.setViewportSize({ width: 1280, height: 900 })
    await screenshot(page, 'my-work-dashboard-1280.png')
    await assertAccessible(page, assert)
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'my-work-dashboard-390.png')
    await assertAccessible(page, assert)

    await forwards.getByRole('link', { name: /すべて見る/ }).click()
    await page.assertPath('/my-work/forwarded_opinions')
    await page
      .getByRole('heading', { level: 1, name: '所属に転送された意見等（未対応）' })
      .waitFor()
    await assertAccessible(page, assert)
  })

  test('naming oneself as the person in charge; the list filtered to 自分の担当', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', STAFF.email))
    const opinion = await Opinion.findByOrFail('subject', 'ごみ収集の時間について')
    const page = await visit(`/opinions/${opinion.id}`)
    await page.getByLabel('担当者', { exact: true }).selectOption({ label: STAFF.name })
    await page.getByRole('button', { name: '担当者を変更' }).click()
    await page.getByText('担当者を変更しました。').waitFor()
    await page.getByText(`担当者：${STAFF.name}`).waitFor()
    await screenshot(page, 'my-work-opinion-assigned.png')
    await assertAccessible(page, assert)

    const list = await visit('/opinions?assignee=me&handling=pending')
    await list.getByRole('link', { name: 'ごみ収集の時間について' }).waitFor()
    const dashboard = await visit('/dashboard')
    await dashboard.getByRole('link', { name: 'うち自分の担当: 1件' }).waitFor()
    await screenshot(dashboard, 'my-work-dashboard-mine.png')
    assert.isTrue(true)
  })

  test('supervisor and contractor: their own lists are accessible', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'supervisor@demo.daicho.jp'))
    const page = await visit('/dashboard')
    await page.getByRole('region', { name: /承認を待つ回答/ }).waitFor()
    await screenshot(page, 'my-work-supervisor.png')
    await assertAccessible(page, assert)

    await browserContext.clearCookies()
    await browserContext.loginAs(await User.findByOrFail('email', 'contractor@demo.daicho.jp'))
    const portal = await visit('/portal')
    await portal.getByRole('heading', { name: 'わたしの仕事' }).waitFor()
    await screenshot(portal, 'my-work-contractor.png')
    await assertAccessible(portal, assert)
  })
})
