import { test } from '@japa/runner'
import TemplateRows, { type ExtraRow, type LaidOutRow } from '#services/council/template_rows'

/**
 * Rows a real document has that its template does not model (根拠法令, 委託先の選定方法, 備考 …):
 * inserted into the laid-out rows where the item says, printed as written.
 */

const laidOut: LaidOutRow[] = [
  { key: 'holder_department', label: '保有課(担当課)', value: '区政情報課' },
  { key: 'contractor', label: '委託先', value: '三幸株式会社' },
  { key: 'reason', label: '委託理由', value: '専門的な知識が必要なため' },
]
const templateKeys = [
  'holder_department',
  'system_name',
  'contractor',
  'data_items',
  'media',
  'reason',
]
const extra = (label: string, after: string, value = `${label}の内容`): ExtraRow => ({
  label,
  value,
  after,
})
const labels = (rows: LaidOutRow[]) => rows.map((row) => row.label)

test.group('TemplateRows.withExtraRows', () => {
  test('puts each row after the template row it names, first for ^ and last for an empty position', ({
    assert,
  }) => {
    const rows = TemplateRows.withExtraRows(
      laidOut,
      [extra('備考', ''), extra('委託先の選定方法', 'contractor'), extra('根拠法令', '^')],
      templateKeys
    )
    assert.deepEqual(labels(rows), [
      '根拠法令',
      '保有課(担当課)',
      '委託先',
      '委託先の選定方法',
      '委託理由',
      '備考',
    ])
    assert.deepEqual(rows[3], {
      key: 'extra:1',
      label: '委託先の選定方法',
      value: '委託先の選定方法の内容',
    })
  })

  test('several rows after the same row keep the order they were entered in', ({ assert }) => {
    const rows = TemplateRows.withExtraRows(
      laidOut,
      [
        extra('実施時期', 'contractor'),
        extra('再委託の有無', 'contractor'),
        extra('先1', '^'),
        extra('先2', '^'),
      ],
      templateKeys
    )
    assert.deepEqual(labels(rows), [
      '先1',
      '先2',
      '保有課(担当課)',
      '委託先',
      '実施時期',
      '再委託の有無',
      '委託理由',
    ])
  })

  test('a key the template does not have puts the row at the end; a row not printed hands its place to the row before it', ({
    assert,
  }) => {
    const rows = TemplateRows.withExtraRows(
      laidOut,
      [
        extra('どこか', 'no_such_row'),
        extra('媒体の補足', 'media'),
        extra('名称の補足', 'system_name'),
      ],
      templateKeys
    )
    // media and system_name are not printed (empty): their rows follow contractor and holder_department.
    assert.deepEqual(labels(rows), [
      '保有課(担当課)',
      '名称の補足',
      '委託先',
      '媒体の補足',
      '委託理由',
      'どこか',
    ])
    // Without the template's keys, a row that is not printed counts as unknown: at the end.
    assert.deepEqual(
      labels(TemplateRows.withExtraRows(laidOut, [extra('媒体の補足', 'media')])).at(-1),
      '媒体の補足'
    )
  })

  test('a row before every printed row goes first', ({ assert }) => {
    const rows = TemplateRows.withExtraRows(
      laidOut.slice(1),
      [extra('前', 'holder_department')],
      templateKeys
    )
    assert.deepEqual(labels(rows), ['前', '委託先', '委託理由'])
  })

  test('rows with neither label nor value are ignored; a value without a label or a label without a value prints', ({
    assert,
  }) => {
    const rows = TemplateRows.withExtraRows(
      laidOut,
      [
        extra('', '', ''),
        { label: '  ', value: ' \n ', after: '^' },
        { label: '', value: '続き', after: 'reason' },
        { label: '備考', value: '', after: '' },
      ],
      templateKeys
    )
    assert.deepEqual(labels(rows), ['保有課(担当課)', '委託先', '委託理由', '', '備考'])
    assert.equal(rows[3].value, '続き')
    assert.deepEqual(TemplateRows.withExtraRows(laidOut, []), laidOut)
    assert.deepEqual(TemplateRows.withExtraRows(laidOut, null), laidOut)
  })

  test('the value is kept as written (lines, markers, tabs)', ({ assert }) => {
    const value = '・一般競争入札\n（１）\t予定価格\t100万円\n  字下げ'
    const rows = TemplateRows.withExtraRows(
      laidOut,
      [extra('選定方法', 'reason', value)],
      templateKeys
    )
    assert.equal(rows.at(-1)!.value, value)
  })
})
