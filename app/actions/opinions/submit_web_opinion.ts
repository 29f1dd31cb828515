import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import type { Infer } from '@vinejs/vine/types'
import Opinion from '#models/opinion'
import type Citizen from '#models/citizen'
import OpinionCitizenNoticeMail from '#mails/opinions/opinion_citizen_notice_mail'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionSearch from '#services/opinions/opinion_search'
import env from '#start/env'
import type { anonymousOpinionValidator, citizenOpinionValidator } from '#validators/opinions/opinion'

export type CitizenOpinionInput = Infer<typeof citizenOpinionValidator>
export type AnonymousOpinionInput = Infer<typeof anonymousOpinionValidator>

export type SubmitResult = { ok: true; opinion: Opinion } | { ok: false; field: string; message: string }

/**
 * A submission through the web form: from a signed-in citizen (their
 * account's name, email and phone are copied, encrypted, onto the opinion;
 * a reply is owed when they ask for one), or anonymous without an account
 * (no personal data, no reply).
 */
export default class SubmitWebOpinion {
  async fromCitizen(citizen: Citizen, input: CitizenOpinionInput): Promise<SubmitResult> {
    const replyWanted = input.replyWanted === true
    if (replyWanted && input.replyMethod === 'letter' && !input.submitterAddress) {
      return { ok: false, field: 'submitterAddress', message: 'opinions.errors.address_for_letter' }
    }
    if (replyWanted && input.replyMethod === 'fax' && !input.submitterFax) {
      return { ok: false, field: 'submitterFax', message: 'opinions.errors.fax_for_fax' }
    }
    if (replyWanted && input.replyMethod === 'phone' && !citizen.phone) {
      return { ok: false, field: 'replyMethod', message: 'opinions.errors.phone_for_phone' }
    }
    const opinion = await this.#create(
      {
        kind: input.kind,
        topicId: input.topicId ?? null,
        subject: input.subject,
        body: input.body,
        anonymous: false,
        replyWanted,
        replyMethod: replyWanted ? (input.replyMethod ?? 'portal') : null,
        citizenId: citizen.id,
        submitterName: citizen.fullName,
        submitterEmail: citizen.email,
        submitterPhone: citizen.phone,
        submitterPostalCode: input.submitterPostalCode ?? null,
        submitterAddress: input.submitterAddress ?? null,
        submitterFax: input.submitterFax ?? null,
      },
      'opinion.submit_citizen'
    )
    await this.#notify(citizen, opinion)
    return { ok: true, opinion }
  }

  async anonymous(input: AnonymousOpinionInput): Promise<SubmitResult> {
    const opinion = await this.#create(
      {
        kind: input.kind,
        topicId: input.topicId ?? null,
        subject: input.subject,
        body: input.body,
        anonymous: true,
        replyWanted: false,
        replyMethod: null,
      },
      'opinion.submit_anonymous'
    )
    return { ok: true, opinion }
  }

  async #create(attributes: Partial<Opinion>, action: string): Promise<Opinion> {
    const receivedAt = DateTime.now()
    const schedule = OpinionSchedule.forReceipt(receivedAt, {
      channel: 'web',
      replyOwed: attributes.replyWanted === true,
      collectedByCallCenter: false,
    })
    return db.transaction(async (trx) => {
      const opinion = await Opinion.create(
        {
          ...attributes,
          channel: 'web',
          status: 'received',
          receivedAt,
          ...schedule,
          collectedByCallCenter: false,
        },
        { client: trx }
      )
      await OpinionHistory.record(trx, opinion, { kind: 'received', body: 'Webフォーム' })
      await OpinionSearch.reindex(opinion.id, trx)
      await AuditLogger.record({ action, subject: opinion, changedFields: Object.keys(attributes) }, trx)
      return opinion
    })
  }

  /** "Received" notice: the reference number and the portal link, nothing else. */
  async #notify(citizen: Citizen, opinion: Opinion) {
    const portalUrl = `${env.get('APP_URL', 'http://localhost:3333')}/citizen/opinions/${opinion.id}`
    try {
      await mail.send(new OpinionCitizenNoticeMail(citizen.email, 'received', opinion.referenceNo, portalUrl))
    } catch (error) {
      logger.error({ err: error, opinion: opinion.id }, 'receipt notice could not be sent')
    }
  }
}
