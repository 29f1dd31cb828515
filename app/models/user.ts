import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import Department from '#models/department'
import Contractor from '#models/contractor'
import { ORGANISATION_WIDE_ROLES, type Role } from '#enums/role'
import { booleanColumn } from '#services/column_types'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/**
 * A ward staff member or a contractor's user (guard "web").
 */
export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare fullName: string

  @column()
  declare role: Role

  @column()
  declare departmentId: number | null

  @column()
  declare contractorId: number | null

  @column()
  declare locale: string

  @column(booleanColumn)
  declare isActive: boolean

  @column(booleanColumn)
  declare isDemo: boolean

  @column({ serializeAs: null })
  declare failedLoginCount: number

  @column.dateTime({ serializeAs: null })
  declare lockedUntil: DateTime | null

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => Contractor)
  declare contractor: BelongsTo<typeof Contractor>

  /** Privacy officers and administrators see every department's records. */
  get seesAllDepartments(): boolean {
    return ORGANISATION_WIDE_ROLES.includes(this.role)
  }

  get isContractorUser(): boolean {
    return this.role === 'contractor'
  }

  /**
   * Departments whose records this user may see: all (null) for
   * organisation-wide roles, otherwise their own department and below.
   */
  async visibleDepartmentIds(): Promise<number[] | null> {
    if (this.seesAllDepartments) return null
    if (this.departmentId === null) return []
    // Read once per account instance (a request's user): a page checks many rows against it.
    if (this.#subtree?.rootId !== this.departmentId) {
      this.#subtree = {
        rootId: this.departmentId,
        ids: Department.subtreeIds(this.departmentId, this),
      }
    }
    return this.#subtree.ids
  }

  #subtree: { rootId: number; ids: Promise<number[]> } | null = null
}
