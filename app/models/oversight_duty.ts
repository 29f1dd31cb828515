import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import { OUTSTANDING_DUTY_STATES, type ClauseDutyKind, type DutyState } from '#enums/register'

/** As shown: 期限前, 期限超過, 確認待ち, 差戻し, 実施済み, 免除. */
export type DutyStatus = 'due' | 'overdue' | 'submitted' | 'returned' | 'satisfied' | 'waived'

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

  /** The day the contractor's submission for it arrived (提出済・確認待ち, and kept after). */
  @column.date()
  declare submittedOn: DateTime | null

  /** Why the ward sent the submission back (差戻し); shown to the contractor. */
  @column()
  declare returnedReason: string | null

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

  /** Still owed by the contractor (open, or sent back). */
  get isOutstanding(): boolean {
    return (OUTSTANDING_DUTY_STATES as readonly string[]).includes(this.state)
  }

  /**
   * As of `today`: an open duty is due or overdue; one sent back is 差戻し
   * until its due date passes, then overdue; one awaiting the ward's check
   * is 確認待ち (not done yet, but nothing more is owed by the contractor).
   */
  statusOn(today: DateTime = DateTime.now()): DutyStatus {
    if (!this.isOutstanding) return this.state as Exclude<DutyState, 'open' | 'returned'>
    if (this.dueOn.startOf('day') < today.startOf('day')) return 'overdue'
    return this.state === 'returned' ? 'returned' : 'due'
  }
}
