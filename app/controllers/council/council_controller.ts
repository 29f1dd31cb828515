import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import CouncilMeeting from '#models/council_meeting'
import CouncilItemPolicy from '#policies/council/council_item_policy'
import CouncilOverview from '#services/council/council_overview'
import AuditLogger from '#services/audit_logger'
import WardCalendar from '#services/ward_calendar'
import { councilMeetingValidator } from '#validators/council/council'

export default class CouncilController {
  /**
   * Items by meeting and status, every meeting, systems never submitted, systems changed since
   * approval, and a start for a new item on any system the user may draft for.
   */
  async dashboard({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(CouncilItemPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const overview = await CouncilOverview.build(await user.visibleDepartmentIds())
    return view.render('pages/council/dashboard', {
      ...overview,
      draftableSystems: await CouncilOverview.draftableSystems(user),
      currentFiscalYear: WardCalendar.fiscalYear(DateTime.now()),
    })
  }

  async storeMeeting({ request, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const input = await request.validateUsing(councilMeetingValidator)
    if (await CouncilMeeting.query().where('fiscalYear', input.fiscalYear).where('number', input.number).first()) {
      session.flashAll()
      session.flash('errors', { number: [i18n.t('council.meetings.duplicate')] })
      return response.redirect().back()
    }
    const meeting = await CouncilMeeting.create({
      fiscalYear: input.fiscalYear,
      number: input.number,
      heldOn: input.heldOn ? DateTime.fromJSDate(input.heldOn) : null,
      notes: input.notes ?? null,
    })
    await AuditLogger.record({ action: 'council_meeting.create', subject: meeting })
    session.flash('success', i18n.t('council.meetings.saved'))
    return response.redirect().toRoute('council.dashboard')
  }
}
