import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import type { ClauseDutyKind, DutyState } from '#enums/register'

export type DutyStatus = 'due' | 'overdue' | 'satisfied' | 'waived'

/**
 * One oversight duty of a contract: the annual audit of a fiscal year, the
 * handler roster, the deletion certificate after the end, a monthly report …
 */
export default class OversightDuty extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  @column()
  declare kind: ClauseDutyKind

  /** '2026' (fiscal year), '2026-04' (month), 'initial', 'end', 'approval'. */
  @column()
  declare periodKey: string

  @column.date()
  declare dueOn: DateTime

  @column()
  declare state: DutyState

  @column.date()
  declare satisfiedOn: DateTime | null

  @column()
  declare evidenceType: string | null

  @column()
  declare evidenceId: number | null

  @column()
  declare waivedReason: string | null

  @column()
  declare waivedByUserId: number | null

  @column.dateTime()
  declare remindedDueAt: DateTime | null

  @column.dateTime()
  declare remindedOverdueAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  /** due, overdue, satisfied or waived, as of `today`. */
  statusOn(today: DateTime = DateTime.now()): DutyStatus {
    if (this.state !== 'open') return this.state
    return this.dueOn.startOf('day') < today.startOf('day') ? 'overdue' : 'due'
  }
}
