import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import AttemptLogin from '#actions/auth/attempt_login'
import AuditLogger from '#services/audit_logger'
import { loginValidator } from '#validators/session'
import { loginFailureMessage } from '#services/login_messages'

export default class SessionController {
  /** Staff and contractor login form. */
  async create({ view }: HttpContext) {
    return view.render('pages/session/create')
  }

  /** Checks the password (with lockout) and starts the session. */
  async store({ request, response, session, auth, i18n }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const user = await User.findBy('email', email.toLowerCase())
    const outcome = await new AttemptLogin().handle(user, password, {
      accountType: 'User',
      demoAllowed: !app.inProduction,
      isActive: user?.isActive,
    })
    if (!outcome.ok) {
      session.flashOnly(['email'])
      session.flash('loginError', loginFailureMessage(outcome, i18n))
      return response.redirect().toRoute('session.create')
    }
    await auth.use('web').login(outcome.account)
    return response.redirect().toRoute(outcome.account.isContractorUser ? 'portal.index' : 'dashboard.show')
  }

  async destroy({ auth, response }: HttpContext) {
    await AuditLogger.record({ action: 'auth.logout' })
    await auth.use('web').logout()
    return response.redirect().toRoute('session.create')
  }
}
