import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { COUNCIL_FONT } from '#services/council/council_document_pdf'
import {
  MATRIX_KINDS,
  cellText,
  kindLabel,
  type MatrixRow,
} from '#services/oversight/compliance_matrix'
import { jaText } from '#services/ja_text'

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
    const header = [
      ...(['system', 'contract', 'contractor'] as const).map((key) =>
        jaText(`oversight.csv_columns.${key}`)
      ),
      ...MATRIX_KINDS.map(kindLabel),
    ].map((text) => ({
      text,
      bold: true,
      fillColor: '#e8f1fe',
    }))
    const body = input.rows.map((row) => [
      row.contract.system.name,
      row.contract.isSubcontract
        ? jaText('oversight.report_pdf.subcontract', { title: row.contract.title })
        : row.contract.title,
      row.contract.contractor?.name ?? jaText('register.contracts.undecided'),
      ...MATRIX_KINDS.map((kind) => {
        const text = cellText(row.cells[kind])
        return row.cells[kind].status === 'overdue' ? { text, bold: true, color: '#ce0000' } : text
      }),
    ])
    const content: Content[] = [
      {
        text: jaText('oversight.report_pdf.title', { fiscalYear: input.fiscalYearLabel }),
        fontSize: 16,
        bold: true,
        alignment: 'center',
        margin: [0, 0, 0, 6],
      },
      {
        text: jaText('oversight.report_pdf.issued', {
          department: input.department,
          date: input.generatedOn,
        }),
        alignment: 'right',
        margin: [0, 0, 0, 10],
      },
      {
        text: jaText('oversight.report_pdf.summary', {
          total: String(input.rows.length),
          overdue: String(overdue),
        }),
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
        : { text: jaText('oversight.report_pdf.empty') },
    ]
    return {
      pageSize: 'A4',
      pageOrientation: 'landscape',
      pageMargins: [40, 40, 40, 40],
      defaultStyle: { font: COUNCIL_FONT, fontSize: 10, lineHeight: 1.3 },
      info: {
        title: jaText('oversight.report_pdf.info_title', {
          fiscalYear: input.fiscalYearLabel,
          department: input.department,
        }),
      },
      content,
    }
  }
}
