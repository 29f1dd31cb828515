import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Topic from '#models/topic'
import SubmitWebOpinion from '#actions/opinions/submit_web_opinion'
import { anonymousOpinionValidator } from '#validators/opinions/opinion'

/** ご意見箱: an anonymous opinion without an account; no personal data, no reply. */
export default class PublicOpinionsController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/public_opinions/create', { topics: await Topic.ordered() })
  }

  @inject()
  async store({ request, response, session }: HttpContext, submit: SubmitWebOpinion) {
    const input = await request.validateUsing(anonymousOpinionValidator)
    const opinion = await submit.anonymous(input)
    session.flash('reference', opinion.referenceNo)
    return response.redirect().toRoute('public_opinions.thanks')
  }

  async thanks({ view, session, response }: HttpContext) {
    const reference = session.flashMessages.get('reference')
    if (!reference) return response.redirect().toRoute('public_opinions.create')
    return view.render('pages/citizen/public_opinions/thanks', { reference })
  }
}
