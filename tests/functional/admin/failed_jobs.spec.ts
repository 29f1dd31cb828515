import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import FailedJob from '#models/failed_job'
import SendMailJob from '#jobs/send_mail_job'
import JobQueue from '#services/jobs/job_queue'
import FailedJobs from '#services/jobs/failed_jobs'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import FieldKeyRotation from '#services/field_key_rotation'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit } from '#tests/helpers'
import { retryFailedJob, verificationMailPayload } from '#tests/queue_helpers'

/** A verification mail to `to` that failed after its five attempts. */
async function failedMail(to = 'hidden-recipient@example.jp') {
  return FailedJobs.record({
    queue: 'default',
    job: SendMailJob.$$filepath,
    payload: await verificationMailPayload(to),
    attempts: 5,
    error: 'connect ECONNREFUSED 127.0.0.1:1025',
  })
}

/** Fakes the mailer until the test ends; the recipients of each mail sent, as JSON. */
function recipientsOfSentMails(cleanup: (handler: () => void) => void): string[] {
  mail.fake()
  const sentTo: string[] = []
  const onSent = (event: { message: { to?: unknown } }) =>
    sentTo.push(JSON.stringify(event.message.to))
  emitter.on('mail:sent', onSent)
  cleanup(() => {
    emitter.off('mail:sent', onSent)
    mail.restore()
  })
  return sentTo
}

test.group('Administration: failed jobs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an administrator sees the failed jobs without their content, and retries one', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const failed = await failedMail()

    const page = await client.get('/admin/failed-jobs').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('失敗したジョブ')
    page.assertTextIncludes('app/jobs/send_mail_job.ts')
    page.assertTextIncludes('件名「【台帳】メールアドレスの確認」・宛先1件')
    page.assertTextIncludes('connect ECONNREFUSED 127.0.0.1:1025')
    page.assertTextIncludes('再実行')
    assert.notInclude(page.text(), 'hidden-recipient@example.jp')
    assert.notInclude(page.text(), '/citizen/verify/')

    const sentTo = recipientsOfSentMails(cleanup)
    const retry = await retryFailedJob(client, admin, failed.id)
    retry.assertStatus(302)
    retry.assertHeader('location', '/admin/failed-jobs')
    retry.assertFlashMessage('success', 'ジョブを再実行の待ち行列に入れました。')
    await failed.refresh()
    assert.isNotNull(failed.retriedAt)
    const audit = await lastAudit('failed_job.retry')
    assert.equal(audit!.subjectId, String(failed.id))
    assert.notInclude(JSON.stringify(audit!.details), 'hidden-recipient')

    // The job ran again (after the response) and the mail went out through the mailer.
    await JobQueue.idle()
    assert.lengthOf(sentTo, 1)
    assert.include(sentTo[0], 'hidden-recipient@example.jp')

    const again = await client
      .post(`/admin/failed-jobs/${failed.id}/retry`)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    again.assertStatus(302)
    again.assertFlashMessage('errors', { form: ['このジョブは既に再実行しています。'] })
  })

  test('key rotation re-encrypts a failed job: after the old key is dropped, the page reads it and the retry sends the mail', async ({
    client,
    assert,
    cleanup,
  }) => {
    const blindIndexKey = randomBytes(32)
    const oldKey = { id: 'old', key: randomBytes(32) }
    const newKey = { id: 'new', key: randomBytes(32) }
    cleanup(() => fieldEncryption.use(null))
    const summary = '件名「【台帳】メールアドレスの確認」・宛先1件'
    const admin = await UserFactory.apply('admin').create()

    // A mail that failed while the old key was the current one.
    fieldEncryption.use(new FieldEncryption([oldKey], blindIndexKey))
    const failed = await failedMail('rotated-recipient@example.jp')
    const payloadOf = async () => {
      const row = await db.from('failed_jobs').where('id', failed.id).firstOrFail()
      return row.payload_encrypted as string
    }
    assert.match(await payloadOf(), /^enc1:old:/)

    // Without the old key the payload cannot be read: the page cannot describe the mail.
    fieldEncryption.use(new FieldEncryption([newKey], blindIndexKey))
    const unreadable = await client.get('/admin/failed-jobs').loginAs(admin)
    unreadable.assertStatus(200)
    unreadable.assertTextIncludes('app/jobs/send_mail_job.ts')
    assert.notInclude(unreadable.text(), summary)

    // The new key first, the old one still known: rotation re-encrypts the payload.
    fieldEncryption.use(new FieldEncryption([newKey, oldKey], blindIndexKey))
    const result = await FieldKeyRotation.rotateAll()
    assert.isAtLeast(result.reencrypted.failed_jobs, 1)
    const rotated = await payloadOf()
    assert.match(rotated, /^enc1:new:/)
    assert.notInclude(rotated, 'rotated-recipient')
    // The mail inside, sealed for the queue, is on the new key too.
    assert.match(JSON.parse(fieldEncryption.decrypt(rotated)).sealed, /^enc1:new:/)
    const audit = await lastAudit('encryption.rotate')
    assert.isAtLeast(JSON.parse(audit!.details!).failed_jobs, 1)

    // The old key is dropped: the page describes the mail and the retry sends it.
    fieldEncryption.use(new FieldEncryption([newKey], blindIndexKey))
    const page = await client.get('/admin/failed-jobs').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes(summary)
    assert.notInclude(page.text(), 'rotated-recipient@example.jp')

    const sentTo = recipientsOfSentMails(cleanup)
    const retry = await retryFailedJob(client, admin, failed.id)
    retry.assertStatus(302)
    retry.assertFlashMessage('success', 'ジョブを再実行の待ち行列に入れました。')
    await JobQueue.idle()
    assert.lengthOf(sentTo, 1)
    assert.include(sentTo[0], 'rotated-recipient@example.jp')
  })

  test('nobody but an administrator sees or retries failed jobs', async ({ client, assert }) => {
    const failed = await failedMail()
    const others = [
      await UserFactory.apply('privacyOfficer').create(),
      await UserFactory.create(),
      await UserFactory.apply('supervisor').create(),
      await UserFactory.apply('operator').create(),
    ]
    for (const user of others) {
      const page = await client.get('/admin/failed-jobs').loginAs(user)
      page.assertStatus(403)
      const retry = await client
        .post(`/admin/failed-jobs/${failed.id}/retry`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      retry.assertStatus(403)
    }
    const guest = await client.get('/admin/failed-jobs').redirects(0)
    guest.assertStatus(302)
    guest.assertHeader('location', '/login')
    await failed.refresh()
    assert.isNull(failed.retriedAt)
    assert.lengthOf(await FailedJob.query().whereNotNull('retriedAt'), 0)
  })
})
