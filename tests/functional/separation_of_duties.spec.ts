import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import CouncilItem from '#models/council_item'
import OpinionReply from '#models/opinion_reply'
import FaqEntry from '#models/faq_entry'
import Topic from '#models/topic'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeItem, makeSystem, councilItemForm } from '#tests/register_helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

/**
 * Issue 14 item 4: nobody approves a reply or a council item they drafted,
 * edited or asked to have approved, whatever their role: 403 with the
 * reason in Japanese, no approve button, and the record unchanged. Another
 * supervisor of the department still approves.
 */
const OWN_WORK = 'ご自身が作成・編集した、または承認を依頼したものは承認できません（職務の分離）。'

async function councilScene() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '課長 次郎' })
    .create()
  const deputy = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '課長代理 三郎' })
    .create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const system = await makeSystem(staff, tree.kocho.id, { name: '区民意見システム' })
  await makeItem(system.id, '氏名')
  const contract = await makeContract(staff, system, {
    contractorId: contractor.id,
    title: '再構築の委託',
  })
  return { tree, staff, supervisor, deputy, system, contract }
}

test.group('Separation of duties: council items', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a supervisor who drafted an item cannot approve it; another supervisor can', async ({
    client,
    assert,
  }) => {
    const { supervisor, deputy, system, contract } = await councilScene()
    await client
      .post('/council/items')
      .loginAs(supervisor)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    assert.equal(item.createdByUserId, supervisor.id)

    const page = await client.get(`/council/items/${item.id}`).loginAs(supervisor)
    assert.notInclude(
      page.text(),
      `/council/items/${item.id}/approve`,
      'no approve button for the drafter'
    )
    assert.include(
      page.text(),
      '課長代理 三郎',
      'the next step names the supervisors who may approve'
    )
    assert.notInclude(page.text(), '課長 次郎、', 'the drafter is not named as an approver')

    const refused = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
    refused.assertStatus(403)
    refused.assertTextIncludes(OWN_WORK)
    await item.refresh()
    assert.equal(item.status, 'draft')
    assert.isNull(item.approvedByUserId)

    const response = await client.get(`/council/items/${item.id}`).loginAs(deputy)
    response.assertTextIncludes(`/council/items/${item.id}/approve`)
    await client.post(`/council/items/${item.id}/approve`).loginAs(deputy).withCsrfToken()
    await item.refresh()
    assert.equal(item.status, 'approved')
    assert.equal(item.approvedByUserId, deputy.id)
  })

  test('a supervisor who edited a staff draft counts as a drafter and cannot approve it', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, deputy, system, contract } = await councilScene()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    await client
      .put(`/council/items/${item.id}`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id, '件名を課長が直した'))
    await item.refresh()
    assert.equal(item.subject, '件名を課長が直した')
    assert.equal(item.createdByUserId, staff.id)
    assert.sameMembers(item.drafterUserIds, [staff.id, supervisor.id])

    const refused = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
    refused.assertStatus(403)
    refused.assertTextIncludes(OWN_WORK)
    await item.refresh()
    assert.equal(item.status, 'draft')

    await client.post(`/council/items/${item.id}/approve`).loginAs(deputy).withCsrfToken()
    await item.refresh()
    assert.equal(item.status, 'approved')

    // An edit after approval needs approving again, and the deputy who edited it is now a drafter too.
    await client
      .put(`/council/items/${item.id}`)
      .loginAs(deputy)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id, '承認後に代理が直した'))
    await item.refresh()
    assert.equal(item.status, 'draft')
    const response = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(deputy)
      .withCsrfToken()
    response.assertStatus(403)
    const asSupervisor = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
    asSupervisor.assertStatus(403)
    await item.refresh()
    assert.equal(item.status, 'draft')
  })
})

test.group('Separation of duties: opinion replies', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a supervisor who drafted a reply and asked for approval can neither approve nor return it', async ({
    client,
    assert,
  }) => {
    const { tree, kikiSupervisor } = await opinionScene()
    const deputy = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kikikanri.id })
      .create()
    mail.fake()
    const opinion = await makeOpinion({ subject: '防災マップ' }, [tree.kikikanri])
    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .form({ body: '区役所で配布しています。', method: 'letter' })
      .redirects(0)
    const reply = await OpinionReply.findByOrFail('opinionId', opinion.id)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .redirects(0)
    await reply.refresh()
    assert.equal(reply.status, 'awaiting_approval')
    assert.equal(reply.requestedByUserId, kikiSupervisor.id)

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(kikiSupervisor)
    assert.notInclude(
      page.text(),
      `/replies/${reply.id}/approve`,
      'no approve button for the drafter'
    )

    const approve = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
    approve.assertStatus(403)
    approve.assertTextIncludes(OWN_WORK)
    const sendBack = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/return`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .form({ returnComment: '自分で差し戻し' })
    sendBack.assertStatus(403)
    await reply.refresh()
    assert.equal(reply.status, 'awaiting_approval')
    assert.isNull(reply.approvedByUserId)

    const response = await client.get(`/opinions/${opinion.id}`).loginAs(deputy)
    response.assertTextIncludes(`/replies/${reply.id}/approve`)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(deputy)
      .withCsrfToken()
      .redirects(0)
    await reply.refresh()
    assert.equal(reply.status, 'approved')
    assert.equal(reply.approvedByUserId, deputy.id)
  })

  test('a supervisor who rewrote a staff draft, or asked for its approval, cannot approve it', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, kikiSupervisor } = await opinionScene()
    const deputy = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kikikanri.id })
      .create()
    mail.fake()
    const opinion = await makeOpinion({ subject: '公園の遊具' }, [tree.kikikanri])
    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ body: '点検します。', method: 'letter' })
      .redirects(0)
    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .form({ body: '今月中に点検します。', method: 'letter' })
      .redirects(0)
    const reply = await OpinionReply.findByOrFail('opinionId', opinion.id)
    // The staff member who first wrote it asks for approval: the supervisor's rewrite still counts.
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    const response = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
    response.assertTextIncludes(OWN_WORK)
    await reply.refresh()
    assert.equal(reply.status, 'awaiting_approval')

    // A deputy who asked for the approval of someone else's draft does not approve it either.
    const other = await makeOpinion({ subject: '街灯' }, [tree.kikikanri])
    await client
      .post(`/opinions/${other.id}/replies`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ body: '修理します。', method: 'letter' })
      .redirects(0)
    const otherReply = await OpinionReply.findByOrFail('opinionId', other.id)
    await client
      .post(`/opinions/${other.id}/replies/${otherReply.id}/request`)
      .loginAs(deputy)
      .withCsrfToken()
      .redirects(0)
    const ownRequest = await client
      .post(`/opinions/${other.id}/replies/${otherReply.id}/approve`)
      .loginAs(deputy)
      .withCsrfToken()
    ownRequest.assertStatus(403)
    await client
      .post(`/opinions/${other.id}/replies/${otherReply.id}/approve`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .redirects(0)
    await otherReply.refresh()
    assert.equal(otherReply.status, 'approved')
    assert.equal(otherReply.approvedByUserId, kikiSupervisor.id)
  })
})

test.group('Separation of duties: FAQ changes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('a supervisor who edited a change that staff then submitted cannot approve it; the refusal says why', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const deputy = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const safety = await Topic.findByOrFail('code', 'safety')
    mail.fake()
    const faqForm = (answerText: string) => ({
      departmentId: String(tree.kocho.id),
      topicId: String(safety.id),
      question: '避難所はどこですか',
      answerText,
      keywords: '避難場所',
      visibleToCallCenter: 'true',
    })
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(faqForm('区立小中学校が避難所です。'))
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')
    await client
      .put(`/faq-entries/${entry.id}`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form(faqForm('お住まいの地域の区立小中学校が避難所です。'))
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')

    const page = await client.get(`/faq-entries/${entry.id}`).loginAs(supervisor)
    assert.notInclude(
      page.text(),
      `/faq-entries/${entry.id}/approval"`,
      'no approve button for the editor'
    )
    const approve = await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})
    approve.assertStatus(403)
    approve.assertTextIncludes(OWN_WORK)
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')
    assert.isNull(entry.publishedVersionId)

    await client.post(`/faq-entries/${entry.id}/approval`).loginAs(deputy).withCsrfToken().form({})
    await entry.refresh()
    assert.isNotNull(entry.publishedVersionId)
  })
})
