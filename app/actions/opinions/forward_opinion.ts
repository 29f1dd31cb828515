import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Department from '#models/department'
import type Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionAlerts from '#services/opinions/opinion_alerts'
import OpinionHistory from '#services/opinions/opinion_history'

export interface ForwardInput {
  departmentIds: number[]
  leadDepartmentId?: number
  note?: string
}

/**
 * 関係所属転送: forwards an opinion to one or more departments (課 or 係);
 * one leads and owns the reply. Forwarding again adds departments and may
 * move the lead. The departments are alerted at once, or at hand-over
 * when the opinion came in after hours. A department that cannot take
 * opinions, a lead that is not forwarded to, or a request that changes
 * nothing (no new department, the same lead) is a DomainError.
 */
@inject()
export default class ForwardOpinion {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock,
    protected alerts: OpinionAlerts
  ) {}

  /** Departments an opinion can go to: 課 and 係 (a 部 as a whole does not handle opinions). */
  static async departments(ids: number[]): Promise<Department[] | null> {
    const departments = await Department.query().whereIn('id', ids).whereNot('level', 'bu')
    return departments.length === ids.length ? departments : null
  }

  async handle(opinion: Opinion, input: ForwardInput, user: User): Promise<void> {
    const departments = await ForwardOpinion.departments(input.departmentIds)
    if (!departments)
      throw new DomainError('opinions.errors.department_unknown', { field: 'departmentIds' })
    const leadId = input.leadDepartmentId ?? opinion.leadDepartmentId ?? input.departmentIds[0]
    const existing = await OpinionDepartment.query().where('opinionId', opinion.id)
    const known = new Set(existing.map((assignment) => assignment.departmentId))
    if (!input.departmentIds.includes(leadId) && !known.has(leadId)) {
      throw new DomainError('opinions.errors.lead_not_forwarded', { field: 'leadDepartmentId' })
    }
    // Only departments it already went to, the same lead: nothing would be forwarded.
    if (
      departments.every((department) => known.has(department.id)) &&
      leadId === opinion.leadDepartmentId
    ) {
      throw new DomainError('opinions.errors.nothing_to_forward', { field: 'departmentIds' })
    }
    const now = this.clock.now()
    await db.transaction(async (trx) => {
      for (const department of departments) {
        if (known.has(department.id)) continue
        await OpinionDepartment.create(
          {
            opinionId: opinion.id,
            departmentId: department.id,
            fiscalYear: opinion.fiscalYear,
            isLead: false,
            handlingStatus: 'pending',
            forwardedAt: now,
            forwardedByUserId: user.id,
          },
          { client: trx }
        )
        await OpinionHistory.record(trx, opinion, {
          kind: 'forwarded',
          userId: user.id,
          departmentId: department.id,
          body: input.note ?? null,
        })
      }
      await trx
        .from('opinion_departments')
        .where('opinion_id', opinion.id)
        .update({ is_lead: false })
      await trx
        .from('opinion_departments')
        .where('opinion_id', opinion.id)
        .where('department_id', leadId)
        .update({ is_lead: true })
      opinion.useTransaction(trx)
      opinion.leadDepartmentId = leadId
      if (opinion.status === 'received') opinion.status = 'forwarded'
      await opinion.save()
      await this.auditLog.record(
        {
          action: 'opinion.forward',
          subject: opinion,
          changedFields: ['leadDepartmentId'],
          details: { departments: input.departmentIds },
        },
        trx
      )
    })
    await this.alerts.announceForwarded()
  }
}
