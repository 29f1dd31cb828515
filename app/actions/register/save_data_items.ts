import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import DomainError, { translateMessage, type MessageRef } from '#exceptions/domain_error'
import type { I18n } from '@adonisjs/i18n'
import DataItem from '#models/data_item'
import PersonalDataSystem from '#models/personal_data_system'
import SubjectGroup from '#models/subject_group'
import SystemSnapshots from '#services/register/system_snapshot'
import AuditLogger from '#services/audit_logger'
import DataItemUses, { type ContractUse } from '#services/register/data_item_uses'
import { effectiveHeadings } from '#services/register/data_item_list'
import type { DataItemRowsInput } from '#validators/register/data_items'
import type User from '#models/user'
import { jaText } from '#services/ja_text'
import RowBatch from '#services/row_batch'

/** A problem with the table: `row` is the 0-based row of the form (null = the whole table). */
export interface RowProblem {
  row: number | null
  field?: string
  key: string
  params?: Record<string, string | number>
  contracts?: ContractUse[]
  /** Already translated (validation messages). */
  message?: string
}

export interface SaveDataItemsResult {
  saved: boolean
  added: number
  changed: number
  removed: number
  reordered: boolean
  total: number
  version: number
}

/**
 * The table refused: every problem by row, and the version of the table now stored. Forms
 * show the table again with the problems beside their rows; JSON clients get each problem
 * as an error of its row (`rows.3.name`).
 */
export class DataItemTableRefusal extends DomainError {
  constructor(
    readonly rowProblems: RowProblem[],
    readonly currentVersion: number
  ) {
    const [first, ...others] = rowProblems.map((problem) => ({
      field: fieldOf(problem),
      message: problemRef(problem),
      code: problem.key,
    }))
    const main = first?.message ?? { key: 'data_items.bulk.stale' }
    super(typeof main === 'string' ? first!.code : main.key, {
      field: first?.field ?? 'rows',
      data: typeof main === 'string' ? undefined : main.data,
      text: typeof main === 'string' ? main : undefined,
      code: first?.code,
      more: others,
    })
  }
}

/** The form field of a row problem: `rows`, `rows.3` or `rows.3.name`. */
function fieldOf(problem: RowProblem): string {
  return problem.row === null
    ? 'rows'
    : ['rows', problem.row, problem.field].filter((part) => part !== undefined).join('.')
}

/**
 * Saves the whole table of a system's data items at once (記録項目の一括編集):
 * rows are added, changed, reordered (sortOrder = place in the table, groups as
 * typed) and removed in one transaction that records one register version and
 * one audit entry. Nothing is saved when any row is refused: a row with content
 * but no name, an unknown 対象者, a prohibited category newly chosen without
 * its recorded approval (the item page records it), an item to remove that a
 * contract still lists, or a table opened before someone else saved (DataItemTableRefusal).
 */
@inject()
export default class SaveDataItems {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    systemId: number,
    input: DataItemRowsInput,
    user: User
  ): Promise<SaveDataItemsResult> {
    return db.transaction(async (trx) => {
      const system = await PersonalDataSystem.query({ client: trx })
        .where('id', systemId)
        .if(trx.dialect.name === 'postgres', (query) => query.forUpdate())
        .firstOrFail()
      if (input.version !== undefined && input.version !== system.version) {
        throw new DataItemTableRefusal(
          [{ row: null, key: 'data_items.bulk.stale', params: { version: system.version } }],
          system.version
        )
      }

      const storedItems = await DataItem.query({ client: trx })
        .where('systemId', systemId)
        .orderBy('sortOrder')
        .orderBy('id')
      const existing = new Map(storedItems.map((item) => [item.id, item]))
      const groups = await SubjectGroup.query({ client: trx })
        .where('systemId', systemId)
        .select('id')
      const groupIds = new Set(groups.map((group) => group.id))
      const headings = effectiveHeadings(input.rows.map((row) => row.groupHeading))
      const problems: RowProblem[] = []
      const seen = new Set<number>()
      const kept: Array<{
        row: DataItemRowsInput['rows'][number]
        item: DataItem | null
        heading: string | null
      }> = []
      const toRemove: Array<{ item: DataItem; row: number }> = []

      input.rows.forEach((row, index) => {
        const hasContent = Boolean(
          row.id ||
          row.name ||
          row.note ||
          row.subjectGroupId ||
          row.specialCareCategory ||
          row.prohibitedCategory
        )
        if (!hasContent) return
        const item = row.id ? (existing.get(row.id) ?? null) : null
        if (row.id && !item) {
          // Deleted elsewhere after the table was opened: gone already if ticked for removal, else the form asks.
          if (!row.remove) problems.push({ row: index, key: 'data_items.bulk.unknown_item' })
          return
        }
        if (row.id && seen.has(row.id))
          return problems.push({ row: index, key: 'data_items.bulk.duplicate_row' })
        if (row.id) seen.add(row.id)
        if (row.remove) {
          if (item) toRemove.push({ item, row: index })
          return
        }
        if (!row.name)
          return problems.push({
            row: index,
            field: 'name',
            key: item ? 'data_items.bulk.name_required_existing' : 'data_items.bulk.name_required',
          })
        if (row.subjectGroupId && !groupIds.has(row.subjectGroupId))
          problems.push({
            row: index,
            field: 'subjectGroupId',
            key: 'register.items.unknown_group',
          })
        if (row.prohibitedCategory && item?.prohibitedCategory !== row.prohibitedCategory) {
          problems.push({
            row: index,
            field: 'prohibitedCategory',
            key: 'data_items.bulk.prohibited_needs_approval',
            params: { name: row.name },
          })
        }
        kept.push({ row, item, heading: headings[index] })
      })

      const uses = await DataItemUses.contracts(
        toRemove.map(({ item }) => item.id),
        trx
      )
      for (const { item, row } of toRemove) {
        const contracts = uses.get(item.id)
        if (contracts)
          problems.push({
            row,
            field: 'remove',
            key: 'data_items.bulk.used_by_contract',
            params: { name: item.name },
            contracts,
          })
      }
      if (problems.length > 0) throw new DataItemTableRefusal(problems, system.version)

      const counts = { added: 0, changed: 0, removed: 0 }
      const changedFields = new Set<string>()
      const mentioned = new Set([
        ...kept.flatMap(({ item }) => (item ? [item.id] : [])),
        ...toRemove.map(({ item }) => item.id),
      ])
      // Items the table did not list (added elsewhere after it was opened) stay, after the table's rows.
      const untouched = [...existing.values()].filter((item) => !mentioned.has(item.id))
      let position = 0
      const added: Array<Partial<DataItem>> = []
      for (const { row, item, heading } of kept) {
        position++
        const values = {
          groupHeading: heading,
          name: row.name!,
          note: row.note ?? null,
          subjectGroupId: row.subjectGroupId ?? null,
          specialCareCategory: row.specialCareCategory ?? null,
          prohibitedCategory: row.prohibitedCategory ?? null,
          sortOrder: position,
        }
        if (!item) {
          added.push({ systemId, ...values })
          continue
        }
        item.merge(values)
        if (!values.prohibitedCategory)
          item.merge({
            prohibitedApprovedOn: null,
            prohibitedApprovedBy: null,
            prohibitedApprovalReference: null,
          })
        const dirty = Object.keys(item.$dirty).filter((field) => field !== 'sortOrder')
        dirty.forEach((field) => changedFields.add(field))
        if (dirty.length > 0) counts.changed++
      }
      for (const item of untouched) item.sortOrder = ++position
      const removed = toRemove.map(({ item }) => item)
      await RowBatch.delete(DataItem, removed, trx)
      await RowBatch.update(DataItem, storedItems, trx)
      await RowBatch.insert(DataItem, added, trx)
      counts.added = added.length
      counts.removed = removed.length

      const total = kept.length + untouched.length
      const before = [...existing.keys()].filter(
        (id) => !toRemove.some(({ item }) => item.id === id)
      )
      const after = [
        ...kept.flatMap(({ item }) => (item ? [item.id] : [])),
        ...untouched.map((item) => item.id),
      ]
      const reordered = before.some((id, index) => after[index] !== id)
      if (reordered) changedFields.add('sortOrder')
      if (counts.added + counts.changed + counts.removed === 0 && !reordered) {
        return { saved: false, ...counts, reordered, total, version: system.version }
      }
      if (counts.added || counts.removed) changedFields.add('dataItems')
      const summary = [
        counts.added ? jaText('register.changes.bulk_added', { count: counts.added }) : '',
        counts.changed ? jaText('register.changes.bulk_changed', { count: counts.changed }) : '',
        counts.removed ? jaText('register.changes.bulk_removed', { count: counts.removed }) : '',
        reordered ? jaText('register.changes.bulk_reordered') : '',
      ].filter(Boolean)
      const version = await SystemSnapshots.record(
        systemId,
        jaText('register.changes.data_items_bulk', { summary: summary.join('・') }),
        user.id,
        trx
      )
      await this.auditLog.record(
        {
          action: 'data_item.bulk_update',
          subject: system,
          changedFields: [...changedFields],
          details: { ...counts, reordered, total, version: version.version },
        },
        trx
      )
      return { saved: true, ...counts, reordered, total, version: version.version }
    })
  }
}

/** A problem as the form prints it: 3行目：… (row numbers count from 1). */
/** A row problem as a message: its text with the contracts that still list the item, and the row number. */
export function problemRef(problem: RowProblem): MessageRef | string {
  const contracts = (problem.contracts ?? []).map((use) => ({
    key: use.subcontract ? 'data_items.bulk.subcontract_label' : 'data_items.bulk.contract_label',
    data: { title: use.title },
  }))
  const message = problem.message ?? { key: problem.key, data: { ...problem.params, contracts } }
  if (problem.row === null) return message
  return { key: 'data_items.bulk.row_message', data: { row: problem.row + 1, message } }
}

/** A row problem in the user's language. */
export function problemMessage(i18n: I18n, problem: RowProblem): string {
  return translateMessage(i18n, problemRef(problem))
}
