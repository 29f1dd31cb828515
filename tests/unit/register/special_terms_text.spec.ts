import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import {
  hasItemMarker,
  kanjiNumber,
  parse,
  printedItems,
  renumberLabel,
  splitItemMarker,
} from '#services/register/special_terms_text'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'

/** The special-terms parts of the three seed council documents, copied verbatim. */
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/special_terms/${name}`, import.meta.url), 'utf8')

/** Full-width/half-width differences aside (the seeds differ in digit and parenthesis widths). */
const nfkc = (text: string) => text.normalize('NFKC')

const summary = (text: string) =>
  parse(text).clauses.map((c) => [c.numberLabel, c.heading, c.body, c.items])

test.group('Special terms as text: the seed documents', () => {
  test('seed 000 (Markdown: ## (見出し), - 1 bullets, **(見出し)**, nested - (1) items) gives its 16 clauses', ({
    assert,
  }) => {
    const { clauses, skipped } = parse(fixture('seed_000_markdown_16.txt'))
    assert.deepEqual(skipped, [])
    assert.lengthOf(clauses, 16)
    assert.deepEqual(
      clauses.map((c) => c.number),
      Array.from({ length: 16 }, (_, i) => i + 1)
    )
    assert.deepEqual(
      clauses.map((c) => c.numberLabel),
      Array.from({ length: 16 }, (_, i) => String(i + 1))
    )
    assert.deepEqual(
      clauses.map((c) => c.heading),
      SPECIAL_TERMS_16.clauses.map((c) => c.heading)
    )
    assert.deepEqual(
      clauses.map((c) => nfkc(c.body)),
      SPECIAL_TERMS_16.clauses.map((c) => nfkc(c.body))
    )
    assert.deepEqual(clauses[4].items, [
      '(1) 思想、信条及び宗教に関する事項',
      '(2) 社会的差別の原因となる事実に関する事項',
      '(3) 犯罪に関する事項',
      '(4) その他区民の個人的秘密が侵害されるおそれがあると甲が認めた事項',
    ])
    // Clause 10 is split by a blank line in the middle of a sentence.
    assert.include(clauses[9].body, '乙が業務を行うに当たり乙の電子計算機を使用した場合には')
    assert.deepEqual(
      clauses.filter((c) => c.items.length).map((c) => c.number),
      [5]
    )
  })

  test('seed 001 (PDF extraction: 特 記 事 項, full-width numbers, lines wrapped mid-sentence) gives its 13 clauses', ({
    assert,
  }) => {
    const { clauses, skipped } = parse(fixture('seed_001_pdf_13.txt'))
    assert.deepEqual(skipped, [])
    assert.deepEqual(
      clauses.map((c) => c.numberLabel),
      ['１', '２', '３', '４', '５', '６', '７', '８', '９', '10', '11', '12', '13']
    )
    assert.deepEqual(
      clauses.map((c) => c.number),
      Array.from({ length: 13 }, (_, i) => i + 1)
    )
    assert.deepEqual(
      clauses.map((c) => c.heading),
      SPECIAL_TERMS_13.clauses.map((c) => c.heading)
    )
    assert.deepEqual(
      clauses.map((c) => nfkc(c.body)),
      SPECIAL_TERMS_13.clauses.map((c) => nfkc(c.body))
    )
    // Joined without a separator, characters as written.
    assert.equal(
      clauses[12].body,
      '乙は、第１項から第１１項までに掲げる事項に違反し、又は怠ったことにより甲又は第三者に損害を与えたときは、その損害を賠償するものとする。'
    )
    assert.equal(
      clauses[2].body,
      '乙は、業務に関して知り得た情報を、この契約の目的以外に利用し、又は第三者に提供し、若しくは使用させてはならない。ただし、個人情報を除いた情報については、甲の承諾があるときはこの限りではない。'
    )
    assert.isTrue(clauses.every((c) => c.items.length === 0))
  })

  test('seed 004 (Markdown, half-width numbers, ASCII parentheses kept) gives its 13 clauses', ({
    assert,
  }) => {
    const { clauses } = parse(fixture('seed_004_markdown_13.txt'))
    assert.lengthOf(clauses, 13)
    assert.deepEqual(
      clauses.map((c) => c.heading),
      SPECIAL_TERMS_13.clauses.map((c) => c.heading)
    )
    assert.deepEqual(
      clauses.map((c) => nfkc(c.body)),
      SPECIAL_TERMS_13.clauses.map((c) => nfkc(c.body))
    )
    assert.equal(
      clauses[0].body,
      '乙は、個人情報の保護及び情報セキュリティの重要性について十分な認識を持ち、この契約による業務(以下「業務」という。)を行うに当たっては、必要な措置を講じなければならない。'
    )
  })
})

test.group('Special terms as text: other forms of real documents', () => {
  test('第N条 articles with （見出し）, 号 (一　…), further paragraphs and kanji numbers', ({
    assert,
  }) => {
    const text = [
      '個人情報の取扱いに関する特記事項',
      '',
      '（目的）',
      '第１条　この特記事項は、個人情報の取扱いについて必要な事項を定める。',
      '（定義）',
      '第２条　この特記事項において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。',
      '一　個人情報　個人に関する情報であって、特定の個人を識別することが',
      'できるものをいう。',
      '二　保有個人情報　乙が業務のために取得した個人情報をいう。',
      '第三条（秘密の保持）乙は、業務に関して知り得た個人情報を漏らしてはならない。',
      '２　前項の規定は、この契約が終了した後も同様とする。',
      '第4条 乙は、前条及び',
      '第3条の規定により、報告を行うものとする。',
      '第十二条　甲は、監査を行うことができる。',
    ].join('\n')
    assert.deepEqual(summary(text), [
      ['第１条', '目的', 'この特記事項は、個人情報の取扱いについて必要な事項を定める。', []],
      [
        '第２条',
        '定義',
        'この特記事項において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。',
        [
          '一　個人情報　個人に関する情報であって、特定の個人を識別することができるものをいう。',
          '二　保有個人情報　乙が業務のために取得した個人情報をいう。',
        ],
      ],
      [
        '第三条',
        '秘密の保持',
        '乙は、業務に関して知り得た個人情報を漏らしてはならない。\n２　前項の規定は、この契約が終了した後も同様とする。',
        [],
      ],
      ['第4条', '', '乙は、前条及び第3条の規定により、報告を行うものとする。', []],
      ['第十二条', '', '甲は、監査を行うことができる。', []],
    ])
    assert.deepEqual(
      parse(text).clauses.map((c) => c.number),
      [1, 2, 3, 4, 12]
    )
  })

  test('full-width numbers, full-width spaces or none, no headings, page numbers and wrapped numbers', ({
    assert,
  }) => {
    const text = [
      '特　記　事　項',
      '１　乙は、個人情報を適正に管理しなければならない。',
      '２　乙は、次に掲げる事項を守らなければならない。',
      '　（ア）　目的外に利用しないこと。',
      '　（イ）　第三者に提供しないこと。',
      '３乙は、甲の指示に従うものとする。',
      '',
      '- 2 -',
      '－３－',
      '４　乙は、収集した個人情報を、収集後',
      '1年をもって削除する。',
      '5 乙は、事故が発生したときは、直ちに甲に報告する。',
    ].join('\n')
    assert.deepEqual(summary(text), [
      ['１', '', '乙は、個人情報を適正に管理しなければならない。', []],
      [
        '２',
        '',
        '乙は、次に掲げる事項を守らなければならない。',
        ['（ア）　目的外に利用しないこと。', '（イ）　第三者に提供しないこと。'],
      ],
      ['３', '', '乙は、甲の指示に従うものとする。', []],
      ['４', '', '乙は、収集した個人情報を、収集後1年をもって削除する。', []],
      ['5', '', '乙は、事故が発生したときは、直ちに甲に報告する。', []],
    ])
  })

  test('a number alone on its line opens a clause whose text follows; otherwise it is a page number', ({
    assert,
  }) => {
    const text = [
      '（基本的事項）',
      '１',
      '乙は、必要な措置を',
      '5',
      '講じなければならない。',
      '2',
      '（秘密の保持）',
      '２　乙は、秘密を守る。',
      '3',
    ].join('\n')
    assert.deepEqual(summary(text), [
      ['１', '基本的事項', '乙は、必要な措置を講じなければならない。', []],
      ['２', '秘密の保持', '乙は、秘密を守る。', []],
    ])
  })

  test('sub-items in every usual form of Japanese legal numbering are kept as written', ({
    assert,
  }) => {
    const items = [
      '（1） 全角括弧と半角数字',
      '(1) 半角括弧',
      '（１）全角数字',
      '⑴ 括弧付き数字',
      '① 丸数字',
      '一 漢数字',
      'ア カタカナ',
      'イ　全角空白',
      '（ア） 括弧付きカタカナ',
      '(ｱ) 半角カタカナ',
      'ｱ 半角カタカナだけ',
      'a 英小文字',
      '(a) 括弧付き英小文字',
      '(ii) ローマ数字',
      '・ 中黒',
    ]
    const { clauses } = parse(
      [
        '（収集の制限）',
        '5 乙は、次に掲げる個人情報を収集してはならない。',
        ...items.map((item) => `  ${item}`),
      ].join('\n')
    )
    assert.lengthOf(clauses, 1)
    assert.deepEqual(clauses[0].items, items)
    assert.isTrue(items.every(hasItemMarker))
    assert.deepEqual(splitItemMarker('（ア）　目的外'), { marker: '（ア）', text: '目的外' })
    assert.deepEqual(splitItemMarker('２　前項の規定は'), { marker: '２', text: '前項の規定は' })
    assert.deepEqual(splitItemMarker('目的外'), { marker: '', text: '目的外' })
  })

  test('a wrapped item is joined to the item, and items numbered inside a numbered clause stay items', ({
    assert,
  }) => {
    const text = [
      '3 乙は、次に掲げる事項を遵守する。',
      '1 個人情報を施錠できる保管庫に',
      '保管すること。',
      '2 複写しないこと。',
      '4 乙は、報告する。',
    ].join('\n')
    assert.deepEqual(summary(text), [
      [
        '3',
        '',
        '乙は、次に掲げる事項を遵守する。',
        ['1 個人情報を施錠できる保管庫に保管すること。', '2 複写しないこと。'],
      ],
      ['4', '', '乙は、報告する。', []],
    ])
  })

  test('a heading shared by consecutive clauses is kept on the first one only', ({ assert }) => {
    const text = [
      '**（秘密の保持）**',
      '- 1 乙は、秘密を守る。',
      '- 2 乙は、契約終了後も同様とする。',
      '## (監査)',
      '- 3 乙は、監査を受ける。',
      '- 4 乙は、資料を提出する。',
    ].join('\n')
    assert.deepEqual(
      parse(text).clauses.map((c) => [c.numberLabel, c.heading]),
      [
        ['1', '秘密の保持'],
        ['2', ''],
        ['3', '監査'],
        ['4', ''],
      ]
    )
  })

  test('60 clauses with headings, Markdown bullets and page numbers', ({ assert }) => {
    const lines: string[] = ['# 特記事項', '']
    for (let n = 1; n <= 60; n++) {
      if (n % 2 === 1) lines.push(`## (見出し${n})`, '')
      lines.push(`- ${n} 乙は、第${n}項の事項を守る。`, '')
      if (n % 10 === 0) lines.push(`- ${n / 10} -`, '')
    }
    const { clauses, skipped } = parse(lines.join('\n'))
    assert.deepEqual(skipped, [])
    assert.lengthOf(clauses, 60)
    assert.deepEqual(
      clauses.map((c) => c.number),
      Array.from({ length: 60 }, (_, i) => i + 1)
    )
    assert.equal(clauses[59].body, '乙は、第60項の事項を守る。')
    assert.deepEqual(
      clauses.slice(0, 4).map((c) => c.heading),
      ['見出し1', '', '見出し3', '']
    )
  })

  test('text before the first clause is reported, and a heading with no clause after it opens an empty one', ({
    assert,
  }) => {
    const { clauses, skipped } = parse(
      [
        '別紙',
        '個人情報の取扱いに関する特記事項',
        '甲と乙は、次のとおり定める。',
        '（基本的事項）',
        '1 乙は、必要な措置を講じる。',
        '（損害の賠償）',
        '',
      ].join('\n')
    )
    assert.deepEqual(skipped, ['甲と乙は、次のとおり定める。'])
    assert.deepEqual(
      clauses.map((c) => [c.number, c.numberLabel, c.heading, c.body]),
      [
        [1, '1', '基本的事項', '乙は、必要な措置を講じる。'],
        [2, '', '損害の賠償', ''],
      ]
    )
    assert.deepEqual(
      parse('（基本的事項）\n乙は、番号のない条項を守る。').clauses.map((c) => [
        c.numberLabel,
        c.heading,
        c.body,
      ]),
      [['', '基本的事項', '乙は、番号のない条項を守る。']]
    )
    assert.deepEqual(parse('').clauses, [])
  })
})

test.group('Special terms as text: printing helpers', () => {
  test('items entered without a marker are numbered （n）, the others print as written', ({
    assert,
  }) => {
    assert.deepEqual(printedItems(['思想', '信条']), ['（1）思想', '（2）信条'])
    assert.deepEqual(printedItems(['(1) 思想', 'ア　信条']), ['(1) 思想', 'ア　信条'])
  })

  test('renumbering keeps the style of each label', ({ assert }) => {
    assert.equal(renumberLabel('１', 12), '１２')
    assert.equal(renumberLabel('10', 3), '3')
    assert.equal(renumberLabel('第1条', 4), '第4条')
    assert.equal(renumberLabel('第十二条', 21), '第二十一条')
    assert.equal(renumberLabel('1.', 2), '2.')
    assert.equal(renumberLabel('', 2), '')
    assert.equal(kanjiNumber('百二十三'), 123)
    assert.equal(kanjiNumber('十'), 10)
    assert.equal(kanjiNumber('二〇'), 20)
  })
})
