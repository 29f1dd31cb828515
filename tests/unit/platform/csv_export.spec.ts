import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { test } from '@japa/runner'
import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
import { DateTime } from 'luxon'
import CsvExport, { CsvEncodingError, type CsvColumn } from '#services/csv/csv_export'
import { WARD_ZONE } from '#services/ward_calendar'

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

const PEOPLE: CsvColumn[] = [
  { key: 'id', header: '番号' },
  { key: 'name', header: '氏名' },
  { key: 'note', header: '備考' },
]

/** Decodes an export (dropping the UTF-8 BOM) and parses it back into rows of strings. */
function parseBack(buffer: Buffer, encoding: 'utf8' | 'cp932'): string[][] {
  const text =
    encoding === 'utf8'
      ? buffer.subarray(BOM.length).toString('utf8')
      : iconv.decode(buffer, 'cp932')
  return parse(text) as string[][]
}

/** Exports one column holding the given values (UTF-8) and returns the parsed data cells. */
async function roundTripColumn(values: unknown[]): Promise<string[]> {
  const rows = values.map((value) => ({ value }))
  const buffer = await CsvExport.toBuffer([{ key: 'value', header: '値' }], rows, {
    encoding: 'utf8',
  })
  return parseBack(buffer, 'utf8')
    .slice(1)
    .map(([cell]) => cell)
}

/** Waits until `read()` stops changing for a few event-loop turns (pipeline buffers are full). */
async function settle(read: () => number): Promise<number> {
  let last = -1
  let stable = 0
  for (let turn = 0; turn < 5000 && stable < 20; turn++) {
    await new Promise((resolve) => setImmediate(resolve))
    stable = read() === last ? stable + 1 : 0
    last = read()
  }
  return last
}

test.group('CsvExport / UTF-8', () => {
  test('starts with a BOM and Japanese text round-trips', async ({ assert }) => {
    const buffer = await CsvExport.toBuffer(
      PEOPLE,
      [
        { id: 1, name: '髙橋 﨑子', note: '①番窓口・㈱ｶﾀｶﾅ〜' },
        { id: 2, name: '𠮷野 花子', note: '♡' },
      ],
      { encoding: 'utf8' }
    )

    assert.deepEqual([...buffer.subarray(0, 3)], [0xef, 0xbb, 0xbf])
    assert.notEqual(buffer[3], 0xef, 'exactly one BOM')
    assert.deepEqual(parseBack(buffer, 'utf8'), [
      ['番号', '氏名', '備考'],
      ['1', '髙橋 﨑子', '①番窓口・㈱ｶﾀｶﾅ〜'],
      ['2', '𠮷野 花子', '♡'],
    ])
  })

  test('uses CRLF line endings only', async ({ assert }) => {
    const buffer = await CsvExport.toBuffer(PEOPLE, [{ id: 1, name: '区民', note: 'x' }], {
      encoding: 'utf8',
    })
    const text = buffer.subarray(BOM.length).toString('utf8')

    assert.equal(text, '番号,氏名,備考\r\n1,区民,x\r\n')
    assert.notMatch(text.replaceAll('\r\n', ''), /[\r\n]/)
  })

  test('quotes commas, quotes and line breaks, and nothing else', async ({ assert }) => {
    const values = [
      '東京都,千代田区',
      '通称"たろう"',
      '一行目\n二行目',
      '一行目\r\n二行目',
      'CR\rだけ',
      '普通',
    ]
    const buffer = await CsvExport.toBuffer(
      [{ key: 'value', header: '値' }],
      values.map((value) => ({ value })),
      { encoding: 'utf8' }
    )
    const text = buffer.subarray(BOM.length).toString('utf8')

    assert.equal(
      text,
      '値\r\n"東京都,千代田区"\r\n"通称""たろう"""\r\n"一行目\n二行目"\r\n"一行目\r\n二行目"\r\n"CR\rだけ"\r\n普通\r\n'
    )
    assert.deepEqual(await roundTripColumn(values), values)
  })

  test('formats dates in Asia/Tokyo, booleans as 1/0 and null as empty', async ({ assert }) => {
    const cells = await roundTripColumn([
      DateTime.fromISO('2026-04-01', { zone: WARD_ZONE }),
      DateTime.fromISO('2026-03-31T15:00:00Z', { zone: 'utc' }), // midnight in Tokyo
      DateTime.fromISO('2026-04-01T00:00:00Z', { zone: 'utc' }), // 09:00 in Tokyo
      new Date('2026-03-31T15:00:00Z'),
      new Date('2026-04-01T08:30:45+09:00'),
      DateTime.fromISO('1945-08-15', { zone: WARD_ZONE }), // before 1970
      DateTime.fromISO('1949-06-01', { zone: WARD_ZONE }), // Japan used DST (+10:00) then
      DateTime.invalid('unparsable'),
      new Date(Number.NaN),
      true,
      false,
      null,
      undefined,
      0,
      -5,
      1.25,
    ])

    assert.deepEqual(cells, [
      '2026-04-01',
      '2026-04-01',
      '2026-04-01 09:00',
      '2026-04-01',
      '2026-04-01 08:30',
      '1945-08-15',
      '1949-06-01',
      '',
      '',
      '1',
      '0',
      '',
      '',
      '0',
      '-5',
      '1.25',
    ])
  })

  test('a missing key is written as an empty cell', async ({ assert }) => {
    const buffer = await CsvExport.toBuffer(PEOPLE, [{ id: 7 }], { encoding: 'utf8' })
    assert.equal(buffer.subarray(BOM.length).toString('utf8'), '番号,氏名,備考\r\n7,,\r\n')
  })

  test('guards text cells against Excel formula injection', async ({ assert }) => {
    const cells = await roundTripColumn([
      '=HYPERLINK("http://example.com")',
      '+81-3-1234-5678', // Excel would compute 81-3-1234-5678
      '-2+3+cmd|/C calc!A0',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
      '＝1+1',
      -5,
      '-5',
      '+3.5',
      '03-1234-5678',
      'a=b',
      '',
    ])

    assert.deepEqual(cells, [
      `'=HYPERLINK("http://example.com")`,
      `'+81-3-1234-5678`,
      `'-2+3+cmd|/C calc!A0`,
      `'@SUM(A1)`,
      `'\t=1+1`,
      `'\r=1+1`,
      `'＝1+1`,
      '-5',
      '-5',
      '+3.5',
      '03-1234-5678',
      'a=b',
      '',
    ])
  })
})

test.group('CsvExport / CP932', () => {
  test('round-trips CP932 text and maps 〜 to ～', async ({ assert }) => {
    const buffer = await CsvExport.toBuffer(
      PEOPLE,
      [
        { id: 1, name: '髙橋 﨑子', note: '①番窓口 ㈱ｶﾀｶﾅ' },
        { id: 2, name: '山田 太郎', note: '9時〜17時 −5℃ ‖ ¢£¬ — ‐ 本当?' },
      ],
      { encoding: 'cp932' }
    )

    assert.isFalse(buffer.subarray(0, 3).equals(BOM), 'no BOM in CP932')
    assert.isTrue(buffer.includes(Buffer.from([0x81, 0x60])), '～ is 0x8160')
    assert.deepEqual(parseBack(buffer, 'cp932'), [
      ['番号', '氏名', '備考'],
      ['1', '髙橋 﨑子', '①番窓口 ㈱ｶﾀｶﾅ'],
      ['2', '山田 太郎', '9時～17時 －5℃ ∥ ￠￡￢ ― ‐ 本当?'],
    ])
    // The only '?' (0x3F) in the bytes is the one that was in the data.
    assert.lengthOf(buffer.toString('latin1').match(/\?/g) ?? [], 1)
  })

  test('toCp932Safe mappings all survive an iconv-lite round trip', ({ assert }) => {
    const source = '〜−‖¢£¬—¦¥‾\u00A0'
    const mapped = CsvExport.toCp932Safe(source)

    assert.equal(mapped, '～－∥￠￡￢―￤￥￣ ')
    assert.equal(iconv.decode(iconv.encode(mapped, 'cp932'), 'cp932'), mapped)
    assert.deepEqual(CsvExport.unencodableCharacters(source), [])
    assert.equal(CsvExport.toCp932Safe('髙橋 ‐ ?'), '髙橋 ‐ ?')
  })

  test('unencodableCharacters counts surrogate pairs once and lists each character once', ({
    assert,
  }) => {
    assert.deepEqual(CsvExport.unencodableCharacters('𠮷野家♡𠮷 ㋿ é'), ['𠮷', '♡', '㋿', 'é'])
    assert.deepEqual(CsvExport.unencodableCharacters('髙﨑①㈱ｶﾀｶﾅ～〜?'), [])
  })

  test('stream fails with CsvEncodingError instead of writing ?', async ({ assert }) => {
    const rows = [
      { id: 1, name: '山田 太郎', note: '' },
      { id: 2, name: '𠮷田 花子', note: '好きなもの♡' },
    ]

    const error = await CsvExport.toBuffer(PEOPLE, rows, { encoding: 'cp932' }).then(
      () => null,
      (thrown: unknown) => thrown
    )

    assert.instanceOf(error, CsvEncodingError)
    const { problems, message } = error as CsvEncodingError
    assert.deepEqual(problems, [
      { row: 2, column: '氏名', character: '𠮷' },
      { row: 2, column: '備考', character: '♡' },
    ])
    assert.equal(
      message,
      'CP932（Shift_JIS）で表せない文字があります: 2行目「氏名」の「𠮷」、2行目「備考」の「♡」'
    )
  })

  test('the stream stops at the bad row and never emits ?', async ({ assert }) => {
    const received: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk)
        callback()
      },
    })
    const rows = [{ id: 1, name: '山田', note: '' }, { id: 2, name: '♡', note: '' }, { id: 3 }]

    await assert.rejects(
      () => pipeline(CsvExport.stream(PEOPLE, rows, { encoding: 'cp932' }), sink),
      /2行目「氏名」の「♡」/
    )
    const written = iconv.decode(Buffer.concat(received), 'cp932')
    assert.notInclude(written, '?')
    assert.notInclude(written, '3\r\n')
  })

  test('check lists every problem without output, and null when clean', async ({ assert }) => {
    const rows = Array.from({ length: 12 }, (_, index) => ({ id: index + 1, name: `♡${index}` }))
    rows.push({ id: 13, name: '〜 は対応表で変換できる' })

    const error = await CsvExport.check(PEOPLE, rows)

    assert.instanceOf(error, CsvEncodingError)
    assert.lengthOf(error!.problems, 12)
    assert.deepEqual(error!.problems[11], { row: 12, column: '氏名', character: '♡' })
    assert.match(
      error!.message,
      /^CP932（Shift_JIS）で表せない文字があります: 1行目「氏名」の「♡」、/
    )
    assert.include(error!.message, '10行目「氏名」の「♡」、ほか2件')
    assert.notInclude(error!.message, '11行目')

    assert.isNull(await CsvExport.check(PEOPLE, [{ id: 1, name: '髙橋 〜 ①', note: -1 }]))
  })

  test('a header CP932 cannot hold is reported as the header line', async ({ assert }) => {
    const error = await CsvExport.check([{ key: 'mark', header: '記号♡' }], [])
    assert.deepEqual(error?.problems, [{ row: 0, column: '記号♡', character: '♡' }])
    assert.include(error?.message ?? '', '見出し「記号♡」の「♡」')
  })
})

test.group('CsvExport / streaming', () => {
  const COLUMNS: CsvColumn[] = [
    { key: 'id', header: '番号' },
    { key: 'name', header: '氏名' },
    { key: 'address', header: '住所' },
    { key: 'note', header: '備考' },
    { key: 'active', header: '有効' },
    { key: 'createdAt', header: '登録日' },
  ]
  const created = Date.parse('2026-04-01T09:30:00+09:00')

  async function* generateRows(count: number, onRow: () => void = () => {}) {
    for (let index = 1; index <= count; index++) {
      onRow()
      yield {
        id: index,
        name: `区民 ${index}号`,
        address: `東京都千代田区霞が関${index % 3}丁目${index}番地 第${index}合同庁舎`,
        note: `住民票の写しの交付請求（${index}件目）〜 ${'控'.repeat(index % 40)}`,
        active: index % 2 === 0,
        createdAt: new Date(created + index * 60_000),
      }
    }
  }

  test('does not read ahead of a consumer that is not reading', async ({ assert }) => {
    let produced = 0
    const stream = CsvExport.stream(
      COLUMNS,
      generateRows(100_000, () => produced++),
      {
        encoding: 'utf8',
      }
    )

    // The consumer takes the first chunk, then stops reading.
    let lines = 0
    stream.once('data', () => stream.pause())
    stream.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) lines++
    })
    const readAhead = await settle(() => produced)
    assert.isAbove(readAhead, 0)
    assert.isBelow(readAhead, 5_000, 'backpressure holds the source')

    stream.resume()
    await new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject))
    assert.equal(produced, 100_000)
    assert.equal(lines, 100_001)
  }).timeout(60_000)
})
