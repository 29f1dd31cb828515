import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import Topic from '#models/topic'
import SubmitWebOpinion from '#actions/opinions/submit_web_opinion'
import AuditLogger from '#services/audit_logger'
import { citizenOpinionValidator } from '#validators/opinions/opinion'

/**
 * The citizen's own submissions: the form, and one submission with the
 * replies that were sent (drafts and approvals stay inside the ward).
 * Another citizen's submission is a 404, never a hint that it exists.
 */
export default class CitizenOpinionsController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/opinions/create', { topics: await Topic.ordered() })
  }

  async store({ request, response, auth, session, i18n }: HttpContext) {
    const citizen = auth.use('citizen').getUserOrFail()
    const input = await request.validateUsing(citizenOpinionValidator)
    const result = await new SubmitWebOpinion().fromCitizen(citizen, input)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('opinions.citizen.sent', { ref: result.opinion.referenceNo }))
    return response.redirect().toRoute('citizen.opinions.show', { id: result.opinion.id })
  }

  async show({ params, view, auth }: HttpContext) {
    const citizen = auth.use('citizen').getUserOrFail()
    const opinion = await Opinion.query()
      .where('id', params.id)
      .where('citizenId', citizen.id)
      .preload('topic')
      .preload('replies', (replies) => replies.where('status', 'sent').preload('department').orderBy('id'))
      .firstOrFail()
    const unread = opinion.replies.filter((reply) => !reply.readAt)
    for (const reply of unread) {
      reply.readAt = DateTime.now()
      await reply.save()
    }
    await AuditLogger.record({ action: 'citizen.view_own_opinion', subject: opinion, changedFields: [] })
    return view.render('pages/citizen/opinions/show', { opinion })
  }
}
