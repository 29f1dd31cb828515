import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import CouncilItem, { type CouncilBasis } from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import CouncilMeeting from '#models/council_meeting'
import Contract from '#models/contract'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import type { RowOverrides } from '#enums/document_template'
import type { CouncilOutcome } from '#enums/council'
import { SEED_000, SEED_001, SEED_004, type DemoSystem } from '#database/demo/seed_systems'

/**
 * How the privacy office wrote each seed's council item (諮問・報告事項) on top of the register:
 * 件名, 条例の根拠 as written, 担当部課 and contact, and per annex its 件名, caption lines,
 * 保有課 and the rows relabelled or hidden — what makes the generated document read as the seed.
 */
export interface SeedCouncilItem {
  seed: DemoSystem
  /** The seed document (tests/fixtures/seeds). */
  file: string
  subject: string
  basis: CouncilBasis[]
  departmentLabel: string
  contact: { section?: string; person?: string; extension?: string }
  /** The system's own annex (development or change), when the item has one. */
  system?: { subject: string }
  contract: { caption?: string; holderLabel?: string; overrides?: RowOverrides }
  /** The meeting the demo puts it on (the seed's own where it names one). */
  meeting: {
    fiscalYear: number
    number: number
    heldOn: string
    documentNumber: string
    outcome: CouncilOutcome
  }
}

export const SEED_COUNCIL_ITEMS: SeedCouncilItem[] = [
  {
    seed: SEED_000,
    file: '000_7d152e217bd49c2e.txt',
    subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等について',
    basis: [
      {
        kind: 'consultation',
        articles: ['◇第16条第1項本文（電子計算機による個人情報の処理開発、変更）'],
      },
      { kind: 'report', articles: ['◇第14条第1項（業務委託）'] },
    ],
    departmentLabel: '広聴担当課',
    contact: {},
    system: {
      subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築について',
    },
    contract: {},
    meeting: {
      fiscalYear: 2013,
      number: 2,
      heldOn: '2013-05-27',
      documentNumber: '資料2',
      outcome: 'approved',
    },
  },
  {
    seed: SEED_001,
    file: '001_820e07acc9fcada2.txt',
    subject: 'コールセンター業務委託について',
    basis: [
      {
        kind: 'prior_report',
        articles: ['◇第14条第1項（個人情報の収集及び個人情報の電子計算機処理の委託）'],
      },
    ],
    departmentLabel: '区長室区政情報課',
    contact: { person: '梅澤', extension: '２１５２' },
    contract: {
      caption:
        '別紙（業務委託＝個人情報の提供を伴わない委託＝個人情報の収集委託等）\n◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告\n◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告',
      holderLabel: '区長室区政情報課',
      overrides: {
        data_items: { label: '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）' },
        media: { hidden: true },
      },
    },
    meeting: {
      fiscalYear: 2007,
      number: 7,
      heldOn: '2008-01-28',
      documentNumber: '資料33',
      outcome: 'acknowledged',
    },
  },
  {
    seed: SEED_004,
    file: '004_1402d2ef23b0738c.txt',
    subject: '地域安全・安心情報のメール配信に関する業務委託について',
    basis: [{ kind: 'prior_report', articles: ['第14条第1項（個人情報の電子計算機処理の委託）'] }],
    departmentLabel: '区長室危機管理課',
    contact: { section: '危機管理', person: '福田', extension: '2473' },
    contract: {
      overrides: {
        data_items: {
          label:
            '委託に伴い事業者処理させる情報項目等 (だれの、どのような項目か、 どのようなコンピュータで処理 するのか)',
        },
        media: { hidden: true },
      },
    },
    meeting: {
      fiscalYear: 2007,
      number: 4,
      heldOn: '2007-08-27',
      documentNumber: '資料15',
      outcome: 'acknowledged',
    },
  },
]

/**
 * A seed's council item and its annexes on the register as it stands (draft, no meeting):
 * the wording only. `loadCouncilDemo` takes them on to a decided meeting.
 */
export async function createSeedCouncilItem(
  entry: SeedCouncilItem,
  trx?: TransactionClientContract
) {
  const options = trx ? { client: trx } : undefined
  const system = await PersonalDataSystem.query(options)
    .where('name', entry.seed.name)
    .firstOrFail()
  const contract = await Contract.query(options)
    .where('systemId', system.id)
    .whereNull('parentContractId')
    .firstOrFail()
  const item = await CouncilItem.create(
    {
      departmentId: system.departmentId,
      subject: entry.subject,
      basis: entry.basis,
      departmentLabel: entry.departmentLabel,
      contactSection: entry.contact.section ?? null,
      contactPerson: entry.contact.person ?? null,
      contactExtension: entry.contact.extension ?? null,
      status: 'draft',
    },
    options
  )
  let sortOrder = 0
  if (entry.system) {
    await CouncilItemAnnex.create(
      {
        itemId: item.id,
        systemId: system.id,
        subject: entry.system.subject,
        sortOrder: sortOrder++,
      },
      options
    )
  }
  await CouncilItemAnnex.create(
    {
      itemId: item.id,
      systemId: system.id,
      contractId: contract.id,
      caption: entry.contract.caption ?? null,
      holderLabel: entry.contract.holderLabel ?? null,
      rowOverrides: entry.contract.overrides ?? {},
      sortOrder: sortOrder++,
    },
    options
  )
  return item
}

/**
 * The three seed items as the council decided them: on their meeting, approved or acknowledged,
 * the document frozen and each annex tied to the register version the council saw (so the
 * published 個人情報ファイル簿 lists these systems).
 */
export async function loadCouncilDemo(trx: TransactionClientContract) {
  for (const entry of SEED_COUNCIL_ITEMS) {
    const { fiscalYear, number, heldOn, documentNumber, outcome } = entry.meeting
    const held = DateTime.fromISO(heldOn, { zone: 'Asia/Tokyo' })
    const meeting = await CouncilMeeting.firstOrCreate(
      { fiscalYear, number },
      { fiscalYear, number, heldOn: held },
      { client: trx }
    )
    const item = await createSeedCouncilItem(entry, trx)
    item.merge({
      meetingId: meeting.id,
      documentNumber,
      status: 'decided',
      approvedAt: held.minus({ days: 14 }),
      submittedAt: held.minus({ days: 10 }),
      outcome,
      decidedOn: held,
    })
    await item.save()
    item.frozenDocument = await CouncilDocumentBuilder.build(item.id, trx)
    await item.save()
    for (const annex of await CouncilItemAnnex.query({ client: trx }).where('itemId', item.id)) {
      const latest = await SystemVersion.query({ client: trx })
        .where('systemId', annex.systemId)
        .orderBy('version', 'desc')
        .firstOrFail()
      annex.approvedVersionId = latest.id
      await annex.save()
    }
  }
}
