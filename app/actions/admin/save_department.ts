import { inject } from '@adonisjs/core'
import Department from '#models/department'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import { CHILD_LEVEL, type DepartmentLevel } from '#enums/department_level'

export interface DepartmentInput {
  code: string
  name: string
  level: DepartmentLevel
  parentId?: number
  sortOrder?: number
  address?: string | null
  phone?: string | null
}

/**
 * Creates or updates a department, keeping the 部 > 課 > 係 shape: a 部 has
 * no parent, a 課 sits under a 部, a 係 under a 課. A parent that breaks
 * the shape is a DomainError on the parent field.
 */
@inject()
export default class SaveDepartment {
  constructor(private auditLog: AuditLogger) {}

  async handle(department: Department, input: DepartmentInput): Promise<Department> {
    const parent = input.parentId ? await Department.find(input.parentId) : null
    if (input.level === 'bu' && parent) {
      throw new DomainError('admin.errors.bu_has_no_parent', { field: 'parentId' })
    }
    if (input.level !== 'bu' && (!parent || CHILD_LEVEL[parent.level] !== input.level)) {
      throw new DomainError(`admin.errors.parent_required_${input.level}`, { field: 'parentId' })
    }
    const below = department.$isPersisted ? await Department.subtreeIds(department.id) : []
    if (parent && below.includes(parent.id)) {
      throw new DomainError('admin.errors.parent_cycle', { field: 'parentId' })
    }
    const isNew = !department.$isPersisted
    department.merge({
      code: input.code,
      name: input.name,
      level: input.level,
      parentId: parent?.id ?? null,
      sortOrder: input.sortOrder ?? 0,
      address: input.address || null,
      phone: input.phone || null,
    })
    const changedFields = Object.keys(department.$dirty)
    await department.save()
    await this.auditLog.record({
      action: isNew ? 'department.create' : 'department.update',
      subject: department,
      changedFields,
    })
    return department
  }
}
