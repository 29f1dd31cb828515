import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import WardCalendar from '#services/ward_calendar'
import OpinionDashboard from '#services/opinions/opinion_dashboard'
import OpinionPolicy from '#policies/opinions/opinion_policy'

export default class DashboardController {
  /** Start page after login, adapted to the user's role. */
  async show({ view, auth, bouncer }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    await user.load('department')
    await user.load('contractor')
    const today = DateTime.now()
    return view.render('pages/dashboard', {
      user,
      today,
      fiscalYear: WardCalendar.fiscalYearLabel(WardCalendar.fiscalYear(today)),
      isOpenDay: WardCalendar.isOpenDay(today),
      nextOpenDay: WardCalendar.nextOpenDay(today),
      opinionCounts: (await bouncer.with(OpinionPolicy).allows('viewAny'))
        ? await OpinionDashboard.countsFor(user)
        : null,
    })
  }
}
