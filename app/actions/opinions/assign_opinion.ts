import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import type { assignmentValidator } from '#validators/opinions/opinion'

export type AssignmentInput = Infer<typeof assignmentValidator>

/** Roles that handle a department's opinions, hence may be its 担当者. */
const ASSIGNABLE_ROLES = ['department_staff', 'supervisor'] as const

/**
 * Names the person (担当者) of a department who handles an opinion forwarded
 * to it, names another one, or clears it. Only active staff and supervisors
 * of that very department can be named (else a DomainError on the field);
 * every change is a history entry (処理履歴) and an audit entry.
 */
@inject()
export default class AssignOpinion {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock
  ) {}

  /** Who can be named for a forward to these departments, by department then name. */
  static candidates(departmentIds: number[]) {
    return User.query()
      .whereIn('departmentId', departmentIds)
      .where('isActive', true)
      .whereIn('role', [...ASSIGNABLE_ROLES])
      .orderBy('departmentId')
      .orderBy('fullName')
      .orderBy('id')
  }

  async handle(opinion: Opinion, input: AssignmentInput, user: User): Promise<void> {
    const forward = await OpinionDepartment.query()
      .where('opinionId', opinion.id)
      .where('departmentId', input.departmentId)
      .firstOrFail()
    const assignee = input.assignedUserId
      ? await AssignOpinion.candidates([input.departmentId])
          .where('id', input.assignedUserId)
          .first()
      : null
    if (input.assignedUserId && !assignee) {
      throw new DomainError('opinions.assign.not_in_department', { field: 'assignedUserId' })
    }
    const previous = forward.assignedUserId
    if (previous === (assignee?.id ?? null)) return
    await db.transaction(async (trx) => {
      forward.useTransaction(trx)
      forward.merge({
        assignedUserId: assignee?.id ?? null,
        assignedAt: assignee ? this.clock.now() : null,
      })
      await forward.save()
      await OpinionHistory.record(trx, opinion, {
        kind: assignee ? 'assigned' : 'unassigned',
        userId: user.id,
        departmentId: input.departmentId,
        body: assignee?.fullName ?? null,
      })
      await this.auditLog.record(
        {
          action: previous === null ? 'opinion.assign' : 'opinion.reassign',
          subject: opinion,
          changedFields: ['assignedUserId'],
          details: {
            department: input.departmentId,
            from: previous,
            to: assignee?.id ?? null,
          },
        },
        trx
      )
    })
  }
}
