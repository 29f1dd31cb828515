import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import Citizen from '#models/citizen'
import AttemptLogin from '#actions/auth/attempt_login'
import { loginValidator } from '#validators/session'
import { loginFailureMessage } from '#services/auth/login_messages'
import { endSession, startLoginSession } from '#services/auth/session_lifetime'
import LoginThrottle from '#services/auth/login_throttle'

export default class CitizenSessionController {
  /** Citizen login form (separate from staff login). */
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/login')
  }

  @inject()
  async store({ request, response, session, auth, i18n }: HttpContext, attemptLogin: AttemptLogin) {
    const { email, password } = await request.validateUsing(loginValidator)
    const citizen = await Citizen.findByEmail(email)
    const outcome = await attemptLogin.handle(citizen, password, {
      accountType: 'Citizen',
      demoAllowed: !app.inProduction,
      // Unverified accounts fail as "inactive", but only after the password
      // has been checked, so the message below never reveals an address.
      isActive: citizen ? Boolean(citizen.emailVerifiedAt) : undefined,
      throttle: new LoginThrottle(request, response, 'Citizen', email),
    })
    if (!outcome.ok) {
      const unverified =
        outcome.reason === 'inactive' && citizen !== null && !citizen.emailVerifiedAt
      session.flashOnly(['email'])
      session.flash(
        'loginError',
        unverified ? i18n.t('citizen.unverified_login') : loginFailureMessage(outcome, i18n)
      )
      if (unverified) session.flash('unverified', true)
      return response.redirect().toRoute('citizen.session.create')
    }
    await auth.use('citizen').login(outcome.account)
    await startLoginSession(session, 'citizen', outcome.account.id)
    return response.redirect().toRoute('citizen.portal.show')
  }

  async destroy({ auth, response, session, auditLog }: HttpContext) {
    await auditLog.record({ action: 'auth.logout' })
    await auth.use('citizen').logout()
    endSession(session)
    return response.redirect().toRoute('home')
  }
}
