import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { ROLES } from '#enums/role'
import { newPassword } from '#validators/password'
import { choice, labelled } from '#validators/form_messages'

const userFields = {
  fullName: vine.string().trim().minLength(1).maxLength(100),
  role: vine.enum(ROLES),
  departmentId: recordId().exists({ table: 'departments', column: 'id' }).optional(),
  contractorId: recordId().exists({ table: 'contractors', column: 'id' }).optional(),
  locale: vine.enum(['ja', 'en'] as const),
  isActive: vine.boolean().optional(),
}

/** Administrator creates a staff or contractor account. */
export const createUserValidator = vine.compile(
  vine.object({
    ...userFields,
    email: vine
      .string()
      .trim()
      .email()
      .maxLength(254)
      .unique({ table: 'users', column: 'email', caseInsensitive: true }),
    password: newPassword(),
  })
)

/** Administrator edits an account; a new password is optional. */
export const updateUserValidator = vine.withMetaData<{ userId: number }>().compile(
  vine.object({
    ...userFields,
    email: vine
      .string()
      .trim()
      .email()
      .maxLength(254)
      .unique({
        table: 'users',
        column: 'email',
        caseInsensitive: true,
        filter: (db, _value, field) => {
          db.whereNot('id', field.meta.userId)
        },
      }),
    password: newPassword().optional(),
  })
)

/* The account form's labels (#validators/form_messages). */
const USER_LABELS = {
  fullName: 'messages.users.full_name',
  email: 'messages.users.email',
  role: choice('messages.users.role'),
  departmentId: choice('messages.users.department'),
  contractorId: choice('messages.users.contractor'),
  locale: choice('messages.users.locale'),
  isActive: 'messages.users.active',
  password: 'messages.users.password',
}
labelled(createUserValidator, USER_LABELS)
labelled(updateUserValidator, USER_LABELS)
