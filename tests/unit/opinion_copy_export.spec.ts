import { test } from '@japa/runner'
import { escapeLiteral } from 'pg'
import { binaryRows, withLiterals } from '#services/opinions/opinion_copy_export'

/** What PostgreSQL sends for a binary COPY of one text column: header, tuples, trailer. */
function binaryCopy(values: Array<string | null>, { trailer = true } = {}) {
  const header = Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    Buffer.alloc(4), // flags
    Buffer.alloc(4), // header extension length
  ])
  const tuples = values.map((value) => {
    const head = Buffer.alloc(6)
    head.writeInt16BE(1, 0)
    if (value === null) {
      head.writeInt32BE(-1, 2)
      return head
    }
    const bytes = Buffer.from(value, 'utf8')
    head.writeInt32BE(bytes.length, 2)
    return Buffer.concat([head, bytes])
  })
  const end = Buffer.alloc(2)
  end.writeInt16BE(-1, 0)
  return Buffer.concat([header, ...tuples, ...(trailer ? [end] : [])])
}

async function collect(chunks: Buffer[]) {
  async function* source() {
    yield* chunks
  }
  const parts: Buffer[] = []
  let rows = 0
  for await (const result of binaryRows(source())) {
    parts.push(result.bytes)
    rows += result.rows
  }
  return { bytes: Buffer.concat(parts), rows }
}

const LINES = ['2025-000001,"a,b"\r\n', '"x""y",日本語\r\n', '', '𠮷\r\n']

test.group('OpinionCopyExport: the rows of a binary COPY', () => {
  test('the lines come out as sent, wherever the chunks are cut', async ({ assert }) => {
    const copy = binaryCopy(LINES)
    const expected = Buffer.from(LINES.join(''), 'utf8')
    for (let cut = 0; cut <= copy.length; cut++) {
      const { bytes, rows } = await collect([copy.subarray(0, cut), copy.subarray(cut)])
      assert.isTrue(bytes.equals(expected), `cut at byte ${cut}`)
      assert.equal(rows, LINES.length, `cut at byte ${cut}`)
    }
    const byteByByte = await collect([...copy].map((byte) => Buffer.from([byte])))
    assert.isTrue(byteByByte.bytes.equals(expected))
    assert.equal(byteByByte.rows, LINES.length)
  })

  test('a row cut across three chunks is joined, wherever both cuts are', async ({ assert }) => {
    const copy = binaryCopy(LINES)
    const expected = Buffer.from(LINES.join(''), 'utf8')
    for (let first = 0; first <= copy.length; first++) {
      for (let second = first; second <= copy.length; second++) {
        const { bytes, rows } = await collect([
          copy.subarray(0, first),
          copy.subarray(first, second),
          copy.subarray(second),
        ])
        assert.isTrue(bytes.equals(expected), `cuts at bytes ${first} and ${second}`)
        assert.equal(rows, LINES.length, `cuts at bytes ${first} and ${second}`)
      }
    }
  })

  test('a COPY cut off before its trailer, or with a NULL line, is an error, not a short file', async ({
    assert,
  }) => {
    await assert.rejects(
      () => collect([binaryCopy(LINES, { trailer: false })]),
      /ended before its last row/
    )
    await assert.rejects(() => collect([binaryCopy(['a\r\n', null])]), /NULL line/)
  })
})

test.group('OpinionCopyExport: values written into the statement', () => {
  test('placeholders become literals, except inside quoted literals and identifiers', ({
    assert,
  }) => {
    const sql = `select $1, '$2 stays', "col$2" from t where a = $2 and b = $3 and c = $4 and d = $5`
    const written = withLiterals(
      sql,
      [2025, "O'Brien\\", true, null, new Date('2025-04-01T00:00:00Z')],
      escapeLiteral
    )
    assert.equal(
      written,
      `select 2025, '$2 stays', "col$2" from t where a = ${escapeLiteral("O'Brien\\")} and b = TRUE and c = NULL and d = '2025-04-01T00:00:00.000Z'`
    )
    assert.include(written, ` E'O''Brien\\\\'`)
  })

  test('a value of another type, or a missing one, is refused', ({ assert }) => {
    assert.throws(() => withLiterals('select $1', [{ a: 1 }], escapeLiteral), /cannot be written/)
    assert.throws(() => withLiterals('select $1', [Number.NaN], escapeLiteral), /cannot be written/)
    assert.throws(() => withLiterals('select $2', [1], escapeLiteral), /No value/)
  })
})
