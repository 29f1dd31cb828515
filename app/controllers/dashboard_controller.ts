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

  /** Start page after login: わたしの仕事, then the role's panels. */
  async show({ view, auth, bouncer, i18n }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    // The account's 所属 or 委託事業者, where it has one: Lucid reads even a key left empty.
    if (user.departmentId !== null) await user.load('department')
    if (user.contractorId !== null) await user.load('contractor')
    const today = this.clock.now()
    return view.render('pages/dashboard', {
      user,
      today,
      fiscalYear: WardCalendar.fiscalYearLabel(WardCalendar.fiscalYear(today)),
      isOpenDay: WardCalendar.isOpenDay(today),
      nextOpenDay: WardCalendar.nextOpenDay(today),
      myWork: MyWork.present(await this.myWork.sections(user), i18n),
      opinionCounts: (await bouncer.with(OpinionPolicy).allows('viewAny'))
        ? await OpinionDashboard.countsFor(user)
        : null,
    })
  }
}
