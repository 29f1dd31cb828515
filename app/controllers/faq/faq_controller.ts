import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import FaqEntry from '#models/faq_entry'
import Topic from '#models/topic'
import FaqSearch from '#services/faq/faq_search'
import { faqSearchValidator } from '#validators/faq/faq'

/**
 * The citizen site's FAQ (no login): browse by topic, search, read. Only
 * approved versions are shown; internal notes never are.
 */
export default class FaqController {
  /** Topics with their number of published entries, and search results when asked. */
  async index({ request, view }: HttpContext) {
    const filters = await faqSearchValidator.validate(request.qs())
    const counts = await db
      .from('faq_entries')
      .join('faq_versions', 'faq_versions.id', 'faq_entries.published_version_id')
      .select('faq_versions.topic_id')
      .count('* as total')
      .groupBy('faq_versions.topic_id')
    const countOf = new Map(counts.map((row) => [Number(row.topic_id), Number(row.total)]))
    const topics = (await Topic.ordered()).filter((topic) => countOf.has(topic.id))
    const result = filters.q ? await FaqSearch.published(filters.q) : null
    return view.render('pages/faq/public/index', { topics, countOf, q: filters.q ?? '', result })
  }

  /** Published entries of one topic. */
  async topic({ params, view }: HttpContext) {
    const topic = await Topic.findOrFail(params.topicId)
    const entries = await FaqEntry.query()
      .whereIn('published_version_id', (versions) => versions.from('faq_versions').select('id').where('topic_id', topic.id))
      .preload('publishedVersion')
      .preload('department')
      .orderBy('id')
    return view.render('pages/faq/public/topic', { topic, entries })
  }

  /** One published entry: the approved version, never the working copy. */
  async show({ params, view }: HttpContext) {
    const entry = await FaqEntry.query()
      .where('id', params.id)
      .whereNotNull('published_version_id')
      .preload('publishedVersion', (version) => version.preload('topic'))
      .preload('department')
      .firstOrFail()
    return view.render('pages/faq/public/show', { entry, version: entry.publishedVersion })
  }
}
