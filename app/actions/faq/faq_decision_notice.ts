import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import env from '#start/env'
import type FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import FaqDecisionMail from '#mails/faq/faq_decision_mail'

/**
 * Mails the author of a change the supervisor's decision, after it is
 * committed, through the job queue (retried; a mail that still fails is on
 * the failed-jobs page). It never undoes the decision: the author also sees
 * the decision on the entry's page.
 */
@inject()
export default class FaqDecisionNotice {
  constructor(private mailer: Mailer<MailTransportContract>) {}

  /** Sends the decision to the author of the version, when they have an address. */
  async send(entry: FaqEntry, version: FaqVersion, decision: 'approved' | 'returned') {
    const author = version.requestedBy
    if (!author?.email) return
    const base = env.get('APP_URL', 'http://localhost:3333').replace(/\/+$/, '')
    const url = `${base}${router.makeUrl('faq_entries.show', { id: entry.id })}`
    try {
      await this.mailer.sendLater(
        new FaqDecisionMail(author.email, decision, version.question, version.decisionComment, url)
      )
    } catch (error) {
      logger.error({ err: error, faqEntryId: entry.id }, 'FAQ decision mail could not be queued')
    }
  }
}
