import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { Mailer } from '@adonisjs/mail'
import logger from '@adonisjs/core/services/logger'
import Citizen from '#models/citizen'
import type Opinion from '#models/opinion'
import type OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import OpinionCitizenNoticeMail from '#mails/opinions/opinion_citizen_notice_mail'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import env from '#start/env'

/**
 * Sends an approved reply: in the citizen portal with a notice mail that
 * only says a reply waits, or recorded as posted (letter), phoned, faxed or
 * emailed by staff. The opinion counts as replied from now on (statistics:
 * open days from receipt to reply).
 */
@inject()
export default class SendReply {
  constructor(
    private auditLog: AuditLogger,
    protected mailer: Mailer<any>,
    protected clock: Clock
  ) {}

  async handle(opinion: Opinion, reply: OpinionReply, user: User): Promise<void> {
    const now = this.clock.now()
    await db.transaction(async (trx) => {
      reply.useTransaction(trx)
      reply.merge({ status: 'sent', sentAt: now, sentByUserId: user.id })
      await reply.save()
      opinion.useTransaction(trx)
      opinion.merge({
        status: 'replied',
        repliedAt: now,
        replyOpenDays: OpinionSchedule.replyOpenDays(opinion.receivedAt, now),
      })
      await opinion.save()
      await OpinionHistory.record(trx, opinion, {
        kind: 'reply_sent',
        userId: user.id,
        departmentId: reply.departmentId,
        body: reply.method,
      })
      await this.auditLog.record(
        {
          action: 'opinion.reply_send',
          subject: opinion,
          details: { reply: reply.id, method: reply.method },
        },
        trx
      )
    })
    if (reply.method === 'portal' && opinion.citizenId) await this.#notify(opinion)
  }

  async #notify(opinion: Opinion) {
    const citizen = await Citizen.find(opinion.citizenId!)
    if (!citizen) return
    const portalUrl = `${env.get('APP_URL', 'http://localhost:3333')}/citizen/opinions/${opinion.id}`
    try {
      await this.mailer.sendLater(
        new OpinionCitizenNoticeMail(citizen.email, 'replied', opinion.referenceNo, portalUrl)
      )
    } catch (error) {
      logger.error({ err: error, opinion: opinion.id }, 'reply notice could not be queued')
    }
  }
}
