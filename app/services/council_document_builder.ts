import { jaText } from '#services/ja_text'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import CouncilItem from '#models/council_item'
import type Contract from '#models/contract'
import type PersonalDataSystem from '#models/personal_data_system'
import SpecialTermSet from '#models/special_term_set'
import WardCalendar from '#services/ward_calendar'
import type { CouncilDocumentAnnex, CouncilDocumentData, CouncilDocumentRow } from '#reports/council_document_data'

const KIND_LABELS = { consultation: '諮問', report: '報告', prior_report: '事前報告' } as const
const CIRCLED = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱', '⑲', '⑳']

const label = (group: string, code: string) => jaText(`register.${group}.${code}`)
const numbered = (lines: string[]) => lines.map((line, index) => `${index + 1} ${line}`)

/**
 * Builds the council document of an item (the layout of the seed
 * documents) entirely from the register: 件名, 条例の根拠, 事業の概要, one
 * 別紙 per system / contract / subcontract, and the attached special terms.
 */
export default class CouncilDocumentBuilder {
  static async build(itemId: number, client?: QueryClientContract): Promise<CouncilDocumentData> {
    const item = await CouncilItem.query(client ? { client } : undefined)
      .where('id', itemId)
      .preload('meeting')
      .preload('department', (department) => department.preload('parent'))
      .preload('annexes', (annexes) =>
        annexes
          .orderBy('sortOrder')
          .preload('system', (system) => system.preload('department').preload('subjectGroups').preload('dataItems'))
          .preload('contract', (contract) =>
            contract
              .preload('contractor')
              .preload('parent', (parent) => parent.preload('contractor'))
              .preload('itemLinks', (links) => links.preload('dataItem'))
          )
      )
      .firstOrFail()

    const system = item.annexes[0]?.system
    const departmentName = [item.department.parent?.name, item.department.name].filter(Boolean).join('')
    const termSetIds = [...new Set(item.annexes.map((annex) => annex.contract?.specialTermSetId).filter((id): id is number => !!id))]
    const termSets = termSetIds.length
      ? await SpecialTermSet.query(client ? { client } : undefined).whereIn('id', termSetIds).preload('clauses')
      : []

    return {
      header: item.meeting ? [item.meeting.label, item.documentNumber].filter(Boolean).join(' ') : item.documentNumber,
      title: '情報公開・個人情報保護審議会 諮問・報告事項',
      subject: item.subject,
      basis: item.basis.map((entry) => ({ kind: KIND_LABELS[entry.kind], articles: entry.articles })),
      contact: CouncilDocumentBuilder.#contact(item, departmentName),
      overview: system
        ? [
            { label: '事業名', value: system.businessName ?? system.name },
            { label: '担当課', value: departmentName },
            { label: '目的', value: system.purpose },
            { label: '対象者', value: system.subjectsSummary ?? system.subjectGroups.map((g) => g.description).join('、') },
            { label: '事業内容', value: system.description ?? '' },
          ]
        : [],
      annexes: item.annexes.map((annex) =>
        annex.contract
          ? CouncilDocumentBuilder.#contractAnnex(annex.system, annex.contract, annex.caption)
          : CouncilDocumentBuilder.#systemAnnex(annex.system, item.subject, annex.caption)
      ),
      specialTerms: termSets.map((set) => ({
        title: '特記事項',
        clauses: set.clauses.map(({ number, heading, body, items }) => ({ number, heading, body, items })),
      })),
    }
  }

  static #contact(item: CouncilItem, departmentName: string): string | null {
    const parts = [`（担当部課：${departmentName}）`]
    if (item.contactSection) parts.push(`担当係 ${item.contactSection}`)
    if (item.contactPerson) parts.push(`担当者 ${item.contactPerson}`)
    if (item.contactExtension) parts.push(`内線（${item.contactExtension}）`)
    return parts.join(' ')
  }

  static #caption(caption: string | null): string[] {
    return caption ? caption.split(/\r?\n/).filter(Boolean) : []
  }

  /** 別紙 for a system's development or change (seed 000, first table). */
  static #systemAnnex(system: PersonalDataSystem, subject: string, caption: string | null): CouncilDocumentAnnex {
    const rows: CouncilDocumentRow[] = [
      { label: '保有課(担当課)', value: system.department.name },
      { label: '登録業務の名称', value: system.name },
      {
        label: '記録される情報項目(だれの、どのような項目が、どこにコンピュータに記録されるのか)',
        value: [
          '1 個人の範囲',
          ...system.subjectGroups.map((group) => `${CIRCLED[group.number - 1] ?? group.number} ${group.description}`),
          `2 記録する個人情報の項目 ${system.dataItems.map((item) => item.name).join('、')}`,
          `3 記録するコンピュータ ${system.recordingComputer ?? ''}`,
        ],
      },
    ]
    const optional: Array<[string, string | null]> = [
      ['新規開発・追加・変更の理由', system.changeReason],
      ['新規開発・追加・変更の内容', system.changeContent],
      ['開発等を委託する場合における個人情報保護対策', system.developmentMeasures],
      ['新規開発・追加・変更の時期', system.changeSchedule],
    ]
    for (const [rowLabel, value] of optional) {
      if (value) rows.push({ label: rowLabel, value })
    }
    return { captions: CouncilDocumentBuilder.#caption(caption), subject, rows }
  }

  /** 別紙 for a contract or subcontract (seeds 000, 001 and 004). */
  static #contractAnnex(system: PersonalDataSystem, contract: Contract, caption: string | null): CouncilDocumentAnnex {
    const names = (direction: string) =>
      contract.itemLinks.filter((link) => link.direction === direction).map((link) => link.dataItem.name)
    const items = [...new Set([...names('provided'), ...names('collected')])]
    const note = contract.undecidedNote ? `(${contract.undecidedNote})` : ''
    const contractor = contract.contractor ? `${contract.contractor.name}${note}` : `未定${note}`
    const itemLines = [
      ...system.subjectGroups.map((group) => `${group.number} ${group.description}`),
      `記録項目: ${items.join('、')}`,
    ]
    if (names('collected').length && names('provided').length) {
      itemLines.push(`委託先が収集する項目: ${names('collected').join('、')}`, `委託先に提供する項目: ${names('provided').join('、')}`)
    }
    const rows: CouncilDocumentRow[] = [
      { label: '保有課(担当課)', value: system.department.name },
      { label: '登録業務の名称', value: system.name },
    ]
    if (contract.parent) {
      rows.push({ label: '委託先', value: contract.parent.contractor?.name ?? '未定' })
      rows.push({ label: '再委託先', value: contractor })
      rows.push({
        label: '再委託の承認',
        value: contract.approvedOn ? `${WardCalendar.formatEra(contract.approvedOn)}（${contract.approvedBy}）` : '承認前',
      })
    } else {
      rows.push({ label: '委託先', value: contractor })
    }
    rows.push(
      { label: '委託に伴い事業者処理させる情報項目(だれの、どのような項目か)', value: itemLines },
      { label: '処理させる情報項目の記録媒体', value: contract.media.map((medium) => label('media', medium)).join('、') },
      { label: '委託理由', value: contract.reason },
      { label: '委託の内容', value: contract.tasks.length > 1 ? numbered(contract.tasks) : contract.tasks },
      { label: '委託の開始時期及び期限', value: CouncilDocumentBuilder.#period(contract) },
      {
        label: '委託にあたり区が行う情報保護対策',
        value: numbered([...contract.wardMeasuresOperational, ...contract.wardMeasuresSystem]),
      },
      {
        label: '受託事業者に行わせる情報保護対策',
        value: numbered([...contract.contractorMeasuresOperational, ...contract.contractorMeasuresSystem]),
      }
    )
    return { captions: CouncilDocumentBuilder.#caption(caption), subject: contract.title, rows }
  }

  static #period(contract: Contract): string {
    if (contract.periodNote) return contract.periodNote
    const start = contract.startsOn ? WardCalendar.formatEra(contract.startsOn) : ''
    if (contract.periodType === 'fixed') return `${start}から${contract.endsOn ? WardCalendar.formatEra(contract.endsOn) : ''}まで`
    return `${start}から(${label('period', contract.periodType)})`
  }
}
