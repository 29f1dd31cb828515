import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import BigramSearch from '#services/search/bigram_search'
import type Opinion from '#models/opinion'

export const OPINION_DOC_TYPE = 'opinion'

/**
 * Full-text search over an opinion's subject, body and replies (bigram
 * index, doc type "opinion"). Re-index after every change of those texts.
 */
export default class OpinionSearch {
  /** Re-indexes one opinion from the database (subject, body, every reply). */
  static async reindex(opinionId: number, client?: QueryClientContract): Promise<void> {
    await OpinionSearch.reindexMany([opinionId], client)
  }

  /** Re-indexes many opinions (imports, bulk loads). */
  static async reindexMany(opinionIds: number[], client?: QueryClientContract): Promise<void> {
    const connection = client ?? db.connection()
    for (let start = 0; start < opinionIds.length; start += 500) {
      const ids = opinionIds.slice(start, start + 500)
      const opinions = await connection
        .from('opinions')
        .whereIn('id', ids)
        .select('id', 'subject', 'body')
      const replies = await connection
        .from('opinion_replies')
        .whereIn('opinion_id', ids)
        .select('opinion_id', 'body')
      const repliesOf = new Map<number, string[]>()
      for (const reply of replies) {
        const list = repliesOf.get(Number(reply.opinion_id)) ?? []
        list.push(reply.body)
        repliesOf.set(Number(reply.opinion_id), list)
      }
      await BigramSearch.indexMany(
        OPINION_DOC_TYPE,
        opinions.map((row) => ({
          id: Number(row.id),
          text: [row.subject, row.body, ...(repliesOf.get(Number(row.id)) ?? [])],
        })),
        connection
      )
    }
  }

  /**
   * Restricts an opinion query to the text query. A receipt number, ours (2026-000123) or
   * the old system's of an imported record, finds that record; other text searches the
   * bigram index, or subject and body with LIKE for a single character.
   */
  static async apply(query: ModelQueryBuilderContract<typeof Opinion>, text: string) {
    const receipt = await OpinionSearch.#byReceiptNumber(text)
    if (receipt.length > 0) {
      query.whereIn('opinions.id', receipt)
      return
    }
    if (BigramSearch.hasBigrams(text)) {
      query.whereIn('opinions.id', BigramSearch.subquery(OPINION_DOC_TYPE, text))
      return
    }
    const pattern = BigramSearch.likePattern(text)
    query.where((where) => {
      where
        .whereRaw(`subject LIKE ? ESCAPE '\\'`, [pattern])
        .orWhereRaw(`body LIKE ? ESCAPE '\\'`, [pattern])
    })
  }

  /** Ids of the opinions whose receipt number (current or legacy) is `text`; cheap index lookups. */
  static async #byReceiptNumber(text: string): Promise<number[]> {
    const number = text.normalize('NFKC').trim()
    if (!/^[\w\-/]{1,60}$/.test(number) || !/\d/.test(number)) return []
    const ours = /^(\d{4})-(\d{1,9})$/.exec(number)
    const rows = await db
      .from('opinions')
      .where('legacy_id', number)
      .if(ours, (query) =>
        query.orWhere((own) =>
          own.where('id', Number(ours![2])).where('fiscal_year', Number(ours![1]))
        )
      )
      .select('id')
    return rows.map((row) => Number(row.id))
  }
}
