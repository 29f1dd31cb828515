import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * Staff training held by a contractor (従業員に対する教育): date, what was
 * taught, and how many attended.
 */
export default class TrainingRecord extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  @column.date()
  declare trainedOn: DateTime

  @column()
  declare content: string

  @column()
  declare attendees: number

  @column()
  declare submittedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
