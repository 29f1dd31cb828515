import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { DEPARTMENT_LEVELS } from '#enums/department_level'
import { choice, labelled } from '#validators/form_messages'

const departmentFields = {
  name: vine.string().trim().minLength(1).maxLength(100),
  level: vine.enum(DEPARTMENT_LEVELS),
  parentId: recordId().exists({ table: 'departments', column: 'id' }).optional(),
  sortOrder: vine.number().withoutDecimals().min(0).max(9999).optional(),
  // Letterhead of a 回答書; empty: the ward's address and phone.
  address: vine.string().trim().maxLength(200).optional(),
  phone: vine
    .string()
    .trim()
    .regex(/^[0-9０-９+()（）\-－ ]{1,40}$/)
    .optional(),
}

/** Administrator adds a 部, 課 or 係. */
export const createDepartmentValidator = vine.compile(
  vine.object({
    ...departmentFields,
    code: vine
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,20}$/)
      .unique({ table: 'departments', column: 'code' }),
  })
)

/** Administrator edits a department. */
export const updateDepartmentValidator = vine.withMetaData<{ departmentId: number }>().compile(
  vine.object({
    ...departmentFields,
    code: vine
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,20}$/)
      .unique({
        table: 'departments',
        column: 'code',
        filter: (db, _value, field) => {
          db.whereNot('id', field.meta.departmentId)
        },
      }),
  })
)

/* The department form's labels (#validators/form_messages). */
const DEPARTMENT_LABELS = {
  name: 'messages.departments.name',
  code: 'messages.departments.code',
  level: choice('messages.departments.level'),
  parentId: choice('messages.departments.parent'),
  sortOrder: 'messages.departments.sort_order',
  address: 'messages.departments.address',
  phone: 'messages.departments.phone',
}
labelled(createDepartmentValidator, DEPARTMENT_LABELS)
labelled(updateDepartmentValidator, DEPARTMENT_LABELS)
