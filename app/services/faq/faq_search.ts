import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import BigramSearch from '#services/search/bigram_search'
import FaqScope from '#builders/faq_scope'
import FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import type User from '#models/user'

/** Citizen search: the approved (published) version of live entries only. */
export const FAQ_PUBLISHED_DOC = 'faq_published'
/** Staff search: the working copy and the published version, with internal notes, of every entry. */
export const FAQ_STAFF_DOC = 'faq_staff'

/** Candidates read per search before the exact check and ranking. */
const CANDIDATE_LIMIT = 300

type EntryQuery = ModelQueryBuilderContract<typeof FaqEntry>

export interface FaqSearchResult {
  entries: FaqEntry[]
  /** Exact matches among the candidates read. */
  total: number
  /** More candidates than were read: the user should narrow the query. */
  truncated: boolean
}

type Searchable = Pick<FaqVersion, 'question' | 'answer' | 'keywords' | 'internalNotes'>

/** A candidate row: the working copy's text and the published version's. */
interface Candidate {
  id: number
  working: Searchable
  published: Searchable | null
}

const publishedText = (content: Searchable) => [content.question, content.keywords, content.answer]
const staffText = (content: Searchable) => [...publishedText(content), content.internalNotes]

/**
 * Japanese full-text search of the FAQ on the bigram index, with two
 * documents per entry: what citizens may find (the published version), and
 * what staff may find (working copy and published version, notes included).
 * A change awaiting approval is therefore never found on the citizen site.
 */
export default class FaqSearch {
  /** Re-indexes entries after any change of their working copy or published version. */
  static async reindexMany(entryIds: number[], client?: QueryClientContract): Promise<void> {
    const connection = client ?? db.connection()
    for (let start = 0; start < entryIds.length; start += 500) {
      const ids = entryIds.slice(start, start + 500)
      const entries = await connection
        .from('faq_entries')
        .whereIn('id', ids)
        .select('id', 'question', 'answer', 'keywords', 'internal_notes', 'published_version_id')
      const versionIds = entries.map((row) => row.published_version_id).filter((id) => id !== null)
      const versions = versionIds.length
        ? await connection
            .from('faq_versions')
            .whereIn('id', versionIds)
            .select('id', 'question', 'answer', 'keywords', 'internal_notes')
        : []
      const versionById = new Map(
        versions.map((row) => [Number(row.id), FaqSearch.#searchable(row)])
      )
      const staffDocs = []
      const publishedDocs = []
      for (const row of entries) {
        const published =
          row.published_version_id === null
            ? null
            : versionById.get(Number(row.published_version_id))
        const working = FaqSearch.#searchable(row)
        staffDocs.push({
          id: Number(row.id),
          text: [...staffText(working), ...(published ? staffText(published) : [])],
        })
        // An empty text removes the entry from the citizen index (withdrawn, never published).
        publishedDocs.push({ id: Number(row.id), text: published ? publishedText(published) : '' })
      }
      await BigramSearch.indexMany(FAQ_STAFF_DOC, staffDocs, connection)
      await BigramSearch.indexMany(FAQ_PUBLISHED_DOC, publishedDocs, connection)
    }
  }

  /** Staff and operator search: entries the user (or the scope) may read, best matches first. */
  static async forStaff(
    reader: User | FaqScope,
    text: string,
    options: { topicId?: number | null; limit?: number } = {}
  ): Promise<FaqSearchResult> {
    const scope = reader instanceof FaqScope ? reader : await FaqScope.for(reader)
    const query = scope.entries()
    const browsing = BigramSearch.words(text).length === 0
    if (!browsing) FaqSearch.#applyStaff(query, text)
    if (options.topicId) query.where('faq_entries.topic_id', options.topicId)
    const candidates = await FaqSearch.#candidates(query)
    const matched = candidates.filter(
      (candidate) =>
        browsing ||
        BigramSearch.matches(
          [
            ...staffText(candidate.working),
            ...(candidate.published ? staffText(candidate.published) : []),
          ],
          text
        )
    )
    return FaqSearch.#ranked(
      matched,
      text,
      options.limit ?? 30,
      candidates.length === CANDIDATE_LIMIT,
      (candidate) => candidate.published ?? candidate.working
    )
  }

  /** Citizen search: published versions only. */
  static async published(text: string, options: { limit?: number } = {}): Promise<FaqSearchResult> {
    const query = FaqScope.public().entries()
    if (BigramSearch.hasBigrams(text)) {
      query.whereIn('faq_entries.id', BigramSearch.subquery(FAQ_PUBLISHED_DOC, text))
    } else {
      const pattern = BigramSearch.likePattern(text)
      query.whereIn('faq_entries.published_version_id', (versions) =>
        versions
          .from('faq_versions')
          .select('id')
          .where((where) => FaqSearch.#likeAny(where, ['question', 'answer', 'keywords'], pattern))
      )
    }
    const candidates = await FaqSearch.#candidates(query)
    const matched = candidates.filter(
      (candidate) =>
        candidate.published && BigramSearch.matches(publishedText(candidate.published), text)
    )
    // Ranked on what the citizen sees: the published question and keywords.
    return FaqSearch.#ranked(
      matched,
      text,
      options.limit ?? 50,
      candidates.length === CANDIDATE_LIMIT,
      (candidate) => candidate.published!
    )
  }

  /**
   * The newest candidates as plain rows with their published version's
   * text: hydrating hundreds of models costs more than the SQL, so only the
   * page shown becomes models (in `#ranked`).
   */
  static async #candidates(query: EntryQuery): Promise<Candidate[]> {
    const rows = await query
      .select(
        'faq_entries.id',
        'faq_entries.question',
        'faq_entries.answer',
        'faq_entries.keywords',
        'faq_entries.internal_notes',
        'faq_entries.published_version_id'
      )
      .orderBy('faq_entries.id', 'desc')
      .limit(CANDIDATE_LIMIT)
      .pojo<Record<string, any>>()
    const versionIds = rows.map((row) => row.published_version_id).filter((id) => id !== null)
    const versions = versionIds.length
      ? await db
          .from('faq_versions')
          .whereIn('id', versionIds)
          .select('id', 'question', 'answer', 'keywords', 'internal_notes')
      : []
    const versionById = new Map(versions.map((row) => [Number(row.id), FaqSearch.#searchable(row)]))
    return rows.map((row) => ({
      id: Number(row.id),
      working: FaqSearch.#searchable(row),
      published:
        row.published_version_id === null
          ? null
          : (versionById.get(Number(row.published_version_id)) ?? null),
    }))
  }

  static #applyStaff(query: EntryQuery, text: string) {
    if (BigramSearch.hasBigrams(text)) {
      query.whereIn('faq_entries.id', BigramSearch.subquery(FAQ_STAFF_DOC, text))
      return
    }
    const pattern = BigramSearch.likePattern(text)
    const fields = ['question', 'answer', 'keywords', 'internal_notes']
    query.where((where) => {
      where
        .where((own) =>
          FaqSearch.#likeAny(
            own,
            fields.map((field) => `faq_entries.${field}`),
            pattern
          )
        )
        .orWhereIn('faq_entries.published_version_id', (versions) =>
          versions
            .from('faq_versions')
            .select('id')
            .where((inner) => FaqSearch.#likeAny(inner, fields, pattern))
        )
    })
  }

  /** Question hits first, then keyword hits, then newest; the page shown is loaded as models. */
  static async #ranked(
    candidates: Candidate[],
    text: string,
    limit: number,
    truncated: boolean,
    contentOf: (candidate: Candidate) => Searchable
  ): Promise<FaqSearchResult> {
    const score = (candidate: Candidate) => {
      const content = contentOf(candidate)
      return (
        (BigramSearch.matches(content.question, text) ? 2 : 0) +
        (BigramSearch.matches(content.keywords, text) ? 1 : 0)
      )
    }
    const scored = candidates.map((candidate) => ({ id: candidate.id, score: score(candidate) }))
    scored.sort((a, b) => b.score - a.score || b.id - a.id)
    const pageIds = scored.slice(0, limit).map(({ id }) => id)
    const models = pageIds.length
      ? await FaqEntry.query()
          .whereIn('id', pageIds)
          .preload('publishedVersion', (version) => version.preload('topic'))
          .preload('topic')
          .preload('department')
      : []
    const byId = new Map(models.map((entry) => [entry.id, entry]))
    return {
      entries: pageIds.map((id) => byId.get(id)!).filter(Boolean),
      total: candidates.length,
      truncated,
    }
  }

  static #likeAny(builder: any, columns: string[], pattern: string) {
    for (const [index, column] of columns.entries()) {
      if (index === 0) builder.whereRaw(`${column} LIKE ? ESCAPE '\\'`, [pattern])
      else builder.orWhereRaw(`${column} LIKE ? ESCAPE '\\'`, [pattern])
    }
  }

  static #searchable(row: Record<string, any>): Searchable {
    return {
      question: row.question,
      answer: row.answer,
      keywords: row.keywords ?? '',
      internalNotes: row.internal_notes ?? null,
    }
  }
}
