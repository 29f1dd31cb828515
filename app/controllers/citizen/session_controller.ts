import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import Citizen from '#models/citizen'
import AttemptLogin from '#actions/auth/attempt_login'
import AuditLogger from '#services/audit_logger'
import { loginValidator } from '#validators/session'
import { loginFailureMessage } from '#services/login_messages'

export default class CitizenSessionController {
  /** Citizen login form (separate from staff login). */
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/login')
  }

  async store({ request, response, session, auth, i18n }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const citizen = await Citizen.findByEmail(email)
    const outcome = await new AttemptLogin().handle(citizen, password, {
      accountType: 'Citizen',
      demoAllowed: !app.inProduction,
    })
    if (!outcome.ok) {
      session.flashOnly(['email'])
      session.flash('loginError', loginFailureMessage(outcome, i18n))
      return response.redirect().toRoute('citizen.session.create')
    }
    await auth.use('citizen').login(outcome.account)
    return response.redirect().toRoute('citizen.portal.show')
  }

  async destroy({ auth, response }: HttpContext) {
    await AuditLogger.record({ action: 'auth.logout' })
    await auth.use('citizen').logout()
    return response.redirect().toRoute('home')
  }
}
