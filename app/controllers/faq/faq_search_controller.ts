import type { HttpContext } from '@adonisjs/core/http'
import FaqScope from '#builders/faq_scope'
import Topic from '#models/topic'
import FaqPolicy from '#policies/faq/faq_policy'
import FaqSearch from '#services/faq/faq_search'
import { faqSearchValidator } from '#validators/faq/faq'

/**
 * The operators' search while a caller waits: published answers with the
 * department's internal notes, in one request. Staff also find their own
 * department's drafts; contractor users only what FaqScope allows.
 */
export default class FaqSearchController {
  async show({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('search')
    const scope = await FaqScope.for(auth.use('web').getUserOrFail())
    const filters = await request.validateUsing(faqSearchValidator, { data: request.qs() })
    const searching = filters.q || filters.topicId
    const result = searching
      ? await FaqSearch.forStaff(scope, filters.q ?? '', { topicId: filters.topicId })
      : null
    const topics = await Topic.ordered()
    return view.render('pages/faq/entries/search', {
      filters,
      result,
      topics,
      seesNotes: scope.seesInternalNotes,
    })
  }
}
