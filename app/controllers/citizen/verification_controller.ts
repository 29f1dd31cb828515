import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import VerifyCitizenEmail from '#actions/citizen/verify_citizen_email'
import ResendCitizenVerification from '#actions/citizen/resend_citizen_verification'
import { VERIFICATION_PURPOSE } from '#actions/citizen/send_citizen_verification'
import { startLoginSession } from '#services/auth/session_lifetime'

const resendValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
  })
)

export default class CitizenVerificationController {
  /** The link from the verification mail: verifies the address and logs in. */
  async verify({ request, params, response, view, auth, session, i18n }: HttpContext) {
    const result = request.hasValidSignature(VERIFICATION_PURPOSE)
      ? await new VerifyCitizenEmail().handle(Number(params.id), request.qs().v)
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
  async store({ request, response, session, i18n }: HttpContext) {
    const { email } = await request.validateUsing(resendValidator)
    await new ResendCitizenVerification().handle(email)
    session.flash('success', i18n.t('citizen.resent'))
    return response.redirect().toRoute('citizen.verification.create')
  }
}
