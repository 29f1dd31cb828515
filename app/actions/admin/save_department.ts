import Department from '#models/department'
import AuditLogger from '#services/audit_logger'
import { CHILD_LEVEL, type DepartmentLevel } from '#enums/department_level'

export interface DepartmentInput {
  code: string
  name: string
  level: DepartmentLevel
  parentId?: number
  sortOrder?: number
}

export type SaveDepartmentResult = { ok: true; department: Department } | { ok: false; field: string; message: string }

/**
 * Creates or updates a department, keeping the 部 > 課 > 係 shape: a 部 has
 * no parent, a 課 sits under a 部, a 係 under a 課.
 */
export default class SaveDepartment {
  async handle(department: Department, input: DepartmentInput): Promise<SaveDepartmentResult> {
    const parent = input.parentId ? await Department.find(input.parentId) : null
    if (input.level === 'bu' && parent) {
      return { ok: false, field: 'parentId', message: 'messages.admin.bu_has_no_parent' }
    }
    if (input.level !== 'bu' && (!parent || CHILD_LEVEL[parent.level] !== input.level)) {
      return { ok: false, field: 'parentId', message: `messages.admin.parent_required_${input.level}` }
    }
    if (department.$isPersisted && parent && (await Department.subtreeIds(department.id)).includes(parent.id)) {
      return { ok: false, field: 'parentId', message: 'messages.admin.parent_cycle' }
    }
    const isNew = !department.$isPersisted
    department.merge({
      code: input.code,
      name: input.name,
      level: input.level,
      parentId: parent?.id ?? null,
      sortOrder: input.sortOrder ?? 0,
    })
    const changedFields = Object.keys(department.$dirty)
    await department.save()
    await AuditLogger.record({ action: isNew ? 'department.create' : 'department.update', subject: department, changedFields })
    return { ok: true, department }
  }
}
