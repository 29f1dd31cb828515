import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import AttemptLogin from '#actions/auth/attempt_login'
import { loginValidator } from '#validators/session'
import { loginFailureMessage } from '#services/auth/login_messages'
import { endSession, startLoginSession } from '#services/auth/session_lifetime'
import LoginThrottle from '#services/auth/login_throttle'

export default class SessionController {
  /** Staff and contractor login form. */
  async create({ view }: HttpContext) {
    return view.render('pages/session/create')
  }

  /** Checks the password (with lockout) and starts the session. */
  @inject()
  async store({ request, response, session, auth, i18n }: HttpContext, attemptLogin: AttemptLogin) {
    const { email, password } = await request.validateUsing(loginValidator)
    const user = await User.findBy('email', email.toLowerCase())
    const outcome = await attemptLogin.handle(user, password, {
      accountType: 'User',
      demoAllowed: !app.inProduction,
      isActive: user?.isActive,
      throttle: new LoginThrottle(request, response, 'User', email),
    })
    if (!outcome.ok) {
      session.flashOnly(['email'])
      session.flash('loginError', loginFailureMessage(outcome, i18n))
      return response.redirect().toRoute('session.create')
    }
    await auth.use('web').login(outcome.account)
    await startLoginSession(session, 'web', outcome.account.id)
    return response
      .redirect()
      .toRoute(outcome.account.isContractorUser ? 'portal.index' : 'dashboard.show')
  }

  /** Logs out and deletes the session on the server: the old cookie opens nothing afterwards. */
  async destroy({ auth, response, session, auditLog }: HttpContext) {
    await auditLog.record({ action: 'auth.logout' })
    await auth.use('web').logout()
    endSession(session)
    return response.redirect().toRoute('session.create')
  }
}
