import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import { ApiRequest } from '@japa/api-client'
import type { SuperAgentParser } from '@japa/api-client/types'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { Disk } from '@adonisjs/drive'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import BackgroundTask from '#models/background_task'
import Opinion from '#models/opinion'
import type User from '#models/user'
import StartBackgroundTask from '#actions/tasks/start_background_task'
import ExportOpinionsJob, { EXPORTS_FOLDER } from '#jobs/opinions/export_opinions_job'
import Clock, { FixedClock } from '#services/clock'
import PruneBackgroundTasksJob from '#jobs/tasks/prune_background_tasks_job'
import { UserFactory } from '#database/factories/user_factory'
import OpinionExport, { type ExportProgress } from '#services/opinions/opinion_export'
import JobQueue from '#services/jobs/job_queue'
import { lastAudit, openRecordingQueries } from '#tests/helpers'
import { knownOpinions, makeOpinion } from '#tests/functional/opinions/opinion_statistics_fixtures'

const HEADER = [
  '受付番号',
  '受付日',
  '年度',
  '経路',
  '種別',
  '分野',
  '件名',
  '内容',
  '主管課',
  '状態',
  '回答期限',
  '回答日',
  '回答日数',
]

function rowsOf(text: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false })
}

async function lastExportDetails() {
  const audit = await lastAudit('opinions.export')
  return { audit: audit!, details: JSON.parse(audit!.details!) }
}

/** The CSV as bytes (Shift_JIS) and as UTF-8 text: the API client would decode it as UTF-8 only. */
const csvParser: SuperAgentParser = (response, done) => {
  const stream = response as unknown as NodeJS.ReadableStream
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  stream.on('end', () => {
    const bytes = Buffer.concat(chunks)
    response.text = bytes.toString('utf8')
    done(null, bytes)
  })
}

/**
 * Asks for the CSV as the statistics page's button does, waits for the background job, and
 * returns the task (the browser was sent to its page).
 */
async function exportCsv(client: any, user: User, form: Record<string, string | number>) {
  const response = await client
    .post('/opinions/exports')
    .loginAs(user)
    .withCsrfToken()
    .form(form)
    .redirects(0)
  response.assertStatus(302)
  const match = /^\/tasks\/(\d+)$/.exec(response.header('location'))
  if (!match) throw new Error(`not sent to a task page: ${response.header('location')}`)
  await JobQueue.idle()
  return BackgroundTask.findOrFail(Number(match[1]))
}

/** The task's CSV through GET /tasks/:id/download (bytes and text). */
async function download(client: any, user: User, task: BackgroundTask) {
  const response = await client.get(`/tasks/${task.id}/download`).loginAs(user)
  response.assertStatus(200)
  return { response, bytes: response.body() as Buffer, text: response.text() as string }
}

/**
 * The drive disk of the job, with putStream held until `release` (storage being slow) or
 * failing once the whole file is written (storage refusing it). Everything else is the test's
 * fake disk.
 */
function swapDisk(behaviour: 'hold' | 'fail') {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let reached!: () => void
  const arrived = new Promise<void>((resolve) => (reached = resolve))
  const real = drive.use()
  const disk = {
    async putStream(key: string, contents: Readable) {
      reached()
      if (behaviour === 'fail') {
        await real.putStream(key, contents)
        throw new Error('storage refused the file')
      }
      await gate
      return real.putStream(key, contents)
    },
    delete: (key: string) => real.delete(key),
    exists: (key: string) => real.exists(key),
  }
  app.container.swap(Disk, () => disk as unknown as Disk)
  return { release, arrived }
}

test.group('Opinion CSV export: a background task with progress', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    drive.fake('fs')
    ApiRequest.addParser('text/csv', csvParser)
    return async () => {
      app.container.restore(Disk)
      drive.restore('fs')
      ApiRequest.removeParser('text/csv')
    }
  })

  test('UTF-8 with BOM by default: the task page shows the result, the download the 13 columns with the filters of the statistics page', async ({
    client,
    assert,
  }) => {
    const { opinions } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 2025, channel: 'postcard' })
    assert.equal(task.status, 'succeeded')
    assert.deepEqual(task.params, {
      filters: { fiscalYear: 2025, channel: 'postcard' },
      encoding: 'utf8',
      contentType: 'text/csv; charset=utf-8',
    })
    const today = DateTime.now().setZone('Asia/Tokyo').toISODate()
    assert.equal(task.fileName, `opinions-2025-${today}.csv`)

    const page = await client.get(`/tasks/${task.id}`).loginAs(operator)
    page.assertStatus(200)
    page.assertTextIncludes('意見データのCSV書出し')
    page.assertTextIncludes('完了しました')
    page.assertTextIncludes('<th scope="row">書き出した件数</th><td>2件</td>')
    page.assertTextIncludes(`opinions-2025-${today}.csv`)
    page.assertTextIncludes(`href="/tasks/${task.id}/download"`)
    page.assertTextIncludes('ダウンロード')
    assert.notInclude(page.text(), '〓」に置き換えた文字')
    assert.notInclude(page.text(), '<progress')

    const { response, bytes, text } = await download(client, operator, task)
    assert.equal(response.header('content-type'), 'text/csv; charset=utf-8')
    assert.include(response.header('content-disposition'), `opinions-2025-${today}.csv`)
    assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf')
    assert.equal(Number(response.header('content-length')), bytes.length)
    assert.equal(task.fileSize, bytes.length)
    const rows = rowsOf(text)
    assert.deepEqual(rows[0], HEADER)
    assert.lengthOf(rows, 3)
    const r10 = opinions[9]
    assert.deepEqual(rows[1], [
      `2025-${String(r10.id).padStart(6, '0')}`,
      '2025-06-09',
      '2025',
      '区長へのはがき',
      '意見',
      'ごみ・リサイクル',
      '公園の清掃について',
      '公園のごみが気になります。',
      '危機管理課',
      '回答済',
      '2025-06-20',
      '2025-06-20',
      '10',
    ])
    assert.equal(rows[2][12], '15')
  })

  test('no personal data of the submitter ever appears in the CSV, the task or its parameters', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const opinion = await makeOpinion({
      channel: 'call_center',
      receivedAt: '2025-07-01T21:00:00',
      status: 'received',
      subject: '夜間の騒音',
      body: '近所の工事がうるさい',
    })
    opinion.merge({
      submitterName: '山田 花子',
      submitterPhone: '03-1234-5678',
      submitterEmail: 'hanako@example.jp',
      submitterAddress: '新宿区西新宿二丁目8番1号',
      submitterPostalCode: '163-8001',
      submitterFax: '03-9999-0000',
    })
    await opinion.save()
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 'all' })
    const { text } = await download(client, operator, task)
    assert.include(text, '夜間の騒音')
    const stored = await db.from('background_tasks').where('id', task.id).first()
    for (const secret of [
      '山田',
      '花子',
      '1234-5678',
      'hanako',
      'example.jp',
      '西新宿',
      '163-8001',
      '9999',
    ]) {
      assert.notInclude(text, secret)
      assert.notInclude(JSON.stringify(stored), secret)
    }
    const row = await db.from('opinions').where('id', opinion.id).first()
    assert.notInclude(rowsOf(text).flat().join('\n'), row.submitter_name)
  })

  test('Shift_JIS on request: the header decodes from CP932, 〜 becomes ～, characters CP932 lacks become 〓 and the page says how many (髙 is in CP932)', async ({
    client,
    assert,
  }) => {
    await makeOpinion({
      channel: 'email',
      receivedAt: '2025-08-01T10:00:00',
      status: 'received',
      subject: '髙橋さんの𠮷野家〜前の道路♡',
      body: '歩道が狭い',
    })
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 2025, encoding: 'cp932' })
    assert.equal(task.status, 'succeeded')
    assert.match(task.fileName!, /^opinions-2025-\d{4}-\d{2}-\d{2}-sjis\.csv$/)

    const page = await client.get(`/tasks/${task.id}`).loginAs(operator)
    page.assertTextIncludes('<th scope="row">文字コード</th><td>Shift_JIS</td>')
    page.assertTextIncludes('<th scope="row">「〓」に置き換えた文字</th><td>2文字</td>')
    page.assertTextIncludes('UTF-8版を作成してください')

    const { response, bytes } = await download(client, operator, task)
    assert.equal(response.header('content-type'), 'text/csv; charset=Shift_JIS')
    assert.include(response.header('content-disposition'), '-sjis.csv')
    assert.notEqual(bytes.subarray(0, 3).toString('hex'), 'efbbbf')
    const rows = rowsOf(iconv.decode(bytes, 'cp932'))
    assert.deepEqual(rows[0], HEADER)
    assert.equal(rows[1][6], '髙橋さんの〓野家～前の道路〓')
    assert.equal(rows[1][3], '電子メール')

    const { details } = await lastExportDetails()
    assert.equal(details.encoding, 'cp932')
    assert.equal(details.replacedCharacters, 2)
  })

  test('each export is audit-logged with its filters, row count and task, and so is each download; nothing personal', async ({
    client,
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, {
      fiscalYear: 2025,
      departmentId: tree.kocho.id,
    })
    const { audit, details } = await lastExportDetails()
    assert.equal(audit.actorId, operator.id)
    assert.deepInclude(details, {
      fiscalYear: 2025,
      departmentId: tree.kocho.id,
      encoding: 'utf8',
      rows: 8,
      completed: true,
      taskId: task.id,
    })
    assert.notInclude(audit.details!, '公園')

    const { text } = await download(client, operator, task)
    assert.lengthOf(rowsOf(text), 1 + 8)
    const downloaded = await lastAudit('background_task.download')
    assert.equal(downloaded?.actorId, operator.id)
    assert.equal(downloaded?.subjectId, String(task.id))
  })

  test('department staff export only their opinions, even when the task asks for another department or their rights change before it runs', async ({
    client,
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const task = await exportCsv(client, staff, { fiscalYear: 'all' })
    const own = await download(client, staff, task)
    assert.lengthOf(rowsOf(own.text), 1 + 5)

    // Parameters naming a department outside the user's scope (however they got there).
    const tampered = await new StartBackgroundTask().handle(
      staff,
      'opinion_export',
      {
        filters: { fiscalYear: 'all', departmentId: tree.kocho.id },
        encoding: 'utf8',
        contentType: 'text/csv; charset=utf-8',
      },
      ExportOpinionsJob
    )
    await JobQueue.idle()
    await tampered.refresh()
    assert.equal(tampered.status, 'succeeded')
    assert.equal(tampered.result!.rows, 5)
    const scoped = await download(client, staff, tampered)
    assert.lengthOf(rowsOf(scoped.text), 1 + 5)

    // The account was disabled before the job ran (the task was queued earlier): nothing written.
    const leaving = await UserFactory.apply('operator').merge({ isActive: false }).create()
    const late = await new StartBackgroundTask().handle(
      leaving,
      'opinion_export',
      { filters: { fiscalYear: 'all' }, encoding: 'utf8', contentType: 'text/csv; charset=utf-8' },
      ExportOpinionsJob
    )
    await JobQueue.idle()
    await late.refresh()
    assert.equal(late.status, 'failed')
    assert.equal(late.error, 'opinion_statistics.export.not_allowed')
    assert.isNull(late.filePath)
    assert.isNull(
      await db
        .from('audit_logs')
        .where('action', 'opinions.export')
        .where('actor_id', leaving.id)
        .first()
    )
  })

  test('a user without the export right gets 403, and no task is started', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const contractor = await UserFactory.apply('contractor').create()
    const forbidden = await client
      .post('/opinions/exports')
      .loginAs(contractor)
      .withCsrfToken()
      .form({ fiscalYear: 'all' })
      .redirects(0)
    forbidden.assertStatus(403)
    await JobQueue.idle()
    assert.isNull(await BackgroundTask.query().where('user_id', contractor.id).first())
    assert.isNull(
      await db
        .from('audit_logs')
        .where('action', 'opinions.export')
        .where('actor_id', contractor.id)
        .first()
    )
  })

  test('while an export runs: the progress shows rows done of total, the buttons are disabled with a link to it, and a second export is refused', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const { release, arrived } = swapDisk('hold')
    const started = await client
      .post('/opinions/exports')
      .loginAs(operator)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ fiscalYear: 'all' })
    started.assertStatus(202)
    const { id } = started.body().task
    assert.deepEqual(started.body().task, {
      id,
      url: `/tasks/${id}`,
      progressUrl: `/tasks/${id}/progress`,
    })
    await arrived

    const progress = await client.get(`/tasks/${id}/progress`).loginAs(operator)
    progress.assertStatus(200)
    assert.containsSubset(progress.body(), {
      status: 'running',
      finished: false,
      phase: 'writing',
      phaseLabel: 'CSVを作成しています',
      total: 14,
    })
    assert.include(progress.body().text, '/ 14 行')

    const statistics = await client.get('/opinion-statistics?fiscalYear=all').loginAs(operator)
    statistics.assertStatus(200)
    const html = statistics.text()
    assert.equal(
      html.match(/<button type="submit"[^>]* disabled>実行中です…<\/button>/g)?.length,
      2
    )
    assert.include(html, `<a href="/tasks/${id}">実行中の処理を見る</a>`)
    assert.include(html, 'CSVを作成中です。終わるまで次のCSVは作成できません。')

    const second = await client
      .post('/opinions/exports')
      .loginAs(operator)
      .withCsrfToken()
      .form({ fiscalYear: 2025, encoding: 'cp932' })
      .redirects(0)
    second.assertStatus(302)
    assert.equal(second.header('location'), `/tasks/${id}`)
    const json = await client
      .post('/opinions/exports')
      .loginAs(operator)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ fiscalYear: 2025 })
    json.assertStatus(409)
    assert.equal(json.body().errors[0].code, 'tasks.already_running')
    assert.equal(
      await BackgroundTask.query()
        .where('user_id', operator.id)
        .count('* as n')
        .then((rows) => Number(rows[0].$extras.n)),
      1
    )

    release()
    await JobQueue.idle()
    const finished = await client.get(`/tasks/${id}/progress`).loginAs(operator)
    assert.containsSubset(finished.body(), {
      status: 'succeeded',
      finished: true,
      done: 14,
      total: 14,
      percent: 100,
    })
    const after = await client.get('/opinion-statistics?fiscalYear=all').loginAs(operator)
    assert.notInclude(after.text(), 'disabled')
    after.assertTextIncludes('CSVを作成（UTF-8）')
    after.assertTextIncludes('CSVを作成（Shift_JIS）')
  })

  test('the statistics page reads the user’s exports once: a running one disables the buttons, one abandoned for 15 minutes does not', async ({
    client,
    assert,
  }) => {
    const operator = await UserFactory.apply('operator').create()
    const task = (status: 'succeeded' | 'running') =>
      BackgroundTask.create({
        userId: operator.id,
        kind: 'opinion_export',
        status,
        done: 0,
        params: { fiscalYear: 'all' },
        expiresAt: DateTime.now().plus({ days: 7 }),
      })
    const page = async () => {
      const { page: response, queries } = await openRecordingQueries(
        client,
        '/opinion-statistics?fiscalYear=all',
        operator
      )
      response.assertStatus(200)
      const html = response.text()
      const disabled = html.match(/<button type="submit"[^>]* disabled>実行中です…<\/button>/g)
      return {
        html,
        disabledButtons: disabled?.length ?? 0,
        taskReads: queries.filter((sql) => /from\s+["`]?background_tasks["`]?/i.test(sql)).length,
      }
    }

    await task('succeeded')
    const abandoned = await task('running')
    await BackgroundTask.query()
      .where('id', abandoned.id)
      .update({ updated_at: DateTime.now().minus({ minutes: 20 }).toSQL() })
    const withAbandoned = await page()
    assert.equal(withAbandoned.disabledButtons, 0)
    assert.notInclude(withAbandoned.html, '実行中の処理を見る')
    assert.equal(withAbandoned.taskReads, 1)

    const running = await task('running')
    const withRunning = await page()
    assert.equal(withRunning.disabledButtons, 2)
    assert.include(withRunning.html, `<a href="/tasks/${running.id}">実行中の処理を見る</a>`)
    assert.equal(withRunning.taskReads, 1)
  })

  test('a failure ends the task with a message and leaves no file behind', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    swapDisk('fail')
    const task = await exportCsv(client, operator, { fiscalYear: 'all' })
    assert.equal(task.status, 'failed')
    assert.isNull(task.filePath)
    assert.deepEqual(
      await drive
        .use()
        .listAll('exports')
        .then((list) => [...list.objects]),
      []
    )
    const page = await client.get(`/tasks/${task.id}`).loginAs(operator)
    page.assertTextIncludes('失敗しました')
    page.assertTextIncludes('作成途中のファイルは残っていません')
    assert.notInclude(page.text(), `/tasks/${task.id}/download`)
    const missing = await client.get(`/tasks/${task.id}/download`).loginAs(operator)
    missing.assertStatus(404)
  })

  test('another user gets 403 on the task, its progress and its download', async ({ client }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const colleague = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 'all' })
    for (const path of ['', '/progress', '/download']) {
      const response = await client.get(`/tasks/${task.id}${path}`).loginAs(colleague)
      response.assertStatus(403)
    }
  })

  test('the statistics page lists the recent exports with their downloads; the nightly prune deletes an expired one with its file', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 2025, encoding: 'cp932' })
    const listed = await client.get('/opinion-statistics').loginAs(operator)
    listed.assertTextIncludes('最近作成したCSV（7日間保存）')
    listed.assertTextIncludes(`<a href="/tasks/${task.id}/download" download>${task.fileName}</a>`)
    listed.assertTextIncludes('<td>Shift_JIS</td>')
    const colleague = await UserFactory.apply('operator').create()
    const theirs = await client.get('/opinion-statistics').loginAs(colleague)
    assert.notInclude(theirs.text(), task.fileName!)

    assert.isTrue(await drive.use().exists(task.filePath!))
    await BackgroundTask.query()
      .where('id', task.id)
      .update({ expires_at: DateTime.now().minus({ minutes: 1 }).toSQL() })
    await new PruneBackgroundTasksJob().run()
    assert.isNull(await BackgroundTask.find(task.id))
    assert.isFalse(await drive.use().exists(task.filePath!))
    const after = await client.get('/opinion-statistics').loginAs(operator)
    assert.notInclude(after.text(), task.fileName!)
  })

  test('the nightly prune deletes the part of a file an export stopped while writing (no task names it), not a finished one nor one being written', async ({
    client,
    assert,
  }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const task = await exportCsv(client, operator, { fiscalYear: 2025 })
    const disk = drive.use()
    const orphan = `${EXPORTS_FOLDER}/${randomUUID()}.csv`
    await disk.put(orphan, '受付番号,受付日\r\n2025-000001,')

    // Written to just now: maybe an export still running.
    await new PruneBackgroundTasksJob().run()
    assert.isTrue(await disk.exists(orphan))

    // Sixteen minutes on: the process that wrote it has stopped.
    app.container.swap(Clock, () => new FixedClock(DateTime.now().plus({ minutes: 16 })))
    try {
      const summary = await new PruneBackgroundTasksJob().run()
      assert.include(summary, '1 orphaned export files deleted')
    } finally {
      app.container.restore(Clock)
    }
    assert.isFalse(await disk.exists(orphan))
    assert.isTrue(await disk.exists(task.filePath!))
    const { text } = await download(client, operator, task)
    assert.include(text, '受付番号')
  })

  test('in English: the buttons, the recent exports and the result', async ({ client, assert }) => {
    await knownOpinions()
    const operator = await UserFactory.apply('operator').merge({ locale: 'en' }).create()
    const task = await exportCsv(client, operator, { fiscalYear: 2025, encoding: 'cp932' })
    const page = await client.get(`/tasks/${task.id}`).loginAs(operator)
    page.assertStatus(200)
    page.assertTextIncludes('Opinion CSV export')
    page.assertTextIncludes('<th scope="row">Rows written</th><td>11 rows</td>')
    page.assertTextIncludes('Characters replaced by 〓')
    page.assertTextIncludes('>Download</a>')
    page.assertTextIncludes('Back to the opinion statistics')
    const statistics = await client.get('/opinion-statistics').loginAs(operator)
    statistics.assertStatus(200)
    statistics.assertTextIncludes('Make CSV (UTF-8)')
    statistics.assertTextIncludes('Make CSV (Shift_JIS)')
    statistics.assertTextIncludes('Recent CSV files (kept 7 days)')
    assert.notInclude(statistics.text(), 'CSVを作成')
  })

  test('the former CSV address leads to the statistics page with the same filters, writing nothing', async ({
    client,
    assert,
  }) => {
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get('/opinions/export.csv?fiscalYear=2025&channel=postcard&encoding=cp932')
      .loginAs(operator)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(
      response.header('location'),
      '/opinion-statistics?fiscalYear=2025&channel=postcard'
    )
    await JobQueue.idle()
    assert.isNull(await BackgroundTask.query().where('user_id', operator.id).first())
    assert.isNull(await lastAudit('opinions.export'))
  })

  test('20,000 rows: keyset batches smaller than the export, each row once, in order; the task counts them all', async ({
    client,
    assert,
  }) => {
    const postgres = db.connection().dialect.name === 'postgres'
    const stamp = postgres ? '2025-09-01T10:00:00+09:00' : '2025-09-01 10:00:00'
    const total = 20_000
    for (let start = 0; start < total; start += 500) {
      await db.table('opinions').multiInsert(
        Array.from({ length: 500 }, (_, index) => ({
          channel: 'web',
          kind: 'inquiry',
          subject: `問合せ${start + index + 1}`,
          body: '保育園の空き状況',
          received_at: stamp,
          fiscal_year: 2025,
          received_month: '2025-09',
          status: 'received',
          anonymous: postgres ? false : 0,
          reply_wanted: postgres ? false : 0,
          collected_by_call_center: postgres ? false : 0,
          created_at: stamp,
          updated_at: stamp,
        }))
      )
    }
    const operator = await UserFactory.apply('operator').create()

    const progress: ExportProgress = { rows: 0, batches: 0, replaced: 0 }
    const batches: number[] = []
    const ids: number[] = []
    for await (const row of OpinionExport.rows(
      operator,
      { fiscalYear: 2025 },
      { encoding: 'utf8', batchSize: 3000, progress, onBatch: (rows) => void batches.push(rows) }
    )) {
      ids.push(Number(String(row.referenceNo).split('-')[1]))
    }
    assert.equal(progress.rows, total)
    assert.equal(progress.batches, 7) // 6 full batches of 3,000 and one of 2,000
    assert.deepEqual(batches, [3000, 3000, 3000, 3000, 3000, 3000, 2000])
    assert.lengthOf(new Set(ids), total)
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b)
    )

    const task = await exportCsv(client, operator, { fiscalYear: 2025 })
    assert.equal(task.status, 'succeeded')
    assert.equal(task.total, total)
    assert.equal(task.done, total)
    assert.equal(task.result!.rows, total)
    const { text } = await download(client, operator, task)
    const rows = rowsOf(text)
    assert.lengthOf(rows, 1 + total)
    assert.equal(rows[total][6], `問合せ${total}`)
    const { details } = await lastExportDetails()
    assert.equal(details.rows, total)
    assert.equal(
      await Opinion.query()
        .where('fiscalYear', 2025)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      total
    )
  })
})
