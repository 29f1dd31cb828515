import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import WardCalendar from '#services/ward_calendar'
import Clock from '#services/clock'
import MyWork from '#services/my_work/my_work'
import OpinionDashboard from '#services/opinions/opinion_dashboard'
import OpinionPolicy from '#policies/opinions/opinion_policy'

@inject()
export default class DashboardController {
  constructor(
    protected clock: Clock,
    protected myWork: MyWork
  ) {}

  /** Start page after login: わたしの仕事, then the role's panels (read at once). */
  async show({ view, auth, bouncer, i18n }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    const [, sections, opinionCounts] = await Promise.all([
      user.load((loader) => loader.load('department').load('contractor')),
      this.myWork.sections(user),
      bouncer
        .with(OpinionPolicy)
        .allows('viewAny')
        .then((allowed) => (allowed ? OpinionDashboard.countsFor(user) : null)),
    ])
    const today = this.clock.now()
    return view.render('pages/dashboard', {
      user,
      today,
      fiscalYear: WardCalendar.fiscalYearLabel(WardCalendar.fiscalYear(today)),
      isOpenDay: WardCalendar.isOpenDay(today),
      nextOpenDay: WardCalendar.nextOpenDay(today),
      myWork: MyWork.present(sections, i18n),
      opinionCounts,
    })
  }
}
