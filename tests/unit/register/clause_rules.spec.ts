import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import SubcontractRules, {
  clauseCitation,
  clauseQuote,
  suggestRequiresTraining,
  suggestSubcontractRule,
  type RuleClause,
} from '#services/register/clause_rules'
import { parse } from '#services/register/special_terms_text'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import type { SubcontractRule } from '#enums/clause_rules'

/*
| Issue 13, point 1: the rules special-terms clauses create for subcontracting, on all three
| kinds — forbidden, only work without personal data, only with the ward's prior written
| approval — and without a rule.
*/

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/special_terms/${name}`, import.meta.url), 'utf8')

const FORBIDS =
  '乙は、業務を行うに当たって、個人情報を取り扱う業務を一切第三者に委託してはならない。'
const NO_PERSONAL_DATA =
  '乙は、業務を一切第三者に委託してはならない。ただし、個人情報を除いた情報に係る業務については、甲の承諾があるときはこの限りではない。'
const WRITTEN =
  '乙は、あらかじめ甲の書面による承諾を得た場合を除き、業務の全部又は一部を第三者に委託してはならない。'

const clause = (
  rule: SubcontractRule | null,
  body: string,
  printedNumber = '9',
  heading = '再委託の禁止'
): RuleClause => ({
  printedNumber,
  heading,
  body,
  items: [],
  subcontractRule: rule,
})

const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })
const era = (date: DateTime) => date.toISODate()!
const personal = { handlesPersonalData: true, startsOn: day('2026-06-01') }
const noPersonal = { handlesPersonalData: false, startsOn: day('2026-06-01') }
const approval = (approvedOn: string, reference: string | null = '新広第123号') => ({
  approvedOn: day(approvedOn),
  approvedBy: '広聴担当課長',
  reference,
})

test.group('Clause rules: suggested from the clause text', () => {
  test('the wordings of the issue and of the seeds give the obvious rule', ({ assert }) => {
    assert.equal(suggestSubcontractRule({ heading: '再委託の禁止', body: FORBIDS }), 'forbidden')
    assert.equal(
      suggestSubcontractRule({
        heading: '再委託の禁止',
        body: '乙は、業務を一切第三者に委託してはならない。',
      }),
      'forbidden'
    )
    assert.equal(
      suggestSubcontractRule({ heading: '再委託の禁止', body: NO_PERSONAL_DATA }),
      'no_personal_data_only'
    )
    assert.equal(
      suggestSubcontractRule({ heading: '再委託の禁止', body: WRITTEN }),
      'prior_written_approval'
    )
    assert.equal(
      suggestSubcontractRule({
        heading: '再委託',
        body: '乙は、業務の一部を再委託するときは、あらかじめ甲の書面による承諾を得なければならない。',
      }),
      'prior_written_approval'
    )
    // Without a heading, and with the text wrapped by a PDF extraction.
    assert.equal(
      suggestSubcontractRule({
        heading: '',
        body: '乙は、業務を一切第三者に委託して\nはならない。',
      }),
      'forbidden'
    )
  })

  test('clauses about other things, or too vague to tell, suggest no rule', ({ assert }) => {
    // Clause 3 of the 13-clause set: 提供 to third parties, not 委託, with the same 個人情報を除いた exception.
    assert.isNull(suggestSubcontractRule(SPECIAL_TERMS_13.clauses[2]))
    assert.isNull(
      suggestSubcontractRule({
        heading: '秘密の保持',
        body: '乙は、業務に関して知り得た個人情報を一切第三者に漏らしてはならない。',
      })
    )
    assert.isNull(
      suggestSubcontractRule({
        heading: '再委託先の監督',
        body: '乙は、再委託先に本特記事項を遵守させなければならない。',
      })
    )
  })

  test('in both seed sets only the 再委託の禁止 clause suggests a rule, the one the demo library records', ({
    assert,
  }) => {
    for (const set of [SPECIAL_TERMS_13, SPECIAL_TERMS_16]) {
      const suggested = set.clauses
        .map((c) => [c.number, suggestSubcontractRule(c)])
        .filter(([, rule]) => rule)
      const recorded = set.clauses
        .filter((c) => c.subcontractRule)
        .map((c) => [c.number, c.subcontractRule])
      assert.deepEqual(suggested, recorded, set.code)
    }
    assert.deepEqual(
      SPECIAL_TERMS_16.clauses
        .filter((c) => c.subcontractRule)
        .map((c) => [c.number, c.subcontractRule]),
      [[9, 'forbidden']]
    )
    assert.deepEqual(
      SPECIAL_TERMS_13.clauses
        .filter((c) => c.subcontractRule)
        .map((c) => [c.number, c.subcontractRule]),
      [[6, 'no_personal_data_only']]
    )
  })

  test('the pasted seed texts (Markdown and PDF extraction) read to the same rules', ({
    assert,
  }) => {
    const rules = (name: string) =>
      parse(fixture(name))
        .clauses.map((c) => [c.numberLabel, suggestSubcontractRule(c)])
        .filter(([, rule]) => rule)
    assert.deepEqual(rules('seed_000_markdown_16.txt'), [['9', 'forbidden']])
    assert.deepEqual(rules('seed_004_markdown_13.txt'), [['6', 'no_personal_data_only']])
    assert.deepEqual(rules('seed_001_pdf_13.txt'), [['６', 'no_personal_data_only']])
  })

  test('staff training is suggested for the 従業員に対する教育 clauses and for a clause that also asks for it', ({
    assert,
  }) => {
    for (const set of [SPECIAL_TERMS_13, SPECIAL_TERMS_16]) {
      assert.deepEqual(
        set.clauses.filter((c) => suggestRequiresTraining(c)).map((c) => c.heading),
        ['従業員に対する教育'],
        set.code
      )
    }
    assert.isTrue(
      suggestRequiresTraining({
        heading: '個人情報を取り扱う従事者の指定',
        body: '乙は、従事者を指定し、甲に届け出るとともに、当該従事者に対して個人情報の保護に関する研修を実施しなければならない。',
      })
    )
    assert.isFalse(
      suggestRequiresTraining({
        heading: '個人情報を取り扱う従事者の指定',
        body: '乙は、従事者を指定し、甲に届け出なければならない。',
      })
    )
  })
})

test.group('Clause rules: saving and approving a subcontract', () => {
  test('no rule: anything may be saved and approved; approval is needed only with personal data', ({
    assert,
  }) => {
    const clauses = [
      clause(
        null,
        '乙は、業務に関して知り得た個人情報を一切第三者に漏らしてはならない。',
        '2',
        '秘密の保持'
      ),
    ]
    assert.isNull(SubcontractRules.onSave(clauses, personal))
    assert.isNull(SubcontractRules.onApproval(clauses, personal, approval('2026-07-01', null), era))
    assert.isTrue(SubcontractRules.needsApproval(clauses, true))
    assert.isFalse(SubcontractRules.needsApproval(clauses, false))
    assert.isFalse(SubcontractRules.needsApproval([], false))
  })

  test('forbidden: refused with and without personal data, on save and on approval, quoting the clause', ({
    assert,
  }) => {
    const clauses = [
      clause(null, '乙は、秘密を保持する。', '2', '秘密の保持'),
      clause('forbidden', FORBIDS),
    ]
    for (const facts of [personal, noPersonal, { handlesPersonalData: false, startsOn: null }]) {
      const onSave = SubcontractRules.onSave(clauses, facts)
      assert.equal(onSave?.reason, 'forbidden')
      assert.equal(onSave?.field, 'parentTerms')
      assert.equal(onSave?.message, 'register.contracts.rules.forbidden')
      assert.deepEqual(onSave?.values, { clause: '特記事項第9項（再委託の禁止）', text: FORBIDS })
      assert.equal(
        SubcontractRules.onApproval(clauses, facts, approval('2026-05-01'), era)?.reason,
        'forbidden'
      )
    }
  })

  test('only work without personal data: personal data refused; without it allowed, after the ward’s consent', ({
    assert,
  }) => {
    const clauses = [clause('no_personal_data_only', NO_PERSONAL_DATA, '６')]
    const refused = SubcontractRules.onSave(clauses, personal)
    assert.equal(refused?.reason, 'personal_data')
    assert.equal(refused?.field, 'handlesPersonalData')
    assert.deepEqual(refused?.values, {
      clause: '特記事項第６項（再委託の禁止）',
      text: NO_PERSONAL_DATA,
    })
    assert.equal(
      SubcontractRules.onApproval(clauses, personal, approval('2026-05-01'), era)?.reason,
      'personal_data'
    )

    assert.isNull(SubcontractRules.onSave(clauses, noPersonal))
    assert.isTrue(SubcontractRules.needsApproval(clauses, false))
    // 甲の承諾: no written reference or date rule of its own.
    assert.isNull(
      SubcontractRules.onApproval(clauses, noPersonal, approval('2026-07-01', null), era)
    )
  })

  test('prior written approval: saved (pending); approved only with the written approval, dated by the start', ({
    assert,
  }) => {
    const clauses = [clause('prior_written_approval', WRITTEN, '第9条', '')]
    assert.isNull(SubcontractRules.onSave(clauses, personal))
    assert.isNull(SubcontractRules.onSave(clauses, noPersonal))
    assert.isTrue(SubcontractRules.needsApproval(clauses, false))

    const missing = SubcontractRules.onApproval(
      clauses,
      personal,
      approval('2026-05-01', '  '),
      era
    )
    assert.equal(missing?.reason, 'written_approval_missing')
    assert.equal(missing?.field, 'approvalReference')
    assert.deepEqual(missing?.values, { clause: '特記事項第9条', text: WRITTEN })

    const late = SubcontractRules.onApproval(clauses, personal, approval('2026-06-02'), era)
    assert.equal(late?.reason, 'approval_not_prior')
    assert.equal(late?.field, 'approvedOn')
    assert.equal(late?.values.start, '2026-06-01')

    // On the start day itself, or before; or any day when the start is not known.
    assert.isNull(SubcontractRules.onApproval(clauses, personal, approval('2026-06-01'), era))
    assert.isNull(SubcontractRules.onApproval(clauses, personal, approval('2026-04-20'), era))
    assert.isNull(
      SubcontractRules.onApproval(
        clauses,
        { handlesPersonalData: true, startsOn: null },
        approval('2027-01-05'),
        era
      )
    )
    assert.equal(SubcontractRules.writtenApprovalClause(clauses)?.printedNumber, '第9条')
  })

  test('every clause with a rule counts, in the order of the set', ({ assert }) => {
    const clauses = [
      clause('prior_written_approval', WRITTEN, '5'),
      clause('no_personal_data_only', NO_PERSONAL_DATA, '6'),
    ]
    assert.equal(SubcontractRules.onSave(clauses, personal)?.clause.printedNumber, '6')
    assert.isNull(SubcontractRules.onSave(clauses, noPersonal))
    assert.equal(
      SubcontractRules.onApproval(clauses, noPersonal, approval('2026-05-01', null), era)?.reason,
      'written_approval_missing'
    )
  })

  test('the citation keeps the number as written; the quote gives the paragraphs and items', ({
    assert,
  }) => {
    assert.equal(clauseCitation({ printedNumber: '１', heading: '' }), '特記事項第１項')
    assert.equal(
      clauseCitation({ printedNumber: '第3条', heading: '再委託' }),
      '特記事項第3条（再委託）'
    )
    assert.equal(
      clauseQuote({
        heading: '',
        body: '乙は、次に掲げる場合を除き再委託してはならない。\n２　前項の承諾は書面による。',
        items: ['(1) 甲の承諾', '保守業務'],
      }),
      '乙は、次に掲げる場合を除き再委託してはならない。 ２　前項の承諾は書面による。 (1) 甲の承諾 （2）保守業務'
    )
  })
})
