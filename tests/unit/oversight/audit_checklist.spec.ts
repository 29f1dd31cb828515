import { test } from '@japa/runner'
import AuditChecklist, {
  type ChecklistMeasures,
} from '#services/oversight/oversight_audit_checklist'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'

const noMeasures: ChecklistMeasures = {
  wardMeasuresOperational: [],
  wardMeasuresSystem: [],
  contractorMeasuresOperational: [],
  contractorMeasuresSystem: [],
}

test.group('Audit checklist generator', () => {
  test('one line per clause in clause order, then one per measure line', ({ assert }) => {
    const lines = AuditChecklist.generate(
      [
        {
          number: 2,
          heading: '（秘密の保持）',
          body: '乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。',
        },
        {
          number: 1,
          heading: '基本的事項',
          body: '乙は、個人情報の保護の重要性を認識し…',
          items: ['目的外に利用しないこと', '複写しないこと'],
        },
      ],
      {
        wardMeasuresOperational: ['契約にあたり、別紙「特記事項」を付す。'],
        wardMeasuresSystem: ['ユーザーＩＤ及びパスワードによる認証を行う。'],
        contractorMeasuresOperational: [
          '取扱責任者をあらかじめ指定する。',
          '  ',
          '作業場所を限定する。',
        ],
        contractorMeasuresSystem: ['専用回線を経由する端末を使用する。'],
      }
    )

    assert.deepEqual(
      lines.map((line) => [line.position, line.source, line.number, line.heading]),
      [
        [1, 'clause', 1, '基本的事項'],
        [2, 'clause', 2, '秘密の保持'],
        [3, 'ward_operational', 1, null],
        [4, 'ward_system', 1, null],
        [5, 'contractor_operational', 1, null],
        [6, 'contractor_operational', 2, null],
        [7, 'contractor_system', 1, null],
      ]
    )
    assert.equal(
      lines[0].text,
      '乙は、個人情報の保護の重要性を認識し…\n（1）目的外に利用しないこと\n（2）複写しないこと'
    )
    assert.equal(lines[5].text, '作業場所を限定する。')
  })

  test('keeps sub-item markers as written and allows a clause without a heading', ({ assert }) => {
    const [line] = AuditChecklist.generate(
      [
        {
          number: 1,
          heading: null,
          body: '乙は、次に掲げる事項を守らなければならない。',
          items: ['ア　目的外に利用しないこと', '(2) 複写しないこと'],
        },
      ],
      noMeasures
    )
    assert.isNull(line.heading)
    assert.equal(
      line.text,
      '乙は、次に掲げる事項を守らなければならない。\nア　目的外に利用しないこと\n(2) 複写しないこと'
    )
  })

  test('labels a line by its source, number and heading', ({ assert }) => {
    assert.equal(
      AuditChecklist.referenceOf({ source: 'clause', number: 2, heading: '秘密の保持' }),
      '特記事項 2（秘密の保持）'
    )
    assert.equal(
      AuditChecklist.referenceOf({ source: 'contractor_system', number: 1, heading: null }),
      '受託事業者に行わせる情報保護対策（システム上） 1'
    )
  })

  test('the seed 13-clause set gives 13 clause lines with its headings', ({ assert }) => {
    const lines = AuditChecklist.generate(SPECIAL_TERMS_13.clauses, noMeasures)
    assert.lengthOf(lines, 13)
    assert.isTrue(lines.every((line) => line.source === 'clause' && line.text.length > 0))
    assert.include(
      lines.map((line) => line.heading),
      '秘密の保持'
    )
  })

  test('a contract without terms or measures has no lines', ({ assert }) => {
    assert.deepEqual(AuditChecklist.generate([], noMeasures), [])
  })
})

test.group('Audit checklist progress', () => {
  test('answered / total overall and per section, sections in checklist order, empty ones left out', ({
    assert,
  }) => {
    const progress = AuditChecklist.progress([
      { source: 'clause', answer: 'compliant' },
      { source: 'clause', answer: null },
      { source: 'clause', answer: 'non_compliant' },
      { source: 'contractor_system', answer: null },
      { source: 'ward_operational', answer: 'not_applicable' },
    ])
    assert.equal(progress.answered, 3)
    assert.equal(progress.total, 5)
    assert.deepEqual(progress.sections, [
      { source: 'clause', answered: 2, total: 3 },
      { source: 'ward_operational', answered: 1, total: 1 },
      { source: 'contractor_system', answered: 0, total: 1 },
    ])
  })

  test('no lines: nothing answered, no sections', ({ assert }) => {
    assert.deepEqual(AuditChecklist.progress([]), { answered: 0, total: 0, sections: [] })
  })
})
