import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import BackgroundTask from '#models/background_task'
import Clock, { FixedClock } from '#services/clock'
import JobQueue from '#services/jobs/job_queue'
import { UserFactory } from '#database/factories/user_factory'
import { FaqEntryFactory } from '#database/factories/faq_factory'
import { departmentTree } from '#tests/helpers'
import { makeSystem } from '#tests/register_helpers'

const run = promisify(execFile)

/** 05:00 on 1 April 2026 in the ward, still 31 March in UTC. */
const INSTANT = DateTime.fromISO('2026-03-31T20:00:00Z', { setZone: true })

/** The file name of a Content-Disposition header. */
const fileName = (disposition: string | undefined) =>
  /filename="?([^";]+)"?/.exec(disposition ?? '')?.[1] ?? ''

test.group('Exports are dated in Japan time', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    app.container.swap(Clock, () => new FixedClock(INSTANT))
    drive.fake('fs')
    return () => {
      app.container.restore(Clock)
      drive.restore('fs')
    }
  })

  test('the FAQ and register CSVs are named by the ward’s date (2026-04-01 at 2026-03-31T20:00Z)', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    await FaqEntryFactory.apply('published').merge({ departmentId: tree.kocho.id }).create()
    await makeSystem(officer, tree.kocho.id)

    const faq = await client.get('/faq-entries/export').loginAs(staff)
    faq.assertStatus(200)
    assert.equal(fileName(faq.header('content-disposition')), 'faq-2026-04-01.csv')
    const faqSjis = await client.get('/faq-entries/export').qs({ encoding: 'cp932' }).loginAs(staff)
    assert.equal(fileName(faqSjis.header('content-disposition')), 'faq-2026-04-01-sjis.csv')

    for (const [path, name] of [
      ['/systems/export.csv', 'systems-2026-04-01.csv'],
      ['/systems/items.csv', 'data-items-2026-04-01.csv'],
      ['/file-register.csv', 'file-register-2026-04-01.csv'],
    ]) {
      const response = await client.get(path).loginAs(officer)
      assert.equal(response.status(), 200, path)
      assert.equal(fileName(response.header('content-disposition')), name, path)
    }
  })

  test('the compliance CSV and the yearly report take the ward’s date and fiscal year', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const csv = await client.get('/oversight/export.csv').loginAs(officer)
    csv.assertStatus(200)
    // 1 April in the ward: already fiscal year 2026.
    assert.equal(fileName(csv.header('content-disposition')), 'oversight-2026-2026-04-01.csv')

    const pdf = await client.get('/oversight/report.pdf').loginAs(officer)
    pdf.assertStatus(200)
    assert.equal(fileName(pdf.header('content-disposition')), 'oversight-2026.pdf')
    await mkdir(app.tmpPath('pdf'), { recursive: true })
    const file = app.tmpPath('pdf', 'export-dates-oversight.pdf')
    await writeFile(file, Buffer.from(pdf.body()))
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
    const text = stdout.replace(/[\s\u3000]+/g, '')
    assert.include(text, '令和8年度')
    assert.include(text, '作成日令和8年4月1日')
  })

  test('the opinion export is named by the ward’s date', async ({ client, assert }) => {
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .post('/opinions/exports')
      .loginAs(operator)
      .withCsrfToken()
      .form({ fiscalYear: 2025 })
      .redirects(0)
    response.assertStatus(302)
    const id = Number(/^\/tasks\/(\d+)$/.exec(response.header('location') ?? '')?.[1])
    await JobQueue.idle()
    const task = await BackgroundTask.findOrFail(id)
    assert.equal(task.status, 'succeeded')
    assert.equal(task.fileName, 'opinions-2025-2026-04-01.csv')
    const download = await client.get(`/tasks/${task.id}/download`).loginAs(operator)
    download.assertStatus(200)
    assert.equal(fileName(download.header('content-disposition')), 'opinions-2025-2026-04-01.csv')
  })
})
