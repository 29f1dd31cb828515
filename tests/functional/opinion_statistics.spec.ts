import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { UserFactory } from '#database/factories/user_factory'
import OpinionStatistics, { percentileFromHistogram } from '#services/opinion_statistics'
import OpinionStatisticsFilters from '#services/opinion_statistics_filters'
import { TODAY, knownOpinions } from '#tests/functional/opinion_statistics_fixtures'

const counts = (buckets: Array<{ key: string; count: number }>) => Object.fromEntries(buckets.map((b) => [b.key, b.count]))

test.group('Opinion statistics: figures', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('90th percentile by nearest rank from a histogram', ({ assert }) => {
    assert.isNull(percentileFromHistogram([], 90))
    // 1…10: rank ceil(9) = 9 → 9 days
    assert.equal(percentileFromHistogram(Array.from({ length: 10 }, (_, i) => ({ days: i + 1, count: 1 })), 90), 9)
    // 1…10 and 15: rank ceil(9.9) = 10 → 10 days (PostgreSQL percentile_disc(0.9) gives the same)
    assert.equal(percentileFromHistogram([...Array.from({ length: 10 }, (_, i) => ({ days: i + 1, count: 1 })), { days: 15, count: 1 }], 90), 10)
    // 95 replies in 3 days and 5 in 30: 90 % are within 3 days
    assert.equal(percentileFromHistogram([{ days: 30, count: 5 }, { days: 3, count: 95 }], 90), 3)
    assert.equal(percentileFromHistogram([{ days: 3, count: 89 }, { days: 30, count: 11 }], 90), 30)
  })

  test('counts per fiscal year, month, channel, topic and status; reply days and overdue rate on known data', async ({ assert }) => {
    const { safety, waste } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const result = await OpinionStatistics.compute(operator, {}, TODAY)

    assert.equal(result.total, 14)
    assert.deepEqual(counts(result.byFiscalYear), { 2025: 11, 2026: 3 })
    assert.deepEqual(counts(result.byMonth), { '2025-06': 11, '2026-04': 1, '2026-05': 1, '2026-06': 1 })
    assert.deepEqual(result.byChannel.map((b) => [b.key, b.count]), [
      ['web', 3], ['letter', 1], ['postcard', 2], ['email', 6], ['fax', 1], ['call_center', 1],
    ])
    assert.deepEqual(result.byTopic.map((b) => [b.key, b.label, b.count]), [
      [String(safety.id), '防災・防犯・安全', 5],
      [String(waste.id), 'ごみ・リサイクル', 6],
      ['none', null, 3],
    ])
    assert.deepEqual(counts(result.byStatus), { replied: 5, closed: 7, forwarded: 2 })
    assert.deepEqual(counts(result.byKind), { opinion: 14 })

    assert.equal(result.reply.replied, 11)
    assert.equal(result.reply.averageDays, 6.4)
    assert.equal(result.reply.p90Days, 10)
    // owed 13; overdue: r11 replied 6/23 after 6/20, o1 open past 6/1. r10 replied on the due day at 23:30 is on time.
    assert.equal(result.reply.owed, 13)
    assert.equal(result.reply.overdue, 2)
    assert.closeTo(result.reply.overdueRate!, 2 / 13, 1e-9)
    assert.equal(result.asOf, '2026-06-15')
  })

  test('per department: an opinion forwarded to two departments counts for both; lead counts apart', async ({ assert }) => {
    const { tree } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const result = await OpinionStatistics.compute(operator, {}, TODAY)
    const row = (id: number) => result.byDepartment.find((d) => d.departmentId === id)!

    assert.deepEqual([row(tree.kocho.id).forwarded, row(tree.kocho.id).lead], [8, 8])
    assert.deepEqual([row(tree.kikikanri.id).forwarded, row(tree.kikikanri.id).lead], [5, 4])
    assert.deepEqual([row(tree.kochoKakari.id).forwarded, row(tree.kochoKakari.id).lead], [1, 1])
    // 危機管理課: r1 (1 day), r9 (9), r10 (10), r11 (15): rank ceil(3.6) = 4 → 15; overdue r11 of 5 owed.
    assert.equal(row(tree.kikikanri.id).p90Days, 15)
    assert.equal(row(tree.kikikanri.id).averageDays, 8.8)
    assert.deepEqual([row(tree.kikikanri.id).overdue, row(tree.kikikanri.id).owed], [1, 5])
    assert.isUndefined(result.byDepartment.find((d) => d.departmentId === tree.bu.id))
  })

  test('filters: channel, fiscal year, department (with its sub-units), topic', async ({ assert }) => {
    const { tree, waste } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    assert.equal((await OpinionStatistics.compute(operator, { channel: 'email' }, TODAY)).total, 6)
    assert.equal((await OpinionStatistics.compute(operator, { fiscalYear: 2026 }, TODAY)).total, 3)
    assert.equal((await OpinionStatistics.compute(operator, { departmentId: tree.kikikanri.id }, TODAY)).total, 5)
    const kocho = await OpinionStatistics.compute(operator, { departmentId: tree.kocho.id }, TODAY)
    assert.equal(kocho.total, 9)
    assert.deepEqual(kocho.byDepartment.map((d) => d.departmentId), [tree.kocho.id, tree.kochoKakari.id])
    const wasteEmail = await OpinionStatistics.compute(operator, { topicId: waste.id, channel: 'email' }, TODAY)
    assert.equal(wasteEmail.total, 1)
  })

  test('department staff see only the opinions forwarded to their department and below', async ({ assert }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const result = await OpinionStatistics.compute(staff, {}, TODAY)
    // r1–r8 and o1 (広聴係 is below 広聴担当課); r1 was also forwarded to 危機管理課, whose row stays hidden.
    assert.equal(result.total, 9)
    assert.deepEqual(result.byDepartment.map((d) => [d.name, d.forwarded]), [['広聴担当課', 8], ['広聴係', 1]])
    assert.deepEqual(counts(result.byChannel), { email: 6, web: 2, call_center: 1 })
    assert.equal(result.reply.overdue, 1)

    const other = await UserFactory.merge({ departmentId: tree.kikikanri.id }).apply('supervisor').create()
    assert.equal((await OpinionStatistics.compute(other, {}, TODAY)).total, 5)
  })

  test('filter parsing: invalid values and departments outside the scope are ignored and listed', async ({ assert }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const parsed = await OpinionStatisticsFilters.parse(
      { fiscalYear: 'abc', channel: 'pigeon', kind: 'request', topicId: '-3', departmentId: String(tree.kikikanri.id) },
      staff,
      2026
    )
    assert.deepEqual(parsed.filters, { kind: 'request' })
    assert.sameMembers(parsed.ignored, ['fiscalYear', 'channel', 'topicId', 'departmentId'])
    assert.deepEqual((await OpinionStatisticsFilters.parse({}, staff, 2026)).filters, { fiscalYear: 2026 })
    assert.deepEqual((await OpinionStatisticsFilters.parse({ fiscalYear: 'all', channel: '' }, staff, 2026)).filters, {})
    assert.equal(OpinionStatisticsFilters.listQuery({ fiscalYear: 2025, channel: 'email' }, { due: 'overdue' }), '?fiscalYear=2025&channel=email&due=overdue')
  })
})

test.group('Opinion statistics: page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('operators see the figures, the charts with their tables, and links to the list and the CSV', async ({ client, assert }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client.get('/opinion-statistics?fiscalYear=2025&channel=email').loginAs(operator)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '区民の声の統計')
    assert.include(html, '令和7年度')
    assert.include(html, 'href="/opinions?fiscalYear=2025&amp;channel=email"')
    assert.include(html, 'href="/opinions?fiscalYear=2025&amp;channel=email&amp;due=overdue"')
    assert.include(html, '/opinions/export.csv?fiscalYear=2025&amp;channel=email&amp;encoding=cp932')
    assert.match(html, /<th scope="row">電子メール<\/th>\s*<td class="num">6<\/td>/)
    assert.match(html, /<th scope="row">2025年6月<\/th><td class="num">6<\/td>/)
    assert.include(html, '<svg class="stats-columns"')
    assert.include(html, '複数の所属に転送された意見等は')
    assert.notInclude(html, 'style=')
  })

  test('all years, and an empty result', async ({ client, assert }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const all = await client.get('/opinion-statistics?fiscalYear=all').loginAs(operator)
    all.assertStatus(200)
    assert.match(all.text(), /<th scope="row">令和8年度<\/th><td class="num">3<\/td>/)
    const none = await client.get('/opinion-statistics?fiscalYear=2030').loginAs(operator)
    none.assertStatus(200)
    none.assertTextIncludes('条件に該当する意見等はありません。')
  })

  test('bad filters never fail the page: they are ignored with a Japanese notice', async ({ client, assert }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client.get('/opinion-statistics?fiscalYear=R7&channel=pigeon&topicId=x&departmentId=99999999').loginAs(operator)
    response.assertStatus(200)
    assert.include(response.text(), '正しくない条件を無視しました: 年度、経路、分野')
  })

  test('department staff see their own figures only, and the scope is stated', async ({ client, assert }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const response = await client.get('/opinion-statistics?fiscalYear=all').loginAs(staff)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'あなたの所属（下位の所属を含む）に転送された意見等だけを集計しています。')
    assert.match(html, /<dt>件数<\/dt><dd>5件<\/dd>/)
    assert.notInclude(html, '広聴担当課</a>')
  })

  test('contractor users get 403, guests go to the login page, the nav shows the page to staff only', async ({ client, assert }) => {
    const contractor = await UserFactory.apply('contractor').create()
    ;(await client.get('/opinion-statistics').loginAs(contractor)).assertStatus(403)
    const guest = await client.get('/opinion-statistics').redirects(0)
    guest.assertStatus(302)
    assert.include(guest.header('location'), '/login')

    const staff = await UserFactory.create()
    const dashboard = await client.get('/dashboard').loginAs(staff)
    assert.include(dashboard.text(), 'href="/opinion-statistics"')
    const contractorDashboard = await client.get('/dashboard').loginAs(contractor)
    assert.notInclude(contractorDashboard.text(), 'href="/opinion-statistics"')
  })
})
