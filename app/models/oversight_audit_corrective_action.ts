import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A corrective action (是正措置) with its owner, due date and, once done, the date it was done. */
export default class OversightAuditCorrectiveAction extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare auditId: number

  @column()
  declare lineId: number | null

  @column()
  declare position: number

  @column()
  declare measure: string

  /** Who carries it out (free text: a company department or a person). */
  @column()
  declare owner: string

  @column.date()
  declare dueOn: DateTime

  @column.date()
  declare doneOn: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Not done and past its due date (the due date itself still counts as on time). */
  isOverdueOn(today: DateTime): boolean {
    return !this.doneOn && this.dueOn.startOf('day') < today.startOf('day')
  }
}
