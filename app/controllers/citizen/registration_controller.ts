import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import RegisterCitizen from '#actions/citizen/register_citizen'
import { citizenRegistrationValidator } from '#validators/citizen/citizen'

export default class CitizenRegistrationController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/register')
  }

  /**
   * Creates the account unverified (personal data encrypted) and mails the
   * verification link. The citizen is not logged in. A registered address
   * gets the same "mail sent" page, so the form does not reveal it.
   */
  @inject()
  async store({ request, response }: HttpContext, register: RegisterCitizen) {
    const payload = await request.validateUsing(citizenRegistrationValidator)
    await register.handle(payload)
    return response.redirect().toRoute('citizen.registration.sent')
  }

  /** "We sent you a mail" (shown for every registration). */
  async sent({ view }: HttpContext) {
    return view.render('pages/citizen/registration_sent')
  }
}
