import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import fieldEncryption from '#services/field_encryption'
import { booleanColumn, encryptedColumn } from '#services/column_types'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/**
 * A registered citizen (区民等), guard "citizen". Name, email and phone are
 * encrypted at rest; the email is found through its blind index.
 */
export default class Citizen extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column(encryptedColumn)
  declare email: string

  @column({ serializeAs: null })
  declare emailIndex: string

  @column({ serializeAs: null })
  declare password: string

  @column(encryptedColumn)
  declare fullName: string

  @column(encryptedColumn)
  declare phone: string | null

  @column(booleanColumn)
  declare isDemo: boolean

  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

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

  @beforeSave()
  static indexEmail(citizen: Citizen) {
    if (citizen.$dirty.email) {
      citizen.emailIndex = fieldEncryption.emailIndex(citizen.email)
    }
  }

  /** Finds an account by the blind index of its email (login, registration). */
  static findByEmail(email: string) {
    return Citizen.query().where('email_index', fieldEncryption.emailIndex(email)).first()
  }
}
