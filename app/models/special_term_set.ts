import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import SpecialTermClause from '#models/special_term_clause'
import { jaText } from '#services/ja_text'

/**
 * One version of a clause set of special terms (特記事項). A version never
 * changes once contracts use it: a change of the library is a new version.
 */
export default class SpecialTermSet extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare version: number

  @column()
  declare name: string

  @column()
  declare appliesTo: 'contractor' | 'subcontractor'

  @column.date()
  declare effectiveFrom: DateTime | null

  @column()
  declare notes: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => SpecialTermClause, {
    foreignKey: 'setId',
    onQuery: (query) => query.orderBy('number'),
  })
  declare clauses: HasMany<typeof SpecialTermClause>

  get label(): string {
    return jaText('register.terms_label', { name: this.name, version: this.version })
  }
}
