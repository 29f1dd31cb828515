import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
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
import { SEED_000, SEED_001, SEED_004, type DemoSystem } from '#database/demo/seed_systems'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16, type ClauseSetData } from '#database/demo/special_terms_data'

const run = promisify(execFile)
const squash = (text: string) => text.replace(/[\s\u3000]+/g, '')

const SYSTEM_LABELS = [
  '記録される情報項目(だれの、どのような項目が、どこにコンピュータに記録されるのか)',
  '新規開発・追加・変更の理由',
  '新規開発・追加・変更の内容',
  '開発等を委託する場合における個人情報保護対策',
  '新規開発・追加・変更の時期',
]
const CONTRACT_LABELS = [
  '保有課(担当課)',
  '登録業務の名称',
  '委託先',
  '委託に伴い事業者処理させる情報項目(だれの、どのような項目か)',
  '処理させる情報項目の記録媒体',
  '委託理由',
  '委託の内容',
  '委託の開始時期及び期限',
  '委託にあたり区が行う情報保護対策',
  '受託事業者に行わせる情報保護対策',
]
const COMMON_LABELS = ['情報公開・個人情報保護審議会諮問・報告事項', '件名', '内容は別紙のとおり', '条例の根拠', '事業の概要', '事業名', '担当課', '目的', '対象者', '事業内容', '特記事項']

interface SeedCase {
  seed: DemoSystem
  terms: ClauseSetData
  subject: string
  basis: CouncilBasis[]
  meeting?: { fiscalYear: number; number: number; documentNumber: string; header: string }
  contact: { section?: string; person?: string; extension?: string; text: string }
  includeSystem: boolean
  caption?: string
}

const CASES: SeedCase[] = [
  {
    seed: SEED_000,
    terms: SPECIAL_TERMS_16,
    subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等について',
    basis: [
      { kind: 'consultation', articles: ['第16条第1項本文（電子計算機による個人情報の処理開発、変更）'] },
      { kind: 'report', articles: ['第14条第1項（業務委託）'] },
    ],
    contact: { text: '担当部課' },
    includeSystem: true,
  },
  {
    seed: SEED_001,
    terms: SPECIAL_TERMS_13,
    subject: 'コールセンター業務委託について',
    basis: [{ kind: 'prior_report', articles: ['第14条第1項（個人情報の収集及び個人情報の電子計算機処理の委託）'] }],
    meeting: { fiscalYear: 2007, number: 7, documentNumber: '資料33', header: '平成19年度第7回資料33' },
    contact: { person: '梅澤', extension: '2152', text: '担当者梅澤内線（2152）' },
    includeSystem: false,
    caption: '◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告\n◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告',
  },
  {
    seed: SEED_004,
    terms: SPECIAL_TERMS_13,
    subject: '地域安全・安心情報のメール配信に関する業務委託について',
    basis: [{ kind: 'prior_report', articles: ['第14条第1項（個人情報の電子計算機処理の委託）'] }],
    contact: { section: '危機管理', person: '福田', extension: '2473', text: '担当係危機管理担当者福田内線（2473）' },
    includeSystem: false,
  },
]

/** Every value of a seed registration that the document must show. */
function expectedValues(seedCase: SeedCase): string[] {
  const { seed } = seedCase
  const contract = seed.contract
  const lines = (text: string | null) => (text ? text.split('\n') : [])
  const values = [
    seedCase.subject,
    ...seedCase.basis.flatMap((entry) => entry.articles),
    { consultation: '【諮問】', report: '【報告】', prior_report: '【事前報告】' }[seedCase.basis[0].kind],
    seed.name,
    seed.businessName ?? seed.name,
    seed.purpose,
    seed.subjectsSummary ?? '',
    ...lines(seed.description),
    ...seed.subjectGroups,
    ...seed.items,
    contract.title,
    contract.contractor ?? '未定',
    contract.undecidedNote ?? '',
    contract.reason,
    ...contract.tasks.flatMap(lines),
    contract.periodNote ?? '',
    '電磁的媒体',
    ...contract.wardOperational,
    ...contract.wardSystem,
    ...contract.contractorOperational,
    ...contract.contractorSystem,
    ...seedCase.terms.clauses.flatMap((clause) => [`（${clause.heading}）`, clause.body, ...(clause.items ?? [])]),
    seedCase.contact.text,
  ]
  if (seedCase.includeSystem) {
    values.push(seed.recordingComputer ?? '', ...lines(seed.changeReason), ...lines(seed.changeContent), ...lines(seed.developmentMeasures), ...lines(seed.changeSchedule))
  }
  if (seedCase.meeting) values.push(seedCase.meeting.header)
  if (seedCase.caption) values.push(...seedCase.caption.split('\n'))
  return values.filter(Boolean)
}

/** Builds the council item of a seed from the demo register. */
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
    contactSection: seedCase.contact.section ?? null,
    contactPerson: seedCase.contact.person ?? null,
    contactExtension: seedCase.contact.extension ?? null,
    status: meeting ? 'on_agenda' : 'draft',
  })
  let order = 0
  if (seedCase.includeSystem) await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, sortOrder: order++ })
  await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, contractId: contract.id, caption: seedCase.caption ?? null, sortOrder: order++ })
  return item
}

test.group('Council document PDF, generated from the register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const seedCase of CASES) {
    test(`seed "${seedCase.seed.name}": every row label and registered value appears`, async ({ client, assert }) => {
      await DemoData.load({ inProduction: false })
      const item = await itemFor(seedCase)
      const officer = await User.findByOrFail('email', 'privacy@demo.daicho.jp')

      const response = await client.get(`/council/items/${item.id}/document.pdf`).loginAs(officer)
      response.assertStatus(200)
      assert.equal(response.header('content-type'), 'application/pdf')

      // The HTTP client decodes bodies as text, so render the same document directly for the bytes.
      const pdf = await PdfRenderer.render(CouncilDocument.definition(await CouncilDocumentBuilder.build(item.id)))
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
      await mkdir(app.tmpPath('pdf'), { recursive: true })
      const file = app.tmpPath('pdf', `council-${seedCase.seed.key}.pdf`)
      await writeFile(file, pdf)
      const { stdout: fonts } = await run('pdffonts', [file])
      assert.include(fonts, 'NotoSansJP')
      const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
      const text = squash(stdout)

      const labels = [...COMMON_LABELS, ...CONTRACT_LABELS, ...(seedCase.includeSystem ? SYSTEM_LABELS : [])]
      const missing = [...labels, ...expectedValues(seedCase)].filter((value) => !text.includes(squash(value)))
      assert.deepEqual(missing, [], `missing from the PDF of ${seedCase.seed.key}`)
    })
  }
})
