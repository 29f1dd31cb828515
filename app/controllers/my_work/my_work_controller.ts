import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import MyWorkPolicy from '#policies/my_work/my_work_policy'
import MyWork from '#services/my_work/my_work'
import type { MyWorkSectionKey } from '#services/my_work/my_work_section'
import { filledQueryString } from '#validators/query_string'
import { myWorkPageValidator } from '#validators/my_work/my_work'

@inject()
export default class MyWorkController {
  constructor(protected myWork: MyWork) {}

  /** 「すべて見る」: every item of one section of わたしの仕事, by date, 50 per page. */
  async show({ params, request, view, auth, bouncer, i18n }: HttpContext) {
    // The route only matches the known sections (MY_WORK_SECTIONS).
    const key = params.section as MyWorkSectionKey
    await bouncer.with(MyWorkPolicy).authorize('viewSection', key)
    const { page = 1 } = await request.validateUsing(myWorkPageValidator, {
      data: filledQueryString(request.qs()),
    })
    const result = await this.myWork.section(auth.use('web').getUserOrFail(), key, page)
    const [section] = MyWork.present([result.section], i18n)
    return view.render('pages/my_work/show', { section, page, hasMore: result.hasMore })
  }
}
