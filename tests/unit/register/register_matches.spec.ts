import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import RegisterMatches from '#services/register/register_matches'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { DepartmentFactory } from '#database/factories/department_factory'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'
import type { DraftClause } from '#services/council/import/import_draft'
import { departmentTree } from '#tests/helpers'
import AuditLogger from '#services/audit_logger'

/** The 13-clause set as a document prints it: numbers as written, items with their markers. */
function clausesOf13(): DraftClause[] {
  return SPECIAL_TERMS_13.clauses.map((clause) => ({
    number: clause.number,
    numberLabel: String(clause.number),
    heading: clause.heading,
    body: clause.body,
    items: clause.items ?? [],
  }))
}

test.group('RegisterMatches', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a department by its name, or by its parent name in front, width and spaces ignored', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const matches = await RegisterMatches.load()

    assert.deepEqual(matches.department('広聴担当課'), {
      id: tree.kocho.id,
      name: '広聴担当課',
      parentName: '区長室',
    })
    assert.deepEqual(matches.department('区長室広聴担当課'), {
      id: tree.kocho.id,
      name: '広聴担当課',
      parentName: '区長室',
    })
    assert.deepEqual(matches.department('区長室　広聴担当課 '), {
      id: tree.kocho.id,
      name: '広聴担当課',
      parentName: '区長室',
    })
    assert.equal(matches.department('区長室広聴担当課広聴係')?.id, tree.kochoKakari.id)
    assert.equal(matches.department('危機管理室危機管理課')?.id, tree.kikikanri.id)
    // 危機管理課 sits under 危機管理室, not under 区長室.
    assert.isNull(matches.department('区長室危機管理課'))
    assert.isNull(matches.department('区政情報課'))
  })

  test('of two departments with the same name, the one named with its parent', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const other = await DepartmentFactory.merge({
      code: 't-kocho-2',
      name: '危機管理課',
      parentId: tree.bu.id,
      sortOrder: 9,
    }).create()
    const matches = await RegisterMatches.load()

    assert.equal(matches.department('区長室危機管理課')?.id, other.id)
    assert.equal(matches.department('危機管理室危機管理課')?.id, tree.kikikanri.id)
  })

  test('a contractor by 法人番号 first, else by name with 株式会社 and （株） alike', async ({
    assert,
  }) => {
    const numbered = await ContractorFactory.merge({
      name: '安心メール配信株式会社',
      corporateNumber: '7000012050002',
    }).create()
    const plain = await ContractorFactory.merge({ name: '株式会社 三幸' }).create()
    const matches = await RegisterMatches.load()

    assert.deepEqual(matches.contractor('まったく別の名前', '７０００-０１２０-５０００２'), {
      id: numbered.id,
      name: '安心メール配信株式会社',
    })
    assert.equal(matches.contractor('安心メール配信（株）')?.id, numbered.id)
    assert.equal(matches.contractor('安心メール配信㈱', null)?.id, numbered.id)
    assert.equal(matches.contractor('(株)三幸')?.id, plain.id)
    assert.equal(matches.contractor('株式会社三幸')?.id, plain.id)
    // The same name with another 法人番号 is another company.
    assert.isNull(matches.contractor('安心メール配信株式会社', '1000012050004'))
    assert.isNull(matches.contractor('三幸商事株式会社'))
  })

  test('a special-terms set by the text of its clauses: the newest version with the same text', async ({
    assert,
  }) => {
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const empty = await RegisterMatches.load()
    assert.deepEqual(empty.termSet(clausesOf13()), {
      setId: first.id,
      code: 'standard-13',
      version: 1,
      name: SPECIAL_TERMS_13.name,
    })

    // A second version with the same text, and a third that changes a clause.
    const second = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    await new CreateSpecialTermVersion(AuditLogger.system).handle('standard-13', {
      ...SPECIAL_TERMS_13,
      clauses: SPECIAL_TERMS_13.clauses.map((clause) =>
        clause.number === 2 ? { ...clause, body: `${clause.body}（改正）` } : clause
      ),
    })
    const matches = await RegisterMatches.load()
    assert.equal(matches.termSet(clausesOf13())?.setId, second.id)
    assert.equal(matches.termSet(clausesOf13())?.version, 2)

    // Full-width numbers, ASCII parentheses, spaces and headings in parentheses are the same text.
    const asPrinted = clausesOf13().map((clause) => ({
      ...clause,
      numberLabel: String(clause.number).replace(/[0-9]/g, (digit) =>
        String.fromCharCode(digit.charCodeAt(0) + 0xfee0)
      ),
      heading: `（${clause.heading}）`,
      body: clause.body.replace(/（/g, '(').replace(/）/g, ')').replace(/、/, '、 '),
    }))
    assert.equal(matches.termSet(asPrinted)?.setId, second.id)

    // Another text, a missing clause or none at all: no match.
    const changed = clausesOf13().map((clause) =>
      clause.number === 3 ? { ...clause, body: '乙は、別のことをする。' } : clause
    )
    assert.isNull(matches.termSet(changed))
    assert.isNull(matches.termSet(clausesOf13().slice(0, 12)))
    assert.isNull(matches.termSet([]))
  })
})
