import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type CouncilItem from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import SystemVersion from '#models/system_version'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import SeparationOfDuties from '#services/separation_of_duties'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilMeeting from '#models/council_meeting'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import DomainError from '#exceptions/domain_error'
import { ACCEPTING_OUTCOMES, type CouncilOutcome } from '#enums/council'
import Approvers from '#services/approvals/approvers'
import ApprovalNotices from '#services/approvals/approval_notices'

/** A step the item's state does not allow: the message above the item's steps, nothing typed to keep. */
function stepRefused(messageKey: string, itemId: number): DomainError {
  return new DomainError(messageKey, {
    field: 'step',
    keepInput: false,
    redirectTo: { route: 'council_items.show', params: { id: itemId } },
  })
}

/**
 * The steps of an item after drafting: the request for approval (mailed to
 * the department's approvers), the approver's approval,
 * submission to the privacy office, scheduling on a meeting, and the
 * council's decision, which freezes the register state it covered.
 * A step the item's state does not allow is refused (a DomainError on `step`); a
 * decision date the item's history rules out throws a DomainError on
 * `decidedOn`.
 */
@inject()
export default class AdvanceCouncilItem {
  constructor(
    private auditLog: AuditLogger,
    private readonly clock: Clock,
    private readonly notices: ApprovalNotices
  ) {}

  /** 承認依頼: a draft is put before the department's approvers, who are mailed. */
  async requestApproval(item: CouncilItem, user: User): Promise<void> {
    if (item.status !== 'draft') throw stepRefused('council.items.not_draft', item.id)
    item.merge({
      requestedAt: this.clock.now(),
      requestedByUserId: user.id,
      approvalEscalatedAt: null,
    })
    await item.save()
    await this.auditLog.record({
      action: 'council_item.request_approval',
      subject: item,
      changedFields: ['requestedAt', 'requestedByUserId'],
    })
    await this.notices.requested(Approvers.forCouncilItem(item), user)
  }

  /**
   * 作成中 → 上位者承認済み, by someone who neither drafted nor edited it; the department is
   * mailed when an acting approver or a privacy officer approved.
   */
  async approve(item: CouncilItem, user: User): Promise<void> {
    SeparationOfDuties.refuseOwnWork(user, item)
    if (item.status !== 'draft') throw stepRefused('council.items.not_draft', item.id)
    const request = Approvers.forCouncilItem(item)
    const capacity = await Approvers.capacity(user, request, this.clock.now())
    item.merge({ status: 'approved', approvedByUserId: user.id, approvedAt: this.clock.now() })
    await item.save()
    await this.auditLog.record({
      action: 'council_item.approve',
      subject: item,
      changedFields: ['status', 'approvedByUserId', 'approvedAt'],
      ...(capacity && capacity !== 'approver' ? { details: { capacity } } : {}),
    })
    await this.notices.decidedInstead(request, user, capacity)
  }

  /** 上位者承認済み → 提出済み (to the privacy office). */
  async submit(item: CouncilItem): Promise<void> {
    if (item.status === 'draft') throw stepRefused('council.items.needs_approval', item.id)
    if (item.status !== 'approved' || !item.approvedAt)
      throw stepRefused('council.items.not_draft', item.id)
    item.merge({ status: 'submitted', submittedAt: this.clock.now() })
    await item.save()
    await this.auditLog.record({
      action: 'council_item.submit',
      subject: item,
      changedFields: ['status', 'submittedAt'],
    })
  }

  async schedule(
    item: CouncilItem,
    input: { meetingId: number; documentNumber: string }
  ): Promise<void> {
    if (!['submitted', 'on_agenda'].includes(item.status))
      throw stepRefused('council.items.not_submitted', item.id)
    item.merge({
      status: 'on_agenda',
      meetingId: input.meetingId,
      documentNumber: input.documentNumber,
    })
    await item.save()
    await this.auditLog.record({
      action: 'council_item.schedule',
      subject: item,
      changedFields: ['status', 'meetingId', 'documentNumber'],
    })
  }

  /** Records the outcome; an approval or acknowledgement freezes the document and each annex's register version. */
  async decide(
    item: CouncilItem,
    input: { outcome: CouncilOutcome; decidedOn: Date; conditions?: string }
  ): Promise<void> {
    if (item.status !== 'on_agenda') throw stepRefused('council.items.not_on_agenda', item.id)
    await this.#refuseDecisionDate(item, DateTime.fromJSDate(input.decidedOn))
    await db.transaction(async (trx) => {
      item.useTransaction(trx)
      const accepted = ACCEPTING_OUTCOMES.includes(input.outcome)
      item.merge({
        outcome: input.outcome,
        decidedOn: DateTime.fromJSDate(input.decidedOn),
        conditions: input.conditions ?? null,
        // 継続審議 keeps the item on the agenda for the next meeting.
        status: input.outcome === 'continued' ? 'on_agenda' : 'decided',
      })
      if (accepted) {
        item.frozenDocument = await CouncilDocumentBuilder.build(item.id, trx)
        // Each annex freezes its system's latest version: one read and one write per system
        // (an item's annexes are its system's and its contracts'), not per annex.
        const annexes = await CouncilItemAnnex.query({ client: trx }).where('itemId', item.id)
        for (const systemId of new Set(annexes.map((annex) => annex.systemId))) {
          const latest = await SystemVersion.query({ client: trx })
            .where('systemId', systemId)
            .orderBy('version', 'desc')
            .firstOrFail()
          await CouncilItemAnnex.query({ client: trx })
            .where('itemId', item.id)
            .where('systemId', systemId)
            .update({ approved_version_id: latest.id })
        }
      }
      await item.save()
      await this.auditLog.record(
        {
          action: 'council_item.decide',
          subject: item,
          changedFields: ['outcome', 'decidedOn', 'status'],
          details: { outcome: input.outcome },
        },
        trx
      )
    })
  }

  /**
   * A decision cannot predate the supervisor's approval (as a ward calendar
   * date) nor the meeting it was taken at, when the meeting has a date.
   */
  async #refuseDecisionDate(item: CouncilItem, decidedOn: DateTime): Promise<void> {
    const decided = decidedOn.toISODate()!
    if (item.approvedAt) {
      const approved = item.approvedAt.setZone(WARD_ZONE).startOf('day')
      if (decided < approved.toISODate()!) {
        throw new DomainError('council.items.decided_before_approval', {
          field: 'decidedOn',
          data: { date: WardCalendar.formatEra(approved) },
        })
      }
    }
    const meeting = item.meetingId ? await CouncilMeeting.find(item.meetingId) : null
    if (meeting?.heldOn && decided < meeting.heldOn.toISODate()!) {
      throw new DomainError('council.items.decided_before_meeting', {
        field: 'decidedOn',
        data: { date: WardCalendar.formatEra(meeting.heldOn) },
      })
    }
  }
}
