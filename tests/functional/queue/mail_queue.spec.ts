import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import Citizen from '#models/citizen'
import Opinion from '#models/opinion'
import FailedJob from '#models/failed_job'
import CitizenVerificationMail from '#mails/citizen/citizen_verification_mail'
import SendMailJob from '#jobs/send_mail_job'
import JobQueue from '#services/jobs/job_queue'
import FailedJobs from '#services/jobs/failed_jobs'
import { freshIp } from '#tests/helpers'
import { opinionScene } from '#tests/opinion_helpers'
import { relayDown } from '#tests/queue_helpers'

const register = (client: any, email: string) =>
  client
    .post('/citizen/register')
    .header('x-forwarded-for', freshIp())
    .withCsrfToken()
    .form({
      fullName: '中継 停止',
      email,
      password: 'ten-chars-ok',
      password_confirmation: 'ten-chars-ok',
    })
    .redirects(0)

/** The failed mail jobs whose mail went to `to`. */
async function failedMailsTo(to: string) {
  const rows = await FailedJob.query().where('job', SendMailJob.$$filepath)
  return rows.filter((row) => {
    const { message } = SendMailJob.open(FailedJobs.payloadOf(row) as any).mailMessage
    return JSON.stringify(message.to).includes(to)
  })
}

test.group('Mail through the queue', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('in the request a mail is only queued, never sent', async ({ client, cleanup }) => {
    const { mails } = mail.fake()
    cleanup(() => mail.restore())
    const response = await register(client, 'queued@example.jp')
    response.assertStatus(302)
    mails.assertQueued(CitizenVerificationMail, (queued) =>
      queued.message.hasTo('queued@example.jp')
    )
    mails.assertNoneSent()
  })

  test('registration answers normally with the relay down; the mail is sent after the response and ends in failed_jobs', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(await relayDown())
    const order: string[] = []
    const onCompleted = () => order.push('response')
    const onSending = () => order.push('mail')
    emitter.on('http:request_completed', onCompleted)
    emitter.on('mail:sending', onSending)
    cleanup(() => {
      emitter.off('http:request_completed', onCompleted)
      emitter.off('mail:sending', onSending)
    })

    const response = await register(client, 'relay-down@example.jp')
    response.assertStatus(302)
    response.assertHeader('location', '/citizen/register/sent')
    assert.isNotNull(await Citizen.findByEmail('relay-down@example.jp'), 'account saved')
    const page = await client.get('/citizen/register/sent')
    page.assertStatus(200)
    page.assertTextIncludes('メールの送信を受け付けました')

    await JobQueue.idle()
    assert.equal(order[0], 'response', 'the mail is tried only after the response')
    assert.isAtLeast(order.filter((event) => event === 'mail').length, 5, 'all attempts made')
    const [failed] = await failedMailsTo('relay-down@example.jp')
    assert.exists(failed, 'recorded in failed_jobs')
    assert.equal(failed.attempts, 5)
    assert.equal(failed.queue, 'default')
    assert.match(failed.error, /ECONNREFUSED|connect/i)
    assert.notInclude(failed.payloadEncrypted, 'relay-down@example.jp')
    assert.deepEqual(await FailedJobs.describe(failed), {
      subject: '【台帳】メールアドレスの確認',
      recipients: 1,
    })
  })

  test('a citizen’s web opinion is received with the relay down; the page does not claim the mail was sent', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(await relayDown())
    const { citizen } = await opinionScene()
    const response = await client
      .post('/citizen/opinions')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .form({ kind: 'inquiry', subject: '中継停止中', body: '届きますか。', replyWanted: '0' })
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.query().where('citizenId', citizen.id).firstOrFail()
    response.assertFlashMessage(
      'success',
      `送信しました（受付番号 ${opinion.referenceNo}）。受付のお知らせをメールでお送りします。`
    )
    await JobQueue.idle()
    assert.lengthOf(await failedMailsTo(citizen.email), 1)
    assert.lengthOf(await db.from('opinions').where('citizen_id', citizen.id), 1)
  })
})
