import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import FaqSearch from '#services/faq/faq_search'

/** A draft entry (give it a departmentId and topicId). */
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
  .build()

/**
 * An entry whose working copy is approved as version 1 and online, as the
 * approval workflow leaves it (indexed for both searches).
 */
export async function publishedFaq(attributes: Partial<FaqEntry> & { departmentId: number; topicId: number | null }) {
  const entry = await FaqEntryFactory.merge(attributes).create()
  const version = await FaqVersion.create({
    ...entry.content(),
    faqEntryId: entry.id,
    version: 1,
    state: 'approved',
    requestedAt: DateTime.now(),
    decidedAt: DateTime.now(),
  })
  entry.merge({ status: 'published', publishedVersionId: version.id, publishedAt: DateTime.now() })
  await entry.save()
  await FaqSearch.reindexMany([entry.id])
  return entry
}
