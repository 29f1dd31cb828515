import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import CommonPasswords from '#services/auth/common_passwords'

/** ASVS 2.1.1 / NIST 800-63B: length, not composition. */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 200

/** Refuses passwords on the bundled list of common and breached passwords (ASVS 2.1.7, offline). */
const notCommon = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string' || !field.isValid) return
  if (CommonPasswords.includes(value))
    field.report(
      'このパスワードはよく使われているか、流出したことが知られているため使えません。推測されにくい別のパスワードにしてください',
      'commonPassword',
      field
    )
})

/**
 * A new password (staff accounts, citizen registration, password change):
 * at least 12 characters, any characters, not a common or breached one.
 */
export const newPassword = () =>
  vine.string().minLength(PASSWORD_MIN_LENGTH).maxLength(PASSWORD_MAX_LENGTH).use(notCommon())
