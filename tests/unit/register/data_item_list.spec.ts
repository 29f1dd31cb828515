import { test } from '@japa/runner'
import {
  effectiveHeadings,
  emptyRow,
  groupItems,
  headingCells,
  moveRow,
  normaliseRows,
  parsePastedList,
  withPastedItems,
} from '#services/register/data_item_list'
import { rowsAsList } from '#validators/register/data_items'

const row = (name: string, groupHeading = '', id = '') => ({
  ...emptyRow(),
  name,
  groupHeading,
  id,
})
const triples = (items: Array<{ groupHeading: string | null; name: string; note: string }>) =>
  items.map((item) => [item.groupHeading, item.name, item.note])

test.group('Data item list: pasted lists', () => {
  test('one item per line or separated by 、 (not inside brackets); bullets and list numbers go', ({
    assert,
  }) => {
    const list = parsePastedList(
      [
        'ID、パスワード，氏名',
        '・住所',
        '● 電話番号',
        '1. 郵便番号',
        '（2）FAX番号',
        '③ 生年月日',
        '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
        '1日あたりの利用回数',
        '',
        '   ',
      ].join('\r\n')
    )
    assert.deepEqual(
      list.items.map((item) => item.name),
      [
        'ID',
        'パスワード',
        '氏名',
        '住所',
        '電話番号',
        '郵便番号',
        'FAX番号',
        '生年月日',
        '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
        '1日あたりの利用回数',
      ]
    )
    assert.equal(list.headings, 0)
    assert.isTrue(list.items.every((item) => item.groupHeading === null && item.note === ''))
  })

  test('【…】 lines and lines ending with ： are headings kept as written; 【…】 or a short lead with ： may carry the items', ({
    assert,
  }) => {
    const list = parsePastedList(
      [
        '【申請者】',
        '氏名、住所',
        '問合せをした方の：',
        '・氏名',
        '【代理人】氏名、電話番号',
        '連絡先：電話番号、メールアドレス',
        '住所：必要な場合のみ',
      ].join('\n')
    )
    assert.deepEqual(triples(list.items), [
      ['【申請者】', '氏名', ''],
      ['【申請者】', '住所', ''],
      ['問合せをした方の：', '氏名', ''],
      ['【代理人】', '氏名', ''],
      ['【代理人】', '電話番号', ''],
      ['連絡先：', '電話番号', ''],
      ['連絡先：', 'メールアドレス', ''],
      ['連絡先：', '住所：必要な場合のみ', ''],
    ])
    assert.equal(list.headings, 4)
  })

  test('spreadsheet cells: name<TAB>note; further cells join the note; a heading cell alone is a heading', ({
    assert,
  }) => {
    const list = parsePastedList(
      ['【該当者】\t', '住所\t必要な場合のみ', 'ＦＡＸ番号\t\t任意', '氏名、フリガナ\t'].join('\n')
    )
    assert.deepEqual(triples(list.items), [
      ['【該当者】', '住所', '必要な場合のみ'],
      ['【該当者】', 'ＦＡＸ番号', '任意'],
      ['【該当者】', '氏名、フリガナ', ''],
    ])
  })
})

test.group('Data item list: headings in the table', () => {
  test('a heading runs down the table until the next one; － ends it; cells show it on the first row of a run', ({
    assert,
  }) => {
    assert.deepEqual(effectiveHeadings(['【A】', '', '', '－', '', '【B】', '']), [
      '【A】',
      '【A】',
      '【A】',
      null,
      null,
      '【B】',
      '【B】',
    ])
    assert.deepEqual(headingCells(['【A】', '【A】', null, null, '【B】', '【A】']), [
      '【A】',
      '',
      '－',
      '',
      '【B】',
      '【A】',
    ])
    assert.deepEqual(headingCells([null, null, '【A】']), ['', '', '【A】'])
  })

  test('moving a row keeps every row in its group; heading-only and blank rows are tidied', ({
    assert,
  }) => {
    const rows = [row('氏名', '【申請者】'), row('住所'), row('代理人氏名', '【代理人】')]
    assert.deepEqual(
      moveRow(rows, 1, 'down').map((r) => [r.groupHeading, r.name]),
      [
        ['【申請者】', '氏名'],
        ['【代理人】', '代理人氏名'],
        ['【申請者】', '住所'],
      ]
    )
    assert.deepEqual(moveRow(rows, 0, 'up'), rows)
    assert.deepEqual(
      normaliseRows([row('', '【申請者】'), row('氏名'), row(''), row('住所')]).map((r) => [
        r.groupHeading,
        r.name,
      ]),
      [
        ['【申請者】', '氏名'],
        ['', '住所'],
      ]
    )
  })

  test('pasting after the table starts its own groups; replacing reuses same-named items and ticks the rest for removal', ({
    assert,
  }) => {
    const table = [row('氏名', '【申請者】', '7'), row('FAX番号', '', '8')]
    const pasted = parsePastedList('住所\n氏名\t読み仮名も').items
    assert.deepEqual(
      withPastedItems(table, pasted, 'append').map((r) => [r.groupHeading, r.name, r.id]),
      [
        ['【申請者】', '氏名', '7'],
        ['', 'FAX番号', '8'],
        ['－', '住所', ''],
        ['', '氏名', ''],
      ]
    )
    assert.deepEqual(
      withPastedItems(table, pasted, 'replace').map((r) => [r.name, r.id, r.note, r.remove]),
      [
        ['住所', '', '', false],
        ['氏名', '7', '読み仮名も', false],
        ['FAX番号', '8', '', true],
      ]
    )
  })

  test('stored items group by runs of the same heading', ({ assert }) => {
    const groups = groupItems([
      { groupHeading: '【A】' },
      { groupHeading: '【A】' },
      { groupHeading: null },
      { groupHeading: '【A】' },
    ])
    assert.deepEqual(
      groups.map((g) => [g.heading, g.items.length]),
      [
        ['【A】', 2],
        [null, 1],
        ['【A】', 1],
      ]
    )
  })
})

test.group('Data item list: the rows field', () => {
  test('a list, an object keyed by index or one row is a list; a plain value is refused (null)', ({
    assert,
  }) => {
    assert.deepEqual(rowsAsList([{ name: 'a' }]), [{ name: 'a' }])
    assert.deepEqual(rowsAsList({ '10': { name: 'b' }, '2': { name: 'a' } }), [
      { name: 'a' },
      { name: 'b' },
    ])
    assert.deepEqual(rowsAsList({ name: '氏名', note: '' }), [{ name: '氏名', note: '' }])
    assert.deepEqual(rowsAsList(undefined), [])
    assert.isNull(rowsAsList('氏名、住所'))
    assert.isNull(rowsAsList(3))
  })
})
