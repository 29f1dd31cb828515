import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import { OpinionDepartmentFactory } from '#database/factories/opinion_department_factory'
import OpinionStatistics, {
  percentileFromHistogram,
  type StatisticsFilters,
} from '#services/opinions/opinion_statistics'
import type User from '#models/user'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import { axisTicks } from '#services/opinions/opinion_statistics_charts'
import { TODAY, knownOpinions } from '#tests/functional/opinions/opinion_statistics_fixtures'

const counts = (buckets: Array<{ key: string; count: number }>) =>
  Object.fromEntries(buckets.map((b) => [b.key, b.count]))

/** The total of the statistics for the user and filters (as of TODAY). */
async function totalOf(user: User, filters: StatisticsFilters) {
  const { total } = await OpinionStatistics.compute(user, filters, TODAY)
  return total
}

/** The overdue count of the statistics (every opinion in the user's scope) as of `today`. */
async function overdueOf(user: User, today: typeof TODAY) {
  const { reply } = await OpinionStatistics.compute(user, {}, today)
  return reply.overdue
}

test.group('Opinion statistics: figures', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('90th percentile by nearest rank from a histogram', ({ assert }) => {
    assert.isNull(percentileFromHistogram([], 90))
    // 1…10: rank ceil(9) = 9 → 9 days
    assert.equal(
      percentileFromHistogram(
        Array.from({ length: 10 }, (_, i) => ({ days: i + 1, count: 1 })),
        90
      ),
      9
    )
    // 1…10 and 15: rank ceil(9.9) = 10 → 10 days (PostgreSQL percentile_disc(0.9) gives the same)
    assert.equal(
      percentileFromHistogram(
        [
          ...Array.from({ length: 10 }, (_, i) => ({ days: i + 1, count: 1 })),
          { days: 15, count: 1 },
        ],
        90
      ),
      10
    )
    // 95 replies in 3 days and 5 in 30: 90 % are within 3 days
    assert.equal(
      percentileFromHistogram(
        [
          { days: 30, count: 5 },
          { days: 3, count: 95 },
        ],
        90
      ),
      3
    )
    assert.equal(
      percentileFromHistogram(
        [
          { days: 3, count: 89 },
          { days: 30, count: 11 },
        ],
        90
      ),
      30
    )
  })

  test('chart axes show whole counts at even steps', ({ assert }) => {
    assert.deepEqual(axisTicks(0), { max: 1, values: [0, 1] })
    assert.deepEqual(axisTicks(2), { max: 2, values: [0, 1, 2] })
    assert.deepEqual(axisTicks(7), { max: 8, values: [0, 2, 4, 6, 8] })
    assert.deepEqual(axisTicks(10), { max: 10, values: [0, 5, 10] })
    assert.deepEqual(axisTicks(140_082), { max: 150_000, values: [0, 50_000, 100_000, 150_000] })
  })

  test('counts per fiscal year, month, channel, topic and status; reply days and overdue rate on known data', async ({
    assert,
  }) => {
    const { safety, waste } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const result = await OpinionStatistics.compute(operator, {}, TODAY)

    assert.equal(result.total, 14)
    assert.deepEqual(counts(result.byFiscalYear), { 2025: 11, 2026: 3 })
    assert.deepEqual(counts(result.byMonth), {
      '2025-06': 11,
      '2026-04': 1,
      '2026-05': 1,
      '2026-06': 1,
    })
    assert.deepEqual(
      result.byChannel.map((b) => [b.key, b.count]),
      [
        ['web', 3],
        ['letter', 1],
        ['postcard', 2],
        ['email', 6],
        ['fax', 1],
        ['call_center', 1],
      ]
    )
    assert.deepEqual(
      result.byTopic.map((b) => [b.key, b.label, b.count]),
      [
        [String(safety.id), '防災・防犯・安全', 5],
        [String(waste.id), 'ごみ・リサイクル', 6],
        ['none', null, 3],
      ]
    )
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

  test("per department: forwarded counts lead and co-forwarded opinions; reply figures are the lead department's", async ({
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const result = await OpinionStatistics.compute(operator, {}, TODAY)
    const row = (id: number) => result.byDepartment.find((d) => d.departmentId === id)!

    assert.deepEqual([row(tree.kocho.id).forwarded, row(tree.kocho.id).lead], [8, 8])
    assert.deepEqual([row(tree.kikikanri.id).forwarded, row(tree.kikikanri.id).lead], [5, 4])
    assert.deepEqual([row(tree.kochoKakari.id).forwarded, row(tree.kochoKakari.id).lead], [1, 1])
    // 危機管理課 leads r9 (9 days), r10 (10), r11 (15) and the open o2: rank ceil(2.7) = 3 → 15; r11 late of 4 owed.
    assert.equal(row(tree.kikikanri.id).replied, 3)
    assert.equal(row(tree.kikikanri.id).p90Days, 15)
    assert.equal(row(tree.kikikanri.id).averageDays, 11.3)
    assert.deepEqual([row(tree.kikikanri.id).overdue, row(tree.kikikanri.id).owed], [1, 4])
    // 広聴係 leads o1 only: no reply yet, open past its due date.
    assert.deepEqual(
      [
        row(tree.kochoKakari.id).replied,
        row(tree.kochoKakari.id).averageDays,
        row(tree.kochoKakari.id).overdue,
      ],
      [0, null, 1]
    )
    // 広聴担当課 leads r1–r8, 1…8 days, all on time.
    assert.deepEqual(
      [row(tree.kocho.id).averageDays, row(tree.kocho.id).p90Days, row(tree.kocho.id).overdueRate],
      [4.5, 8, 0]
    )
    assert.isUndefined(result.byDepartment.find((d) => d.departmentId === tree.bu.id))
  })

  test('per department under filters: co-forwarded opinions follow the filters', async ({
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const row = (result: Awaited<ReturnType<typeof OpinionStatistics.compute>>, id: number) =>
      result.byDepartment.find((d) => d.departmentId === id)
    // Fiscal year only (read from opinion_departments alone): r1 co-forwarded, r9–r11 led.
    const fy2025 = await OpinionStatistics.compute(operator, { fiscalYear: 2025 }, TODAY)
    assert.deepEqual(
      [row(fy2025, tree.kikikanri.id)?.forwarded, row(fy2025, tree.kikikanri.id)?.lead],
      [4, 3]
    )
    assert.isUndefined(row(fy2025, tree.kochoKakari.id), 'o1 is FY2026')
    // Email only (limited to the filtered opinions): 危機管理課 leads none, r1 is co-forwarded.
    const email = await OpinionStatistics.compute(operator, { channel: 'email' }, TODAY)
    assert.deepEqual(
      [row(email, tree.kikikanri.id)?.forwarded, row(email, tree.kikikanri.id)?.lead],
      [1, 0]
    )
    assert.isNull(row(email, tree.kikikanri.id)!.overdueRate)
    // 危機管理課's own staff: its four led opinions and r1.
    const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const own = await OpinionStatistics.compute(kikiStaff, {}, TODAY)
    assert.deepEqual(
      own.byDepartment.map((d) => [d.name, d.forwarded, d.lead]),
      [['危機管理課', 5, 4]]
    )
  })

  test('filters: channel, fiscal year, department (with its sub-units), topic', async ({
    assert,
  }) => {
    const { tree, waste } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    assert.equal(await totalOf(operator, { channel: 'email' }), 6)
    assert.equal(await totalOf(operator, { fiscalYear: 2026 }), 3)
    assert.equal(await totalOf(operator, { departmentId: tree.kikikanri.id }), 5)
    const kocho = await OpinionStatistics.compute(operator, { departmentId: tree.kocho.id }, TODAY)
    assert.equal(kocho.total, 9)
    assert.deepEqual(
      kocho.byDepartment.map((d) => d.departmentId),
      [tree.kocho.id, tree.kochoKakari.id]
    )
    const wasteEmail = await OpinionStatistics.compute(
      operator,
      { topicId: waste.id, channel: 'email' },
      TODAY
    )
    assert.equal(wasteEmail.total, 1)
  })

  test('department staff see only the opinions forwarded to their department and below', async ({
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const result = await OpinionStatistics.compute(staff, {}, TODAY)
    // r1–r8 and o1 (広聴係 is below 広聴担当課); r1 was also forwarded to 危機管理課, whose row stays hidden.
    assert.equal(result.total, 9)
    assert.deepEqual(
      result.byDepartment.map((d) => [d.name, d.forwarded]),
      [
        ['広聴担当課', 8],
        ['広聴係', 1],
      ]
    )
    assert.deepEqual(counts(result.byChannel), { email: 6, web: 2, call_center: 1 })
    assert.equal(result.reply.overdue, 1)

    const other = await UserFactory.merge({ departmentId: tree.kikikanri.id })
      .apply('supervisor')
      .create()
    assert.equal(await totalOf(other, {}), 5)
  })

  test('filter parsing: invalid values and departments outside the scope are ignored and listed', async ({
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const parsed = await OpinionStatisticsFilters.parse(
      {
        fiscalYear: 'abc',
        channel: 'pigeon',
        kind: 'request',
        topicId: '-3',
        departmentId: String(tree.kikikanri.id),
      },
      staff,
      2026
    )
    assert.deepEqual(parsed.filters, { kind: 'request' })
    assert.sameMembers(parsed.ignored, ['fiscalYear', 'channel', 'topicId', 'departmentId'])
    const noFilters = await OpinionStatisticsFilters.parse({}, staff, 2026)
    assert.deepEqual(noFilters.filters, { fiscalYear: 2026 })
    const allYears = await OpinionStatisticsFilters.parse(
      { fiscalYear: 'all', channel: '' },
      staff,
      2026
    )
    assert.deepEqual(allYears.filters, {})
    assert.equal(
      OpinionStatisticsFilters.listQuery(
        { fiscalYear: 2025, channel: 'email' },
        { due: 'overdue' }
      ),
      '?fiscalYear=2025&channel=email&due=overdue'
    )
  })
})

test.group('Opinion statistics: snapshots per fiscal year', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  const snapshotCount = async () => {
    const [row] = await db.from('opinion_statistics_snapshots').count('* as total')
    return Number(row.total)
  }

  test('each fiscal year is kept as a snapshot and reused while nothing in that year changes', async ({
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const first = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(await snapshotCount(), 2, 'FY2025 and FY2026')
    const stored = await db
      .from('opinion_statistics_snapshots')
      .select('id', 'version')
      .orderBy('id')

    const again = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.deepEqual(again, first)
    assert.deepEqual(
      await db.from('opinion_statistics_snapshots').select('id', 'version').orderBy('id'),
      stored,
      'reused, not recounted'
    )
  })

  test('outdated snapshots are dropped: older versions of a year, and anything older than 30 days', async ({
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const stamp = (days: number) => DateTime.now().minus({ days }).toSQL()
    await db.table('opinion_statistics_snapshots').multiInsert([
      {
        cache_key: 'a'.repeat(64),
        fiscal_year: 2019,
        version: 1,
        payload: '{}',
        created_at: stamp(31),
      },
      {
        cache_key: 'b'.repeat(64),
        fiscal_year: 2019,
        version: 1,
        payload: '{}',
        created_at: stamp(2),
      },
    ])
    await OpinionStatistics.compute(operator, {}, TODAY)
    const left = await db.from('opinion_statistics_snapshots').select('cache_key', 'fiscal_year')
    assert.sameMembers(
      left.map((row) => row.cache_key),
      [
        'b'.repeat(64),
        ...left.filter((row) => row.fiscal_year !== 2019).map((row) => row.cache_key),
      ]
    )
    assert.lengthOf(left, 3, 'the two counted years and the recent unrelated snapshot')

    // FY2025 counted for the email filter too; after a change in FY2025 the next count drops
    // the email snapshot of the old version, and the email view counts the year again.
    await OpinionStatistics.compute(operator, { channel: 'email' }, TODAY)
    assert.lengthOf(await db.from('opinion_statistics_snapshots').where('fiscal_year', 2025), 2)
    await db.from('opinions').where('fiscal_year', 2025).update({ kind: 'request' })
    await OpinionStatistics.compute(operator, {}, TODAY)
    assert.lengthOf(await db.from('opinion_statistics_snapshots').where('fiscal_year', 2025), 1)
    const { byKind } = await OpinionStatistics.compute(operator, { channel: 'email' }, TODAY)
    assert.deepEqual(counts(byKind), { request: 6 })
  })

  test('a change to an opinion, a raw update or a new forwarding shows at once in the all-years figures', async ({
    assert,
  }) => {
    const { tree, opinions } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const before = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.deepEqual(counts(before.byChannel).email, 6)

    // A model save (FY2025: r1 email → letter).
    const r1 = opinions[0]
    r1.channel = 'letter'
    await r1.save()
    const afterSave = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(counts(afterSave.byChannel).email, 5)
    assert.equal(counts(afterSave.byChannel).letter, 2)

    // A raw UPDATE outside any model (the triggers see it too).
    await db.from('opinions').where('id', opinions[1].id).update({ status: 'forwarded' })
    const afterRaw = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(counts(afterRaw.byStatus).forwarded, 3)

    // A co-forwarding row added to r2 (FY2025) for 危機管理課.
    await OpinionDepartmentFactory.merge({
      opinionId: opinions[1].id,
      departmentId: tree.kikikanri.id,
      fiscalYear: 2025,
    }).create()
    const afterForward = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(
      afterForward.byDepartment.find((d) => d.departmentId === tree.kikikanri.id)!.forwarded,
      6
    )
  })

  test("snapshots are per scope: a department's figures never show in the office's, and overdue follows today", async ({
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const operator = await UserFactory.apply('operator').create()
    assert.equal(await totalOf(kikiStaff, {}), 5)
    assert.equal(await totalOf(operator, {}), 14)
    assert.equal(await totalOf(operator, { channel: 'fax' }), 1)

    // o2 (FY2026, due 6/20, still open) becomes overdue after its due date with no change to any row.
    assert.equal(await overdueOf(operator, TODAY), 2)
    const later = DateTime.fromISO('2026-06-25T12:00:00', { zone: 'Asia/Tokyo' })
    assert.equal(await overdueOf(operator, later), 3)
  })
})

test.group('Opinion statistics: page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('operators see the figures, the charts with their tables, links to the list and the CSV buttons', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get('/opinion-statistics?fiscalYear=2025&channel=email')
      .loginAs(operator)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '区民の声の統計')
    assert.include(html, '令和7年度')
    assert.include(html, 'href="/opinions?fiscalYear=2025&amp;channel=email"')
    assert.include(html, 'href="/opinions?fiscalYear=2025&amp;channel=email&amp;due=overdue"')
    // The CSV buttons post the page's filters to start an export (a background task).
    const forms: string[] =
      html.match(/<form method="POST" action="\/opinions\/exports"[\s\S]*?<\/form>/g) ?? []
    assert.lengthOf(forms, 1)
    assert.include(forms[0], "name='_csrf'")
    assert.include(forms[0], '<input type="hidden" name="fiscalYear" value="2025">')
    assert.include(forms[0], '<input type="hidden" name="channel" value="email">')
    assert.match(
      forms[0],
      /<button type="submit" name="encoding" value="utf8" [^>]*>CSVを作成（UTF-8）<\/button>/
    )
    assert.match(
      forms[0],
      /<button type="submit" name="encoding" value="cp932" [^>]*>CSVを作成（Shift_JIS）<\/button>/
    )
    assert.notInclude(forms[0], 'disabled')
    assert.include(html, '<script src="/js/submit_once.js" defer></script>')
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

  test('bad filters never fail the page: they are ignored with a Japanese notice', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get('/opinion-statistics?fiscalYear=R7&channel=pigeon&topicId=x&departmentId=99999999')
      .loginAs(operator)
    response.assertStatus(200)
    assert.include(response.text(), '正しくない条件を無視しました: 年度、経路、分野')
  })

  test('department staff see their own figures only, and the scope is stated', async ({
    client,
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const response = await client.get('/opinion-statistics?fiscalYear=all').loginAs(staff)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'あなたの所属（下位の所属を含む）に転送された意見等だけを集計しています。')
    assert.match(html, /<dt>件数<\/dt><dd>5件<\/dd>/)
    assert.notInclude(html, '広聴担当課</a>')
  })

  test('contractor users get 403, guests go to the login page, the nav shows the page to staff only', async ({
    client,
    assert,
  }) => {
    const contractor = await UserFactory.apply('contractor').create()
    const forbidden = await client.get('/opinion-statistics').loginAs(contractor)
    forbidden.assertStatus(403)
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
