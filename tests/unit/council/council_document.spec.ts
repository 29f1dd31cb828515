import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import CouncilDocument from '#services/council/council_document_pdf'
import type { CouncilDocumentData } from '#services/council/council_document_data'
import PdfRenderer from '#services/pdf_renderer'
import { COUNCIL_DOCUMENT_FIXTURES } from '#tests/fixtures/council_documents'

const run = promisify(execFile)

/** tests/unit → tmp/ of the app (PDFs and PNGs are left there for inspection). */
const TMP_DIR = fileURLToPath(new URL('../../../tmp/', import.meta.url))

/** Copies of the seed council documents, kept in the repository (a clone has no shared folder). */
const readSeed = (name: string) =>
  readFile(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8')

const stripWhitespace = (text: string) => text.replace(/\s+/g, '')
const halfWidthDigits = (text: string) =>
  text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
const valueLines = (value: string | string[]) =>
  (Array.isArray(value) ? value : [value]).flatMap((part) => part.split('\n'))

/** Every row label and value line of the fixture (what the seed itself contains). */
function seedStrings(data: CouncilDocumentData): string[] {
  const rows = [...data.overview, ...data.annexes.flatMap((annex) => annex.rows)]
  return [
    data.subject,
    ...(data.header ? [data.header] : []),
    ...(data.contact ? [data.contact] : []),
    ...data.basis.flatMap((basis) => [`【${basis.kind}】`, ...basis.articles]),
    ...data.annexes.flatMap((annex) => [...annex.captions, annex.subject]),
    ...rows.flatMap((row) => [row.label, ...valueLines(row.value)]),
  ]
}

/** Everything the PDF must show, incl. the fixed headings and the special terms. */
function documentStrings(data: CouncilDocumentData): string[] {
  return [
    data.title,
    '内容は別紙のとおり',
    '条例の根拠',
    '事業の概要',
    '件名',
    ...seedStrings(data),
    ...(data.specialTerms ?? []).flatMap((terms) => [
      terms.title,
      ...terms.clauses.flatMap((clause) => [
        `（${clause.heading}）`,
        `${clause.number}\u3000${clause.body}`,
        ...clause.items.map((item, index) => `（${index + 1}）${item}`),
      ]),
    ]),
  ]
}

/** Strings (whitespace removed) that do not occur in the haystack (whitespace removed). */
const missingIn = (haystack: string, needles: string[], normalize = (s: string) => s) => {
  const text = normalize(stripWhitespace(haystack))
  return needles.filter((needle) => !text.includes(normalize(stripWhitespace(needle))))
}

test.group('CouncilDocument PDF', (group) => {
  group.each.timeout(30_000)
  group.teardown(() => PdfRenderer.shutdown())

  for (const { seed, data } of COUNCIL_DOCUMENT_FIXTURES) {
    const id = seed.slice(0, 3)

    test(`fixture ${id} copies the seed values exactly`, async ({ assert }) => {
      // The seeds are HTML-ish (000, 004) or a PDF extraction with full-width digits (001).
      const seedFile = await readSeed(seed)
      const seedText = seedFile.replace(/<[^>]+>/g, '')
      assert.deepEqual(missingIn(seedText, seedStrings(data), halfWidthDigits), [])
      assert.isAbove(data.annexes.length, 0)
      assert.isAbove(data.specialTerms?.[0]?.clauses.length ?? 0, 12)
    })

    test(`seed ${id}: renders a Japanese PDF with every label and value`, async ({ assert }) => {
      const pdf = await PdfRenderer.render(CouncilDocument.definition(data))

      await mkdir(TMP_DIR, { recursive: true })
      const file = `${TMP_DIR}council-${id}.pdf`
      await writeFile(file, pdf)

      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
      assert.isBelow(pdf.length, 1024 * 1024)

      const { stdout: fonts } = await run('pdffonts', [file])
      assert.match(fonts, /NotoSansJP-Regular/)
      assert.match(fonts, /NotoSansJP-Bold/)

      const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], {
        maxBuffer: 16 * 1024 * 1024,
      })
      assert.deepEqual(missingIn(text, documentStrings(data)), [])

      // Layout: annexes and special terms start on new pages after the cover page.
      const pages = text.split('\f')
      const annexPage = pages.findIndex(
        (page, index) =>
          index > 0 && stripWhitespace(page).includes(stripWhitespace(data.annexes[0].subject))
      )
      const termsPage = pages.findIndex((page) => stripWhitespace(page).startsWith('特記事項'))
      assert.isAbove(annexPage, 0)
      assert.isAbove(termsPage, annexPage)

      // Page 1 and the first annex page as PNG (60 dpi) for a visual check.
      for (const [page, name] of [
        [1, 'page1'],
        [annexPage + 1, 'annex1'],
      ] as const) {
        await run('pdftoppm', [
          '-r',
          '60',
          '-png',
          '-singlefile',
          '-f',
          String(page),
          '-l',
          String(page),
          file,
          `${TMP_DIR}council-${id}-${name}`,
        ])
        const png = await readFile(`${TMP_DIR}council-${id}-${name}.png`)
        assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG')
      }
    })
  }

  test('rendering in the worker does not block the event loop', async ({ assert }) => {
    const definition = CouncilDocument.definition(COUNCIL_DOCUMENT_FIXTURES[0].data)
    await PdfRenderer.render(definition) // warm: worker started, fonts parsed

    // Count the turns of the event loop while two documents render: in the worker the loop keeps
    // turning (thousands of turns); rendering on the main thread would hold it for the whole layout.
    let turns = 0
    let spinning = true
    const spin = () => {
      turns++
      if (spinning) setImmediate(spin)
    }
    setImmediate(spin)
    const pdfs = await Promise.all([PdfRenderer.render(definition), PdfRenderer.render(definition)])
    spinning = false

    assert.lengthOf(pdfs, 2)
    assert.isTrue(pdfs.every((pdf) => pdf.subarray(0, 5).toString('latin1') === '%PDF-'))
    assert.isAbove(turns, 100)
  })

  test('definitions with functions render on the main thread', async ({ assert }) => {
    const pdf = await PdfRenderer.render({
      content: ['特記事項'],
      defaultStyle: { font: 'NotoSansJP' },
      footer: (page: number) => ({ text: `- ${page} -`, alignment: 'center' }),
    })
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  })

  test('URLs and local files outside the font directory are refused', async ({ assert }) => {
    await assert.rejects(
      () =>
        PdfRenderer.render({
          content: [{ image: 'https://example.com/logo.png' }],
          defaultStyle: { font: 'NotoSansJP' },
        }),
      /denied by resource access policy/
    )
    await assert.rejects(
      () =>
        PdfRenderer.render({
          content: [{ image: '/etc/hostname' }],
          defaultStyle: { font: 'NotoSansJP' },
        }),
      /denied by resource access policy/
    )
    // The worker survives a failed render.
    const pdf = await PdfRenderer.render({ content: ['ok'], defaultStyle: { font: 'NotoSansJP' } })
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  })
})
