import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { compareRows, describeDifference, extractPdfText } from '#services/council/compare/compare'
import { parsePdfText } from '#services/council/compare/pdf_parser'
import CouncilDocument from '#services/council/council_document_pdf'
import type { CouncilDocumentData } from '#services/council/council_document_data'
import PdfRenderer from '#services/pdf_renderer'
import { documentRows } from '#services/council/compare/document_rows'
import { parseReference } from '#services/council/compare/reference_parser'
import { COUNCIL_001, COUNCIL_DOCUMENT_FIXTURES } from '#tests/fixtures/council_documents'
import { COUNCIL_FAMILY, familyMarkdown } from '#tests/fixtures/council_compare_family'

const readSeed = (name: string) =>
  readFile(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8')

/** Labels of the document's table rows, as compareCouncilDocument hands them to the parser. */
const rowLabels = (rows: ReturnType<typeof documentRows>) =>
  rows.filter((row) => row.kind === 'row').map((row) => row.label)

test.group('documentRows: the rows of a document without rendering its PDF', () => {
  for (const { seed, data } of COUNCIL_DOCUMENT_FIXTURES) {
    test(`${seed}: the fixture's rows equal the seed's, row for row`, async ({ assert }) => {
      const rows = documentRows(data)
      const comparison = compareRows(parseReference(await readSeed(seed), rowLabels(rows)), rows)
      assert.deepEqual(comparison.rows.filter((row) => !row.identical).map(describeDifference), [])
      assert.equal(comparison.identical, comparison.total)
      assert.equal(comparison.total, { '000': 48, '001': 39, '004': 35 }[seed.slice(0, 3)])
    })
  }

  test('the family document: captions, a table in a value, terms after each annex', ({
    assert,
  }) => {
    const rows = documentRows(COUNCIL_FAMILY)
    const comparison = compareRows(parseReference(familyMarkdown(), rowLabels(rows)), rows)
    assert.deepEqual(comparison.rows.filter((row) => !row.identical).map(describeDifference), [])
    assert.equal(comparison.total, 80)
    assert.lengthOf(
      rows.filter((row) => row.kind === 'caption'),
      2
    )
    assert.deepEqual(
      rows
        .filter((row) => row.kind === 'clause' && row.label === '' && row.section === '特記事項1')
        .map((row) => row.value.split(' ')[0]),
      ['3', '8', '12', '16', '22', '27']
    )
  })

  test('a changed value or a dropped row of the data is a difference', async ({ assert }) => {
    const { seed, data } = COUNCIL_DOCUMENT_FIXTURES[2]
    const reference = parseReference(await readSeed(seed))
    const changed = documentRows({
      ...data,
      annexes: data.annexes.map((annex) => ({
        ...annex,
        rows: annex.rows
          .filter((row) => row.label !== '委託理由')
          .map((row) => (row.label === '委託先' ? { ...row, value: '別の業者' } : row)),
      })),
    })
    const comparison = compareRows(reference, changed)
    assert.equal(comparison.identical, comparison.total - 2)
    const differing = comparison.rows.filter((row) => !row.identical)
    assert.equal(differing.find((row) => row.label === '委託先')?.actual, '別の業者')
    assert.isNull(differing.find((row) => row.label === '委託理由')?.actual)
  })
})

const TMP_DIR = fileURLToPath(new URL('../../../tmp/', import.meta.url))

async function pdfRows(name: string, data: CouncilDocumentData) {
  await mkdir(TMP_DIR, { recursive: true })
  const file = `${TMP_DIR}council-rows-${name}.pdf`
  await writeFile(file, await PdfRenderer.render(CouncilDocument.definition(data)))
  return parsePdfText(await extractPdfText(file))
}

test.group('documentRows: the rows the PDF of the same data reads back', (group) => {
  group.each.timeout(60_000)
  group.teardown(() => PdfRenderer.shutdown())

  for (const [name, data] of [
    ['001', COUNCIL_001],
    ['family', COUNCIL_FAMILY],
  ] as const) {
    test(`${name}: identical to parsePdfText of the rendered PDF, label and value`, async ({
      assert,
    }) => {
      const rows = documentRows(data)
      const comparison = compareRows(await pdfRows(name, data), rows)
      assert.deepEqual(comparison.rows.filter((row) => !row.identical).map(describeDifference), [])
      assert.equal(comparison.total, rows.length)
    })
  }
})
