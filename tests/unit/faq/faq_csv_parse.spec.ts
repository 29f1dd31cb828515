import { test } from '@japa/runner'
import iconv from 'iconv-lite'
import CsvParse from '#services/csv/csv_parse'
import FaqLinks from '#services/faq/faq_links'

test.group('CsvParse (legacy import files)', () => {
  test('RFC 4180 fields, with the line each record starts on', ({ assert }) => {
    const { records, problems } = CsvParse.records('a,b\r\n1,"x, ""y""\r\nz"\r\n\r\n2,3\n4,')
    assert.deepEqual(problems, [])
    assert.deepEqual(records, [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x, "y"\r\nz'] },
      { line: 5, cells: ['2', '3'] },
      { line: 6, cells: ['4', ''] },
    ])
  })

  test('reports an unclosed quote and text after a closing quote by line', ({ assert }) => {
    assert.deepEqual(CsvParse.records('a\r\n"ok"x\r\n"open\r\nmore').problems, [
      { line: 2, message: '引用符（"）で囲んだ値の後に文字があります。' },
      { line: 3, message: '引用符（"）が閉じられていません。' },
    ])
  })

  test('detects UTF-8 (with or without BOM) and CP932', ({ assert }) => {
    const text = '旧ID,件名\r\n1,駐輪場～〜①\r\n'
    assert.equal(CsvParse.parse(Buffer.from(text)).encoding, 'utf8')
    const bom = CsvParse.parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
    assert.equal(bom.records[0].cells[0], '旧ID')
    const sjis = CsvParse.parse(iconv.encode('旧ID,件名\r\n1,駐輪場～①髙\r\n', 'cp932'))
    assert.equal(sjis.encoding, 'cp932')
    assert.deepEqual(sjis.records[1].cells, ['1', '駐輪場～①髙'])
  })
})

test.group('FaqLinks', () => {
  test('one link per line, label then http(s) address', ({ assert }) => {
    assert.deepEqual(FaqLinks.parse('防災マップ https://example.jp/map\n\nhttps://example.jp/b'), {
      ok: true,
      links: [
        { label: '防災マップ', url: 'https://example.jp/map' },
        { label: 'https://example.jp/b', url: 'https://example.jp/b' },
      ],
    })
    assert.deepEqual(FaqLinks.parse('ok https://example.jp\njavascript:alert(1)'), {
      ok: false,
      line: 2,
      text: 'javascript:alert(1)',
    })
    assert.equal(
      FaqLinks.format([{ label: '地図', url: 'https://example.jp/' }]),
      '地図 https://example.jp/'
    )
  })
})
