import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import Topic from '#models/topic'
import Clock, { FixedClock } from '#services/clock'
import FaqDecisionMail from '#mails/faq/faq_decision_mail'
import { FaqEntryFactory } from '#database/factories/faq_factory'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'

const form = (departmentId: number, topicId: number, overrides: Record<string, string> = {}) => ({
  departmentId: String(departmentId),
  topicId: String(topicId),
  question: '避難所はどこですか',
  answerText: 'お住まいの地域の区立小中学校が避難所です。',
  ...overrides,
})

test.group('FAQ: one failure path and the injected clock and mailer', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    app.container.restore(Clock)
    mail.restore()
  })

  test('a JSON client gets a 422 with the Japanese message on the field; nothing is saved', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const safety = await Topic.findByOrFail('code', 'safety')

    const badLink = await client
      .post('/faq-entries')
      .header('accept', 'application/json')
      .loginAs(staff)
      .withCsrfToken()
      .form(
        form(tree.kocho.id, safety.id, {
          relatedLinks: '防災マップ https://example.jp/\njavascript:alert(1)',
        })
      )
    badLink.assertStatus(422)
    badLink.assertBodyContains({
      errors: [
        {
          field: 'relatedLinks',
          message: '関連リンクの2行目を「名称 https://…」の形にしてください。',
        },
      ],
    })

    const foreign = await client
      .post('/faq-entries')
      .header('accept', 'application/json')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kikikanri.id, safety.id))
    foreign.assertStatus(422)
    foreign.assertBodyContains({
      errors: [
        {
          field: 'departmentId',
          message: 'この所属の FAQ は作成できません。自分の所属を選んでください。',
        },
      ],
    })
    assert.equal(
      await FaqEntry.query()
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      0
    )
  })

  test('asking approval for an unchanged published entry is refused on the entry page', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const safety = await Topic.findByOrFail('code', 'safety')
    const entry = await FaqEntryFactory.apply('published')
      .merge({ departmentId: tree.kocho.id, topicId: safety.id })
      .create()
    await entry.merge({ status: 'draft' }).save()

    const response = await client
      .post(`/faq-entries/${entry.id}/approval-request`)
      .loginAs(staff)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/faq-entries/${entry.id}`)
    response.assertFlashMessage('errors', {
      form: ['公開中の版から変更がないため、承認を依頼できません。'],
    })
    assert.equal(
      await FaqVersion.query()
        .where('faqEntryId', entry.id)
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      1
    )
  })

  test('the approval takes its time from the Clock of the container and mails through its Mailer', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({
      departmentId: tree.kocho.id,
      email: 'author@ward.example.jp',
    }).create()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const safety = await Topic.findByOrFail('code', 'safety')
    const { mails } = mail.fake()
    const requestedAt = DateTime.fromISO('2026-04-01T09:00:00', { zone: 'Asia/Tokyo' })
    const decidedAt = DateTime.fromISO('2026-04-02T10:30:00', { zone: 'Asia/Tokyo' })

    const entry = await FaqEntryFactory.merge({
      departmentId: tree.kocho.id,
      topicId: safety.id,
      updatedByUserId: staff.id,
    }).create()
    app.container.swap(Clock, () => new FixedClock(requestedAt))
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    app.container.swap(Clock, () => new FixedClock(decidedAt))
    await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})

    const version = await FaqVersion.query().where('faqEntryId', entry.id).firstOrFail()
    assert.equal(version.state, 'approved')
    assert.equal(version.requestedAt!.toMillis(), requestedAt.toMillis())
    assert.equal(version.decidedAt!.toMillis(), decidedAt.toMillis())
    await entry.refresh()
    assert.equal(entry.publishedAt!.toMillis(), decidedAt.toMillis())
    mails.assertQueued(FaqDecisionMail, (sent) => {
      sent.message.assertTo('author@ward.example.jp')
      sent.message.assertTextIncludes('の変更が承認され、公開されました。')
      return true
    })
  })
})
