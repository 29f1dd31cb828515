import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import type { Infer } from '@vinejs/vine/types'
import CouncilMeeting from '#models/council_meeting'
import AuditLogger from '#services/audit_logger'
import DomainError from '#exceptions/domain_error'
import type { councilMeetingValidator } from '#validators/council/council'

/** Adds a council meeting; a fiscal year has each number (第n回) once. */
@inject()
export default class CreateCouncilMeeting {
  constructor(private auditLog: AuditLogger) {}

  async handle(input: Infer<typeof councilMeetingValidator>): Promise<CouncilMeeting> {
    const duplicate = await CouncilMeeting.query()
      .where('fiscalYear', input.fiscalYear)
      .where('number', input.number)
      .first()
    if (duplicate) throw new DomainError('council.meetings.duplicate', { field: 'number' })
    const meeting = await CouncilMeeting.create({
      fiscalYear: input.fiscalYear,
      number: input.number,
      heldOn: input.heldOn ? DateTime.fromJSDate(input.heldOn) : null,
      notes: input.notes ?? null,
    })
    await this.auditLog.record({ action: 'council_meeting.create', subject: meeting })
    return meeting
  }
}
