import type { I18n } from '@adonisjs/i18n'
import db from '@adonisjs/lucid/services/db'
import type FaqScope from '#builders/faq_scope'
import DepartmentDirectory from '#services/department_directory'
import FaqEntry, { type FaqStatus } from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import Topic from '#models/topic'
import type User from '#models/user'
import FaqDiff, { type FaqComparable, type FaqDifference } from '#services/faq/faq_diff'
import FaqSearch from '#services/faq/faq_search'
import { preloadTogether, type BelongsToLink } from '#services/lucid_preloads'

export interface FaqListFilters {
  q?: string
  topicId?: number
  status?: FaqStatus
}

/**
 * The reads of the FAQ pages: what the controllers show, loaded with what
 * the views need. Who may see what comes from FaqScope.
 */
export default class FaqQueries {
  /** Topics that have published entries, with their number of entries. */
  static async publishedTopics() {
    const counts = await db
      .from('faq_entries')
      .join('faq_versions', 'faq_versions.id', 'faq_entries.published_version_id')
      .select('faq_versions.topic_id')
      .count('* as total')
      .groupBy('faq_versions.topic_id')
    const countOf = new Map(counts.map((row) => [Number(row.topic_id), Number(row.total)]))
    const ordered = await Topic.ordered()
    const topics = ordered.filter((topic) => countOf.has(topic.id))
    return { topics, countOf }
  }

  /** The published entries of one topic (by the topic of their approved version). */
  static publishedInTopic(scope: FaqScope, topicId: number) {
    return scope
      .entries()
      .whereIn('published_version_id', (versions) =>
        versions.from('faq_versions').select('id').where('topic_id', topicId)
      )
      .preload('publishedVersion')
      .preload('department')
      .orderBy('id')
  }

  /** One published entry with its approved version (404 otherwise). */
  static publishedEntry(scope: FaqScope, id: number) {
    return scope
      .entries()
      .where('faq_entries.id', id)
      .whereNotNull('published_version_id')
      .preload('publishedVersion', (version) => version.preload('topic'))
      .preload('department')
      .firstOrFail()
  }

  /**
   * One page of the management list: awaiting approval first, then the last changed. `topics`:
   * every topic, read for the filter; the entries' topics come from it, their departments'
   * names from the request's organisation (DepartmentDirectory), not a read of their own.
   */
  static async managedList(
    scope: FaqScope,
    filters: FaqListFilters,
    page: number,
    topics: Topic[]
  ) {
    const query = scope
      .managedEntries()
      .if(filters.status, (q) => q.where('status', filters.status!))
      .if(filters.topicId, (q) => q.where('topic_id', filters.topicId!))
    if (filters.q) {
      const result = await FaqSearch.forStaff(scope, filters.q, {
        topicId: filters.topicId,
        limit: 300,
      })
      query.whereIn('id', result.entries.map((entry) => entry.id).concat(0))
    }
    const entries = await query
      .orderByRaw("CASE WHEN status = 'awaiting_approval' THEN 0 ELSE 1 END")
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, 50)
    await preloadTogether(
      entries.all().map((entry): BelongsToLink => [entry, 'topic']),
      topics
    )
    entries.baseUrl('/faq-entries').queryString(filters)
    return entries
  }

  /**
   * An entry for its staff pages, with its published version (authorisation is the policy's).
   * The entry and that version mostly share their topic and their user (who last changed it is
   * who it was approved for): one read of each.
   */
  static async entry(id: number) {
    const entry = await FaqEntry.query()
      .where('id', id)
      .preload('department')
      .preload('publishedVersion')
      .firstOrFail()
    const published = entry.publishedVersion
    await preloadTogether([
      [entry, 'topic'],
      [entry, 'updatedBy'],
      [published, 'topic'],
      [published, 'decidedBy'],
    ])
    return entry
  }

  /**
   * The change awaiting the supervisor, with who asked (mostly who last changed the entry, read
   * with it: FaqQueries.entry); null when nothing awaits a decision.
   */
  static async pending(entry: FaqEntry) {
    const version = await FaqVersion.query()
      .where('faqEntryId', entry.id)
      .where('state', 'awaiting_approval')
      .orderBy('version', 'desc')
      .first()
    if (version) await preloadTogether([[version, 'requestedBy']], [entry.updatedBy])
    return version
  }

  /** The version last sent back, when the newest version is a returned one. */
  static async lastReturned(entry: FaqEntry) {
    const last = await FaqVersion.query()
      .where('faqEntryId', entry.id)
      .preload('decidedBy')
      .orderBy('version', 'desc')
      .first()
    return last?.state === 'returned' ? last : null
  }

  /**
   * Every version of the entry, newest first, with who asked and who decided: one read of the
   * users the entry's page has not read already (FaqQueries.entry).
   */
  static async versions(entry: FaqEntry) {
    const versions = await FaqVersion.query()
      .where('faqEntryId', entry.id)
      .orderBy('version', 'desc')
    await preloadTogether(
      versions.flatMap((version): BelongsToLink[] => [
        [version, 'requestedBy'],
        [version, 'decidedBy'],
      ]),
      [entry.updatedBy, entry.publishedVersion?.decidedBy]
    )
    return versions
  }

  /** Choices of the entry form. */
  static async formOptions(departmentId: number | null, account: User) {
    const topics = await Topic.ordered()
    const departments = await DepartmentDirectory.treeFor(account)
    return { topics, departments, defaultDepartmentId: departmentId }
  }

  /** What differs between two states of an entry, with topic names and yes/no in the user's language. */
  static async difference(
    before: FaqComparable,
    after: FaqComparable,
    i18n: I18n
  ): Promise<FaqDifference> {
    const topics = await Topic.ordered()
    const names = new Map(topics.map((topic) => [topic.id, topic.name]))
    return FaqDiff.between(before, after, {
      topicName: (id) => (id === null ? '' : (names.get(id) ?? '')),
      yes: i18n.t('faq.diff.yes'),
      no: i18n.t('faq.diff.no'),
    })
  }

  /** The versions of an entry and the difference of two of them (default: the last two). */
  static async history(entry: FaqEntry, input: { from?: number; to?: number }, i18n: I18n) {
    const versions = await FaqQueries.versions(entry)
    const to = input.to ?? versions[0]?.version
    const from = input.from ?? versions[1]?.version
    const before = versions.find((version) => version.version === from)
    const after = versions.find((version) => version.version === to)
    const difference = before && after ? await FaqQueries.difference(before, after, i18n) : null
    return { versions, from, to, difference }
  }
}
