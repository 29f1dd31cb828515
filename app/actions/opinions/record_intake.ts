import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import Opinion from '#models/opinion'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionSearch from '#services/opinions/opinion_search'
import WardCalendar from '#services/ward_calendar'
import ForwardOpinion from '#actions/opinions/forward_opinion'
import type { staffIntakeValidator } from '#validators/opinions/opinion'
import {
  OPINION_PERSONAL_FIELDS,
  type ConsentPurpose,
  type OpinionPersonalField,
  type ReplyMethod,
} from '#enums/opinion'

export type IntakeInput = Infer<typeof staffIntakeValidator>

/** Contact detail that each reply method needs. */
const CONTACT_FOR_METHOD = {
  letter: ['submitterAddress', 'opinions.errors.address_for_letter'],
  email: ['submitterEmail', 'opinions.errors.email_for_email'],
  phone: ['submitterPhone', 'opinions.errors.phone_for_phone'],
  fax: ['submitterFax', 'opinions.errors.fax_for_fax'],
} as const

/**
 * The contact a reply needs (at intake, and after a correction of the contact): a name, a
 * daytime phone number for the call center, and the detail of the reply method. Throws a
 * DomainError on the field that is missing.
 */
export function assertReplyContact(
  contact: Partial<Record<OpinionPersonalField, string | null | undefined>>,
  reply: { method: ReplyMethod | null; callCenter: boolean }
) {
  if (!contact.submitterName)
    throw new DomainError('opinions.errors.name_for_reply', { field: 'submitterName' })
  if (reply.callCenter && !contact.submitterPhone) {
    throw new DomainError('opinions.errors.daytime_phone_for_call_center', {
      field: 'submitterPhone',
    })
  }
  if (!reply.method || reply.method === 'portal') return
  const [field, message] = CONTACT_FOR_METHOD[reply.method]
  if (!contact[field]) throw new DomainError(message, { field })
}

/**
 * Staff intake of a letter, postcard to the mayor, email, FAX, counter
 * visit or call, with the date and time it was received. The call center
 * takes calls 8:00–22:00 except 1/1–1/3; a call after the departments close
 * (17:15 on open days, or on a closed day) is handed over on the next open
 * day. When a department is to reply to a caller, the center takes the
 * name and a daytime phone number; address, email and FAX only if needed,
 * and only with the caller's consent, recorded with the uses explained.
 * A refusal is a DomainError on the field concerned.
 */
@inject()
export default class RecordIntake {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock,
    protected forwardOpinion: ForwardOpinion
  ) {}

  async handle(input: IntakeInput, user: User): Promise<Opinion> {
    const receivedAt = WardCalendar.fromWallClock(input.receivedAt)
    if (receivedAt > this.clock.now().plus({ minutes: 5 })) {
      throw new DomainError('opinions.errors.received_in_future', { field: 'receivedAt' })
    }
    const callCenter = input.channel === 'call_center'
    if (callCenter && !WardCalendar.isCallCenterOpenAt(receivedAt)) {
      throw new DomainError('opinions.errors.call_center_closed', { field: 'receivedAt' })
    }
    const anonymous = input.anonymous === true
    const replyWanted = !anonymous && input.replyWanted === true
    const personal = anonymous
      ? {}
      : Object.fromEntries(OPINION_PERSONAL_FIELDS.map((field) => [field, input[field] ?? null]))
    if (replyWanted) {
      if (!input.replyMethod || input.replyMethod === 'portal') {
        throw new DomainError('opinions.errors.reply_method_required', { field: 'replyMethod' })
      }
      assertReplyContact(input, { method: input.replyMethod, callCenter })
    }
    const departmentIds = input.departmentIds ?? []
    if (input.leadDepartmentId && !departmentIds.includes(input.leadDepartmentId))
      departmentIds.push(input.leadDepartmentId)
    if (departmentIds.length > 0 && !(await ForwardOpinion.departments(departmentIds))) {
      throw new DomainError('opinions.errors.department_unknown', { field: 'departmentIds' })
    }

    const collectedByCallCenter = callCenter && Object.values(personal).some(Boolean)
    const consent = collectedByCallCenter ? consentOf(input) : null
    const schedule = OpinionSchedule.forReceipt(receivedAt, {
      channel: input.channel,
      replyOwed: replyWanted,
      collectedByCallCenter,
    })
    const opinion = await db.transaction(async (trx) => {
      const created = await Opinion.create(
        {
          channel: input.channel,
          kind: input.kind,
          topicId: input.topicId ?? null,
          subject: input.subject,
          body: input.body,
          receivedAt,
          ...schedule,
          collectedByCallCenter,
          personalDataConsent: consent ? true : null,
          consentPurposes: consent?.purposes ?? [],
          consentPurposeNote: consent?.note ?? null,
          status: 'received',
          anonymous,
          replyWanted,
          replyMethod: replyWanted ? input.replyMethod! : null,
          createdByUserId: user.id,
          ...personal,
        },
        { client: trx }
      )
      await OpinionHistory.record(trx, created, {
        kind: 'received',
        userId: user.id,
        occurredAt: receivedAt,
      })
      if (schedule.handoverAt) {
        await OpinionHistory.record(trx, created, {
          kind: 'handed_over',
          userId: user.id,
          occurredAt: schedule.handoverAt,
          body: WardCalendar.formatEraDateTime(schedule.handoverAt),
        })
      }
      await OpinionSearch.reindex(created.id, trx)
      await this.auditLog.record(
        {
          action: 'opinion.intake',
          subject: created,
          changedFields: Object.entries(personal)
            .filter(([, value]) => value)
            .map(([field]) => field),
          details: { channel: input.channel, ...(consent ? { consent: consent.purposes } : {}) },
        },
        trx
      )
      return created
    })
    if (departmentIds.length > 0) {
      await this.forwardOpinion.handle(
        opinion,
        { departmentIds, leadDepartmentId: input.leadDepartmentId ?? departmentIds[0] },
        user
      )
    }
    return opinion
  }
}

/**
 * The call center takes personal data only with the caller's consent, after explaining
 * what it is used for (利用目的の説明: at least one use; the free text is required for
 * その他). Without consent no personal data may be entered.
 */
function consentOf(input: IntakeInput): { purposes: ConsentPurpose[]; note: string | null } {
  if (input.personalDataConsent !== true) {
    throw new DomainError('opinions.errors.consent_required', { field: 'personalDataConsent' })
  }
  const purposes = input.consentPurposes ?? []
  if (purposes.length === 0) {
    throw new DomainError('opinions.errors.consent_purpose_required', {
      field: 'consentPurposes',
    })
  }
  const note = input.consentPurposeNote ?? null
  if (purposes.includes('other') && !note) {
    throw new DomainError('opinions.errors.consent_purpose_note_required', {
      field: 'consentPurposeNote',
    })
  }
  return { purposes, note }
}
