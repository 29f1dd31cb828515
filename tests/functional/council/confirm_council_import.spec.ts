import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import i18nManager from '@adonisjs/i18n/services/main'
import ConfirmCouncilImport from '#actions/council/confirm_council_import'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import AuditLog from '#models/audit_log'
import CouncilImport from '#models/council_import'
import CouncilItem from '#models/council_item'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import Department from '#models/department'
import PersonalDataSystem from '#models/personal_data_system'
import SpecialTermSet from '#models/special_term_set'
import SystemVersion from '#models/system_version'
import type User from '#models/user'
import DomainError, { translateMessage } from '#exceptions/domain_error'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import RegisterMatches from '#services/register/register_matches'
import { parse } from '#services/register/special_terms_text'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
} from '#services/council/compare/compare'
import type {
  DraftAnnexWording,
  DraftContract,
  ImportDraft,
} from '#services/council/import/import_draft'
import { SEED_004 } from '#database/demo/seed_systems'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'
import { DepartmentFactory } from '#database/factories/department_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { UserFactory } from '#database/factories/user_factory'
import { seedTermsText, seedText } from '#tests/browser/round_trip_entries'
import AuditLogger from '#services/audit_logger'
import { withQueries, writesTo } from '#tests/helpers'

const SEED = '004_1402d2ef23b0738c.txt'

/** Seed 004 read into a draft by hand (the values of ENTRY_004): nothing matched yet. */
function draft004(): ImportDraft {
  const contract = SEED_004.contract
  return {
    item: {
      subject: '地域安全・安心情報のメール配信に関する業務委託について',
      documentNumber: null,
      basis: [
        { kind: 'prior_report', articles: ['第14条第1項（個人情報の電子計算機処理の委託）'] },
      ],
      departmentLabel: null,
      contactSection: '危機管理',
      contactPerson: '福田',
      contactExtension: '2473',
      extraRows: [],
    },
    department: { name: '区長室危機管理課', id: null },
    system: {
      name: SEED_004.name,
      businessName: SEED_004.businessName,
      purpose: SEED_004.purpose,
      subjectsSummary: SEED_004.subjectsSummary,
      subjectGroups: SEED_004.subjectGroups,
      dataItems: SEED_004.items.map((name) => ({ name, note: null, groupHeading: null })),
      recordingComputer: SEED_004.recordingComputer,
      media: ['electronic'],
      description: SEED_004.description,
      changeReason: null,
      changeContent: null,
      developmentMeasures: null,
      changeSchedule: null,
    },
    annexes: [
      {
        kind: 'contract',
        wording: {
          captions: [],
          subject: null,
          holderLabel: '危機管理課',
          rowOverrides: {
            data_items: {
              label:
                '委託に伴い事業者処理させる情報項目等(だれの、どのような項目か、どのようなコンピュータで処理するのか)',
            },
            media: { hidden: true },
          },
          extraRows: [],
        },
        contract: {
          title: contract.title,
          parentAnnex: null,
          contractor: null,
          undecidedNote: '入札により決定した委託業者',
          selectionMethod: 'nyusatsu',
          reason: contract.reason,
          tasks: contract.tasks,
          subjectsText: '1 処理を依頼する個人の範囲\n　メール配信を希望する区民等',
          // Every item carries its group's heading; the contract stores it on the first.
          items: SEED_004.items.map((name) => ({
            name,
            note: null,
            groupHeading: '2 処理を依頼する個人情報の項目',
            direction: 'collected' as const,
          })),
          itemsLayout: 'lines',
          itemsNote: '3 記録するコンピュータ\n　委託業者のコンピュータ',
          periodType: 'open_ended',
          periodLead: null,
          startsOn: '2007-09-01',
          startsOnPrecision: 'day',
          endsOn: null,
          periodNote: null,
          media: ['electronic'],
          mediaDetails: {},
          wardMeasures: contract.wardOperational,
          contractorMeasures: contract.contractorOperational,
          termSet: 0,
          approvedOn: null,
          approvedBy: null,
        },
      },
    ],
    termSets: [
      {
        name: '個人情報の取扱いに関する特記事項（メール配信）',
        appliesTo: 'contractor',
        clauses: parse(seedTermsText(SEED)).clauses.map((clause) => ({
          ...clause,
          numberLabel: clause.numberLabel || null,
        })),
        match: null,
      },
    ],
    remarks: [],
  }
}

/** An annex worded as its template prints it: no caption, 件名, 保有課 or row of its own. */
const plainWording = (): DraftAnnexWording => ({
  captions: [],
  subject: null,
  holderLabel: null,
  rowOverrides: {},
  extraRows: [],
})

/** The contract of the draft's n-th annex. */
function contractOf(draft: ImportDraft, index = 0): DraftContract {
  const annex = draft.annexes[index]
  if (annex.kind !== 'contract') throw new Error(`annex ${index} is no contract`)
  return annex.contract
}

async function importOf(user: User, draft: ImportDraft) {
  return CouncilImport.create({
    createdByUserId: user.id,
    sourceKind: 'text',
    sourceName: null,
    sourceText: seedText(SEED),
    draft,
    status: 'draft',
  })
}

/** 区長室 (a 部) and an officer; `withKikikanri` adds 危機管理課 below it. */
async function organisation({ withKikikanri = false } = {}) {
  const kucho = await DepartmentFactory.apply('bu')
    .merge({ code: 't-kucho', name: '区長室', sortOrder: 0 })
    .create()
  const kikikanri = withKikikanri
    ? await DepartmentFactory.merge({
        code: 't-kiki',
        name: '危機管理課',
        parentId: kucho.id,
        sortOrder: 1,
      }).create()
    : null
  const officer = await UserFactory.apply('privacyOfficer').create()
  return { kucho, kikikanri, officer }
}

/**
 * 危機管理課 (under 区長室), 安心メール配信株式会社 and the 13-clause set in the register, and seed
 * 004's draft matched to them as the review page matches (the contractor by another spelling).
 */
async function matchedDraft() {
  const { kikikanri, officer } = await organisation({ withKikikanri: true })
  const contractor = await ContractorFactory.merge({ name: '安心メール配信株式会社' }).create()
  const standard = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-13',
    SPECIAL_TERMS_13
  )
  const draft = draft004()
  const matches = await RegisterMatches.load()
  draft.department.id = matches.department(draft.department.name)!.id
  const party = { name: '安心メール配信（株）', id: null, corporateNumber: null }
  contractOf(draft).contractor = { ...party, id: matches.contractor(party.name)!.id }
  draft.termSets[0].match = matches.termSet(draft.termSets[0].clauses)
  return { kikikanri, officer, contractor, standard, draft }
}

const TABLES = [
  'departments',
  'contractors',
  'personal_data_systems',
  'system_subject_groups',
  'data_items',
  'special_term_sets',
  'special_term_clauses',
  'contracts',
  'contract_data_items',
  'oversight_duties',
  'council_items',
  'council_item_annexes',
  'system_versions',
  'audit_logs',
]

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of TABLES) {
    const row = await db.from(table).count('* as total').first()
    counts[table] = Number(row?.total ?? 0)
  }
  return counts
}

/** The refusal's field and Japanese message. */
async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    return {
      field: error.field,
      message: translateMessage(i18nManager.locale('ja'), {
        key: error.messageKey,
        data: error.options.data,
      }),
    }
  }
  throw new Error('not refused')
}

test.group('Confirming an import: the draft saved as register and council records', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  test('seed 004 on a register without its department: everything created, one version, audited, and the PDF prints the seed', async ({
    assert,
  }) => {
    const { kucho, officer } = await organisation()
    const record = await importOf(officer, draft004())

    const { result: item, queries: confirming } = await withQueries(() =>
      new ConfirmCouncilImport(AuditLogger.system).handle(record, officer)
    )
    // Each list of rows in one INSERT: the groups, the items, the clauses, the contract's item links.
    for (const table of [
      'system_subject_groups',
      'data_items',
      'special_term_clauses',
      'contract_data_items',
    ]) {
      assert.deepEqual(writesTo(confirming, table), { insert: 1, update: 0, delete: 0 }, table)
    }

    // The import is confirmed and points at the item.
    assert.equal(record.status, 'confirmed')
    assert.equal(record.councilItemId, item.id)
    assert.isNotNull(record.confirmedAt)

    // The department: 危機管理課 created under 区長室 as a 課.
    const department = await Department.findOrFail(item.departmentId)
    assert.equal(department.name, '危機管理課')
    assert.equal(department.level, 'ka')
    assert.equal(department.parentId, kucho.id)
    assert.match(department.code, /^imp-\d{8}-[0-9a-f]{6}$/)

    // The system with its group and items.
    const system = await PersonalDataSystem.query()
      .where('departmentId', department.id)
      .preload('subjectGroups')
      .preload('dataItems')
      .firstOrFail()
    assert.equal(system.name, 'しんじゅく安全・安心情報ネット')
    assert.equal(system.businessName, '安全で安心して暮らせるまちづくりの推進')
    assert.equal(system.purpose, SEED_004.purpose)
    assert.equal(system.lifecycle, 'operating')
    assert.equal(system.fileType, 'computer')
    assert.deepEqual(system.media, ['electronic'])
    assert.deepEqual(
      system.subjectGroups.map((subjectGroup) => [subjectGroup.number, subjectGroup.description]),
      [[1, 'メール配信を希望する区民等']]
    )
    assert.deepEqual(
      system.dataItems.map((dataItem) => [dataItem.sortOrder, dataItem.name]),
      SEED_004.items.map((name, index) => [index + 1, name])
    )

    // The new special-terms set, its clauses as written.
    const set = await SpecialTermSet.query().preload('clauses').firstOrFail()
    assert.equal(set.name, '個人情報の取扱いに関する特記事項（メール配信）')
    assert.equal(set.version, 1)
    assert.match(set.code, /^set-/)
    assert.lengthOf(set.clauses, 13)
    assert.equal(set.clauses[1].heading, '秘密の保持')

    // The contract, undecided (入札), with its items collected under one heading.
    const contract = await Contract.query()
      .where('systemId', system.id)
      .preload('itemLinks', (links) => links.orderBy('sortOrder'))
      .firstOrFail()
    assert.equal(contract.title, SEED_004.contract.title)
    assert.isNull(contract.contractorId)
    assert.equal(contract.undecidedNote, '入札により決定した委託業者')
    assert.equal(contract.selectionMethod, 'nyusatsu')
    assert.equal(contract.status, 'draft')
    assert.equal(contract.periodType, 'open_ended')
    assert.equal(contract.startsOn?.toISODate(), '2007-09-01')
    assert.equal(contract.specialTermSetId, set.id)
    assert.deepEqual(contract.wardMeasuresOperational, SEED_004.contract.wardOperational)
    assert.deepEqual(
      contract.itemLinks.map((link) => [link.direction, link.sortOrder, link.groupHeading]),
      [
        ['collected', 0, '2 処理を依頼する個人情報の項目'],
        ['collected', 1, null],
        ['collected', 2, null],
        ['collected', 3, null],
      ]
    )

    // The council item, a draft written by the officer, and its annex.
    await item.load('annexes')
    assert.equal(item.status, 'draft')
    assert.equal(item.subject, '地域安全・安心情報のメール配信に関する業務委託について')
    assert.deepEqual(item.basis, [
      { kind: 'prior_report', articles: ['第14条第1項（個人情報の電子計算機処理の委託）'] },
    ])
    assert.equal(item.createdByUserId, officer.id)
    assert.deepEqual(item.drafterUserIds, [officer.id])
    assert.equal(item.contactPerson, '福田')
    assert.lengthOf(item.annexes, 1)
    assert.equal(item.annexes[0].contractId, contract.id)
    assert.deepEqual(item.annexes[0].rowOverrides.media, { hidden: true })

    // One register version, its summary saying where it came from.
    const versions = await SystemVersion.query().where('systemId', system.id)
    assert.lengthOf(versions, 1)
    assert.equal(versions[0].version, 1)
    assert.equal(versions[0].changedByUserId, officer.id)
    assert.include(versions[0].summary, '審議会資料から取り込み')

    // Audited: the confirmation and every kind of record created, by the officer.
    const audits = await AuditLog.query().orderBy('id')
    assert.includeMembers(
      audits.map((entry) => entry.action),
      [
        'department.create',
        'system.create',
        'data_item.bulk_update',
        'special_terms.create_set',
        'contract.create',
        'council_item.create',
        'council_import.confirm',
      ]
    )
    const confirmation = audits.find((entry) => entry.action === 'council_import.confirm')!
    assert.equal(confirmation.actorId, officer.id)
    assert.equal(confirmation.subjectId, String(record.id))

    // The item's generated PDF prints the seed row for row: the save is what the review showed.
    const pdf = await PdfRenderer.render(
      CouncilDocument.definition(await CouncilDocumentBuilder.build(item.id))
    )
    await mkdir(app.tmpPath('pdf'), { recursive: true })
    const file = app.tmpPath('pdf', `confirmed-import-004-${process.pid}.pdf`)
    await writeFile(file, pdf)
    const comparison = compareCouncilDocument(await extractPdfText(file), seedText(SEED))
    const differing = comparison.rows.filter((row) => !row.identical)
    assert.deepEqual(
      differing.map((row) => row.label),
      [],
      formatReport(SEED, comparison).join('\n')
    )
    assert.equal(comparison.identical, comparison.total)
    assert.isAbove(comparison.total, 10)
  })

  test('a matched department, contractor and special-terms set are reused, not duplicated', async ({
    assert,
  }) => {
    const { kikikanri, officer, contractor, standard, draft } = await matchedDraft()
    assert.equal(draft.termSets[0].match?.setId, standard.id)

    const before = await rowCounts()
    const item = await new ConfirmCouncilImport(AuditLogger.system).handle(
      await importOf(officer, draft),
      officer
    )
    const after = await rowCounts()

    assert.equal(item.departmentId, kikikanri!.id)
    for (const table of ['departments', 'contractors', 'special_term_sets']) {
      assert.equal(after[table], before[table], table)
    }
    assert.equal(after.personal_data_systems, before.personal_data_systems + 1)
    assert.equal(after.contracts, before.contracts + 1)
    const contract = await Contract.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(contract.contractorId, contractor.id)
    assert.equal(contract.specialTermSetId, standard.id)
    assert.equal(contract.status, 'active')
  })

  test('a contract with a subcontract: new contractors once each, the subcontract under its contract', async ({
    assert,
  }) => {
    const { officer } = await organisation({ withKikikanri: true })
    const draft = draft004()
    const matches = await RegisterMatches.load()
    draft.department.id = matches.department('危機管理課')!.id
    const main = contractOf(draft)
    main.contractor = {
      name: 'テスト配信株式会社',
      id: null,
      corporateNumber: '７０００-０１２０-５０００２',
    }
    main.termSet = null
    draft.termSets = []
    const sub = (title: string, approvedOn: string | null): DraftContract => ({
      ...main,
      title,
      parentAnnex: 0,
      contractor: { name: '株式会社再委託', id: null, corporateNumber: null },
      reason: '配信基盤の運用に専門の事業者が必要なため。',
      items: [main.items[0]],
      approvedOn,
      approvedBy: approvedOn ? '危機管理課長' : null,
    })
    draft.annexes.push(
      {
        kind: 'contract',
        wording: { ...plainWording(), captions: ['◇再委託'] },
        contract: sub('メール配信基盤の再委託', '2008-04-01'),
      },
      {
        kind: 'contract',
        wording: plainWording(),
        contract: sub('メール配信監視の再委託', null),
      }
    )
    const before = await rowCounts()

    const item = await new ConfirmCouncilImport(AuditLogger.system).handle(
      await importOf(officer, draft),
      officer
    )

    const after = await rowCounts()
    assert.equal(after.contractors, before.contractors + 2)
    const created = await Contractor.query().orderBy('id')
    assert.deepEqual(
      created.map((contractor) => [contractor.name, contractor.corporateNumber]),
      [
        ['テスト配信株式会社', '7000012050002'],
        ['株式会社再委託', null],
      ]
    )
    const contracts = await Contract.query().orderBy('id')
    const [parent, approved, pending] = contracts
    assert.equal(parent.status, 'active')
    assert.isNull(parent.parentContractId)
    assert.equal(approved.parentContractId, parent.id)
    assert.equal(approved.status, 'active')
    assert.equal(approved.approvedOn?.toISODate(), '2008-04-01')
    assert.equal(approved.approvedBy, '危機管理課長')
    assert.equal(pending.parentContractId, parent.id)
    assert.equal(pending.status, 'pending_approval')
    assert.equal(approved.contractorId, pending.contractorId)

    await item.load('annexes', (annexes) => annexes.orderBy('sortOrder'))
    assert.deepEqual(
      item.annexes.map((annex) => [annex.sortOrder, annex.contractId, annex.caption]),
      [
        [0, parent.id, null],
        [1, approved.id, '◇再委託'],
        [2, pending.id, null],
      ]
    )
    // Still one register version for the whole import.
    assert.equal(after.system_versions, before.system_versions + 1)
    const audits = await AuditLog.query().where('action', 'subcontract.create')
    assert.lengthOf(audits, 2)
  })

  test('matched contractors and sets are read once for all contracts; the annexes in one INSERT', async ({
    assert,
  }) => {
    const { officer, contractor, standard, draft } = await matchedDraft()
    const main = contractOf(draft)
    const party = main.contractor
    const titles = ['配信基盤の再委託', '配信監視の再委託', '問合せ窓口の再委託']
    for (const title of titles) {
      draft.annexes.push({
        kind: 'contract',
        wording: plainWording(),
        contract: {
          ...main,
          title,
          parentAnnex: 0,
          contractor: party,
          items: [main.items[0]],
          approvedOn: '2008-04-01',
          approvedBy: '危機管理課長',
        },
      })
    }
    const record = await importOf(officer, draft)

    const { result: item, queries } = await withQueries(() =>
      new ConfirmCouncilImport(AuditLogger.system).handle(record, officer)
    )
    const count = (pattern: RegExp) => queries.filter((sql) => pattern.test(sql)).length
    const byId = (table: string) => new RegExp(`from [\`"]?${table}[\`"]? where [\`"]?id[\`"]? `)
    // Matched contractors and sets checked in one read each, not one lookup per contract.
    assert.equal(count(/^select [`"]?id[`"]? from [`"]?contractors[`"]? where/), 1)
    assert.equal(count(/^select [`"]?id[`"]? from [`"]?special_term_sets[`"]? where/), 1)
    assert.equal(count(/from [`"]?(contractors|special_term_sets)[`"]? where [`"]?id[`"]? = /), 0)
    // The parent's rule clauses read once for its three subcontracts, and the parent not read
    // back for each (the duty ledger reads each contract once).
    assert.equal(count(/from [`"]?special_term_clauses[`"]? where [`"]?set_id[`"]? = /), 1)
    assert.equal(count(byId('contracts')), 4)
    assert.deepEqual(writesTo(queries, 'council_item_annexes'), {
      insert: 1,
      update: 0,
      delete: 0,
    })

    const contracts = await Contract.query().orderBy('id')
    assert.deepEqual(
      contracts.map((contract) => [
        contract.title,
        contract.contractorId,
        contract.parentContractId,
        contract.specialTermSetId,
        contract.status,
      ]),
      [
        [SEED_004.contract.title, contractor.id, null, standard.id, 'active'],
        ...titles.map((title) => [title, contractor.id, contracts[0].id, standard.id, 'active']),
      ]
    )
    await item.load('annexes', (annexes) => annexes.orderBy('sortOrder'))
    assert.deepEqual(
      item.annexes.map((annex) => annex.contractId),
      contracts.map((contract) => contract.id)
    )
  })

  test('a draft the register cannot hold is refused with its Japanese message and nothing saved', async ({
    assert,
  }) => {
    const { officer } = await organisation()
    const cases: Array<[(draft: ImportDraft) => void, string, string]> = [
      [(draft) => (draft.system.purpose = ' '), 'system.purpose', '目的を入力してください。'],
      [(draft) => (draft.item.subject = ''), 'item.subject', '件名を入力してください。'],
      [
        (draft) => (draft.item.basis = [{ kind: 'report', articles: [''] }]),
        'item.basis',
        '条例の根拠（条項）を一つ以上入力してください。',
      ],
      [
        (draft) => (contractOf(draft).reason = ''),
        'annexes.0.contract.reason',
        '別紙1：委託理由を入力してください。',
      ],
      [
        (draft) => (contractOf(draft).items[1].name = '電話番号'),
        'annexes.0.contract.items.1.name',
        '別紙1：情報項目「電話番号」が登録業務の記録項目にありません。記録項目に加えるか、名称・注記を合わせてください。',
      ],
      [
        (draft) => (contractOf(draft).termSet = 3),
        'annexes.0.contract.termSet',
        '別紙1：特記事項の指定が正しくありません。',
      ],
      [
        (draft) => (contractOf(draft).periodType = '' as never),
        'annexes.0.contract.periodType',
        '別紙1：委託期間の種類（期限あり・以降継続・毎年度更新）を選んでください。',
      ],
    ]
    for (const [breakDraft, field, message] of cases) {
      const draft = draft004()
      breakDraft(draft)
      const record = await importOf(officer, draft)
      const before = await rowCounts()
      const refusal = await refusalOf(
        new ConfirmCouncilImport(AuditLogger.system).handle(record, officer)
      )
      assert.deepEqual(refusal, { field, message })
      assert.deepEqual(await rowCounts(), before)
      await record.refresh()
      assert.equal(record.status, 'draft')
    }
  })

  test('a failure inside the transaction rolls everything back: the import stays a draft', async ({
    assert,
  }) => {
    const { officer } = await organisation()
    const draft = draft004()
    // A match to a set deleted since the review: found only after the department, system and items were written.
    draft.termSets[0].match = {
      setId: 987_654,
      code: 'gone',
      version: 1,
      name: '削除された特記事項',
    }
    const record = await importOf(officer, draft)
    const before = await rowCounts()

    const refusal = await refusalOf(
      new ConfirmCouncilImport(AuditLogger.system).handle(record, officer)
    )

    assert.deepEqual(refusal, {
      field: 'termSets.0.match',
      message: '特記事項「削除された特記事項」が登録されていません（削除された可能性があります）。',
    })
    assert.deepEqual(await rowCounts(), before)
    await record.refresh()
    assert.equal(record.status, 'draft')
    assert.isNull(record.councilItemId)
  })

  test('a confirmed import cannot be confirmed twice', async ({ assert }) => {
    const { officer } = await organisation()
    const record = await importOf(officer, draft004())
    await new ConfirmCouncilImport(AuditLogger.system).handle(record, officer)
    const stale = await CouncilImport.findOrFail(record.id)
    const before = await rowCounts()

    for (const copy of [record, stale]) {
      const refusal = await refusalOf(
        new ConfirmCouncilImport(AuditLogger.system).handle(copy, officer)
      )
      assert.equal(
        refusal.message,
        'この取込みは確定済みか破棄されています。もう一度確定することはできません。'
      )
    }
    // A copy read before the confirmation (another tab) is refused inside the transaction too.
    stale.status = 'draft'
    const refusal = await refusalOf(
      new ConfirmCouncilImport(AuditLogger.system).handle(stale, officer)
    )
    assert.equal(refusal.field, 'form')
    assert.deepEqual(await rowCounts(), before)
    assert.lengthOf(await CouncilItem.all(), 1)
  })
})
