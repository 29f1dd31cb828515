import { DateTime } from 'luxon'
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { COUNCIL_FONT, COUNCIL_TABLE_LAYOUT } from '#services/council/council_document_pdf'
import AuditChecklist, {
  answerLabel,
  type AuditAnswer,
} from '#services/oversight/oversight_audit_checklist'
import WardCalendar from '#services/ward_calendar'
import { jaText } from '#services/ja_text'
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
      contractorName: contract.contractor?.name ?? jaText('oversight_audits.undecided'),
      contractorLabel: jaText(
        contract.isSubcontract ? 'oversight_audits.subcontractor' : 'oversight_audits.contractor'
      ),
      termsLabel: audit.specialTermSet ? audit.specialTermSet.label : null,
      auditedOn: `${WardCalendar.formatEra(audit.auditedOn)}（${WardCalendar.fiscalYearLabel(audit.fiscalYear)}）`,
      auditors: audit.auditors.map((auditor) =>
        auditor.departmentName
          ? `${auditor.fullName}（${auditor.departmentName}）`
          : auditor.fullName
      ),
      status: audit.isCompleted
        ? jaText('oversight_audits.pdf.status_completed', {
            date: WardCalendar.formatEra(audit.completedAt!),
          })
        : jaText(
            audit.lines.some((line) => line.answer === null)
              ? 'oversight_audits.pdf.status_in_progress'
              : 'oversight_audits.pdf.status_open_actions'
          ),
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
        title: jaText('oversight_audits.pdf.info_title', { contract: data.contractTitle }),
        subject: jaText('oversight_audits.pdf.title'),
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
        {
          text: jaText('oversight_audits.pdf.issued_on', { date: data.issuedOn }),
          alignment: 'right',
          margin: [0, 0, 0, 8],
        },
        { text: jaText('oversight_audits.pdf.title'), style: 'title', margin: [0, 0, 0, 16] },
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
      [jaText('oversight_audits.pdf.system'), data.systemName],
      [jaText('oversight_audits.department'), data.departmentName],
      ...(data.parentTitle
        ? ([[jaText('oversight_audits.pdf.parent'), data.parentTitle]] as Array<[string, string]>)
        : []),
      [
        jaText(
          data.parentTitle
            ? 'oversight_audits.pdf.subcontract_title'
            : 'oversight_audits.pdf.contract_title'
        ),
        data.contractTitle,
      ],
      [data.contractorLabel, data.contractorName],
      [jaText('oversight_audits.terms'), data.termsLabel ?? jaText('oversight_audits.no_terms')],
      [jaText('oversight_audits.audited_on'), data.auditedOn],
      [jaText('oversight_audits.auditors'), data.auditors],
      [jaText('oversight_audits.status'), data.status],
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
    const total = (answer: AuditAnswer | null) =>
      jaText('oversight_audits.pdf.total', {
        answer: answerLabel(answer),
        count: String(count(answer)),
      })
    const totals = [
      total('compliant'),
      total('non_compliant'),
      total('not_applicable'),
      ...(count(null) ? [total(null)] : []),
    ].join('\u3000')
    const header: TableCell[] = (['no', 'item', 'text', 'answer', 'note'] as const).map(
      (column) => ({ text: jaText(`oversight_audits.columns.${column}`), style: 'th' })
    )
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
      { text: jaText('oversight_audits.pdf.checklist'), style: 'heading', margin: [0, 18, 0, 6] },
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
        text: jaText('oversight_audits.pdf.uncovered', { references: data.uncovered.join('、') }),
        margin: [0, 2, 0, 0],
      })
    }
    return content
  }

  /** 2 指摘事項 */
  private static findings(data: AuditReportData): Content[] {
    const content: Content[] = [
      { text: jaText('oversight_audits.pdf.findings'), style: 'heading', margin: [0, 18, 0, 6] },
    ]
    if (data.findings.length === 0)
      return [...content, { text: jaText('oversight_audits.pdf.none') }]
    const header: TableCell[] = [
      'oversight_audits.columns.no',
      'oversight_audits.pdf.finding',
      'oversight_audits.related_line',
    ].map((key) => ({ text: jaText(key), style: 'th' }))
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
    const content: Content[] = [
      { text: jaText('oversight_audits.pdf.actions'), style: 'heading', margin: [0, 18, 0, 6] },
    ]
    if (data.actions.length === 0)
      return [...content, { text: jaText('oversight_audits.pdf.none') }]
    const header: TableCell[] = (
      ['columns.no', 'measure', 'owner', 'due_on', 'done_on'] as const
    ).map((key) => ({ text: jaText(`oversight_audits.${key}`), style: 'th' }))
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
            { text: action.doneOn ?? jaText('oversight_audits.not_done') },
          ]),
        ],
      },
      layout: COUNCIL_TABLE_LAYOUT,
    })
    return content
  }
}
