import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import DemoData from '#database/demo/demo_data'
import CouncilMeeting from '#models/council_meeting'
import User from '#models/user'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
} from '#services/council/compare/compare'
import {
  createSeedCouncilItem,
  SEED_COUNCIL_ITEMS,
  type SeedCouncilItem,
} from '#database/demo/seed_council_items'

const run = promisify(execFile)

/** Rows the demo register tells differently from the seed, on purpose (label → why). */
const EXPECTED_DIFFERENCES: Record<string, string[]> = {
  // The seed was written before the tender; the demo register names the contractor since chosen.
  '004_1402d2ef23b0738c.txt': ['委託先'],
}

/** 001 was printed for its meeting (平成１９年度 第７回 資料３３); the others carry no agenda header. */
const PRINTED_FOR_ITS_MEETING = new Set(['001_820e07acc9fcada2.txt'])

/** A draft item with the seed's wording on the demo register; 001 on its meeting, as printed. */
async function itemFor(entry: SeedCouncilItem) {
  const item = await createSeedCouncilItem(entry)
  if (PRINTED_FOR_ITS_MEETING.has(entry.file)) {
    const meeting = await CouncilMeeting.findByOrFail({
      fiscalYear: entry.meeting.fiscalYear,
      number: entry.meeting.number,
    })
    item.merge({ meetingId: meeting.id, documentNumber: entry.meeting.documentNumber })
    await item.save()
  }
  return item
}

test.group('Council document PDF, generated from the register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  for (const entry of SEED_COUNCIL_ITEMS) {
    test(`seed ${entry.file}: the demo register prints the council's document row for row`, async ({
      client,
      assert,
    }) => {
      await DemoData.load({ inProduction: false })
      const item = await itemFor(entry)
      const officer = await User.findByOrFail('email', 'privacy@demo.daicho.jp')

      const response = await client.get(`/council/items/${item.id}/document.pdf`).loginAs(officer)
      response.assertStatus(200)
      assert.equal(response.header('content-type'), 'application/pdf')

      // The HTTP client decodes bodies as text, so render the same document directly for the bytes.
      const pdf = await PdfRenderer.render(
        CouncilDocument.definition(await CouncilDocumentBuilder.build(item.id))
      )
      await mkdir(app.tmpPath('pdf'), { recursive: true })
      const file = app.tmpPath('pdf', `council-${entry.seed.key}.pdf`)
      await writeFile(file, pdf)
      const { stdout: fonts } = await run('pdffonts', [file])
      assert.include(fonts, 'NotoSansJP')

      const reference = await readFile(
        new URL(`../../fixtures/seeds/${entry.file}`, import.meta.url),
        'utf8'
      )
      const comparison = compareCouncilDocument(await extractPdfText(file), reference)
      console.log(formatReport(entry.file, comparison).join('\n'))
      const differing = comparison.rows.filter((row) => !row.identical).map((row) => row.label)
      const expected = EXPECTED_DIFFERENCES[entry.file] ?? []
      assert.deepEqual(differing, expected)
      assert.equal(comparison.identical, comparison.total - expected.length)
    })
  }
})
