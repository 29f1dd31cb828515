import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import type { DepartmentLevel } from '#enums/department_level'

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
   * (a 課 sees its 係; a 部 sees its 課 and their 係).
   */
  static async subtreeIds(rootId: number): Promise<number[]> {
    const all = await Department.query().select('id', 'parentId')
    const childrenOf = new Map<number, number[]>()
    for (const department of all) {
      if (department.parentId === null) continue
      const siblings = childrenOf.get(department.parentId) ?? []
      siblings.push(department.id)
      childrenOf.set(department.parentId, siblings)
    }
    const ids = [rootId]
    for (let index = 0; index < ids.length; index++) {
      ids.push(...(childrenOf.get(ids[index]) ?? []))
    }
    return ids
  }

  /**
   * Every department ordered as a tree (部, its 課, their 係 …) with depth,
   * for select boxes and the organisation page.
   */
  static async asTree(): Promise<Array<{ department: Department; depth: number }>> {
    const all = await Department.query().orderBy('sortOrder').orderBy('code')
    const rows: Array<{ department: Department; depth: number }> = []
    const visit = (parentId: number | null, depth: number) => {
      for (const department of all.filter((d) => d.parentId === parentId)) {
        rows.push({ department, depth })
        visit(department.id, depth + 1)
      }
    }
    visit(null, 0)
    return rows
  }
}
