import factory from '@adonisjs/lucid/factories'
import { DateTime } from 'luxon'
import OpinionReply from '#models/opinion_reply'
import { OpinionFactory } from '#database/factories/opinion_factory'

/** A reply draft by letter; the states move it along the approval workflow. */
export const OpinionReplyFactory = factory
  .define(OpinionReply, () => ({
    body: 'ご意見ありがとうございます。担当課で対応します。',
    method: 'letter' as const,
    status: 'draft' as const,
    drafterUserIds: [] as number[],
  }))
  .state('awaitingApproval', (reply) => {
    reply.status = 'awaiting_approval'
    reply.requestedAt = DateTime.now()
  })
  .state('approved', (reply) => {
    reply.status = 'approved'
    reply.requestedAt = DateTime.now()
    reply.approvedAt = DateTime.now()
  })
  .state('sent', (reply) => {
    reply.status = 'sent'
    reply.approvedAt = DateTime.now()
    reply.sentAt = DateTime.now()
  })
  .relation('opinion', () => OpinionFactory)
  .build()
