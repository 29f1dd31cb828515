import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import iconv from 'iconv-lite'
import { DepartmentFactory } from '#database/factories/department_factory'
import CheckLegacyImportJob from '#jobs/imports/check_legacy_import_job'
import IndexImportedRecordsJob from '#jobs/imports/index_imported_records_job'
import BackgroundTask from '#models/background_task'
import FaqEntry from '#models/faq_entry'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import Department from '#models/department'
import mail from '@adonisjs/mail/services/main'
import OpinionAlertMail from '#mails/opinions/opinion_alert_mail'
import OpinionAlerts from '#services/opinions/opinion_alerts'
import Topic from '#models/topic'
import fieldEncryption from '#services/field_encryption'
import LegacyOpinionImport from '#services/imports/legacy_import_opinions'
import LegacyUploads from '#services/imports/legacy_uploads'
import JobQueue from '#services/jobs/job_queue'
import OpinionSearch from '#services/opinions/opinion_search'
import BigramSearch from '#services/search/bigram_search'
import { UserFactory } from '#database/factories/user_factory'
import HeldCheckLegacyImportJob from '#tests/fixtures/jobs/held_check_legacy_import_job'
import { lastAudit, openRecordingQueries } from '#tests/helpers'
import { retryFailedJob } from '#tests/queue_helpers'

const OPINION_HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const FAQ_HEADER =
  '旧ID,分野,所属コード,質問,回答,キーワード,関連リンク,内部メモ,コールセンター公開,状態'

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`

/** Three opinions of the old system: with a reply, anonymous, and one whose body spans two lines. */
const OPINIONS = csv(
  OPINION_HEADER,
  'OP-1001,2013/4/10,一般投書,要望,防災・防犯・安全,防災無線が聞こえにくい,"西新宿で防災無線が聞こえません。",新宿 花子,03-1234-5678,hanako@example.jp,新宿区西新宿二丁目8番1号,t-kocho,完了,"ご意見ありがとうございます。スピーカーの向きを調整しました。",2013/4/24',
  'OP-1002,2013-05-01 10:30,メール,意見,traffic,駐輪場について,駐輪場を増やしてほしい。,,,,,t-kocho,受付,,',
  'OP-1003,2013/6/3,区長へのはがき,苦情,,窓口の対応,"窓口で長く待たされた。\n改善してください。",区民 太郎,,,新宿区四谷一丁目,t-kiki,対応中,,'
)

/** Two FAQ entries of the old FAQ system (one published, one draft). */
const FAQS = csv(
  FAQ_HEADER,
  'FAQ-1,safety,t-kiki,防災マップはどこで入手できますか,区役所と各特別出張所で配布しています。,ハザードマップ,"防災マップ https://www.city.example.jp/bosai",在庫は危機管理課に確認,1,公開',
  'FAQ-2,道路・交通・自転車,t-kocho,駐輪場の利用料金は,一時利用は1回100円です。,,,,0,下書き'
)

type User = Awaited<ReturnType<typeof UserFactory.create>>

async function scene() {
  await DepartmentFactory.merge([
    { code: 't-kocho', name: '広聴担当課', sortOrder: 1 },
    { code: 't-kiki', name: '危機管理課', sortOrder: 2 },
  ]).createMany(2)
  const officer = await UserFactory.apply('privacyOfficer').create()
  return { officer }
}

function upload(
  client: any,
  user: User,
  kind: string,
  content: Buffer | string,
  fields: Record<string, string> = {}
) {
  return client
    .post('/legacy-imports/preview')
    .loginAs(user)
    .withCsrfToken()
    .file('file', Buffer.isBuffer(content) ? content : Buffer.from(content), {
      filename: 'legacy.csv',
      contentType: 'text/csv',
    })
    .fields({ kind, encoding: 'auto', ...fields })
    .redirects(0)
}

/** The task a response redirected to (303 to /tasks/:id). */
function taskIdOf(response: any): number {
  response.assertStatus(303)
  const match = /\/tasks\/(\d+)$/.exec(response.header('location'))
  if (!match) throw new Error(`not a task page: ${response.header('location')}`)
  return Number(match[1])
}

/** Upload → the check runs → its page (the report). */
async function check(
  client: any,
  user: User,
  kind: string,
  content: Buffer | string,
  encoding = 'auto'
) {
  const taskId = taskIdOf(await upload(client, user, kind, content, { encoding }))
  await JobQueue.idle()
  const page = await client.get(`/tasks/${taskId}`).loginAs(user)
  page.assertStatus(200)
  return { taskId, page }
}

/** 「この内容で取り込む」 → the import runs → the task page. */
async function apply(client: any, user: User, taskId: number) {
  const response = await client
    .post(`/legacy-imports/${taskId}/apply`)
    .loginAs(user)
    .withCsrfToken()
    .redirects(0)
  assertRedirectsToTask(response, taskId)
  await JobQueue.idle()
  return client.get(`/tasks/${taskId}`).loginAs(user)
}

function assertRedirectsToTask(response: any, taskId: number) {
  if (taskIdOf(response) !== taskId) throw new Error(`redirected to another task than ${taskId}`)
}

async function importFile(client: any, user: User, kind: string, content: Buffer | string) {
  const checked = await check(client, user, kind, content)
  const imported = await apply(client, user, checked.taskId)
  return { preview: checked.page, imported, taskId: checked.taskId }
}

/** A refusal: back (302) to `path`, with its message flashed. */
function assertRefusedTo(response: any, path: string) {
  response.assertStatus(302)
  if (response.header('location') !== path) {
    throw new Error(`refused to ${response.header('location')} instead of ${path}`)
  }
}

const count = async (table: string) => {
  const [row] = await db.from(table).count('* as total')
  return Number(row.total)
}

const taskCount = () => count('background_tasks')

const APPLY_BUTTON = 'この内容で取り込む'

test.group('Legacy import: opinions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('the check reports counts and saves nothing; the import creates opinions through the model', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { taskId, page } = await check(client, officer, 'opinions', OPINIONS)
    page.assertTextIncludes('問題はありません。「この内容で取り込む」を押すと取り込みます。')
    page.assertTextIncludes(APPLY_BUTTON)
    assert.match(page.text(), /新しく登録する件数<\/dt>\s*<dd>3<\/dd>/)
    assert.equal(await count('opinions'), 0)
    assert.equal(await count('legacy_import_rows'), 3)

    const progress = await client.get(`/tasks/${taskId}/progress`).loginAs(officer)
    assert.containsSubset(progress.body(), {
      status: 'succeeded',
      finished: true,
      done: 3,
      total: 3,
    })

    const imported = await apply(client, officer, taskId)
    imported.assertTextIncludes('3件を取り込みました。')
    imported.assertTextIncludes('取込み結果')
    assert.notInclude(imported.text(), APPLY_BUTTON)
    assert.equal(await count('legacy_import_rows'), 0, 'staged rows deleted after the import')

    const opinion = await Opinion.query()
      .where('legacyId', 'OP-1001')
      .preload('assignments')
      .preload('replies')
      .firstOrFail()
    assert.equal(opinion.channel, 'letter')
    assert.equal(opinion.kind, 'request')
    assert.equal(opinion.status, 'closed')
    const safety = await Topic.findByOrFail('code', 'safety')
    assert.equal(opinion.topicId, safety.id)
    assert.equal(opinion.fiscalYear, 2013)
    assert.equal(opinion.receivedMonth, '2013-04')
    assert.isNotNull(opinion.dueOn)
    assert.equal(opinion.createdByUserId, officer.id)
    assert.equal(opinion.submitterName, '新宿 花子')
    assert.equal(opinion.nameIndex, fieldEncryption.nameIndex('新宿 花子'))
    assert.equal(opinion.phoneIndex, fieldEncryption.phoneIndex('03-1234-5678'))
    assert.equal(opinion.emailIndex, fieldEncryption.emailIndex('hanako@example.jp'))
    const raw = await db.from('opinions').where('legacy_id', 'OP-1001').first()
    assert.notInclude(`${raw.submitter_name}${raw.submitter_phone}${raw.submitter_address}`, '花子')
    assert.notInclude(`${raw.submitter_address}`, '西新宿')

    assert.lengthOf(opinion.assignments, 1)
    assert.isTrue(opinion.assignments[0].isLead)
    assert.equal(opinion.assignments[0].fiscalYear, 2013)
    assert.equal(opinion.assignments[0].handlingStatus, 'handled')
    assert.equal(opinion.assignments[0].forwardedAt.toMillis(), opinion.receivedAt.toMillis())
    assert.lengthOf(opinion.replies, 1)
    assert.equal(opinion.replies[0].status, 'sent')
    assert.equal(opinion.replies[0].method, 'letter')
    assert.include(opinion.replies[0].body, 'スピーカーの向きを調整しました')
    assert.isNotNull(opinion.repliedAt)
    assert.equal(opinion.replyOpenDays, 10)
    assert.isNotNull(opinion.createdAt)

    const anonymous = await Opinion.findByOrFail('legacyId', 'OP-1002')
    assert.isTrue(anonymous.anonymous)
    assert.isFalse(anonymous.replyWanted)
    assert.isNull(anonymous.dueOn)
    assert.equal(
      anonymous.receivedAt.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
      '2013-05-01 10:30'
    )
    const multiLine = await Opinion.findByOrFail('legacyId', 'OP-1003')
    assert.equal(multiLine.body, '窓口で長く待たされた。\n改善してください。')
    assert.isNull(multiLine.topicId)

    // Searchable (opinion index rebuilt), and audited with counts only, as the user who imported.
    assert.include(await BigramSearch.candidateIds('opinion', 'スピーカー'), opinion.id)
    const audit = (await lastAudit('legacy_import.opinions'))!
    assert.equal(audit.actorId, officer.id)
    assert.deepInclude(JSON.parse(audit.details!), { rows: 3, created: 3, skipped: 0 })
    assert.notInclude(audit.details!, '花子')

    // Done: the import cannot be started a second time from the same check.
    const again = await client
      .post(`/legacy-imports/${taskId}/apply`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    assertRefusedTo(again, `/tasks/${taskId}`)
    await JobQueue.idle()
    assert.equal(await count('opinions'), 3)
  })

  test('imported opinions behave like received ones: 受付 history, found by the old receipt number, no alerts for finished ones', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const kocho = await Department.findByOrFail('code', 't-kocho')
    const kiki = await Department.findByOrFail('code', 't-kiki')
    await UserFactory.merge({ departmentId: kocho.id }).create()
    const kikiStaff = await UserFactory.merge({ departmentId: kiki.id }).create()
    await importFile(client, officer, 'opinions', OPINIONS)

    // 受付 (and, when finished, 回答送付 and 完了) in the history, at the old system's dates.
    const closed = await Opinion.findByOrFail('legacyId', 'OP-1001')
    const events = await OpinionEvent.query().where('opinionId', closed.id).orderBy('occurredAt')
    assert.deepEqual(
      events.map((event) => event.kind),
      ['received', 'reply_sent', 'closed']
    )
    assert.equal(events[0].occurredAt.toMillis(), closed.receivedAt.toMillis())
    assert.equal(events[0].userId, officer.id)
    assert.include(events[0].body!, 'OP-1001')
    const open = await Opinion.findByOrFail('legacyId', 'OP-1003')
    const openEvents = await OpinionEvent.query().where('opinionId', open.id)
    assert.deepEqual(
      openEvents.map((event) => event.kind),
      ['received']
    )
    const history = await client.get(`/opinions/${closed.id}`).loginAs(officer)
    history.assertTextIncludes('旧受付番号（移行前）')
    history.assertTextIncludes('OP-1001')

    // The old receipt number (full-width too) and ours find the record; the scope still applies.
    for (const q of ['OP-1001', 'ＯＰ－１００１', closed.referenceNo]) {
      const list = await client.get('/opinions').qs({ q }).loginAs(officer)
      list.assertStatus(200)
      assert.include(list.text(), `/opinions/${closed.id}"`, q)
      assert.notInclude(list.text(), `/opinions/${open.id}"`, q)
    }
    const otherDepartment = await client.get('/opinions').qs({ q: 'OP-1001' }).loginAs(kikiStaff)
    assert.notInclude(otherDepartment.text(), `/opinions/${closed.id}"`)

    // No 新着 alert for migrated records; the finished ones get no due reminder either, while
    // the open one from 2013 is overdue and reminded.
    const { mails } = mail.fake()
    try {
      const alerts = await app.container.make(OpinionAlerts)
      assert.equal(await alerts.announceForwarded(), 0)
      const reminded = await alerts.remindDue()
      assert.equal(reminded.near_due, 0)
      assert.equal(reminded.overdue, 1)
      mails.assertQueuedCount(OpinionAlertMail, 1)
      mails.assertQueued(OpinionAlertMail, (sent) => {
        sent.message.assertTo(kikiStaff.email)
        return String(sent.message.toJSON().message.text).includes(open.referenceNo)
      })
    } finally {
      mail.restore()
    }
  })

  test('the upload is stored encrypted and deleted by the check; staged rows are encrypted', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    let stored: { key: string; content: string } | null = null
    class WatchedUploads extends LegacyUploads {
      async put(bytes: Buffer) {
        const key = await super.put(bytes)
        stored = { key, content: await drive.use().get(key) }
        return key
      }
    }
    app.container.swap(LegacyUploads, async () => new WatchedUploads(drive.use()))
    try {
      const { taskId } = await check(client, officer, 'opinions', OPINIONS)
      assert.isNotNull(stored)
      const { key, content } = stored!
      assert.match(key, /^tasks\/[0-9a-f-]{36}\.bin$/)
      assert.match(content, /^enc1:/)
      assert.notInclude(content, '花子')
      assert.notInclude(Buffer.from(content).toString(), 'OP-1001')
      assert.isFalse(await drive.use().exists(key), 'deleted once read')
      const task = await BackgroundTask.findOrFail(taskId)
      assert.equal(task.params.fileKey, key)

      const staged = await db.from('legacy_import_rows').where('task_id', taskId)
      assert.lengthOf(staged, 3)
      for (const row of staged) {
        assert.match(row.payload_encrypted, /^enc1:/)
        assert.notInclude(row.payload_encrypted, '花子')
        assert.notInclude(row.payload_encrypted, '西新宿')
      }
      const raw = await db.rawQuery('SELECT result_encrypted FROM background_tasks WHERE id = ?', [
        taskId,
      ])
      assert.notInclude(JSON.stringify(raw), 'OP-1001')
    } finally {
      app.container.restore(LegacyUploads)
    }
  })

  test('every problem is reported with its line and column; nothing is staged or saved', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const bad = csv(
      OPINION_HEADER,
      'OP-1,2013/4/10,一般投書,要望,,件名,内容,,,,,t-kocho,受付,,',
      'OP-2,2013/13/40,伝書鳩,感想,存在しない分野,,内容,,03-ABC,not-an-email,,nowhere,受付,回答しました,',
      'OP-1,2013/4/11,メール,意見,,件名,内容,,,,,t-kocho,受付,,',
      'OP-4,2013/4/12,メール,意見,,件名,内容,,,,,t-kocho,受付',
      'OP-5,2013/4/12,メール,意見,,件名,"閉じていない引用符,,,,,t-kocho,受付,,'
    )
    const { taskId, page } = await check(client, officer, 'opinions', bad)
    page.assertTextIncludes('問題があるため取り込めません')
    assert.notInclude(page.text(), APPLY_BUTTON)
    const text = page.text()
    const row = (line: number, column: string, message: string) => {
      const pattern = new RegExp(`<td>${line}</td>\\s*<td>${column}</td>\\s*<td>${message}`)
      assert.match(text, pattern, `line ${line} ${column}: ${message}`)
    }
    row(3, '受付日', '受付日「2013/13/40」を日付として読めません')
    row(3, '受付方法', '受付方法「伝書鳩」は使えません。')
    row(3, '種別', '種別「感想」は使えません。')
    row(3, '分野', '分野「存在しない分野」がありません')
    row(3, '件名', '件名を入力してください。')
    row(3, '電話番号', '電話番号の形式が正しくありません。')
    row(3, 'メールアドレス', 'メールアドレスの形式が正しくありません。')
    row(3, '主管課コード', '所属コード「nowhere」の所属がありません。')
    row(3, '回答日', '回答内容があるときは回答日を入力してください。')
    row(4, '旧ID', '旧ID「OP-1」が2行目と重複しています。')
    row(5, '', '列の数が見出しと違います（見出し15列、この行13列）。')
    row(6, '', '引用符（&quot;）が閉じられていません。')

    // Nothing staged, and an import of it is refused: not even the good first line is saved.
    assert.equal(await count('legacy_import_rows'), 0)
    const refused = await client
      .post(`/legacy-imports/${taskId}/apply`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    assertRefusedTo(refused, `/tasks/${taskId}`)
    refused.assertFlashMessage('errors', {
      form: ['この確認結果からは取り込めません（問題があるか、取り込み済みか、取り込み中です）。'],
    })
    await JobQueue.idle()
    assert.equal(await count('opinions'), 0)
    assert.equal(await count('opinion_departments'), 0)
    assert.isNull(await lastAudit('legacy_import.opinions'))
  })

  test('the import is all or nothing: a failure saves nothing, keeps the checked rows, and can be retried', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { taskId } = await check(client, officer, 'opinions', OPINIONS)
    // Fails after the opinions, departments and replies were inserted.
    const importer = LegacyOpinionImport.prototype as unknown as {
      insert: (...args: unknown[]) => Promise<number[]>
    }
    const insert = importer.insert
    importer.insert = async function (this: unknown, ...args: unknown[]) {
      await insert.apply(this, args)
      throw new Error('planned failure in the import transaction')
    }
    let failed
    try {
      failed = await apply(client, officer, taskId)
    } finally {
      importer.insert = insert
    }
    failed.assertTextIncludes('失敗しました')
    failed.assertTextIncludes(
      '取り込み中にエラーが起きたため中止しました。何も保存されていません。'
    )
    failed.assertTextIncludes('もう一度取り込む')
    assert.equal(await count('opinions'), 0)
    assert.equal(await count('opinion_departments'), 0)
    assert.equal(await count('opinion_replies'), 0)
    assert.isNull(await lastAudit('legacy_import.opinions'))
    assert.equal(await count('legacy_import_rows'), 3, 'the checked rows stay for a retry')

    const retried = await apply(client, officer, taskId)
    retried.assertTextIncludes('3件を取り込みました。')
    assert.equal(await count('opinions'), 3)
    assert.equal(await count('legacy_import_rows'), 0)
  })

  test('the search index is built after the import; when it fails, the opinions stay and 再実行 builds it', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const admin = await UserFactory.apply('admin').create()
    const { taskId } = await check(client, officer, 'opinions', OPINIONS)
    const reindexMany = OpinionSearch.reindexMany
    OpinionSearch.reindexMany = async () => {
      throw new Error('planned failure of the search index')
    }
    let imported
    try {
      imported = await apply(client, officer, taskId)
    } finally {
      OpinionSearch.reindexMany = reindexMany
    }
    // The import itself committed; only the index job failed (after its retries).
    imported.assertTextIncludes('3件を取り込みました。')
    assert.equal(await count('opinions'), 3)
    const opinion = await Opinion.findByOrFail('legacyId', 'OP-1001')
    assert.notInclude(await BigramSearch.candidateIds('opinion', 'スピーカー'), opinion.id)
    const failed = await db
      .from('failed_jobs')
      .where('job', IndexImportedRecordsJob.$$filepath)
      .firstOrFail()

    const retry = await retryFailedJob(client, admin, failed.id)
    retry.assertStatus(302)
    await JobQueue.idle()
    assert.include(await BigramSearch.candidateIds('opinion', 'スピーカー'), opinion.id)
  })

  test('a rerun creates no duplicates: imported legacy ids are skipped, also those imported meanwhile', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    // Two checks of the same file, then both imports: the second finds them imported meanwhile.
    const first = await check(client, officer, 'opinions', OPINIONS)
    const second = await check(client, officer, 'opinions', OPINIONS)
    await apply(client, officer, first.taskId)
    assert.equal(await count('opinions'), 3)
    const late = await apply(client, officer, second.taskId)
    late.assertTextIncludes('0件を取り込みました。')
    assert.match(late.text(), /ほかの取込みで登録済みになったため飛ばした件数<\/dt>\s*<dd>3<\/dd>/)
    assert.equal(await count('opinions'), 3)
    assert.equal(await count('opinion_replies'), 1)
    assert.deepInclude(JSON.parse((await lastAudit('legacy_import.opinions'))!.details!), {
      created: 0,
      skipped: 3,
    })

    const again = await check(client, officer, 'opinions', OPINIONS)
    assert.match(again.page.text(), /取り込み済みのため飛ばす件数<\/dt>\s*<dd>3<\/dd>/)
    again.page.assertTextIncludes('新しく登録するものがありません')
    assert.notInclude(again.page.text(), APPLY_BUTTON)

    const more =
      OPINIONS +
      'OP-1004,2013/7/1,窓口,問合せ,,住民票の写し,取り方を知りたい。,,,,,t-kocho,受付,,\r\n'
    const third = await importFile(client, officer, 'opinions', more)
    assert.match(third.preview.text(), /新しく登録する件数<\/dt>\s*<dd>1<\/dd>/)
    third.imported.assertTextIncludes('1件を取り込みました。')
    assert.equal(await count('opinions'), 4)
    assert.equal(await count('opinion_departments'), 4)
  })

  test('CP932 (Shift_JIS) files are detected and decoded', async ({ client, assert }) => {
    const { officer } = await scene()
    const sjis = iconv.encode(OPINIONS, 'cp932')
    assert.isFalse(Buffer.from(OPINIONS).equals(sjis))
    const { preview, imported } = await importFile(client, officer, 'opinions', sjis)
    preview.assertTextIncludes('Shift_JIS（CP932）')
    imported.assertTextIncludes('3件を取り込みました。')
    const opinion = await Opinion.findByOrFail('legacyId', 'OP-1001')
    assert.equal(opinion.subject, '防災無線が聞こえにくい')
    assert.equal(opinion.submitterAddress, '新宿区西新宿二丁目8番1号')

    // Read as UTF-8 when the user says so: the problem is named, nothing can be imported.
    const forced = await check(client, officer, 'opinions', sjis, 'utf8')
    forced.page.assertTextIncludes('UTF-8として読めない文字があります')
    assert.notInclude(forced.page.text(), APPLY_BUTTON)
  })

  test('while a check runs: progress with rows done of total, the button disabled, a second start refused', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    let reached!: () => void
    let release!: () => void
    const atGate = new Promise<void>((resolve) => (reached = resolve))
    const hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) }
    app.container.swap(CheckLegacyImportJob, () => new HeldCheckLegacyImportJob(hold))
    try {
      const taskId = taskIdOf(await upload(client, officer, 'opinions', OPINIONS))
      await atGate

      const page = await client.get(`/tasks/${taskId}`).loginAs(officer)
      page.assertTextIncludes('<progress id="task-progress-bar"')
      page.assertTextIncludes('内容を確認しています')
      page.assertTextIncludes('/js/task_progress.js')
      const progress = await client.get(`/tasks/${taskId}/progress`).loginAs(officer)
      assert.containsSubset(progress.body(), {
        status: 'running',
        finished: false,
        phase: 'checking',
        done: 3,
        total: 3,
      })
      assert.include(progress.body().text, '3 / 3 行')

      const { page: form, queries } = await openRecordingQueries(client, '/legacy-imports', officer)
      assert.lengthOf(
        queries.filter((sql) => /from\s+["`]?background_tasks["`]?/i.test(sql)),
        1,
        'the user’s tasks read once'
      )
      form.assertTextIncludes('前回の取込みがまだ実行中です')
      assert.match(
        form.text(),
        /<button type="submit" class="button" disabled>実行中です…<\/button>/
      )
      form.assertTextIncludes(`href="/tasks/${taskId}"`)

      const second = await upload(client, officer, 'faq', FAQS)
      assertRefusedTo(second, `/tasks/${taskId}`)
      second.assertFlashMessage('errors', {
        form: ['前回の処理がまだ実行中です。終わるまでお待ちください。'],
      })
      assert.equal(await taskCount(), 1)
      const json = await upload(client, officer, 'faq', FAQS).header('accept', 'application/json')
      json.assertStatus(409)
      assert.equal(await taskCount(), 1)
    } finally {
      release()
      await JobQueue.idle()
      app.container.restore(CheckLegacyImportJob)
    }
    const form = await client.get('/legacy-imports').loginAs(officer)
    assert.notMatch(form.text(), /disabled>実行中です…/)
    form.assertTextIncludes('data-submit-once')
    form.assertTextIncludes('/js/submit_once.js')
    form.assertTextIncludes('最近の取込み')
    assert.match(form.text(), /<span class="badge badge--ok">完了しました<\/span>/)
  })

  test('a JSON client gets 202 with the task and its progress address', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const response = await upload(client, officer, 'opinions', OPINIONS).header(
      'accept',
      'application/json'
    )
    response.assertStatus(202)
    const { task } = response.body()
    assert.equal(task.url, `/tasks/${task.id}`)
    assert.equal(task.progressUrl, `/tasks/${task.id}/progress`)
    await JobQueue.idle()
    const progress = await client.get(task.progressUrl).loginAs(officer)
    assert.containsSubset(progress.body(), { status: 'succeeded', done: 3, total: 3 })
  })

  test('only the user who started it sees or imports it; staff and operators cannot import', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { taskId } = await check(client, officer, 'opinions', OPINIONS)
    const otherOfficer = await UserFactory.apply('privacyOfficer').create()
    const admin = await UserFactory.apply('admin').create()
    for (const other of [otherOfficer, admin]) {
      const page = await client.get(`/tasks/${taskId}`).loginAs(other)
      page.assertStatus(403)
      const progress = await client.get(`/tasks/${taskId}/progress`).loginAs(other)
      progress.assertStatus(403)
      const applied = await client
        .post(`/legacy-imports/${taskId}/apply`)
        .loginAs(other)
        .withCsrfToken()
        .redirects(0)
      applied.assertStatus(403)
    }
    await JobQueue.idle()
    assert.equal(await count('opinions'), 0)

    const staff = await UserFactory.create()
    const operator = await UserFactory.apply('operator').create()
    for (const user of [staff, operator]) {
      const form = await client.get('/legacy-imports').loginAs(user)
      form.assertStatus(403)
      const started = await upload(client, user, 'opinions', OPINIONS)
      started.assertStatus(403)
    }
    assert.equal(await taskCount(), 1)
    const adminForm = await client.get('/legacy-imports').loginAs(admin)
    adminForm.assertStatus(200)

    // No file: a Japanese message, not an error page.
    const noFile = await client
      .post('/legacy-imports/preview')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/legacy-imports')
      .fields({ kind: 'opinions', encoding: 'auto' })
    noFile.assertTextIncludes('ファイルを選択してください')
  })

  test('the pages render in English', async ({ client }) => {
    const { officer } = await scene()
    const form = await client
      .get('/legacy-imports')
      .loginAs(officer)
      .withPlainCookie('locale', 'en')
    form.assertTextIncludes('Data migration from the old system')
    form.assertTextIncludes('Recent imports')
    const { taskId } = await check(client, officer, 'opinions', OPINIONS)
    const page = await client
      .get(`/tasks/${taskId}`)
      .loginAs(officer)
      .withPlainCookie('locale', 'en')
    page.assertTextIncludes('Check result')
    page.assertTextIncludes('Import these records')
    page.assertTextIncludes('To be created')
  })
})

test.group('Legacy import: FAQ', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('published entries come online with an approved version 1; drafts stay drafts; rerun skips', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { imported } = await importFile(client, officer, 'faq', FAQS)
    imported.assertTextIncludes('2件を取り込みました。')
    const published = await FaqEntry.query()
      .where('legacyId', 'FAQ-1')
      .preload('publishedVersion')
      .firstOrFail()
    assert.equal(published.status, 'published')
    assert.isNotNull(published.publishedAt)
    assert.equal(published.createdByUserId, officer.id)
    assert.equal(published.publishedVersion.version, 1)
    assert.equal(published.publishedVersion.state, 'approved')
    assert.isNotNull(published.publishedVersion.decidedAt)
    assert.equal(
      published.publishedVersion.decisionComment,
      '旧システムから移行（旧システムで承認済み）'
    )
    assert.isTrue(published.publishedVersion.visibleToCallCenter)
    assert.deepEqual(published.relatedLinks, [
      { label: '防災マップ', url: 'https://www.city.example.jp/bosai' },
    ])
    assert.deepEqual(published.publishedVersion.relatedLinks, published.relatedLinks)
    const draft = await FaqEntry.findByOrFail('legacyId', 'FAQ-2')
    assert.equal(draft.status, 'draft')
    assert.isNull(draft.publishedVersionId)

    const hits = await client.get('/faq').qs({ q: '防災' })
    hits.assertTextIncludes('防災マップはどこで入手できますか')
    const noHits = await client.get('/faq').qs({ q: '駐輪' })
    noHits.assertTextIncludes('該当する質問は見つかりませんでした')
    assert.deepInclude(JSON.parse((await lastAudit('legacy_import.faq'))!.details!), {
      rows: 2,
      created: 2,
      skipped: 0,
    })

    const rerun = await check(client, officer, 'faq', FAQS)
    assert.match(rerun.page.text(), /取り込み済みのため飛ばす件数<\/dt>\s*<dd>2<\/dd>/)
    assert.notInclude(rerun.page.text(), APPLY_BUTTON)
    assert.equal(await count('faq_entries'), 2)
    assert.equal(await count('faq_versions'), 1)
  })

  test('bad FAQ lines are reported by line; a missing header column stops at line 1', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const bad = csv(
      FAQ_HEADER,
      'FAQ-9,なし,t-kiki,質問,回答,,javascript:alert(1),,はい,公開',
      'FAQ-10,safety,t-kiki,,,,,,2,承認済み'
    )
    const { page } = await check(client, officer, 'faq', bad)
    const text = page.text()
    assert.match(text, /<td>2<\/td>\s*<td>分野<\/td>\s*<td>分野「なし」がありません/)
    assert.match(
      text,
      /<td>2<\/td>\s*<td>関連リンク<\/td>\s*<td>関連リンクの1行目「javascript:alert\(1\)」がhttp\(s\)のアドレスではありません。/
    )
    assert.match(text, /<td>3<\/td>\s*<td>質問<\/td>\s*<td>質問を入力してください。/)
    assert.match(text, /<td>3<\/td>\s*<td>コールセンター公開<\/td>/)
    assert.match(text, /<td>3<\/td>\s*<td>状態<\/td>\s*<td>状態「承認済み」は使えません/)
    assert.notInclude(text, APPLY_BUTTON)

    const noQuestion = await check(
      client,
      officer,
      'faq',
      csv('旧ID,分野,所属コード,回答', 'F,safety,t-kiki,回答')
    )
    assert.match(
      noQuestion.page.text(),
      /<td>1<\/td>\s*<td>質問<\/td>\s*<td>見出しに「質問」の列がありません。/
    )
    assert.equal(await count('faq_entries'), 0)
    assert.equal(await count('legacy_import_rows'), 0)
  })
})
