import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import OversightDuty from '#models/oversight_duty'
import TrainingRecord from '#models/training_record'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

test.group('Training records', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the contractor files its staff training; it satisfies the fiscal year’s training duty', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const [own, other] = await ContractorFactory.createMany(2)
    const ownUser = await UserFactory.apply('contractor').merge({ contractorId: own.id }).create()
    const otherUser = await UserFactory.apply('contractor')
      .merge({ contractorId: other.id })
      .create()
    const terms = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-16',
      SPECIAL_TERMS_16
    )
    const system = await makeSystem(staff, tree.kocho.id)
    const contract = await makeContract(staff, system, {
      contractorId: own.id,
      specialTermSetId: terms.id,
      startsOn: new Date('2026-04-01'),
    })

    const refused = await client
      .post(`/contracts/${contract.id}/training`)
      .loginAs(ownUser)
      .withCsrfToken()
      .form({ trainedOn: '2099-01-01', content: '', attendees: 0 })
      .redirects(0)
    refused.assertStatus(302)
    const errors = refused.flashMessage('inputErrorsBag')
    assert.deepEqual(errors.content, ['内容を入力してください'])
    assert.property(errors, 'trainedOn')
    assert.lengthOf(await TrainingRecord.all(), 0)

    const otherUserTrainingPost = await client
      .post(`/contracts/${contract.id}/training`)
      .loginAs(otherUser)
      .withCsrfToken()
      .form({ trainedOn: '2026-06-15', content: '個人情報保護研修', attendees: 12 })
    otherUserTrainingPost.assertStatus(403)
    const otherUserTraining = await client
      .get(`/contracts/${contract.id}/training`)
      .loginAs(otherUser)
    otherUserTraining.assertStatus(403)

    await client.post(`/contracts/${contract.id}/training`).loginAs(ownUser).withCsrfToken().form({
      trainedOn: '2026-06-15',
      content: '個人情報保護研修（新宿区個人情報保護条例）',
      attendees: 12,
    })
    const duty = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'training')
      .where('periodKey', '2026')
      .firstOrFail()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceType, 'training_record')

    const page = await client.get(`/contracts/${contract.id}/training`).loginAs(staff)
    page.assertStatus(200)
    page.assertTextIncludes('個人情報保護研修（新宿区個人情報保護条例）')
    page.assertTextIncludes('令和8年6月15日')
  })
})
