import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { Mailer } from '@adonisjs/mail'
import env from '#start/env'
import logger from '@adonisjs/core/services/logger'
import OversightDuty from '#models/oversight_duty'
import User from '#models/user'
import Department from '#models/department'
import DutyReminderMail from '#mails/oversight/duty_reminder_mail'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { WARD_ZONE } from '#services/ward_calendar'
import { sqlNow } from '#services/column_types'
import { OUTSTANDING_DUTY_STATES } from '#enums/register'

/** Reminders start this many days before the due date. */
export const REMINDER_WINDOW_DAYS = 14

/**
 * Emails the responsible department and the contractor about duties still
 * owed (open or sent back; not those awaiting the ward's check) that are due
 * within 14 days, and about overdue ones, once per duty and stage. Each
 * reminder is claimed with a conditional UPDATE before it is sent, so
 * restarts and several app instances never send it twice. Mails go through
 * the job queue (retried; a mail still failing is on the failed-jobs page). The mailer and
 * the clock come from the container (tests swap them).
 */
@inject()
export default class DutyReminders {
  constructor(
    private mailer: Mailer<any>,
    private clock: Clock
  ) {}

  async send(
    today: DateTime = this.clock.now().setZone(WARD_ZONE)
  ): Promise<{ due: number; overdue: number }> {
    const day = today.startOf('day')
    const horizon = day.plus({ days: REMINDER_WINDOW_DAYS }).toISODate()!
    const sent = { due: 0, overdue: 0 }

    const open = await OversightDuty.query()
      .whereIn('state', [...OUTSTANDING_DUTY_STATES])
      .where('dueOn', '<=', horizon)
      .preload('contract', (contract) => contract.preload('system').preload('parent'))
      .orderBy('dueOn')
    for (const duty of open) {
      const stage = duty.dueOn.startOf('day') < day ? 'overdue' : 'due'
      const column = stage === 'overdue' ? 'reminded_overdue_at' : 'reminded_due_at'
      if (!(await DutyReminders.claim(duty.id, column))) continue
      const recipients = await DutyReminders.recipients(duty)
      try {
        if (recipients.length > 0) {
          await this.mailer.sendLater(
            new DutyReminderMail(
              duty,
              stage,
              recipients,
              env.get('APP_URL', 'http://localhost:3333')
            )
          )
        }
      } catch (error) {
        // Not queued: give the claim back so that tomorrow's run tries again.
        await db
          .from('oversight_duties')
          .where('id', duty.id)
          .update({ [column]: null })
        logger.error({ err: error, duty: duty.id }, 'duty reminder could not be queued')
        continue
      }
      await AuditLogger.system.record({
        action: `duty.remind_${stage}`,
        subject: duty,
        details: { recipients: recipients.length },
      })
      sent[stage]++
    }
    return sent
  }

  /** Takes the right to send one stage of one duty's reminder (atomic). */
  private static async claim(
    dutyId: number,
    column: 'reminded_due_at' | 'reminded_overdue_at'
  ): Promise<boolean> {
    const updated = await db
      .from('oversight_duties')
      .where('id', dutyId)
      .whereNull(column)
      .update({ [column]: sqlNow() })
    return Number(Array.isArray(updated) ? updated[0] : updated) === 1
  }

  /** Staff and supervisors of the system's department, and the contractor's users. */
  private static async recipients(duty: OversightDuty): Promise<string[]> {
    const departmentIds = await Department.subtreeIds(duty.contract.system.departmentId)
    const contractorIds = [duty.contract.contractorId, duty.contract.parent?.contractorId].filter(
      (id): id is number => !!id
    )
    const users = await User.query()
      .where('isActive', true)
      .where((query) => {
        query.where((ward) =>
          ward
            .whereIn('departmentId', departmentIds)
            .whereIn('role', ['department_staff', 'supervisor'])
        )
        if (contractorIds.length)
          query.orWhere((contractor) =>
            contractor.where('role', 'contractor').whereIn('contractorId', contractorIds)
          )
      })
      .orderBy('id')
    return users.map((user) => user.email)
  }
}
