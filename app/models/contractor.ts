import { DateTime } from 'luxon'
import { BaseModel, column, hasMany, scope } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import WardCalendar from '#services/ward_calendar'

/** How a contractor's Privacy Mark (プライバシーマーク) stands on a given day. */
export type PrivacyMarkStatus = 'valid' | 'expiring' | 'expired' | 'none'

/** A Privacy Mark expiring within this many days is flagged. */
export const PRIVACY_MARK_WARNING_DAYS = 90

/**
 * A contractor (委託先 / 事業者). Its users log in and see only its contracts.
 */
export default class Contractor extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare nameKana: string | null

  /** 法人番号: 13 ASCII digits, check digit verified on input. */
  @column()
  declare corporateNumber: string | null

  @column()
  declare address: string | null

  @column()
  declare representative: string | null

  @column()
  declare privacyMarkNumber: string | null

  /** Last day the Privacy Mark is valid (有効期限). */
  @column.date()
  declare privacyMarkExpiresOn: DateTime | null

  @column()
  declare contactDepartment: string | null

  @column()
  declare contactName: string | null

  @column()
  declare contactPhone: string | null

  @column()
  declare contactEmail: string | null

  @column()
  declare notes: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => User)
  declare users: HasMany<typeof User>

  /** Name or corporate number contains the text (full-width digits and hyphens allowed). */
  static search = scope((query, text: string) => {
    const pattern = `%${Contractor.#escapeLike(text.toLowerCase())}%`
    const digits = text.normalize('NFKC').replace(/[\s\-‐‑‒–—―−ｰー]/gu, '')
    query.where((group) => {
      group
        .whereRaw(`lower(name) like ? escape '\\'`, [pattern])
        .orWhereRaw(`lower(name_kana) like ? escape '\\'`, [pattern])
      if (/^\d+$/.test(digits)) group.orWhere('corporateNumber', 'like', `%${digits}%`)
    })
  })

  /** Privacy Mark expired, or expiring within 90 days of `today` (ward calendar date). */
  static privacyMarkFlagged = scope((query, today: DateTime = DateTime.now()) => {
    const limit = WardCalendar.formatIso(today.plus({ days: PRIVACY_MARK_WARNING_DAYS }))
    query.whereNotNull('privacyMarkExpiresOn').where('privacyMarkExpiresOn', '<=', limit)
  })

  /**
   * 'expired' after the expiry date, 'expiring' from 90 days before it up to
   * and including that day, 'valid' before that, 'none' without a Privacy Mark.
   */
  privacyMarkStatus(today: DateTime = DateTime.now()): PrivacyMarkStatus {
    if (!this.privacyMarkExpiresOn) return 'none'
    const expiresOn = this.privacyMarkExpiresOn.toISODate()!
    const todayIso = WardCalendar.formatIso(today)
    if (expiresOn < todayIso) return 'expired'
    const limit = WardCalendar.formatIso(today.plus({ days: PRIVACY_MARK_WARNING_DAYS }))
    return expiresOn <= limit ? 'expiring' : 'valid'
  }

  /** Expired or expiring within 90 days: shown with a warning and filterable on the list. */
  privacyMarkNeedsAttention(today: DateTime = DateTime.now()): boolean {
    const status = this.privacyMarkStatus(today)
    return status === 'expired' || status === 'expiring'
  }

  static #escapeLike(text: string): string {
    return text.replace(/[\\%_]/g, (character) => `\\${character}`)
  }
}
