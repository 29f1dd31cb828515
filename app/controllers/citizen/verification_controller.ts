import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import VerifyCitizenEmail from '#actions/citizen/verify_citizen_email'
import ResendCitizenVerification from '#actions/citizen/resend_citizen_verification'
import { VERIFICATION_PURPOSE } from '#actions/citizen/send_citizen_verification'
import { startLoginSession } from '#services/auth/session_lifetime'
import { citizenResendValidator } from '#validators/citizen/citizen'

export default class CitizenVerificationController {
  /** The link from the verification mail: verifies the address and logs in. */
  @inject()
  async verify(
    { request, params, response, view, auth, session, i18n }: HttpContext,
    verifyEmail: VerifyCitizenEmail
  ) {
    const result = request.hasValidSignature(VERIFICATION_PURPOSE)
      ? await verifyEmail.handle(Number(params.id), request.qs().v)
      : ({ outcome: 'invalid' } as const)

    if (result.outcome === 'invalid') {
      response.status(403)
      return view.render('pages/citizen/verification_invalid')
    }
    if (result.outcome === 'already_verified') {
      session.flash('success', i18n.t('citizen.already_verified'))
      return response.redirect().toRoute('citizen.session.create')
    }
    await auth.use('citizen').login(result.citizen)
    await startLoginSession(session, 'citizen', result.citizen.id)
    session.flash('success', i18n.t('citizen.verified'))
    return response.redirect().toRoute('citizen.portal.show')
  }

  /** Form to ask for a new verification mail. */
  async create({ view }: HttpContext) {
    return view.render('pages/citizen/verification_resend')
  }

  /** Same answer whether or not the address is registered (or verified). */
  @inject()
  async store(
    { request, response, session, i18n }: HttpContext,
    resend: ResendCitizenVerification
  ) {
    const { email } = await request.validateUsing(citizenResendValidator)
    await resend.handle(email)
    session.flash('success', i18n.t('citizen.resent'))
    return response.redirect().toRoute('citizen.verification.create')
  }
}
