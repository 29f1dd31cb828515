import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import { parseReference } from '#services/council/compare/reference_parser'
import { lineUsage } from '#services/council/import/line_usage'

const SEEDS = ['000_7d152e217bd49c2e.txt', '001_820e07acc9fcada2.txt', '004_1402d2ef23b0738c.txt']

const readSeed = (name: string) =>
  readFile(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8')

const unusedTexts = (usage: ReturnType<typeof lineUsage>) =>
  usage.lines.filter((line) => !line.used && !line.structural).map((line) => line.text.trim())

test.group('lineUsage: the source lines the document uses', () => {
  for (const seed of SEEDS) {
    test(`seed ${seed.slice(0, 3)}: every line of the document proper is used by its own rows`, async ({
      assert,
    }) => {
      const text = await readSeed(seed)
      const usage = lineUsage(text, parseReference(text))
      assert.lengthOf(usage.lines, text.replace(/\r\n?/g, '\n').split('\n').length)
      assert.deepEqual(usage.lines[0].number, 1)
      const unused = unusedTexts(usage)
      if (seed.startsWith('004')) {
        // The attachment is not part of the document: highlighted for the officer.
        assert.deepEqual(unused, ['# 付属資料1', '## しんじゅく安全・安心情報ネットイメージ'])
      } else {
        assert.deepEqual(unused, [])
      }
      assert.equal(usage.unused, unused.length)
      assert.isAbove(
        usage.lines.filter((line) => line.used).length,
        usage.lines.filter((line) => line.structural).length / 4
      )
    })
  }

  test('structural lines: blank, table separator, headings, elision, page numbers', ({
    assert,
  }) => {
    const text = [
      '件名\tコールセンター業務委託について',
      '----\t---',
      '',
      '## 事業の概要',
      '事業名\tコールセンター業務委託',
      ' ：：： ',
      '- 2 -',
      '別紙1',
      '## 件名 コールセンター業務委託について',
      '# 特記事項',
      '## (基本的事項)',
      '- 1 乙は、必要な措置を講じなければならない。',
    ].join('\n')
    const rows = parseReference(text)
    const usage = lineUsage(text, rows)
    assert.deepEqual(
      usage.lines.map((line) => (line.structural ? 'S' : line.used ? 'U' : '-')).join(''),
      'USSSUSSSUSUU'
    )
    assert.equal(usage.unused, 0)
  })

  test('a bare number is a page number unless the document has it', ({ assert }) => {
    const text = ['事業名\t業務', '7', '目的\t第3条の規定による', '3'].join('\n')
    const rows = parseReference(text).map((row) => ({
      ...row,
      value: row.value.replace('\n7', ''),
    }))
    assert.deepEqual(
      lineUsage(text, rows).lines.map((line) => [line.used, line.structural]),
      [
        [true, false],
        [false, true],
        [true, false],
        [true, false],
      ]
    )
  })

  test('dropping a row of the document makes its lines unused, the others stay used', async ({
    assert,
  }) => {
    const text = await readSeed(SEEDS[2])
    const rows = parseReference(text).filter((row) => row.label !== '委託理由')
    const unused = unusedTexts(lineUsage(text, rows))
    assert.deepEqual(unused.slice(0, 1), [
      '委託理由\t上記安全・安心情報ネットの維持管理には専門知識及びノウハウが必要であるため。',
    ])
    assert.lengthOf(unused, 3)
  })

  test('dropping a row of the plain extraction (lines over several lines)', async ({ assert }) => {
    const text = await readSeed(SEEDS[1])
    const rows = parseReference(text).filter((row) => row.label !== '委託理由')
    const unused = unusedTexts(lineUsage(text, rows))
    // The label and the six lines its value is wrapped over.
    assert.lengthOf(unused, 7)
    assert.equal(unused[0], '委託理由')
    assert.match(unused[6], /^務範囲内として委託する。$/)
  })

  for (const seed of SEEDS) {
    test(`seed ${seed.slice(0, 3)}: a line added in the middle is unused, the rest stay used`, async ({
      assert,
    }) => {
      const text = await readSeed(seed)
      const rows = parseReference(text)
      const lines = text.split('\n')
      const middle = Math.floor(lines.length / 2)
      const added = [
        ...lines.slice(0, middle),
        'この行はどこにも使われない',
        ...lines.slice(middle),
      ]
      const before = unusedTexts(lineUsage(text, rows))
      const usage = lineUsage(added.join('\n'), rows)
      assert.deepEqual(
        unusedTexts(usage),
        [...before, 'この行はどこにも使われない'].sort(
          (a, b) => added.indexOf(a) - added.indexOf(b)
        )
      )
      const line = usage.lines[middle]
      assert.deepEqual(line, {
        number: middle + 1,
        text: 'この行はどこにも使われない',
        used: false,
        structural: false,
      })
    })
  }

  test('rows in another order than the source: a moved row is still found', async ({ assert }) => {
    const text = await readSeed(SEEDS[2])
    const rows = parseReference(text)
    // The document prints 委託理由 after 委託の開始時期及び期限 (e.g. an extra row placed elsewhere).
    const reason = rows.findIndex((row) => row.label === '委託理由')
    const moved = [...rows]
    const [row] = moved.splice(reason, 1)
    moved.splice(reason + 2, 0, row)
    assert.deepEqual(unusedTexts(lineUsage(text, moved)), unusedTexts(lineUsage(text, rows)))
  })

  test('a short line that occurs only far ahead does not pull the others out of place', ({
    assert,
  }) => {
    const text = ['事業名\t業務', '(1)', '目的\t区民の便利のため', '対象者\t区民全員'].join('\n')
    const row = (label: string, value: string) => ({
      kind: 'row' as const,
      label,
      value,
      section: '事業の概要',
    })
    const rows = [
      row('事業名', '業務'),
      row('目的', '区民の便利のため'),
      row('対象者', '区民全員'),
      row('事業内容', '(1)'),
    ]
    const usage = lineUsage(text, rows)
    // Searching forward only would match '(1)' in 事業内容 and lose 目的 and 対象者 behind it.
    assert.deepEqual(
      usage.lines.map((line) => line.used),
      [true, true, true, true]
    )
    const far = lineUsage(text, [...rows.slice(0, 3), row('備考', 'x'.repeat(1000)), rows[3]])
    assert.deepEqual(
      far.lines.map((line) => line.used),
      [true, false, true, true]
    )
  })
})
