import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { Mailer } from '@adonisjs/mail'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import User from '#models/user'
import OpinionAlertMail, { type OpinionAlertStage } from '#mails/opinions/opinion_alert_mail'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { WARD_ZONE } from '#services/ward_calendar'
import { sqlNow } from '#services/column_types'
import { OPEN_OPINION_STATUSES } from '#enums/opinion'

const CLAIM_COLUMNS: Record<
  OpinionAlertStage,
  'notified_at' | 'reminded_due_at' | 'reminded_overdue_at'
> = {
  new: 'notified_at',
  near_due: 'reminded_due_at',
  overdue: 'reminded_overdue_at',
}

/**
 * Alert messages to departments (担当課あてアラートメッセージ): a new
 * forwarded opinion (at once, or at hand-over for after-hours intake), and
 * daily the opinions near their due date and overdue. One mail per
 * department and stage; each (opinion, department, stage) is claimed with a
 * conditional UPDATE before sending, so it is never sent twice, and given
 * back when the mail cannot be queued (a queued mail that still fails after
 * its retries is on the failed-jobs page, to be retried). The mailer and the clock come from the
 * container (`app.container.make(OpinionAlerts)`).
 */
@inject()
export default class OpinionAlerts {
  constructor(
    protected mailer: Mailer<any>,
    protected clock: Clock
  ) {}

  /** New forwards whose hand-over time has come (called on forward and by the daily job). */
  async announceForwarded(now: DateTime = this.clock.now()): Promise<number> {
    const pending = await OpinionDepartment.query()
      .whereNull('notifiedAt')
      .whereHas('opinion', (opinion) =>
        opinion
          // A finished opinion (closed before the forward was announced, imported) needs no alert.
          .whereIn('status', [...OPEN_OPINION_STATUSES])
          .where((when) => when.whereNull('handover_at').orWhere('handover_at', '<=', now.toSQL()!))
      )
      .preload('opinion', (opinion) => opinion.select(...Opinion.HEADLINE_COLUMNS))
    return this.#send('new', pending)
  }

  /** Daily: near-due (within 3 open days) and overdue opinions that still owe a reply or a handling. */
  async remindDue(
    today: DateTime = this.clock.now().setZone(WARD_ZONE)
  ): Promise<{ near_due: number; overdue: number }> {
    const day = today.toISODate()!
    const threshold = OpinionSchedule.nearDueThreshold(today).toISODate()!
    const open = await OpinionDepartment.query()
      .whereHas('opinion', (opinion) =>
        opinion
          .whereIn('status', [...OPEN_OPINION_STATUSES])
          .whereNotNull('due_on')
          .where('due_on', '<=', threshold)
      )
      .where((owing) => owing.where('isLead', true).orWhere('handlingStatus', 'pending'))
      .preload('opinion', (opinion) => opinion.select(...Opinion.HEADLINE_COLUMNS))
    const overdue = open.filter((assignment) => assignment.opinion.dueOn!.toISODate()! < day)
    const nearDue = open.filter((assignment) => assignment.opinion.dueOn!.toISODate()! >= day)
    return {
      near_due: await this.#send('near_due', nearDue),
      overdue: await this.#send('overdue', overdue),
    }
  }

  async #send(stage: OpinionAlertStage, assignments: OpinionDepartment[]): Promise<number> {
    const column = CLAIM_COLUMNS[stage]
    const byDepartment = new Map<number, OpinionDepartment[]>()
    for (const assignment of assignments) {
      if (!(await this.#claim(assignment.id, column))) continue
      byDepartment.set(assignment.departmentId, [
        ...(byDepartment.get(assignment.departmentId) ?? []),
        assignment,
      ])
    }
    let sent = 0
    for (const [departmentId, claimed] of byDepartment) {
      const department = await Department.findOrFail(departmentId)
      const recipients = await this.#recipients(departmentId)
      const opinions: Opinion[] = claimed.map((assignment) => assignment.opinion)
      try {
        if (recipients.length > 0) {
          await this.mailer.sendLater(
            new OpinionAlertMail(
              stage,
              department.name,
              opinions,
              recipients,
              env.get('APP_URL', 'http://localhost:3333')
            )
          )
        }
      } catch (error) {
        await db
          .from('opinion_departments')
          .whereIn(
            'id',
            claimed.map((assignment) => assignment.id)
          )
          .update({ [column]: null })
        logger.error({ err: error, department: departmentId }, 'opinion alert could not be queued')
        continue
      }
      await AuditLogger.system.record({
        action: `opinion.alert_${stage}`,
        subject: department,
        details: { opinions: opinions.map((opinion) => opinion.id), recipients: recipients.length },
      })
      sent += opinions.length
    }
    return sent
  }

  async #claim(assignmentId: number, column: string): Promise<boolean> {
    const updated = await db
      .from('opinion_departments')
      .where('id', assignmentId)
      .whereNull(column)
      .update({ [column]: sqlNow() })
    return Number(Array.isArray(updated) ? updated[0] : updated) === 1
  }

  /** Staff and supervisors of the department (and of the sections below it). */
  async #recipients(departmentId: number): Promise<string[]> {
    const users = await User.query()
      .where('isActive', true)
      .whereIn('departmentId', await Department.subtreeIds(departmentId))
      .whereIn('role', ['department_staff', 'supervisor'])
      .orderBy('id')
    return users.map((user) => user.email)
  }
}
