import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import type { DepartmentLevel } from '#enums/department_level'
import DepartmentDirectory from '#services/department_directory'

/**
 * An organisational unit: 部 > 課 > 係.
 */
export default class Department extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare parentId: number | null

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare level: DepartmentLevel

  @column()
  declare sortOrder: number

  /** Printed in the letterhead of a 回答書 (the ward's address when empty). */
  @column()
  declare address: string | null

  @column()
  declare phone: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department, { foreignKey: 'parentId' })
  declare parent: BelongsTo<typeof Department>

  @hasMany(() => Department, { foreignKey: 'parentId' })
  declare children: HasMany<typeof Department>

  /**
   * The department's own id and the ids of every unit below it
   * (a 課 sees its 係; a 部 sees its 課 and their 係). With `account`, from the organisation as
   * read once for that account's request (DepartmentDirectory.load).
   */
  static async subtreeIds(rootId: number, account?: object): Promise<number[]> {
    const directory = await DepartmentDirectory.load(account)
    return directory.subtreeIds(rootId)
  }
}
