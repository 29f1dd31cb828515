import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** 取扱責任者 (responsible) and 取扱者 (handler). */
export const ROSTER_MEMBER_KINDS = ['responsible', 'handler'] as const
export type RosterMemberKind = (typeof ROSTER_MEMBER_KINDS)[number]

/**
 * A person on a roster version: the contractor's staff (personal data, but
 * not citizens' data, so stored in plain columns).
 */
export default class RosterMember extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare handlerRosterId: number

  @column()
  declare kind: RosterMemberKind

  @column()
  declare name: string

  /** 役職・担当業務, e.g. コールセンター責任者, オペレーター */
  @column()
  declare role: string | null

  /** Date of the latest privacy training (研修受講日). */
  @column.date()
  declare trainedOn: DateTime | null

  @column()
  declare sortOrder: number
}
