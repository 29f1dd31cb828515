import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Topic from '#models/topic'
import SubmitWebOpinion from '#actions/opinions/submit_web_opinion'
import ReadOwnOpinion from '#actions/citizen/read_own_opinion'
import { citizenOpinionValidator } from '#validators/opinions/opinion'

/**
 * The citizen's own submissions: the form, and one submission with the
 * replies that were sent (CitizenScope). Another citizen's submission is a
 * 404, never a hint that it exists.
 */
export default class CitizenOpinionsController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/opinions/create', { topics: await Topic.ordered() })
  }

  /** A refusal (a contact detail missing for the reply method) comes back on its field (DomainError). */
  @inject()
  async store({ request, response, auth, session, i18n }: HttpContext, submit: SubmitWebOpinion) {
    const citizen = auth.use('citizen').getUserOrFail()
    const input = await request.validateUsing(citizenOpinionValidator)
    const opinion = await submit.fromCitizen(citizen, input)
    session.flash('success', i18n.t('opinions.citizen.sent', { ref: opinion.referenceNo }))
    return response.redirect().toRoute('citizen.opinions.show', { id: opinion.id })
  }

  @inject()
  async show({ params, view, auth }: HttpContext, read: ReadOwnOpinion) {
    const opinion = await read.handle(auth.use('citizen').getUserOrFail(), params.id)
    return view.render('pages/citizen/opinions/show', { opinion })
  }
}
