import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A numbered group of people whose data a system holds (個人の範囲 ①②③).
 */
export default class SubjectGroup extends BaseModel {
  static table = 'system_subject_groups'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare systemId: number

  @column()
  declare number: number

  @column()
  declare description: string
}
