import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import RequestCitizenPasswordReset, {
  PASSWORD_RESET_PURPOSE,
} from '#actions/citizen/request_citizen_password_reset'
import ResetCitizenPassword from '#actions/citizen/reset_citizen_password'
import { startLoginSession } from '#services/auth/session_lifetime'
import {
  citizenPasswordForgotValidator,
  citizenPasswordResetValidator,
} from '#validators/citizen/citizen'

/** 「パスワードを忘れた方」: the request form, the mailed link, the new password. */
export default class CitizenPasswordResetController {
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/password_forgot')
  }

  /** Same answer whether or not the address is registered. */
  @inject()
  async store(
    { request, response, session, i18n }: HttpContext,
    requestReset: RequestCitizenPasswordReset
  ) {
    const { email } = await request.validateUsing(citizenPasswordForgotValidator)
    await requestReset.handle(email)
    session.flash('success', i18n.t('citizen.password_reset.requested'))
    return response.redirect().toRoute('citizen.password_reset.create')
  }

  /** The form behind the mailed link; the form posts back to the same signed address. */
  @inject()
  async edit({ request, params, response, view }: HttpContext, reset: ResetCitizenPassword) {
    const link = await this.#check(request, params, reset)
    if (!link.ok) return this.#refuse(response, view, link.reason)
    return view.render('pages/citizen/password_reset', { action: request.url(true) })
  }

  /** Sets the password, ends the account's other sessions and logs the citizen in here. */
  @inject()
  async update(
    { request, params, response, view, auth, session, i18n }: HttpContext,
    reset: ResetCitizenPassword
  ) {
    const link = await this.#check(request, params, reset)
    if (!link.ok) return this.#refuse(response, view, link.reason)
    const payload = await request
      .validateUsing(citizenPasswordResetValidator)
      .catch((error: unknown) => {
        if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
        session.flashValidationErrors(error)
        return null
      })
    // Back to this signed address, also when the browser sends no referrer.
    if (!payload) return response.redirect().toPath(request.url(true))
    await reset.handle(link.citizen, payload.password, session)
    await auth.use('citizen').login(link.citizen)
    await startLoginSession(session, 'citizen', link.citizen.id)
    session.flash('success', i18n.t('citizen.password_reset.done'))
    return response.redirect().toRoute('citizen.portal.show')
  }

  #check(
    request: HttpContext['request'],
    params: HttpContext['params'],
    reset: ResetCitizenPassword
  ) {
    return reset.check(
      request.hasValidSignature(PASSWORD_RESET_PURPOSE),
      Number(params.id),
      request.qs()
    )
  }

  /** 403 for a link that is not ours, 410 for one that has expired or been used. */
  async #refuse(
    response: HttpContext['response'],
    view: HttpContext['view'],
    reason: 'invalid' | 'expired' | 'used'
  ) {
    response.status(reason === 'invalid' ? 403 : 410)
    return view.render('pages/citizen/password_reset_invalid', { reason })
  }
}
