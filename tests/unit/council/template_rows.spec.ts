import { test } from '@japa/runner'
import TemplateRows from '#services/council/template_rows'
import {
  DEFAULT_TEMPLATE_ROWS,
  NUMBERING_STYLES,
  type NumberingStyle,
  type TemplateRow,
} from '#enums/document_template'

const rows: TemplateRow[] = [
  { key: 'holder_department', label: '保有課(担当課)', always: true },
  { key: 'system_name', label: '登録業務の名称', always: true },
  { key: 'media', label: '処理させる情報項目の記録媒体', always: false },
  { key: 'ward_measures', label: '委託にあたり区が行う情報保護対策', always: false },
]

const lines = (count: number) => Array.from({ length: count }, (_, index) => `項目${index + 1}`)

test.group('TemplateRows.layout', () => {
  test('prints the rows in template order with the template labels', ({ assert }) => {
    const printed = TemplateRows.layout([rows[1], rows[0]], {
      holder_department: '区政情報課',
      system_name: 'コールセンター',
    })
    assert.deepEqual(printed, [
      { key: 'system_name', label: '登録業務の名称', value: 'コールセンター' },
      { key: 'holder_department', label: '保有課(担当課)', value: '区政情報課' },
    ])
  })

  test('an empty row is left out unless the template always prints it, then it prints blank', ({
    assert,
  }) => {
    for (const empty of ['', '   ', '\u3000\n', null, undefined, [], ['', ' \u3000']]) {
      const printed = TemplateRows.layout(rows, {
        holder_department: empty as any,
        media: empty as any,
        ward_measures: '１ 特記事項を付す。',
      })
      assert.deepEqual(
        printed.map((row) => [row.key, row.value]),
        [
          ['holder_department', ''],
          ['system_name', ''],
          ['ward_measures', '１ 特記事項を付す。'],
        ],
        `value ${JSON.stringify(empty)}`
      )
    }
  })

  test('a key missing from the values is empty', ({ assert }) => {
    const printed = TemplateRows.layout(rows, {})
    assert.deepEqual(printed, [
      { key: 'holder_department', label: '保有課(担当課)', value: '' },
      { key: 'system_name', label: '登録業務の名称', value: '' },
    ])
  })

  test('values are returned as given, lists included', ({ assert }) => {
    const media = ['電磁的媒体', ' USB ']
    const printed = TemplateRows.layout(rows, { media, system_name: '  コールセンター ' })
    assert.deepEqual(printed.find((row) => row.key === 'media')?.value, media)
    assert.equal(printed.find((row) => row.key === 'system_name')?.value, '  コールセンター ')
  })

  test('an annex override relabels or hides a row, even an always-printed one', ({ assert }) => {
    const printed = TemplateRows.layout(
      rows,
      { holder_department: '区政情報課', system_name: 'コールセンター', media: '紙' },
      {
        holder_department: { label: '保有課' },
        system_name: { hidden: true },
        media: { label: '   ' },
        unknown_key: { label: '使われない' },
      }
    )
    assert.deepEqual(printed, [
      { key: 'holder_department', label: '保有課', value: '区政情報課' },
      { key: 'media', label: '処理させる情報項目の記録媒体', value: '紙' },
    ])
  })

  test('the default templates lay out with every value given', ({ assert }) => {
    for (const templateRows of Object.values(DEFAULT_TEMPLATE_ROWS)) {
      const values = Object.fromEntries(templateRows.map((row) => [row.key, `値 ${row.key}`]))
      const printed = TemplateRows.layout(templateRows, values)
      assert.deepEqual(
        printed.map((row) => row.label),
        templateRows.map((row) => row.label)
      )
    }
  })
})

test.group('TemplateRows.number', () => {
  test('numbers plain lines in each style', ({ assert }) => {
    const plain = [
      '契約変更にあたり、別紙「特記事項」を付す。',
      'ユーザーＩＤ及びパスワードによる認証を行う。',
    ]
    assert.deepEqual(TemplateRows.number(plain, 'halfwidth'), [`1 ${plain[0]}`, `2 ${plain[1]}`])
    assert.deepEqual(TemplateRows.number(plain, 'fullwidth'), [
      `１\u3000${plain[0]}`,
      `２\u3000${plain[1]}`,
    ])
    assert.deepEqual(TemplateRows.number(plain, 'circled'), [`①${plain[0]}`, `②${plain[1]}`])
    assert.deepEqual(TemplateRows.number(plain, 'paren'), [`(1)${plain[0]}`, `(2)${plain[1]}`])
    assert.deepEqual(TemplateRows.number(plain, 'none'), plain)
  })

  test('lines written with a marker are kept as written and take no number', ({ assert }) => {
    const numbered = TemplateRows.number(
      [
        '取扱責任者を指定する。',
        '・氏名',
        '※必要な場合のみ',
        '収集した個人情報は速やかに引き継ぐ。',
      ],
      'fullwidth'
    )
    assert.deepEqual(numbered, [
      '１\u3000取扱責任者を指定する。',
      '・氏名',
      '※必要な場合のみ',
      '２\u3000収集した個人情報は速やかに引き継ぐ。',
    ])
  })

  test('recognises the usual Japanese markers', ({ assert }) => {
    const marked = [
      '１ 契約変更にあたり',
      '1 契約',
      '10 乙は',
      '１　区は',
      '1. 区は',
      '１．区は',
      '1) 区は',
      '１）区は',
      '1、区は',
      '2-1 詳細',
      '1.2 詳細',
      '１－２　詳細',
      '① 氏名',
      '⑳ 氏名',
      '㉑ 氏名',
      '㊿ 氏名',
      '⑴ 氏名',
      '⒈ 氏名',
      '❶ 氏名',
      'Ⅰ 総論',
      'ⅱ 細目',
      '㈠ 細目',
      '(1) 区は',
      '（１）区は',
      '（10）区は',
      '(一) 区は',
      '（ア）区は',
      '(ｲ) 区は',
      '（a）区は',
      '（ⅰ）区は',
      '(iv) 区は',
      '（注）区は',
      '（注1）区は',
      'ア）区は',
      'a) 区は',
      'イ　区は',
      'ア 区は',
      '一　区は',
      '二、区は',
      'a. 区は',
      'Ａ．区は',
      '第1条 目的',
      '第１項',
      '第十条',
      '第3号',
      '・氏名',
      '･氏名',
      '•氏名',
      '○氏名',
      '◯氏名',
      '〇氏名',
      '●氏名',
      '◎氏名',
      '◇１．電子計算機による',
      '◆氏名',
      '□氏名',
      '■氏名',
      '△氏名',
      '▲氏名',
      '☆氏名',
      '★氏名',
      '※ 必要な場合のみ',
      '＊氏名',
      '*氏名',
      '【システムの機能】',
      '〔注〕',
      '［参考］',
      '[参考]',
      '〈参考〉',
      '《参考》',
      '＜参考＞',
      '<参考>',
      '→ 参照',
      '⇒ 参照',
      '- 氏名',
      '－氏名',
      '―氏名',
      '＋氏名',
      '＃氏名',
      '注 区は',
      '注1：区は',
      '　・字下げした項目',
      '  (1) 字下げした項目',
    ]
    for (const line of marked) assert.isTrue(TemplateRows.isMarked(line), line)
  })

  test('text that only looks like a number is plain', ({ assert }) => {
    const plain = [
      '2024年度に開始する。',
      '1.5倍に増やす。',
      '1日1回確認する。',
      '10月から実施する。',
      '「特記事項」を付す。',
      '○○課において管理する。',
      '〇〇課',
      '第三者に提供しない。',
      '第1四半期に実施する。',
      '一般の区民',
      '十分な対策を講じる。',
      'ユーザーＩＤ及びパスワードによる認証',
      'アンケートを実施する。',
      'A社に委託する。',
      'IDを付与する。',
      'Ｅメールアドレス',
      '（仮称）新システム',
      '(株)三幸',
      '注意して取り扱う。',
      '区は、',
      'USBメモリは使用しない。',
    ]
    for (const line of plain) assert.isFalse(TemplateRows.isMarked(line), line)
  })

  test('empty lines are kept and take no number; plain lines lose their leading spaces', ({
    assert,
  }) => {
    assert.deepEqual(TemplateRows.number(['　区は', '', '  ', ' 乙は'], 'halfwidth'), [
      '1 区は',
      '',
      '  ',
      '2 乙は',
    ])
  })

  test('201 lines: none dropped, none reordered, circled past ⑳ and ㊿', ({ assert }) => {
    const input = lines(201)
    const circled = TemplateRows.number(input, 'circled')
    assert.lengthOf(circled, 201)
    assert.equal(circled[0], '①項目1')
    assert.equal(circled[19], '⑳項目20')
    assert.equal(circled[20], '㉑項目21')
    assert.equal(circled[34], '㉟項目35')
    assert.equal(circled[35], '㊱項目36')
    assert.equal(circled[49], '㊿項目50')
    assert.equal(circled[50], '(51)項目51')
    assert.equal(circled[200], '(201)項目201')
    assert.lengthOf(new Set(circled), 201)

    const expected: Record<NumberingStyle, [string, string]> = {
      halfwidth: ['1 項目1', '201 項目201'],
      fullwidth: ['１\u3000項目1', '２０１\u3000項目201'],
      circled: ['①項目1', '(201)項目201'],
      paren: ['(1)項目1', '(201)項目201'],
      none: ['項目1', '項目201'],
    }
    for (const style of NUMBERING_STYLES) {
      const numbered = TemplateRows.number(input, style)
      assert.lengthOf(numbered, 201, style)
      assert.deepEqual([numbered[0], numbered[200]], expected[style], style)
      numbered.forEach((line, index) =>
        assert.isTrue(line.endsWith(input[index]), `${style} ${index}`)
      )
    }
  })

  test('numbering twice changes nothing (numbered lines count as marked)', ({ assert }) => {
    const input = [...lines(60), '・補足', '']
    for (const style of NUMBERING_STYLES) {
      const once = TemplateRows.number(input, style)
      assert.deepEqual(TemplateRows.number(once, style), once, style)
    }
  })

  test('25 and 60 lines in every style', ({ assert }) => {
    for (const count of [25, 60]) {
      for (const style of NUMBERING_STYLES) {
        const numbered = TemplateRows.number(lines(count), style)
        assert.lengthOf(numbered, count)
        assert.equal(numbered[count - 1].endsWith(`項目${count}`), true)
        assert.equal(TemplateRows.marker(count, style) + `項目${count}`, numbered[count - 1])
      }
    }
  })

  test('an unknown style leaves the lines as written', ({ assert }) => {
    assert.deepEqual(TemplateRows.number(['区は', '乙は'], 'roman' as NumberingStyle), [
      '区は',
      '乙は',
    ])
    assert.deepEqual(TemplateRows.number([], 'circled'), [])
  })
})
