import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import CallCenterRetention from '#services/opinions/call_center_retention'
import CallCenterRetentionJob from '#jobs/opinions/call_center_retention_job'
import Clock, { FixedClock } from '#services/clock'
import JobQueue from '#services/jobs/job_queue'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/** A call-center opinion with a caller's name and phone, collected at `receivedAt`. */
const call = (receivedAt: string, submitterName: string, extra: Partial<Opinion> = {}) =>
  makeOpinion({
    channel: 'call_center',
    collectedByCallCenter: true,
    receivedAt: tokyo(receivedAt),
    submitterName,
    submitterPhone: '090-0000-0001',
    ...extra,
  })

const purgedIds = (at: string) => purgedIdsAt(tokyo(at))

/** The ids the retention run of `at` purges. */
async function purgedIdsAt(at: DateTime) {
  const { ids } = await CallCenterRetention.purge(at)
  return ids
}

test.group(
  'Call-center retention: one year counted by the Civil Code (民法140条・143条)',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('collected 2025-11-26: kept all of 2026-11-26, deleted by the run of 2026-11-27', async ({
      assert,
    }) => {
      await opinionScene()
      const opinion = await call('2025-11-26T19:00', '十一月 電話')
      assert.equal(opinion.personalDataExpiresOn!.toISODate(), '2026-11-27')

      assert.deepEqual(await purgedIds('2026-11-26T02:30'), [], 'the run of the last day keeps it')
      assert.deepEqual(await purgedIds('2026-11-26T23:59'), [])
      await opinion.refresh()
      assert.equal(opinion.submitterName, '十一月 電話')

      assert.deepEqual(await purgedIds('2026-11-27T02:30'), [opinion.id])
      await opinion.refresh()
      assert.isNull(opinion.submitterName)
      assert.isNull(opinion.submitterPhone)
      assert.isNotNull(opinion.personalDataDeletedAt)
    })

    test('collected 2024-02-29: kept through 2025-02-28, deleted from 2025-03-01; 2023-02-28 kept through the leap day', async ({
      assert,
    }) => {
      await opinionScene()
      const leapDay = await call('2024-02-29T10:00', '閏日 電話')
      const beforeLeap = await call('2023-02-28T10:00', '前年 電話')
      assert.equal(leapDay.personalDataExpiresOn!.toISODate(), '2025-03-01')
      assert.equal(beforeLeap.personalDataExpiresOn!.toISODate(), '2024-03-01')

      assert.deepEqual(await purgedIds('2024-02-29T02:30'), [])
      assert.deepEqual(await purgedIds('2024-03-01T02:30'), [beforeLeap.id])
      assert.deepEqual(await purgedIds('2025-02-28T23:59'), [])
      assert.deepEqual(await purgedIds('2025-03-01T02:30'), [leapDay.id])
    })

    test('the day is the ward’s: a run given in UTC late on the last day keeps the data', async ({
      assert,
    }) => {
      await opinionScene()
      const opinion = await call('2025-11-26T19:00', '時差 電話')
      // 2026-11-26T14:59Z is 23:59 on 11/26 in Tokyo; 15:00Z is already 11/27.
      assert.deepEqual(
        await purgedIdsAt(DateTime.fromISO('2026-11-26T14:59:00Z', { zone: 'utc' })),
        []
      )
      assert.deepEqual(
        await purgedIdsAt(DateTime.fromISO('2026-11-26T15:00:00Z', { zone: 'utc' })),
        [opinion.id]
      )
    })

    test('the opinion page shows the deletion date with its basis', async ({ client }) => {
      const { tree, kochoStaff } = await opinionScene()
      const opinion = await makeOpinion(
        {
          channel: 'call_center',
          collectedByCallCenter: true,
          receivedAt: tokyo('2025-11-26T19:00'),
          submitterName: '表示 電話',
        },
        [tree.kocho]
      )
      const page = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
      page.assertStatus(200)
      page.assertTextIncludes('令和8年11月27日')
      page.assertTextIncludes('（受付日の翌日から1年、令和8年11月26日まで保存。民法140条・143条）')
    })

    test('the nightly job deletes what is past its retention today and keeps the rest', async ({
      assert,
    }) => {
      await opinionScene()
      const now = DateTime.now().setZone('Asia/Tokyo')
      const expired = await makeOpinion({
        channel: 'call_center',
        collectedByCallCenter: true,
        receivedAt: now.minus({ years: 1, days: 2 }),
        submitterName: '期限切れ',
      })
      const kept = await makeOpinion({
        channel: 'call_center',
        collectedByCallCenter: true,
        receivedAt: now.minus({ years: 1 }).plus({ days: 2 }),
        submitterName: '保存中',
      })
      assert.equal(
        await new CallCenterRetentionJob().run(),
        'personal data of 1 call-center opinions deleted'
      )
      await expired.refresh()
      await kept.refresh()
      assert.isNull(expired.submitterName)
      assert.equal(kept.submitterName, '保存中')
    })
  }
)

const HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`

/** Checks the CSV as `officer`, then imports it: the task page after the import. */
async function importCsv(client: any, officer: any, file: string) {
  const checked = await client
    .post('/legacy-imports/preview')
    .loginAs(officer)
    .withCsrfToken()
    .file('file', Buffer.from(file), { filename: 'legacy.csv', contentType: 'text/csv' })
    .fields({ kind: 'opinions', encoding: 'auto' })
    .redirects(0)
  checked.assertStatus(303)
  const taskPage = checked.header('location')
  await JobQueue.idle()
  const taskId = Number(taskPage.split('/').pop())
  const applied = await client
    .post(`/legacy-imports/${taskId}/apply`)
    .loginAs(officer)
    .withCsrfToken()
    .redirects(0)
  applied.assertStatus(303)
  await JobQueue.idle()
  return client.get(taskPage).loginAs(officer)
}

async function importScene() {
  await Department.createMany([
    { code: 't-kocho', name: '広聴担当課', level: 'ka', sortOrder: 1 },
    { code: 't-kiki', name: '危機管理課', level: 'ka', sortOrder: 2 },
  ])
  return { officer: await UserFactory.apply('privacyOfficer').create() }
}

test.group('Call-center retention: opinions of the legacy import', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('imported call-center personal data gets the deletion day of its own receipt date; past it, it is deleted at the import', async ({
    client,
    assert,
  }) => {
    const { officer } = await importScene()
    const yesterday = DateTime.now().setZone('Asia/Tokyo').minus({ days: 1 })
    const file = csv(
      'CC-1,2013/4/10 19:30,コールセンター,問合せ,,粗大ごみの出し方,粗大ごみの申込み方法を知りたい。,電話 太郎,090-1111-0001,,,t-kocho,完了,,',
      `CC-2,${yesterday.toFormat('yyyy/M/d')} 19:30,コールセンター,問合せ,,住民票の請求,郵送で請求したい。,電話 花子,090-1111-0002,,,t-kocho,受付,,`,
      'CC-3,2013/4/11 10:00,コールセンター,問合せ,,開庁時間,開庁時間を知りたい。,,,,,t-kocho,完了,,',
      'LT-1,2013/4/12,一般投書,意見,,公園,公園を広くしてほしい。,手紙 次郎,,,新宿区西新宿二丁目8番1号,t-kocho,受付,,'
    )
    const response = await importCsv(client, officer, file)
    response.assertTextIncludes('4件を取り込みました。')

    const old = await Opinion.findByOrFail('legacyId', 'CC-1')
    assert.isTrue(old.collectedByCallCenter)
    assert.equal(old.personalDataExpiresOn!.toISODate(), '2014-04-11', 'kept through 2014-04-10')
    assert.isNull(old.submitterName, 'past its retention: deleted right after the import')
    assert.isNull(old.submitterPhone)
    assert.isNotNull(old.personalDataDeletedAt)
    assert.equal(old.subject, '粗大ごみの出し方')
    assert.exists(
      await OpinionEvent.query()
        .where('opinionId', old.id)
        .where('kind', 'personal_data_deleted')
        .first()
    )
    const audit = (await lastAudit('opinion.purge_call_center_personal_data'))!
    assert.deepEqual(JSON.parse(String(audit.details)), { count: 1, ids: [old.id] })

    const recent = await Opinion.findByOrFail('legacyId', 'CC-2')
    assert.isTrue(recent.collectedByCallCenter)
    assert.equal(
      recent.personalDataExpiresOn!.toISODate(),
      OpinionSchedule.personalDataDeletionOn(yesterday).toISODate()
    )
    assert.equal(recent.submitterName, '電話 花子')

    const anonymous = await Opinion.findByOrFail('legacyId', 'CC-3')
    assert.isFalse(anonymous.collectedByCallCenter, 'no personal data was collected')
    assert.isNull(anonymous.personalDataExpiresOn)
    const letter = await Opinion.findByOrFail('legacyId', 'LT-1')
    assert.isFalse(letter.collectedByCallCenter, 'the retention is the call center’s only')
    assert.equal(letter.submitterName, '手紙 次郎')
  })

  test('an imported record is kept on its last day and purged the next (real dates)', async ({
    client,
    assert,
  }) => {
    const { officer } = await importScene()
    const file = csv(
      'CC-11,2025/11/26 19:30,コールセンター,問合せ,,保育園,入園の手続き。,電話 一郎,090-2222-0001,,,t-kocho,受付,,',
      'CC-12,2024/2/29,コールセンター,苦情,,道路,歩道の段差。,電話 二郎,090-2222-0002,,,t-kiki,完了,,'
    )
    // Imported on 2026-11-26: CC-12 (deleted from 2025-03-01) is deleted at once, CC-11 is kept.
    app.container.swap(Clock, () => new FixedClock(tokyo('2026-11-26T10:00')))
    try {
      const imported = await importCsv(client, officer, file)
      imported.assertTextIncludes('2件を取り込みました。')
    } finally {
      app.container.restore(Clock)
    }
    const first = await Opinion.findByOrFail('legacyId', 'CC-11')
    const leap = await Opinion.findByOrFail('legacyId', 'CC-12')
    assert.equal(first.personalDataExpiresOn!.toISODate(), '2026-11-27')
    assert.equal(leap.personalDataExpiresOn!.toISODate(), '2025-03-01')
    assert.isNull(leap.submitterName)
    assert.equal(first.submitterName, '電話 一郎')

    assert.deepEqual(await purgedIds('2026-11-26T23:59'), [])
    assert.deepEqual(await purgedIds('2026-11-27T02:30'), [first.id])
    await first.refresh()
    assert.isNull(first.submitterName)
  })
})
