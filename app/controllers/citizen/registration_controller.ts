import type { HttpContext } from '@adonisjs/core/http'
import RegisterCitizen from '#actions/citizen/register_citizen'
import { citizenRegistrationValidator } from '#validators/citizen'

export default class CitizenRegistrationController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/register')
  }

  /** Creates the account (personal data encrypted) and logs the citizen in. */
  async store({ request, response, session, auth, i18n }: HttpContext) {
    const payload = await request.validateUsing(citizenRegistrationValidator)
    const result = await new RegisterCitizen().handle(payload)
    if (!result.ok) {
      session.flashExcept(['password', 'password_confirmation'])
      session.flash('errors', { email: [i18n.t('messages.citizen.email_taken')] })
      return response.redirect().back()
    }
    await auth.use('citizen').login(result.citizen)
    session.flash('success', i18n.t('messages.citizen.registered'))
    return response.redirect().toRoute('citizen.portal.show')
  }
}
