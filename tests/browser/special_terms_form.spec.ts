import { mkdir, readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { appUrl, SCREENSHOT_DIR } from './support.js'
import AuditLogger from '#services/audit_logger'

const fixture = (name: string) =>
  readFile(new URL(`../fixtures/special_terms/${name}`, import.meta.url), 'utf8')

/**
 * Issue 12, point 3, as a privacy officer meets it: a set pasted as text, checked in the
 * preview, rearranged with the buttons and saved; and the same form without JavaScript.
 */
test.group('Special-terms form in the browser', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('paste a set, check the preview, move, remove and add clauses, save one version', async ({
    browserContext,
    visit,
    assert,
  }) => {
    await browserContext.loginAs(await UserFactory.apply('privacyOfficer').create())
    const page = await visit('/special-terms')
    await page.getByRole('link', { name: '特記事項を新しく作成' }).click()
    await page.getByLabel('名称').fill('コールセンター業務の特記事項')
    await page.getByLabel('特記事項の全文').fill(await fixture('seed_001_pdf_13.txt'))
    await page.getByRole('button', { name: '読み取って確認' }).click()
    await page.getByText('13件の条項を読み取りました').waitFor()
    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.setViewportSize({ width: 1280, height: 1600 })
    await page.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'special_terms_preview.png') })
    assert.equal(
      await page.locator('#clause-12-body').inputValue(),
      '乙は、第１項から第１１項までに掲げる事項に違反し、又は怠ったことにより甲又は第三者に損害を与えたときは、その損害を賠償するものとする。'
    )
    assert.equal(await page.locator('#clause-0-numberLabel').inputValue(), '１')
    assert.isFalse(await page.locator('#clause-0-order').isVisible())

    await page.getByRole('button', { name: '条項 13 を上へ' }).click() // 損害の賠償 before 公表
    await page.getByRole('button', { name: '条項 1 を削除' }).click() // 基本的事項 out
    await page.getByRole('button', { name: '条項を追加' }).click()
    await page.locator('[data-clause]').last().getByLabel('見出し').fill('従事者の指定')
    await page
      .locator('[data-clause]')
      .last()
      .getByLabel('本文')
      .fill('乙は、従事者を指定しなければならない。')
    await page.getByRole('button', { name: '保存する', exact: true }).click()
    await page
      .getByText('特記事項「コールセンター業務の特記事項」を作成しました（第1版）。')
      .waitFor()

    const set = await SpecialTermSet.query()
      .where('name', 'コールセンター業務の特記事項')
      .preload('clauses')
      .firstOrFail()
    assert.deepEqual(
      set.clauses.map((c) => c.heading),
      [
        '秘密の保持',
        '目的外利用及び第三者への提供等の禁止',
        '適正な管理',
        '複写等の禁止',
        '再委託の禁止',
        '資料等の返還等',
        '業務に関する報告',
        '監査',
        '従業員に対する教育',
        '事故発生時等における報告',
        '損害の賠償',
        '公表',
        '従事者の指定',
      ]
    )
    assert.equal(set.clauses[10].numberLabel, '13')
    assert.lengthOf(await SpecialTermSet.query().where('code', set.code), 1)
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'special_terms_show.png'),
      fullPage: false,
    })
  })

  test('without JavaScript, the order fields, remove boxes and empty blocks edit the set', async ({
    browser,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const context = await browser.newContext({
      baseURL: appUrl(),
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      javaScriptEnabled: false,
    })
    try {
      await context.loginAs(officer)
      const page = await context.visit(`/special-terms/${first.id}/new-version`)
      assert.isFalse(await page.getByRole('button', { name: '条項を追加' }).isVisible())
      await page.locator('#clause-12-order').fill('0') // 損害の賠償 first
      await page.locator('#clause-1-remove').check() // 秘密の保持 out
      await page.locator('#clause-13-order').fill('2.5')
      await page.locator('#clause-13-heading').fill('従事者の指定')
      // Left empty: the body is required, so the form comes back with everything typed.
      await page.locator('#clause-13-numberLabel').fill('第2条の2')
      await page.getByRole('button', { name: '保存する', exact: true }).click()
      await page.getByText('条項 3：本文を入力してください').waitFor()
      assert.equal(await page.locator('#clause-2-heading').inputValue(), '従事者の指定')
      assert.equal(await page.locator('#clause-0-heading').inputValue(), '損害の賠償')
      await page.locator('#clause-2-body').fill('乙は、従事者を指定しなければならない。')
      await page.getByRole('button', { name: '保存する', exact: true }).click()
      await page.getByText('特記事項の第2版を作成しました。').waitFor()
    } finally {
      await context.close()
    }
    const second = await SpecialTermSet.query()
      .where('code', 'standard-13')
      .where('version', 2)
      .preload('clauses')
      .firstOrFail()
    assert.deepEqual(
      second.clauses.slice(0, 5).map((c) => [c.numberLabel, c.heading]),
      [
        [null, '損害の賠償'],
        [null, '基本的事項'],
        ['第2条の2', '従事者の指定'],
        [null, '目的外利用及び第三者への提供等の禁止'],
        [null, '適正な管理'],
      ]
    )
    assert.lengthOf(second.clauses, 13)
  })
})
