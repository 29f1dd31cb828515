import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { ContractFactory } from '#database/factories/contract_factory'
import { departmentTree, lastAudit } from '#tests/helpers'
import { makeContract, makeSystem, termsAllowingSubcontracts } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

/*
| Issue 13, point 1: the rules the clauses create are enforced. Saving or approving a
| subcontract that breaks the parent contract's special terms is refused with the clause
| quoted (number, heading, text) on the form; an undecided contractor does not bypass the
| rule; approval under prior written approval records who approved, when, and the writing.
*/

const SEED_000_CLAUSE_9 =
  '特記事項第9項（再委託の禁止）「乙は、業務を行うに当たって、個人情報を取り扱う業務を一切第三者に委託してはならない。」により、この委託では再委託できません。'
const SEED_004_CLAUSE_6 =
  '特記事項第6項（再委託の禁止）「乙は、業務を一切第三者に委託してはならない。ただし、個人情報を除いた情報に係る業務については、甲の承諾があるときはこの限りではない。」により、個人情報を取り扱う業務は再委託できません'
const WRITTEN_CLAUSE =
  '特記事項第9項（再委託の禁止）「乙は、あらかじめ甲の書面による承諾を得た場合を除き、個人情報を取り扱う業務を第三者に委託してはならない。」'

/** As the form sends it: the hidden field marks that the 個人情報を取り扱う box was shown (unticked = no personal data). */
const sub = { reason: '繁忙期の入力業務', periodType: 'fixed', handlesPersonalDataShown: '1' }

async function world() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '広聴 太郎',
  }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '広聴 課長' })
    .create()
  const [otsu, hei] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '丙データ株式会社' },
  ]).createMany(2)
  const system = await makeSystem(staff, tree.kocho.id)
  const terms16 = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-16',
    SPECIAL_TERMS_16
  )
  const terms13 = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-13',
    SPECIAL_TERMS_13
  )
  const written = await termsAllowingSubcontracts()
  return { tree, staff, supervisor, otsu, hei, system, terms16, terms13, written }
}

/** Posts a subcontract form under `parent` as the browser does. */
function postSubcontract(
  client: any,
  user: any,
  parent: Contract,
  fields: Record<string, unknown>
) {
  return client
    .post(`/systems/${parent.systemId}/contracts?parent=${parent.id}`)
    .loginAs(user)
    .withCsrfToken()
    .form({ ...sub, ...fields })
    .redirects(0)
}

/** A subcontract stored directly, as one registered before the rules were enforced. */
async function legacySubcontract(parent: Contract, fields: Partial<Contract> = {}) {
  return ContractFactory.apply('pendingSubcontract')
    .merge({
      systemId: parent.systemId,
      parentContractId: parent.id,
      title: '旧い再委託',
      ...fields,
    })
    .create()
}

test.group('Subcontract rules: a set that forbids subcontracting (seed 000, clause 9)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a subcontract is refused with the clause quoted, with or without personal data, and nothing typed is lost', async ({
    client,
    assert,
  }) => {
    const { staff, otsu, hei, system, terms16 } = await world()
    const parent = await makeContract(staff, system, {
      contractorId: otsu.id,
      specialTermSetId: terms16.id,
      title: 'FAQシステム再構築',
    })

    // The form says so before anything is typed.
    const form = await client
      .get(`/systems/${system.id}/contracts/create?parent=${parent.id}`)
      .loginAs(staff)
    form.assertTextIncludes('元の委託の特記事項が定める再委託の扱い')
    form.assertTextIncludes(
      '再委託を禁止：特記事項第9項（再委託の禁止）「乙は、業務を行うに当たって、個人情報を取り扱う業務を一切第三者に委託してはならない。」'
    )

    for (const handlesPersonalData of ['true', undefined]) {
      const refused = await postSubcontract(client, staff, parent, {
        title: 'データ入力の再委託',
        contractorId: hei.id,
        handlesPersonalData,
        tasks: '入力作業',
      })
      refused.assertStatus(422)
      refused.assertTextIncludes(SEED_000_CLAUSE_9)
      refused.assertTextIncludes('value="データ入力の再委託"')
      refused.assertTextIncludes('入力作業')
    }
    assert.isNull(await Contract.findBy('title', 'データ入力の再委託'))
  })

  test('an undecided contractor or subcontractor does not bypass the rule', async ({
    client,
    assert,
  }) => {
    const { staff, system, terms16 } = await world()
    const parent = await makeContract(staff, system, {
      undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
      specialTermSetId: terms16.id,
      title: 'FAQシステム再構築',
    })
    assert.equal(parent.status, 'draft')
    const refused = await postSubcontract(client, staff, parent, {
      title: '未定の再委託',
      undecidedNote: '未定(入札により決定する予定)',
      handlesPersonalData: 'true',
    })
    refused.assertStatus(422)
    refused.assertTextIncludes(SEED_000_CLAUSE_9)
    assert.isNull(await Contract.findBy('title', '未定の再委託'))
  })

  test('a subcontract stored before the rule is not approved: refused on the approval form with the clause quoted', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, otsu, system, terms16 } = await world()
    const parent = await makeContract(staff, system, {
      contractorId: otsu.id,
      specialTermSetId: terms16.id,
    })
    const legacy = await legacySubcontract(parent)

    const response = await client
      .post(`/contracts/${legacy.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ approvedOn: '2026-05-01', approvedBy: '広聴担当課長' })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), `/contracts/${legacy.id}`)
    await legacy.refresh()
    assert.equal(legacy.status, 'pending_approval')
    assert.isNull(legacy.approvedOn)
    assert.isNull(await lastAudit('subcontract.approve'))
    // The message flashed to the approval form, and the form showing it with what was typed.
    const flashed = response.flashMessages() as any
    assert.deepEqual(flashed.errors.parentTerms, [SEED_000_CLAUSE_9])
    assert.equal(flashed.approvedBy, '広聴担当課長')
    const page = await client
      .get(`/contracts/${legacy.id}`)
      .loginAs(supervisor)
      .withFlashMessages(flashed)
    page.assertStatus(200)
    assert.match(page.text(), new RegExp(`id="field-parentTerms-error">${SEED_000_CLAUSE_9}`))
    page.assertTextIncludes('value="広聴担当課長"')
  })

  test('a contract whose running subcontracts the new terms would forbid keeps its terms: refused on the terms field', async ({
    client,
    assert,
  }) => {
    const { staff, otsu, hei, system, written } = await world()
    const parent = await makeContract(staff, system, {
      contractorId: otsu.id,
      specialTermSetId: written.id,
      title: '広聴の委託',
    })
    await makeContract(staff, system, { contractorId: hei.id, title: 'データ入力の再委託' }, parent)
    const terms16 = await SpecialTermSet.findByOrFail('code', 'standard-16')

    const refused = await client
      .put(`/contracts/${parent.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        title: parent.title,
        reason: parent.reason,
        periodType: 'fixed',
        contractorId: otsu.id,
        specialTermSetId: terms16.id,
      })
      .redirects(0)
    refused.assertStatus(422)
    refused.assertTextIncludes(
      `再委託「データ入力の再委託」が次の条項に反するため、この特記事項は付けられません。${SEED_000_CLAUSE_9}`
    )
    await parent.refresh()
    assert.equal(parent.specialTermSetId, written.id)
  })
})

test.group(
  'Subcontract rules: only work without personal data (seeds 001 and 004, clause 6)',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('personal data is refused on its checkbox with the clause quoted; without it the subcontract waits for 甲’s consent', async ({
      client,
      assert,
    }) => {
      const { staff, supervisor, otsu, hei, system, terms13 } = await world()
      const parent = await makeContract(staff, system, {
        contractorId: otsu.id,
        specialTermSetId: terms13.id,
        title: 'コールセンター業務委託',
      })

      const refused = await postSubcontract(client, staff, parent, {
        title: '集計業務の再委託',
        contractorId: hei.id,
        handlesPersonalData: 'true',
      })
      refused.assertStatus(422)
      assert.match(
        refused.text(),
        new RegExp(`id="field-handlesPersonalData-error">${SEED_004_CLAUSE_6}`)
      )
      assert.isNull(await Contract.findBy('title', '集計業務の再委託'))

      // Without personal data: saved, and active only once 甲's consent is recorded.
      await postSubcontract(client, staff, parent, {
        title: '集計業務の再委託',
        contractorId: hei.id,
      })
      const saved = await Contract.findByOrFail('title', '集計業務の再委託')
      assert.isFalse(saved.handlesPersonalData)
      assert.equal(saved.status, 'pending_approval')
      const duties = await OversightDuty.query().where('contractId', saved.id)
      assert.deepEqual(
        duties.map((d) => [d.kind, d.state]),
        [['subcontract_approval', 'open']]
      )
      const showPage = await client.get(`/contracts/${saved.id}`).loginAs(staff)
      showPage.assertTextIncludes('甲の承認を記録するまで有効になりません。')

      await client
        .post(`/contracts/${saved.id}/approve`)
        .loginAs(supervisor)
        .withCsrfToken()
        .form({ approvedOn: '2026-05-01', approvedBy: '広聴担当課長' })
      await saved.refresh()
      assert.equal(saved.status, 'active')

      // Turning personal data on afterwards is refused too.
      const edit = await client
        .put(`/contracts/${saved.id}`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ...sub, title: saved.title, contractorId: hei.id, handlesPersonalData: 'true' })
        .redirects(0)
      edit.assertStatus(422)
      edit.assertTextIncludes(SEED_004_CLAUSE_6)
      await saved.refresh()
      assert.isFalse(saved.handlesPersonalData)
    })

    test('a stored subcontract with personal data is not approved', async ({ client, assert }) => {
      const { staff, supervisor, otsu, system, terms13 } = await world()
      const parent = await makeContract(staff, system, {
        contractorId: otsu.id,
        specialTermSetId: terms13.id,
      })
      const legacy = await legacySubcontract(parent)
      const response = await client
        .post(`/contracts/${legacy.id}/approve`)
        .loginAs(supervisor)
        .withCsrfToken()
        .form({ approvedOn: '2026-05-01', approvedBy: '広聴担当課長' })
        .redirects(0)
      const flashed = response.flashMessage('errors') as Record<string, string[]>
      assert.include(flashed.handlesPersonalData[0], SEED_004_CLAUSE_6)
      await legacy.refresh()
      assert.equal(legacy.status, 'pending_approval')
    })
  }
)

test.group('Subcontract rules: prior written approval', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('saved pending; approval refused without the writing or after the start; then recorded with who, when and the writing', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, otsu, hei, system, written } = await world()
    const parent = await makeContract(staff, system, {
      undecidedNote: '入札により決定した委託業者',
      specialTermSetId: written.id,
      title: '広聴の委託',
    })
    await postSubcontract(client, staff, parent, {
      title: 'データ入力の再委託',
      contractorId: hei.id,
      handlesPersonalData: 'true',
      startsOn: '2026-06-01',
    })
    const saved = await Contract.findByOrFail('title', 'データ入力の再委託')
    assert.equal(saved.status, 'pending_approval')
    assert.notEqual(otsu.id, hei.id)

    const page = await client.get(`/contracts/${saved.id}`).loginAs(supervisor)
    page.assertTextIncludes('書面による承諾（文書番号等）')
    page.assertTextIncludes(`甲のあらかじめの書面による承諾があれば再委託可：${WRITTEN_CLAUSE}`)

    const approve = (fields: Record<string, string>) =>
      client
        .post(`/contracts/${saved.id}/approve`)
        .loginAs(supervisor)
        .withCsrfToken()
        .form({ approvedBy: '広聴担当課長', ...fields })
        .redirects(0)

    const withoutWriting = await approve({ approvedOn: '2026-05-20', approvalReference: '' })
    assert.deepEqual((withoutWriting.flashMessage('errors') as any).approvalReference, [
      `${WRITTEN_CLAUSE}により、再委託には甲のあらかじめの書面による承諾が必要です。承諾書の文書番号（または日付・件名）を入力してください。`,
    ])
    assert.equal(withoutWriting.flashMessage('approvedBy'), '広聴担当課長')

    const late = await approve({ approvedOn: '2026-06-02', approvalReference: '新広第123号' })
    assert.deepEqual((late.flashMessage('errors') as any).approvedOn, [
      `${WRITTEN_CLAUSE}により、甲の書面による承諾は再委託の開始日（令和8年6月1日）までに得ていなければなりません。承諾日を確認してください。`,
    ])
    await saved.refresh()
    assert.equal(saved.status, 'pending_approval')
    assert.isNull(saved.approvedOn)

    await approve({
      approvedOn: '2026-05-20',
      approvalReference: '新広第123号（令和8年5月20日付）',
    })
    await saved.refresh()
    assert.equal(saved.status, 'active')
    assert.equal(saved.approvedOn?.toISODate(), '2026-05-20')
    assert.equal(saved.approvedBy, '広聴担当課長')
    assert.equal(saved.approvalReference, '新広第123号（令和8年5月20日付）')
    assert.equal(saved.approvedByUserId, supervisor.id)
    const audit = await lastAudit('subcontract.approve')
    assert.include(audit?.changedFields ?? [], 'approvalReference')
    const duty = await OversightDuty.query()
      .where('contractId', saved.id)
      .where('kind', 'subcontract_approval')
      .firstOrFail()
    assert.equal(duty.state, 'satisfied')

    const shown = await client.get(`/contracts/${saved.id}`).loginAs(staff)
    shown.assertTextIncludes('令和8年5月20日（広聴担当課長）')
    shown.assertTextIncludes('書面：新広第123号（令和8年5月20日付）')
    shown.assertTextIncludes('記録者：広聴 課長')
  })

  test('without personal data it still waits for the written approval', async ({
    client,
    assert,
  }) => {
    const { staff, hei, otsu, system, written } = await world()
    const parent = await makeContract(staff, system, {
      contractorId: otsu.id,
      specialTermSetId: written.id,
    })
    await postSubcontract(client, staff, parent, { title: '保守の再委託', contractorId: hei.id })
    const saved = await Contract.findByOrFail('title', '保守の再委託')
    assert.equal(saved.status, 'pending_approval')
  })
})

test.group('Subcontract rules: no rule', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('without special terms a subcontract saves and is approved as before (no writing needed)', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, otsu, hei, system } = await world()
    const parent = await makeContract(staff, system, { contractorId: otsu.id })
    await postSubcontract(client, staff, parent, {
      title: '入力の再委託',
      contractorId: hei.id,
      handlesPersonalData: 'true',
    })
    const saved = await Contract.findByOrFail('title', '入力の再委託')
    assert.equal(saved.status, 'pending_approval')
    await client
      .post(`/contracts/${saved.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ approvedOn: '2026-05-01', approvedBy: '広聴担当課長' })
    await saved.refresh()
    assert.equal(saved.status, 'active')
    assert.isNull(saved.approvalReference)
  })
})
