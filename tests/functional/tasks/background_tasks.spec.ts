import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import BackgroundTask from '#models/background_task'
import StartBackgroundTask from '#actions/tasks/start_background_task'
import PruneBackgroundTasksJob from '#jobs/tasks/prune_background_tasks_job'
import DomainError from '#exceptions/domain_error'
import JobQueue from '#services/jobs/job_queue'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import FieldKeyRotation from '#services/field_key_rotation'
import LegacyImportRow from '#models/legacy_import_row'
import { UserFactory } from '#database/factories/user_factory'
import CountingTaskJob, { gates } from '#tests/fixtures/jobs/counting_task_job'
import { lastAudit } from '#tests/helpers'

/** Starts a CountingTaskJob task for `user`, held at its gate until the returned `release`. */
async function heldTask(user: Awaited<ReturnType<typeof UserFactory.create>>, rows = 120) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const task = await new StartBackgroundTask().handle(
    user,
    'opinion_export',
    { rows, contentType: 'text/csv; charset=utf-8' },
    CountingTaskJob
  )
  gates.set(task.id, gate)
  return { task, release }
}

/** Waits until the task's job has reached its gate (all rows counted). */
async function untilCounted(task: BackgroundTask) {
  for (let tries = 0; tries < 200; tries++) {
    await task.refresh()
    if (task.status === 'running' && task.done === task.params.rows) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`task ${task.id} never reached its gate`)
}

test.group('Background tasks: progress and result for the user who started them', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('the page shows a live progress bar while the task runs, then its file', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { task, release } = await heldTask(admin)
    await untilCounted(task)

    const page = await client.get(`/tasks/${task.id}`).loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('<progress id="task-progress-bar"')
    page.assertTextIncludes('max="120"')
    page.assertTextIncludes('value="120"')
    page.assertTextIncludes('CSVを作成しています')
    page.assertTextIncludes('/js/task_progress.js')

    const progress = await client.get(`/tasks/${task.id}/progress`).loginAs(admin)
    progress.assertStatus(200)
    assert.containsSubset(progress.body(), {
      id: task.id,
      status: 'running',
      finished: false,
      phase: 'writing',
      phaseLabel: 'CSVを作成しています',
      done: 120,
      total: 120,
      percent: 100,
    })
    assert.include(progress.body().text, '120 / 120 行')

    // Not there before the task has finished.
    const early = await client.get(`/tasks/${task.id}/download`).loginAs(admin)
    early.assertStatus(404)

    release()
    await JobQueue.idle()
    const finished = await client.get(`/tasks/${task.id}/progress`).loginAs(admin)
    assert.containsSubset(finished.body(), {
      status: 'succeeded',
      finished: true,
      text: '完了しました',
    })
    const done = await client.get(`/tasks/${task.id}`).loginAs(admin)
    assert.notInclude(done.text(), '<progress')
    done.assertTextIncludes('結果の保存期限')

    const download = await client.get(`/tasks/${task.id}/download`).loginAs(admin)
    download.assertStatus(200)
    download.assertHeader('content-type', 'text/csv; charset=utf-8')
    assert.include(download.header('content-disposition'), 'counted.csv')
    assert.equal(download.text(), 'a,b\r\n1,2\r\n')
    const audit = await lastAudit('background_task.download')
    assert.equal(audit?.subjectId, String(task.id))
  })

  test('time left is estimated from the pace of the phase so far', async ({ assert }) => {
    const task = new BackgroundTask().merge({
      status: 'running',
      total: 1000,
      done: 250,
      phaseStartedAt: DateTime.fromISO('2026-11-26T10:00:00Z'),
    })
    assert.equal(task.secondsLeft(DateTime.fromISO('2026-11-26T10:00:10Z')), 30)
    assert.equal(task.percent, 25)
    task.done = 0
    assert.isNull(task.secondsLeft(DateTime.fromISO('2026-11-26T10:00:10Z')))
  })

  test('a task and its file are for the user who started it only', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const otherAdmin = await UserFactory.apply('admin').create()
    const { task, release } = await heldTask(admin, 10)
    release()
    await JobQueue.idle()
    for (const path of ['', '/progress', '/download']) {
      const denied = await client.get(`/tasks/${task.id}${path}`).loginAs(otherAdmin)
      denied.assertStatus(403)
      const anonymous = await client.get(`/tasks/${task.id}${path}`).redirects(0)
      anonymous.assertStatus(302)
    }
  })

  test('a second task of the same kind is refused while the first runs', async ({ assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { task, release } = await heldTask(admin, 10)
    const refusal = await new StartBackgroundTask()
      .handle(admin, 'opinion_export', { rows: 10 }, CountingTaskJob)
      .catch((error) => error)
    assert.instanceOf(refusal, DomainError)
    assert.equal((refusal as DomainError).status, 409)
    const unfinished = await StartBackgroundTask.unfinished(admin, 'opinion_export')
    assert.equal(unfinished?.id, task.id)

    release()
    await JobQueue.idle()
    assert.isNull(await StartBackgroundTask.unfinished(admin, 'opinion_export'))
  })

  test('a failing job ends its task as failed with a message, and the page says so', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const task = await new StartBackgroundTask().handle(
      admin,
      'opinion_export',
      { rows: 10, fail: true },
      CountingTaskJob
    )
    await JobQueue.idle()
    await task.refresh()
    assert.equal(task.status, 'failed')
    const page = await client.get(`/tasks/${task.id}`).loginAs(admin)
    page.assertTextIncludes('失敗しました')
    page.assertTextIncludes('予期しない問題が発生したため、中止しました')
    const failedJob = await db.from('failed_jobs').where('job', CountingTaskJob.$$filepath).first()
    assert.exists(failedJob)
  })

  test('the nightly prune deletes expired tasks with their files and ends abandoned ones', async ({
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { task: expired, release } = await heldTask(admin, 10)
    release()
    await JobQueue.idle()
    await expired.refresh()
    assert.isTrue(await drive.use().exists(expired.filePath!))
    await BackgroundTask.query()
      .where('id', expired.id)
      .update({ expires_at: DateTime.now().minus({ minutes: 1 }).toSQL() })
    const abandoned = await BackgroundTask.create({
      userId: admin.id,
      kind: 'legacy_import',
      status: 'running',
      done: 0,
      params: {},
      expiresAt: DateTime.now().plus({ days: 7 }),
    })
    await BackgroundTask.query()
      .where('id', abandoned.id)
      .update({ updated_at: DateTime.now().minus({ hours: 1 }).toSQL() })
    assert.isNull(await StartBackgroundTask.unfinished(admin, 'legacy_import'))

    const summary = await new PruneBackgroundTasksJob().run()
    assert.equal(
      summary,
      '1 expired tasks deleted, 1 interrupted tasks ended, 0 orphaned export files deleted'
    )
    assert.isNull(await BackgroundTask.find(expired.id))
    assert.isFalse(await drive.use().exists(expired.filePath!))
    await abandoned.refresh()
    assert.equal(abandoned.status, 'failed')
    assert.equal(abandoned.error, 'tasks.errors.interrupted')
  })

  test('key rotation re-encrypts task results and staged import rows', async ({
    assert,
    cleanup,
  }) => {
    const blindIndexKey = randomBytes(32)
    const oldKey = { id: 'old', key: randomBytes(32) }
    const newKey = { id: 'new', key: randomBytes(32) }
    cleanup(() => fieldEncryption.use(null))
    const admin = await UserFactory.apply('admin').create()

    fieldEncryption.use(new FieldEncryption([oldKey], blindIndexKey))
    const task = await BackgroundTask.create({
      userId: admin.id,
      kind: 'legacy_import',
      status: 'succeeded',
      done: 1,
      params: {},
      result: { problems: [{ line: 2, message: '電話番号の形式が正しくありません：区民 花子' }] },
      expiresAt: DateTime.now().plus({ days: 7 }),
    })
    const staged = await LegacyImportRow.create({
      taskId: task.id,
      line: 2,
      legacyId: 'OLD-1',
      payload: { submitterName: '区民 花子' },
    })
    const stored = async () => {
      const taskRow = await db.from('background_tasks').where('id', task.id).firstOrFail()
      const stagedRow = await db.from('legacy_import_rows').where('id', staged.id).firstOrFail()
      return {
        result: taskRow.result_encrypted as string,
        payload: stagedRow.payload_encrypted as string,
      }
    }
    const before = await stored()
    assert.match(before.result, /^enc1:old:/)
    assert.match(before.payload, /^enc1:old:/)

    fieldEncryption.use(new FieldEncryption([newKey, oldKey], blindIndexKey))
    const rotation = await FieldKeyRotation.rotateAll()
    assert.equal(rotation.reencrypted.background_tasks, 1)
    assert.equal(rotation.reencrypted.legacy_import_rows, 1)
    const after = await stored()
    assert.match(after.result, /^enc1:new:/)
    assert.match(after.payload, /^enc1:new:/)

    // The old key dropped: both still read.
    fieldEncryption.use(new FieldEncryption([newKey], blindIndexKey))
    await task.refresh()
    assert.equal(task.result?.problems[0].line, 2)
    await staged.refresh()
    assert.equal(staged.payload.submitterName, '区民 花子')
  })
})
