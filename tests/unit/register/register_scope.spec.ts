import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import RegisterScope from '#builders/register_scope'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { PersonalDataSystemFactory } from '#database/factories/personal_data_system_factory'
import { ContractFactory } from '#database/factories/contract_factory'
import { SpecialTermSetFactory } from '#database/factories/special_term_set_factory'
import { departmentTree } from '#tests/helpers'

/** Two systems (広聴係 below 広聴担当課, and 危機管理課), each with an item and a contract; a subcontract of the 危機管理 one. */
async function world() {
  const tree = await departmentTree()
  const otsu = await ContractorFactory.create()
  const hei = await ContractorFactory.create()
  const kakari = await PersonalDataSystemFactory.merge({
    name: '広聴係の業務',
    departmentId: tree.kochoKakari.id,
  })
    .with('dataItems', 1, (item) => item.merge({ name: '氏名' }))
    .create()
  const kiki = await PersonalDataSystemFactory.merge({
    name: '危機管理の業務',
    departmentId: tree.kikikanri.id,
  })
    .with('dataItems', 1, (item) => item.merge({ name: '住所' }))
    .create()
  const own = await ContractFactory.apply('active')
    .merge({ systemId: kakari.id, title: '広聴の委託' })
    .create()
  const other = await ContractFactory.apply('active')
    .merge({ systemId: kiki.id, title: '危機管理の委託', contractorId: otsu.id })
    .create()
  const sub = await ContractFactory.apply('pendingSubcontract')
    .merge({
      systemId: kiki.id,
      parentContractId: other.id,
      title: '危機管理の再委託',
      contractorId: hei.id,
    })
    .create()
  return { tree, otsu, hei, kakari, kiki, own, other, sub }
}

const titles = (rows: Array<{ title: string }>) => rows.map((row) => row.title).sort()
const names = (rows: Array<{ name: string }>) => rows.map((row) => row.name)

test.group('RegisterScope: who sees which rows of the register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff see their department and the ones below it; privacy officers every one', async ({
    assert,
  }) => {
    const { tree, own, other } = await world()
    const staff = await RegisterScope.for(
      await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    )
    assert.deepEqual(names(await staff.systems()), ['広聴係の業務'])
    assert.deepEqual(names(await staff.dataItems()), ['氏名'])
    assert.deepEqual(titles(await staff.contracts()), ['広聴の委託'])
    assert.isTrue(await staff.includesContract(own))
    assert.isFalse(await staff.includesContract(other))
    assert.isTrue(staff.includesDepartment(tree.kochoKakari.id))
    assert.isFalse(staff.includesDepartment(tree.kikikanri.id))
    assert.isFalse(staff.editsDepartment(tree.kikikanri.id))

    const officer = await RegisterScope.for(await UserFactory.apply('privacyOfficer').create())
    assert.isTrue(officer.seesAllDepartments)
    assert.lengthOf(await officer.systems(), 2)
    assert.deepEqual(titles(await officer.contracts()), [
      '危機管理の再委託',
      '危機管理の委託',
      '広聴の委託',
    ])
    assert.isTrue(officer.editsDepartment(tree.kikikanri.id))
  })

  test('a contractor user sees its contracts and their subcontracts; the subcontractor only its subcontract', async ({
    assert,
  }) => {
    const { otsu, hei, own, sub } = await world()
    const contractor = await RegisterScope.for(
      await UserFactory.apply('contractor').merge({ contractorId: otsu.id }).create()
    )
    assert.deepEqual(titles(await contractor.contracts()), ['危機管理の再委託', '危機管理の委託'])
    assert.lengthOf(await contractor.systems(), 0)
    assert.isFalse(await contractor.includesContract(own))

    const subcontractor = await RegisterScope.for(
      await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()
    )
    assert.deepEqual(titles(await subcontractor.contracts()), ['危機管理の再委託'])
    assert.isTrue(await subcontractor.includesContract(sub))

    const nobody = await RegisterScope.for(await UserFactory.apply('contractor').create())
    assert.isFalse(await nobody.includesContract(sub))
  })

  test('the set factory builds a set with its clauses in order', async ({ assert }) => {
    const set = await SpecialTermSetFactory.with('clauses', 2, (clause) =>
      clause.merge([{ number: 1 }, { number: 2 }]).apply('writtenApproval')
    ).create()
    await set.load('clauses')
    assert.deepEqual(
      set.clauses.map((clause) => [clause.number, clause.subcontractRule]),
      [
        [1, 'prior_written_approval'],
        [2, 'prior_written_approval'],
      ]
    )
    assert.equal(set.label, '個人情報の取扱いに関する特記事項 第1版')
  })
})
