import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DepartmentFactory } from '#database/factories/department_factory'
import DocumentTemplate from '#models/document_template'
import { TEMPLATE_KINDS, type RowOverrides, type TemplateKind } from '#enums/document_template'
import { compareRows, describeDifference } from '#services/council/compare/compare'
import { documentRows } from '#services/council/compare/document_rows'
import { parseReference } from '#services/council/compare/reference_parser'
import { draftDocument, draftDocumentFor } from '#services/council/import/draft_document'
import { lineUsage } from '#services/council/import/line_usage'
import type { DraftClause, ImportDraft } from '#services/council/import/import_draft'
import { parsePastedList } from '#services/register/data_item_list'
import { parse as parseTerms } from '#services/register/special_terms_text'
import {
  ROUND_TRIP_ENTRIES,
  seedTermsText,
  seedText,
  type AnnexWording,
  type RoundTripEntry,
} from '#tests/browser/round_trip_entries'

const templates = () =>
  Object.fromEntries(
    TEMPLATE_KINDS.map((kind) => [kind, DocumentTemplate.defaults(kind)])
  ) as Record<TemplateKind, DocumentTemplate>

/** The department each seed's contact line prints (parent + name). */
const DEPARTMENTS: Record<string, { name: string; parent: { name: string } | null }> = {
  '000': { name: '広聴担当課', parent: null },
  '001': { name: '区政情報課', parent: { name: '区長室' } },
  '004': { name: '危機管理課', parent: { name: '区長室' } },
}

const wordingOf = (annex: AnnexWording | undefined) => {
  const overrides: RowOverrides = {}
  for (const [key, label] of Object.entries(annex?.labels ?? {})) overrides[key] = { label }
  for (const key of annex?.hidden ?? []) overrides[key] = { ...overrides[key], hidden: true }
  return {
    captions: annex?.captions ?? [],
    subject: annex?.subject ?? null,
    holderLabel: annex?.holderLabel ?? null,
    rowOverrides: overrides,
    extraRows: [],
  }
}

const textOrNull = (text: string | undefined) => text ?? null

/** The draft an officer's entry of a seed amounts to (what the import must read from the seed). */
function draftOf(entry: RoundTripEntry): ImportDraft {
  const { system, contract, item } = entry
  const items = parsePastedList(entry.itemsPaste).items.map((pasted) => ({
    name: pasted.name,
    note: pasted.note || null,
    groupHeading: pasted.groupHeading,
  }))
  let heading: string | null = null
  const contractItems = items.map((dataItem, index) => {
    heading = contract.headings?.[index] ?? heading
    return { ...dataItem, groupHeading: heading, direction: contract.direction }
  })
  const clauses: DraftClause[] = parseTerms(seedTermsText(entry.seed)).clauses.map((clause) => ({
    ...clause,
    numberLabel: clause.numberLabel || null,
  }))
  const contractAnnex = {
    kind: 'contract' as const,
    wording: wordingOf(item.contractAnnex),
    contract: {
      title: contract.title,
      parentAnnex: null,
      contractor: contract.contractor ? { name: contract.contractor, id: null } : null,
      undecidedNote: textOrNull(contract.undecidedNote),
      selectionMethod: contract.selectionMethod ?? null,
      reason: contract.reason,
      tasks: contract.tasks.split(/\n\n/),
      subjectsText: textOrNull(contract.subjectsText),
      items: contractItems,
      itemsLayout: contract.itemsLayout,
      itemsNote: textOrNull(contract.itemsNote),
      periodType: contract.periodType,
      periodLead: textOrNull(contract.periodLead),
      startsOn: contract.startsOn,
      startsOnPrecision: contract.startsOnPrecision ?? 'day',
      endsOn: textOrNull(contract.endsOn),
      periodNote: textOrNull(contract.periodNote),
      media: contract.media,
      mediaDetails: {},
      wardMeasures: contract.wardMeasures,
      contractorMeasures: contract.contractorMeasures,
      termSet: 0,
      approvedOn: null,
      approvedBy: null,
    },
  }
  return {
    item: {
      subject: item.subject,
      documentNumber: entry.agenda ? `平成19年度 第7回 ${entry.agenda.documentNumber}` : null,
      basis: [
        { kind: 'consultation' as const, articles: item.consultation },
        { kind: 'report' as const, articles: item.report },
        { kind: 'prior_report' as const, articles: item.priorReport },
      ].filter((basis) => basis.articles.length > 0),
      departmentLabel: textOrNull(item.departmentLabel),
      contactSection: textOrNull(item.contactSection),
      contactPerson: textOrNull(item.contactPerson),
      contactExtension: textOrNull(item.contactExtension),
      extraRows: [],
    },
    department: { name: system.department, id: null },
    system: {
      name: system.name,
      businessName: system.businessName,
      purpose: system.purpose,
      subjectsSummary: system.subjectsSummary,
      subjectGroups: system.subjectGroups,
      dataItems: items,
      recordingComputer: system.recordingComputer,
      media: system.media,
      description: system.description,
      changeReason: textOrNull(system.changeReason),
      changeContent: textOrNull(system.changeContent),
      developmentMeasures: textOrNull(system.developmentMeasures),
      changeSchedule: textOrNull(system.changeSchedule),
    },
    annexes: [
      ...(item.includeSystem ? [{ kind: 'system' as const, wording: wordingOf(item.system) }] : []),
      contractAnnex,
    ],
    termSets: [{ name: entry.termsName, appliesTo: 'contractor', clauses, match: null }],
    remarks: [],
  }
}

const rowLabels = (rows: ReturnType<typeof documentRows>) =>
  rows.filter((row) => row.kind === 'row').map((row) => row.label)

test.group('draftDocument: an import draft printed as the register will print it', () => {
  for (const entry of ROUND_TRIP_ENTRIES) {
    const id = entry.seed.slice(0, 3)
    test(`seed ${id}: the draft of the officer's entry prints the seed row for row`, ({
      assert,
    }) => {
      const data = draftDocument(draftOf(entry), templates(), DEPARTMENTS[id])
      const rows = documentRows(data)
      const comparison = compareRows(parseReference(seedText(entry.seed), rowLabels(rows)), rows)
      assert.deepEqual(comparison.rows.filter((row) => !row.identical).map(describeDifference), [])
      assert.equal(comparison.total, { '000': 48, '001': 39, '004': 35 }[id])

      // Every line of the source is used by the draft's document but the attachment of 004.
      const usage = lineUsage(seedText(entry.seed), rows)
      assert.deepEqual(
        usage.lines.filter((line) => !line.used && !line.structural).map((line) => line.text),
        id === '004' ? ['# 付属資料1', '## しんじゅく安全・安心情報ネットイメージ'] : []
      )
    })
  }

  test('a set shared by two contracts prints once, after the second; a subcontract names its contract', ({
    assert,
  }) => {
    const draft = draftOf(ROUND_TRIP_ENTRIES[2])
    const contract = draft.annexes[0]
    if (contract.kind !== 'contract') throw new Error('contract annex expected')
    draft.annexes.push({
      kind: 'contract',
      wording: { ...contract.wording, subject: null },
      contract: {
        ...contract.contract,
        title: '再委託について',
        parentAnnex: 0,
        contractor: { name: '配信システム株式会社', id: null },
        undecidedNote: null,
        approvedOn: '2007-08-20',
        approvedBy: '危機管理課長',
      },
    })
    const data = draftDocument(draft, templates(), '危機管理課')
    assert.lengthOf(data.annexes, 2)
    assert.isNull(data.annexes[0].specialTerms)
    assert.equal(data.annexes[1].specialTerms?.clauses.length, 13)
    const rows = Object.fromEntries(
      data.annexes[1].rows.map((row) => [row.label, row.value] as const)
    )
    assert.equal(data.annexes[1].subject, '再委託について')
    assert.equal(rows['委託先'], '入札により決定した委託業者')
    assert.equal(rows['再委託先'], '配信システム株式会社')
    assert.equal(rows['再委託の承認'], '平成19年8月20日（危機管理課長）')
    assert.equal(data.overview.find((row) => row.label === '担当課')?.value, '危機管理課')
  })

  test('contract items: a group heading prints once above its run, per direction', ({ assert }) => {
    const draft = draftOf(ROUND_TRIP_ENTRIES[2])
    const annex = draft.annexes[0]
    if (annex.kind !== 'contract') throw new Error('contract annex expected')
    annex.contract.subjectsText = null
    annex.contract.itemsNote = null
    annex.contract.items = [
      { name: '氏名', note: null, groupHeading: '【申請者】', direction: 'collected' },
      { name: '住所', note: '必要な場合のみ', groupHeading: '【申請者】', direction: 'collected' },
      { name: '氏名', note: null, groupHeading: '【代理人】', direction: 'collected' },
      { name: '受付番号', note: null, groupHeading: null, direction: 'provided' },
    ]
    const data = draftDocument(draft, templates(), '危機管理課')
    const items = data.annexes[0].rows.find((row) => row.label.startsWith('委託に伴い'))
    assert.deepEqual(items?.value, [
      '【申請者】',
      '氏名',
      '住所（必要な場合のみ）',
      '【代理人】',
      '氏名',
      '受付番号',
    ])
  })
})

test.group('draftDocumentFor: templates and the matched department from the register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a matched department prints with its parent; a new one as the draft names it', async ({
    assert,
  }) => {
    const bu = await DepartmentFactory.apply('bu').merge({ name: '総務部' }).create()
    const ka = await DepartmentFactory.merge({ name: '防災課', parentId: bu.id }).create()
    const draft = draftOf(ROUND_TRIP_ENTRIES[2])
    draft.item.contactSection = null
    const matched = await draftDocumentFor({
      ...draft,
      department: { name: '危機管理課', id: ka.id },
    })
    assert.equal(matched.overview.find((row) => row.label === '担当課')?.value, '総務部防災課')
    assert.match(matched.contact ?? '', /^（担当部課：総務部防災課）/)
    assert.equal(matched.annexes[0].rows[0].value, '防災課')

    const created = await draftDocumentFor(draft)
    assert.equal(created.overview.find((row) => row.label === '担当課')?.value, '危機管理課')
    assert.equal(created.annexes[0].rows[0].value, '危機管理課')
  })
})
