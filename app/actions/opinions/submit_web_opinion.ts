import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { Mailer } from '@adonisjs/mail'
import logger from '@adonisjs/core/services/logger'
import type { Infer } from '@vinejs/vine/types'
import Opinion from '#models/opinion'
import type Citizen from '#models/citizen'
import OpinionCitizenNoticeMail from '#mails/opinions/opinion_citizen_notice_mail'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { jaText } from '#services/ja_text'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionSearch from '#services/opinions/opinion_search'
import env from '#start/env'
import type {
  anonymousOpinionValidator,
  citizenOpinionValidator,
} from '#validators/opinions/opinion'

export type CitizenOpinionInput = Infer<typeof citizenOpinionValidator>
export type AnonymousOpinionInput = Infer<typeof anonymousOpinionValidator>

/**
 * A submission through the web form: from a signed-in citizen (their
 * account's name, email and phone are copied, encrypted, onto the opinion;
 * a reply is owed when they ask for one), or anonymous without an account
 * (no personal data, no reply). A refusal (contact detail missing for the
 * chosen reply method) is a DomainError on the field concerned.
 */
@inject()
export default class SubmitWebOpinion {
  constructor(
    private auditLog: AuditLogger,
    protected mailer: Mailer<any>,
    protected clock: Clock
  ) {}

  async fromCitizen(citizen: Citizen, input: CitizenOpinionInput): Promise<Opinion> {
    const replyWanted = input.replyWanted === true
    if (replyWanted && input.replyMethod === 'letter' && !input.submitterAddress) {
      throw new DomainError('opinions.errors.address_for_letter', { field: 'submitterAddress' })
    }
    if (replyWanted && input.replyMethod === 'fax' && !input.submitterFax) {
      throw new DomainError('opinions.errors.fax_for_fax', { field: 'submitterFax' })
    }
    if (replyWanted && input.replyMethod === 'phone' && !citizen.phone) {
      throw new DomainError('opinions.errors.phone_for_phone', { field: 'replyMethod' })
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
    return opinion
  }

  async anonymous(input: AnonymousOpinionInput): Promise<Opinion> {
    return this.#create(
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
  }

  async #create(attributes: Partial<Opinion>, action: string): Promise<Opinion> {
    const receivedAt = this.clock.now()
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
      await OpinionHistory.record(trx, opinion, {
        kind: 'received',
        body: jaText('opinions.history.web_form'),
      })
      await OpinionSearch.reindex(opinion.id, trx)
      await this.auditLog.record(
        { action, subject: opinion, changedFields: Object.keys(attributes) },
        trx
      )
      return opinion
    })
  }

  /** "Received" notice: the reference number and the portal link, nothing else. */
  async #notify(citizen: Citizen, opinion: Opinion) {
    const portalUrl = `${env.get('APP_URL', 'http://localhost:3333')}/citizen/opinions/${opinion.id}`
    try {
      await this.mailer.sendLater(
        new OpinionCitizenNoticeMail(citizen.email, 'received', opinion.referenceNo, portalUrl)
      )
    } catch (error) {
      logger.error({ err: error, opinion: opinion.id }, 'receipt notice could not be queued')
    }
  }
}
