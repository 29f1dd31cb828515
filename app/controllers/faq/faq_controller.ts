import type { HttpContext } from '@adonisjs/core/http'
import FaqScope from '#builders/faq_scope'
import Topic from '#models/topic'
import FaqQueries from '#services/faq/faq_queries'
import FaqSearch from '#services/faq/faq_search'
import { publicFaqSearchValidator } from '#validators/faq/faq'

/**
 * The citizen site's FAQ (no login): browse by topic, search, read. Only
 * approved versions are shown (FaqScope.public); internal notes never are.
 */
export default class FaqController {
  /** Topics with their number of published entries, and search results when asked. */
  async index({ request, view }: HttpContext) {
    const filters = await request.validateUsing(publicFaqSearchValidator, { data: request.qs() })
    const { topics, countOf } = await FaqQueries.publishedTopics()
    const result = filters.q ? await FaqSearch.published(filters.q) : null
    return view.render('pages/faq/public/index', { topics, countOf, q: filters.q ?? '', result })
  }

  /** Published entries of one topic. */
  async topic({ params, view }: HttpContext) {
    const topic = await Topic.findOrFail(params.topicId)
    const entries = await FaqQueries.publishedInTopic(FaqScope.public(), topic.id)
    return view.render('pages/faq/public/topic', { topic, entries })
  }

  /** One published entry: the approved version, never the working copy. */
  async show({ params, view }: HttpContext) {
    const entry = await FaqQueries.publishedEntry(FaqScope.public(), params.id)
    return view.render('pages/faq/public/show', { entry, version: entry.publishedVersion })
  }
}
