import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { COUNCIL_FONT } from '#services/council/council_document_pdf'
import {
  MATRIX_KINDS,
  cellText,
  kindLabel,
  type MatrixRow,
} from '#services/oversight/compliance_matrix'

/**
 * The yearly oversight report of a department (委託先監督状況報告): every
 * contract with the state of each duty in the fiscal year. A4 landscape.
 */
export default class OversightReport {
  static definition(input: {
    fiscalYearLabel: string
    department: string
    generatedOn: string
    rows: MatrixRow[]
  }): TDocumentDefinitions {
    const overdue = input.rows.filter((row) => row.overdue).length
    const header = ['登録業務', '委託', '委託先', ...MATRIX_KINDS.map(kindLabel)].map((text) => ({
      text,
      bold: true,
      fillColor: '#e8f1fe',
    }))
    const body = input.rows.map((row) => [
      row.contract.system.name,
      `${row.contract.isSubcontract ? '再委託: ' : ''}${row.contract.title}`,
      row.contract.contractor?.name ?? '未定',
      ...MATRIX_KINDS.map((kind) => {
        const text = cellText(row.cells[kind])
        return row.cells[kind].status === 'overdue' ? { text, bold: true, color: '#ce0000' } : text
      }),
    ])
    const content: Content[] = [
      {
        text: `${input.fiscalYearLabel} 委託先監督状況報告`,
        fontSize: 16,
        bold: true,
        alignment: 'center',
        margin: [0, 0, 0, 6],
      },
      {
        text: `${input.department}\u3000（作成日 ${input.generatedOn}）`,
        alignment: 'right',
        margin: [0, 0, 0, 10],
      },
      {
        text: `対象の委託 ${input.rows.length}件のうち、期限を超過した義務がある委託 ${overdue}件`,
        margin: [0, 0, 0, 8],
      },
      input.rows.length
        ? {
            table: {
              headerRows: 1,
              widths: [90, 120, 80, ...MATRIX_KINDS.map(() => '*')],
              body: [header, ...body],
            },
            fontSize: 8,
          }
        : { text: '対象となる委託はありません。' },
    ]
    return {
      pageSize: 'A4',
      pageOrientation: 'landscape',
      pageMargins: [40, 40, 40, 40],
      defaultStyle: { font: COUNCIL_FONT, fontSize: 10, lineHeight: 1.3 },
      info: { title: `${input.fiscalYearLabel} 委託先監督状況報告 ${input.department}` },
      content,
    }
  }
}
