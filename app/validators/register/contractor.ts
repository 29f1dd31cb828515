import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'
import CorporateNumber from '#services/register/corporate_number'
import { labelled } from '#validators/form_messages'

/**
 * Messages of the corporate-number rule. The Japanese text is the fallback;
 * `validator.shared.messages.corporateNumberFormat` and
 * `…corporateNumberCheckDigit` in resources/lang/<locale>/validator.json
 * take precedence when present.
 */
export const CORPORATE_NUMBER_MESSAGES = {
  corporateNumberFormat: '法人番号は13桁の数字で入力してください',
  corporateNumberCheckDigit: '法人番号のチェックデジットが正しくありません',
}

/**
 * 法人番号: accepts full-width digits, hyphens and spaces, stores 13 ASCII
 * digits, and refuses a wrong check digit.
 */
export const corporateNumberRule = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const normalized = CorporateNumber.normalize(value)
    if (!CorporateNumber.hasThirteenDigits(normalized)) {
      field.report(CORPORATE_NUMBER_MESSAGES.corporateNumberFormat, 'corporateNumberFormat', field)
      return
    }
    if (!CorporateNumber.isValid(normalized)) {
      field.report(
        CORPORATE_NUMBER_MESSAGES.corporateNumberCheckDigit,
        'corporateNumberCheckDigit',
        field
      )
      return
    }
    field.mutate(normalized, field)
  }
)

/** 03-1234-5678, 0120-123-456, 09012345678: a Japanese number of 10 or 11 digits. */
const PHONE_PATTERN = /^(?=(?:\D*\d){10,11}$)0\d{1,4}-?\d{1,4}-?\d{3,4}$/

/**
 * Telephone number: full-width digits and dashes become ASCII; anything but
 * a Japanese number is refused with the shared "regex" (形式) message.
 */
export const phoneNumberRule = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const normalized = value
      .normalize('NFKC')
      .replace(/[‐‑‒–—―−ｰー]/gu, '-')
      .replace(/\s/g, '')
    if (!PHONE_PATTERN.test(normalized)) {
      field.report('{{ field }}の形式が正しくありません', 'regex', field)
      return
    }
    field.mutate(normalized, field)
  }
)

const contractorFields = {
  name: vine.string().trim().minLength(1).maxLength(200),
  nameKana: vine.string().trim().maxLength(200).optional(),
  address: vine.string().trim().maxLength(300).optional(),
  representative: vine.string().trim().maxLength(100).optional(),
  privacyMarkNumber: vine.string().trim().maxLength(30).optional(),
  privacyMarkExpiresOn: vine
    .date({ formats: ['YYYY-MM-DD'] })
    .transform((date) => DateTime.fromJSDate(date))
    .optional(),
  contactDepartment: vine.string().trim().maxLength(100).optional(),
  contactName: vine.string().trim().maxLength(100).optional(),
  contactPhone: vine.string().trim().use(phoneNumberRule()).optional(),
  contactEmail: vine.string().trim().email().maxLength(254).optional(),
  notes: vine.string().trim().maxLength(2000).optional(),
}

/** Privacy officer registers a contractor. */
export const createContractorValidator = vine.compile(
  vine.object({
    ...contractorFields,
    corporateNumber: vine
      .string()
      .trim()
      .use(corporateNumberRule())
      .unique({ table: 'contractors', column: 'corporate_number' })
      .optional(),
  })
)

/** Privacy officer edits a contractor. */
export const updateContractorValidator = vine.withMetaData<{ contractorId: number }>().compile(
  vine.object({
    ...contractorFields,
    corporateNumber: vine
      .string()
      .trim()
      .use(corporateNumberRule())
      .unique({
        table: 'contractors',
        column: 'corporate_number',
        filter: (db, _value, field) => {
          db.whereNot('id', field.meta.contractorId)
        },
      })
      .optional(),
  })
)

/* The contractor form's labels (#validators/form_messages). */
const CONTRACTOR_LABELS = {
  name: 'contractors.fields.name',
  nameKana: 'contractors.fields.name_kana',
  corporateNumber: 'contractors.fields.corporate_number',
  address: 'contractors.fields.address',
  representative: 'contractors.fields.representative',
  privacyMarkNumber: 'contractors.fields.privacy_mark_number',
  privacyMarkExpiresOn: 'contractors.fields.privacy_mark_expires_on',
  contactDepartment: 'contractors.fields.contact_department',
  contactName: 'contractors.fields.contact_name',
  contactPhone: 'contractors.fields.contact_phone',
  contactEmail: 'contractors.fields.contact_email',
  notes: 'contractors.fields.notes',
}
labelled(createContractorValidator, CONTRACTOR_LABELS)
labelled(updateContractorValidator, CONTRACTOR_LABELS)
