import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CouncilScope from '#builders/council_scope'
import CouncilItemPolicy from '#policies/council/council_item_policy'
import CreateCouncilMeeting from '#actions/council/create_council_meeting'
import CouncilOverview from '#services/council/council_overview'
import { councilMeetingValidator } from '#validators/council/council'

export default class CouncilController {
  /**
   * Items by meeting and status, every meeting, systems never submitted, systems changed since
   * approval, and a start for a new item on any system the user may draft for.
   */
  @inject()
  async dashboard({ view, bouncer, auth }: HttpContext, overview: CouncilOverview) {
    await bouncer.with(CouncilItemPolicy).authorize('viewAny')
    const scope = await CouncilScope.for(auth.use('web').getUserOrFail())
    return view.render('pages/council/dashboard', await overview.build(scope))
  }

  async storeMeeting({ request, response, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const input = await request.validateUsing(councilMeetingValidator)
    await new CreateCouncilMeeting(auditLog).handle(input)
    session.flash('success', i18n.t('council.meetings.saved'))
    return response.redirect().toRoute('council.dashboard')
  }
}
