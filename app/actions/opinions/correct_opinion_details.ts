import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Opinion from '#models/opinion'
import type { FieldChange } from '#models/opinion_event'
import Topic from '#models/topic'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSearch from '#services/opinions/opinion_search'
import { assertReplyContact } from '#actions/opinions/record_intake'
import type { detailsCorrectionValidator } from '#validators/opinions/opinion'
import {
  OPINION_PERSONAL_FIELDS,
  type CorrectableOpinionField,
  type OpinionPersonalField,
} from '#enums/opinion'

export type DetailsCorrectionInput = Infer<typeof detailsCorrectionValidator>

/**
 * 受付内容の訂正: corrects an opinion's subject, topic, channel and the submitter's
 * contact after intake. Only what differs is changed; one history entry records each
 * field before and after (the contact encrypted like the opinion's own, see OpinionEvent),
 * the audit log names the fields, never their values. Refused (DomainError):
 * - nothing differs;
 * - a channel change into or out of the call center (the hand-over and the one-year
 *   retention of the caller's data were decided by it at intake), or of a web submission;
 * - a contact on an anonymous opinion, on one whose data was deleted at the end of its
 *   retention, or added to a call-center opinion that took no personal data (and so no
 *   consent);
 * - a contact that no longer allows the reply that is owed.
 */
@inject()
export default class CorrectOpinionDetails {
  constructor(private auditLog: AuditLogger) {}

  async handle(opinion: Opinion, input: DetailsCorrectionInput, user: User): Promise<void> {
    const changes: FieldChange<CorrectableOpinionField>[] = []
    if (input.subject !== opinion.subject) {
      changes.push({ field: 'subject', before: opinion.subject, after: input.subject })
    }
    if (input.topicId !== undefined && (input.topicId ?? null) !== opinion.topicId) {
      changes.push({
        field: 'topicId',
        before: await this.#topicName(opinion.topicId),
        after: await this.#topicName(input.topicId ?? null),
      })
    }
    if (input.channel !== undefined && input.channel !== opinion.channel) {
      this.#checkChannel(opinion, input.channel)
      changes.push({ field: 'channel', before: opinion.channel, after: input.channel })
    }
    const personalChanges = this.#personalChanges(opinion, input)
    if (changes.length === 0 && personalChanges.length === 0) {
      throw new DomainError('opinions.corrections.errors.nothing_changed')
    }
    if (personalChanges.length > 0) this.#checkContact(opinion, personalChanges)

    await db.transaction(async (trx) => {
      opinion.useTransaction(trx)
      opinion.subject = input.subject
      if (input.topicId !== undefined) opinion.topicId = input.topicId ?? null
      if (input.channel !== undefined) opinion.channel = input.channel
      for (const change of personalChanges) opinion[change.field] = change.after
      await opinion.save()
      const event = await OpinionHistory.record(trx, opinion, {
        kind: 'details_corrected',
        userId: user.id,
        body: input.correctionReason ?? null,
        changes: [
          ...changes,
          ...personalChanges.map(({ field }) => ({ field, personal: true as const })),
        ],
        personalChanges,
      })
      if (changes.some((change) => change.field === 'subject')) {
        await OpinionSearch.reindex(opinion.id, trx)
      }
      await this.auditLog.record(
        {
          action: 'opinion.correct_details',
          subject: opinion,
          changedFields: [...changes, ...personalChanges].map((change) => change.field),
          details: { event: event.id },
        },
        trx
      )
    })
  }

  /** The contact fields sent that differ from the stored ones (a field not sent stays). */
  #personalChanges(opinion: Opinion, input: DetailsCorrectionInput) {
    const changes: FieldChange<OpinionPersonalField>[] = []
    for (const field of OPINION_PERSONAL_FIELDS) {
      const value = input[field]
      if (value === undefined) continue
      const before = opinion[field] ?? null
      const after = value ?? null
      if (before !== after) changes.push({ field, before, after })
    }
    return changes
  }

  #checkChannel(opinion: Opinion, channel: string) {
    if (opinion.channel === 'web') {
      throw new DomainError('opinions.corrections.errors.channel_web', { field: 'channel' })
    }
    if ((opinion.channel === 'call_center') !== (channel === 'call_center')) {
      throw new DomainError('opinions.corrections.errors.channel_call_center', {
        field: 'channel',
      })
    }
  }

  #checkContact(opinion: Opinion, changes: FieldChange<OpinionPersonalField>[]) {
    const field = changes[0].field
    if (opinion.personalDataDeletedAt) {
      throw new DomainError('opinions.corrections.errors.personal_data_deleted', { field })
    }
    if (opinion.anonymous) {
      throw new DomainError('opinions.corrections.errors.anonymous', { field })
    }
    if (opinion.channel === 'call_center' && !opinion.collectedByCallCenter) {
      throw new DomainError('opinions.corrections.errors.call_center_without_consent', { field })
    }
    if (opinion.replyWanted && opinion.isOpen) {
      const contact = Object.fromEntries(
        OPINION_PERSONAL_FIELDS.map((name) => [name, opinion[name]])
      ) as Record<OpinionPersonalField, string | null>
      for (const change of changes) contact[change.field] = change.after
      assertReplyContact(contact, {
        method: opinion.replyMethod,
        callCenter: opinion.channel === 'call_center',
      })
    }
  }

  async #topicName(topicId: number | null): Promise<string | null> {
    if (topicId === null) return null
    const topic = await Topic.find(topicId)
    return topic?.name ?? null
  }
}
