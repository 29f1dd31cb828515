import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import FaqSearch from '#services/faq/faq_search'

/**
 * An FAQ entry (give it a departmentId and topicId): a draft by default,
 * indexed for the staff search once created.
 *
 * - `published`: its working copy approved as version 1 and online, as
 *   the approval workflow leaves it (indexed for both searches);
 * - `callCenter`: marked readable by the contracted call center;
 * - `withdrawn`: taken offline (no published version).
 */
export const FaqEntryFactory = factory
  .define(FaqEntry, () => ({
    question: '粗大ごみの出し方を教えてください',
    answer: '粗大ごみ受付センターに申し込み、有料粗大ごみ処理券を貼って出してください。',
    keywords: '粗大ゴミ 大型ごみ',
    relatedLinks: [],
    internalNotes: null,
    visibleToCallCenter: false,
    status: 'draft' as const,
  }))
  .state('published', (entry) => {
    entry.status = 'published'
  })
  .state('callCenter', (entry) => {
    entry.visibleToCallCenter = true
  })
  .state('withdrawn', (entry) => {
    entry.status = 'withdrawn'
  })
  .after('create', async (_factory, entry, { $trx }) => {
    if (entry.status === 'published' && !entry.publishedVersionId) {
      const now = DateTime.now()
      const version = await FaqVersion.create(
        {
          ...entry.content(),
          faqEntryId: entry.id,
          version: 1,
          state: 'approved',
          requestedAt: now,
          decidedAt: now,
        },
        { client: $trx }
      )
      entry.merge({ publishedVersionId: version.id, publishedAt: now })
      await entry.save()
    }
    await FaqSearch.reindexMany([entry.id], $trx)
  })
  .build()

/** A published entry (the `published` state), for tests that read better with a name. */
export async function publishedFaq(
  attributes: Partial<FaqEntry> & { departmentId: number; topicId: number | null }
) {
  return FaqEntryFactory.apply('published').merge(attributes).create()
}
