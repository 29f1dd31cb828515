import { DateTime } from 'luxon'
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { COUNCIL_FONT, COUNCIL_TABLE_LAYOUT } from '#services/council/council_document_pdf'
import AuditChecklist, {
  answerLabel,
  type AuditAnswer,
} from '#services/oversight/oversight_audit_checklist'
import WardCalendar from '#services/ward_calendar'
import type OversightAudit from '#models/oversight_audit'

export interface AuditReportData {
  /** 登録業務の名称 */
  systemName: string
  /** 保有課 */
  departmentName: string
  contractTitle: string
  /** The main contract of a subcontract (再委託). */
  parentTitle: string | null
  /** 委託先 (or 再委託先) */
  contractorName: string
  contractorLabel: string
  /** 特記事項の版, e.g. 個人情報の保護に関する特記事項 第1版 */
  termsLabel: string | null
  /** 令和8年6月15日（令和8年度） */
  auditedOn: string
  auditors: string[]
  status: string
  lines: Array<{
    position: number
    reference: string
    text: string
    answer: AuditAnswer | null
    note: string | null
  }>
  findings: Array<{ reference: string | null; detail: string }>
  actions: Array<{
    reference: string | null
    measure: string
    owner: string
    dueOn: string
    doneOn: string | null
  }>
  /** References of non-compliant lines without a finding or corrective action. */
  uncovered: string[]
  /** 作成日 */
  issuedOn: string
}

/** 20 mm in PDF points. */
const MM20 = (20 * 72) / 25.4
const FONT_SIZE = 10

/**
 * 立入調査報告書 — the report of an on-site audit (A4 portrait): the contract,
 * date (和暦) and auditors, the checklist with each answer and note, the
 * findings and the corrective actions. Plain data (no functions), so it is
 * rendered in PdfRenderer's worker with the 'council' table layout.
 */
export default class AuditReport {
  /** The report's content from an audit with contract (system.department, contractor, parent), auditors, lines, findings, correctiveActions and specialTermSet loaded. */
  static data(audit: OversightAudit, today: DateTime = DateTime.now()): AuditReportData {
    const contract = audit.contract
    const lineById = new Map(audit.lines.map((line) => [line.id, line]))
    const referenceOf = (lineId: number | null) => {
      const line = lineId === null ? undefined : lineById.get(lineId)
      return line ? AuditChecklist.referenceOf(line) : null
    }
    return {
      systemName: contract.system.name,
      departmentName: contract.system.department?.name ?? '',
      contractTitle: contract.title,
      parentTitle: contract.isSubcontract ? (contract.parent?.title ?? null) : null,
      contractorName: contract.contractor?.name ?? '未定',
      contractorLabel: contract.isSubcontract ? '再委託先' : '委託先',
      termsLabel: audit.specialTermSet ? audit.specialTermSet.label : null,
      auditedOn: `${WardCalendar.formatEra(audit.auditedOn)}（${WardCalendar.fiscalYearLabel(audit.fiscalYear)}）`,
      auditors: audit.auditors.map((auditor) =>
        auditor.departmentName
          ? `${auditor.fullName}（${auditor.departmentName}）`
          : auditor.fullName
      ),
      status: audit.isCompleted
        ? `完了（${WardCalendar.formatEra(audit.completedAt!)}）`
        : '実施中（未回答の項目あり）',
      lines: audit.lines.map((line) => ({
        position: line.position,
        reference: line.reference,
        text: line.text,
        answer: line.answer,
        note: line.note,
      })),
      findings: audit.findings.map((finding) => ({
        reference: referenceOf(finding.lineId),
        detail: finding.detail,
      })),
      actions: audit.correctiveActions.map((action) => ({
        reference: referenceOf(action.lineId),
        measure: action.measure,
        owner: action.owner,
        dueOn: WardCalendar.formatEra(action.dueOn),
        doneOn: action.doneOn ? WardCalendar.formatEra(action.doneOn) : null,
      })),
      uncovered: audit.uncoveredLines.map((line) => line.reference),
      issuedOn: WardCalendar.formatEra(today),
    }
  }

  static definition(data: AuditReportData): TDocumentDefinitions {
    return {
      pageSize: 'A4',
      pageOrientation: 'portrait',
      pageMargins: [MM20, MM20, MM20, MM20],
      info: {
        title: `立入調査報告書 ${data.contractTitle}`,
        subject: '立入調査報告書',
        creator: 'Daichō',
        producer: 'Daichō (pdfmake)',
      },
      defaultStyle: { font: COUNCIL_FONT, fontSize: FONT_SIZE, lineHeight: 1.15 },
      styles: {
        title: { fontSize: 16, bold: true, alignment: 'center', characterSpacing: 4 },
        heading: { fontSize: 12, bold: true },
        label: { bold: true },
        th: { bold: true, alignment: 'center', fillColor: '#eeeeee' },
        small: { fontSize: 8.5 },
      },
      content: [
        { text: `作成日\u3000${data.issuedOn}`, alignment: 'right', margin: [0, 0, 0, 8] },
        { text: '立入調査報告書', style: 'title', margin: [0, 0, 0, 16] },
        AuditReport.overview(data),
        ...AuditReport.checklist(data),
        ...AuditReport.findings(data),
        ...AuditReport.actions(data),
      ],
    }
  }

  /** The contract, date, auditors and status as label | value rows. */
  private static overview(data: AuditReportData): Content {
    const rows: Array<[string, string | string[]]> = [
      ['登録業務の名称', data.systemName],
      ['保有課（担当課）', data.departmentName],
      ...(data.parentTitle
        ? ([['委託（元請）', data.parentTitle]] as Array<[string, string]>)
        : []),
      [data.parentTitle ? '再委託の件名' : '委託の件名', data.contractTitle],
      [data.contractorLabel, data.contractorName],
      ['特記事項', data.termsLabel ?? 'なし'],
      ['実施日', data.auditedOn],
      ['調査員', data.auditors],
      ['状態', data.status],
    ]
    return {
      table: {
        widths: ['28%', '*'],
        body: rows.map(([label, value]): TableCell[] => [
          { text: label, style: 'label' },
          Array.isArray(value) ? { stack: value.map((line) => ({ text: line })) } : { text: value },
        ]),
      },
      layout: COUNCIL_TABLE_LAYOUT,
    }
  }

  /** 1 チェックリスト: one row per line with its answer and note, then the totals. */
  private static checklist(data: AuditReportData): Content[] {
    const count = (answer: AuditAnswer | null) =>
      data.lines.filter((line) => line.answer === answer).length
    const totals = [
      `適合 ${count('compliant')}件`,
      `不適合 ${count('non_compliant')}件`,
      `該当なし ${count('not_applicable')}件`,
      ...(count(null) ? [`未回答 ${count(null)}件`] : []),
    ].join('　')
    const header: TableCell[] = ['No.', '項目', '内容', '結果', '備考'].map((text) => ({
      text,
      style: 'th',
    }))
    const body: TableCell[][] = data.lines.map((line) => [
      { text: String(line.position), alignment: 'center' },
      { text: line.reference, style: 'small' },
      { text: line.text, style: 'small' },
      {
        text: answerLabel(line.answer),
        alignment: 'center',
        bold: line.answer === 'non_compliant',
        color: line.answer ? '#000000' : '#666666',
      },
      { text: line.note ?? '', style: 'small' },
    ])
    const content: Content[] = [
      { text: '1　チェックリスト', style: 'heading', margin: [0, 18, 0, 6] },
      {
        table: {
          headerRows: 1,
          dontBreakRows: false,
          widths: [22, 88, '*', 52, 92],
          body: [header, ...body],
        },
        layout: COUNCIL_TABLE_LAYOUT,
      },
      { text: totals, margin: [0, 4, 0, 0] },
    ]
    if (data.uncovered.length > 0) {
      content.push({
        text: `※ 指摘事項・是正措置の記録がない不適合項目：${data.uncovered.join('、')}`,
        margin: [0, 2, 0, 0],
      })
    }
    return content
  }

  /** 2 指摘事項 */
  private static findings(data: AuditReportData): Content[] {
    const content: Content[] = [{ text: '2　指摘事項', style: 'heading', margin: [0, 18, 0, 6] }]
    if (data.findings.length === 0) return [...content, { text: 'なし' }]
    const header: TableCell[] = ['No.', '指摘事項', '関連する項目'].map((text) => ({
      text,
      style: 'th',
    }))
    content.push({
      table: {
        headerRows: 1,
        dontBreakRows: false,
        widths: [22, '*', 130],
        body: [
          header,
          ...data.findings.map((finding, index): TableCell[] => [
            { text: String(index + 1), alignment: 'center' },
            { text: finding.detail },
            { text: finding.reference ?? '', style: 'small' },
          ]),
        ],
      },
      layout: COUNCIL_TABLE_LAYOUT,
    })
    return content
  }

  /** 3 是正措置 */
  private static actions(data: AuditReportData): Content[] {
    const content: Content[] = [{ text: '3　是正措置', style: 'heading', margin: [0, 18, 0, 6] }]
    if (data.actions.length === 0) return [...content, { text: 'なし' }]
    const header: TableCell[] = ['No.', '是正措置の内容', '担当', '期限', '完了日'].map((text) => ({
      text,
      style: 'th',
    }))
    content.push({
      table: {
        headerRows: 1,
        dontBreakRows: false,
        widths: [22, '*', 96, 84, 84],
        body: [
          header,
          ...data.actions.map((action, index): TableCell[] => [
            { text: String(index + 1), alignment: 'center' },
            {
              stack: [
                { text: action.measure },
                ...(action.reference ? [{ text: `（${action.reference}）`, style: 'small' }] : []),
              ],
            },
            { text: action.owner },
            { text: action.dueOn },
            { text: action.doneOn ?? '未完了' },
          ]),
        ],
      },
      layout: COUNCIL_TABLE_LAYOUT,
    })
    return content
  }
}
