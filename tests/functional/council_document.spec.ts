import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import DemoData from '#database/demo/demo_data'
import CouncilItem, { type CouncilBasis } from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import CouncilMeeting from '#models/council_meeting'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import User from '#models/user'
import CouncilDocumentBuilder from '#services/council_document_builder'
import CouncilDocument from '#reports/council_document'
import PdfRenderer from '#services/pdf_renderer'
import { compareCouncilDocument, extractPdfText, formatReport } from '#services/council_compare/compare'
import { SEED_000, SEED_001, SEED_004, type DemoSystem } from '#database/demo/seed_systems'
import type { RowOverrides } from '#enums/document_template'

const run = promisify(execFile)

/** What an officer writes on the council item (and its annexes) so the document reads as the seed. */
interface SeedCase {
  seed: DemoSystem
  file: string
  subject: string
  basis: CouncilBasis[]
  meeting?: { fiscalYear: number; number: number; documentNumber: string }
  contact: { section?: string; person?: string; extension?: string }
  departmentLabel: string
  system?: { subject: string }
  contract: { caption?: string; holderLabel?: string; overrides?: RowOverrides }
  /** Rows the demo register tells differently from the seed, on purpose (label → why). */
  expectedDifferences: string[]
}

const CASES: SeedCase[] = [
  {
    seed: SEED_000,
    file: '000_7d152e217bd49c2e.txt',
    subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等について',
    basis: [
      { kind: 'consultation', articles: ['◇第16条第1項本文（電子計算機による個人情報の処理開発、変更）'] },
      { kind: 'report', articles: ['◇第14条第1項（業務委託）'] },
    ],
    contact: {},
    departmentLabel: '広聴担当課',
    system: { subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築について' },
    contract: {},
    expectedDifferences: [],
  },
  {
    seed: SEED_001,
    file: '001_820e07acc9fcada2.txt',
    subject: 'コールセンター業務委託について',
    basis: [{ kind: 'prior_report', articles: ['◇第14条第1項（個人情報の収集及び個人情報の電子計算機処理の委託）'] }],
    meeting: { fiscalYear: 2007, number: 7, documentNumber: '資料33' },
    contact: { person: '梅澤', extension: '２１５２' },
    departmentLabel: '区長室区政情報課',
    contract: {
      caption:
        '別紙（業務委託＝個人情報の提供を伴わない委託＝個人情報の収集委託等）\n◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告\n◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告',
      holderLabel: '区長室区政情報課',
      overrides: {
        data_items: { label: '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）' },
        media: { hidden: true },
      },
    },
    expectedDifferences: [],
  },
  {
    seed: SEED_004,
    file: '004_1402d2ef23b0738c.txt',
    subject: '地域安全・安心情報のメール配信に関する業務委託について',
    basis: [{ kind: 'prior_report', articles: ['第14条第1項（個人情報の電子計算機処理の委託）'] }],
    contact: { section: '危機管理', person: '福田', extension: '2473' },
    departmentLabel: '区長室危機管理課',
    contract: {
      overrides: {
        data_items: { label: '委託に伴い事業者処理させる情報項目等 (だれの、どのような項目か、 どのようなコンピュータで処理 するのか)' },
        media: { hidden: true },
      },
    },
    // The seed was written before the tender; the demo register names the contractor since chosen.
    expectedDifferences: ['委託先'],
  },
]

/** The council item of a seed, written on the demo register as a privacy officer would. */
async function itemFor(seedCase: SeedCase) {
  const system = await PersonalDataSystem.findByOrFail('name', seedCase.seed.name)
  const contract = await Contract.query().where('systemId', system.id).firstOrFail()
  const meeting = seedCase.meeting
    ? await CouncilMeeting.create({ fiscalYear: seedCase.meeting.fiscalYear, number: seedCase.meeting.number })
    : null
  const item = await CouncilItem.create({
    departmentId: system.departmentId,
    meetingId: meeting?.id ?? null,
    documentNumber: seedCase.meeting?.documentNumber ?? null,
    subject: seedCase.subject,
    basis: seedCase.basis,
    departmentLabel: seedCase.departmentLabel,
    contactSection: seedCase.contact.section ?? null,
    contactPerson: seedCase.contact.person ?? null,
    contactExtension: seedCase.contact.extension ?? null,
    status: meeting ? 'on_agenda' : 'draft',
  })
  let order = 0
  if (seedCase.system) {
    await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, subject: seedCase.system.subject, sortOrder: order++ })
  }
  await CouncilItemAnnex.create({
    itemId: item.id,
    systemId: system.id,
    contractId: contract.id,
    caption: seedCase.contract.caption ?? null,
    holderLabel: seedCase.contract.holderLabel ?? null,
    rowOverrides: seedCase.contract.overrides ?? {},
    sortOrder: order++,
  })
  return item
}

test.group('Council document PDF, generated from the register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  for (const seedCase of CASES) {
    test(`seed ${seedCase.file}: the demo register prints the council's document row for row`, async ({ client, assert }) => {
      await DemoData.load({ inProduction: false })
      const item = await itemFor(seedCase)
      const officer = await User.findByOrFail('email', 'privacy@demo.daicho.jp')

      const response = await client.get(`/council/items/${item.id}/document.pdf`).loginAs(officer)
      response.assertStatus(200)
      assert.equal(response.header('content-type'), 'application/pdf')

      // The HTTP client decodes bodies as text, so render the same document directly for the bytes.
      const pdf = await PdfRenderer.render(CouncilDocument.definition(await CouncilDocumentBuilder.build(item.id)))
      await mkdir(app.tmpPath('pdf'), { recursive: true })
      const file = app.tmpPath('pdf', `council-${seedCase.seed.key}.pdf`)
      await writeFile(file, pdf)
      const { stdout: fonts } = await run('pdffonts', [file])
      assert.include(fonts, 'NotoSansJP')

      const reference = await readFile(new URL(`../fixtures/seeds/${seedCase.file}`, import.meta.url), 'utf8')
      const comparison = compareCouncilDocument(await extractPdfText(file), reference)
      console.log(formatReport(seedCase.file, comparison).join('\n'))
      const differing = comparison.rows.filter((row) => !row.identical).map((row) => row.label)
      assert.deepEqual(differing, seedCase.expectedDifferences)
      assert.equal(comparison.identical, comparison.total - seedCase.expectedDifferences.length)
    })
  }
})
