import { DateTime } from 'luxon'
import Contract from '#models/contract'
import OversightDuty, { type DutyStatus } from '#models/oversight_duty'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import i18nManager from '@adonisjs/i18n/services/main'
import { jaText } from '#services/ja_text'
import type { CsvColumn, CsvRow } from '#services/csv/csv_export'

/** Columns of the matrix, in the order the special terms create them. */
export const MATRIX_KINDS = [
  'subcontract_approval',
  'roster',
  'audit',
  'training',
  'periodic_report',
  'return_erasure',
] as const

export interface MatrixCell {
  status: DutyStatus | null
  /** For periodic reports: how many of the year's reports are overdue / expected. */
  overdue: number
  /** How many were submitted and await the ward's check (確認待ち: not done yet). */
  submitted: number
  total: number
  dueOn: DateTime | null
}

export interface MatrixRow {
  contract: Contract
  cells: Record<(typeof MATRIX_KINDS)[number], MatrixCell>
  overdue: boolean
}

/**
 * Contracts × duties for one fiscal year (and department), as the
 * compliance dashboard, its CSV and the yearly oversight report show them.
 */
export default class ComplianceMatrix {
  static async build(
    fiscalYear: number,
    departmentIds: number[] | null,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<MatrixRow[]> {
    const { start, end } = WardCalendar.fiscalYearRange(fiscalYear)
    const contracts = await Contract.query()
      .whereNot('status', 'draft')
      .if(departmentIds !== null, (query) =>
        query.whereIn('systemId', (sub) =>
          sub.from('personal_data_systems').select('id').whereIn('department_id', departmentIds!)
        )
      )
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .preload('duties')
      .orderBy('systemId')
      .orderBy('id')

    return contracts.map((contract) => {
      const inYear = (duty: OversightDuty) =>
        duty.periodKey === String(fiscalYear) ||
        (duty.kind === 'periodic_report' && duty.dueOn >= start && duty.dueOn <= end) ||
        (['roster', 'return_erasure', 'subcontract_approval'].includes(duty.kind) &&
          duty.dueOn <= end)
      const cells = Object.fromEntries(
        MATRIX_KINDS.map((kind) => {
          const duties = contract.duties.filter((duty) => duty.kind === kind && inYear(duty))
          const statuses = duties.map((duty) => duty.statusOn(today))
          // The one that most needs someone: owed and late, sent back, awaiting the ward's check, …
          const worst =
            (['overdue', 'returned', 'submitted', 'due', 'waived', 'satisfied'] as const).find(
              (status) => statuses.includes(status)
            ) ?? null
          return [
            kind,
            {
              status: worst,
              overdue: statuses.filter((status) => status === 'overdue').length,
              submitted: statuses.filter((status) => status === 'submitted').length,
              total: duties.length,
              dueOn:
                duties.map((duty) => duty.dueOn).sort((a, b) => a.toMillis() - b.toMillis())[0] ??
                null,
            },
          ]
        })
      ) as MatrixRow['cells']
      return {
        contract,
        cells,
        overdue: Object.values(cells).some((cell) => cell.status === 'overdue'),
      }
    })
  }

  /** Built on use: the translations are loaded after this module. */
  static csvColumns(): CsvColumn[] {
    return [
      ...(['department', 'system', 'contract', 'contractor'] as const).map((key) => ({
        key,
        header: jaText(`oversight.csv_columns.${key}`),
      })),
      ...MATRIX_KINDS.map((kind) => ({ key: kind, header: kindLabel(kind) })),
    ]
  }

  static csvRows(rows: MatrixRow[]): CsvRow[] {
    return rows.map((row) => ({
      department: row.contract.system.department.name,
      system: row.contract.system.name,
      contract: row.contract.title,
      contractor: row.contract.contractor?.name ?? '',
      ...Object.fromEntries(MATRIX_KINDS.map((kind) => [kind, cellText(row.cells[kind])])),
    }))
  }
}

export function kindLabel(kind: string): string {
  return jaText(`oversight.kind.${kind}`)
}

export function cellText(cell: MatrixCell): string {
  if (!cell.status) return '—'
  const status = jaText(`oversight.status.${cell.status}`)
  if (cell.total > 1) {
    const ja = i18nManager.locale('ja')
    const submitted = cell.submitted
      ? ja.t('oversight.csv_columns.submitted_of', { submitted: cell.submitted, total: cell.total })
      : ''
    return `${status}${ja.t('oversight.csv_columns.overdue_of', { overdue: cell.overdue, total: cell.total })}${submitted}`
  }
  return cell.dueOn
    ? `${status}${i18nManager.locale('ja').t('oversight.csv_columns.due_on', { date: WardCalendar.formatIso(cell.dueOn) })}`
    : status
}
