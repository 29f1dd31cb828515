import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ChainableContract } from '@adonisjs/lucid/types/querybuilder'

/** Text of one document: a string, or its fields (joined; bigrams never span two fields). */
export type SearchText = string | ReadonlyArray<string | null | undefined>

export interface SearchDocument {
  id: number
  text: SearchText
}

const TABLE = 'search_bigrams'

/** Rows per INSERT (sent as arrays or JSON, so no parameter limit applies). */
const INSERT_BATCH_ROWS = 20_000
/** doc_ids per DELETE … WHERE doc_id IN (…). */
const DELETE_BATCH_IDS = 500

/** Anything that is not a letter, digit or combining mark separates words. */
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u
/** Katakana ァ–ヶ and the iteration marks ヽヾ, folded onto hiragana (0x60 below). */
const KATAKANA = /[\u30A1-\u30F6\u30FD\u30FE]/g

/** A PostgreSQL array literal (knex would expand a JS array binding into a list). */
function pgArray(values: ReadonlyArray<number | string>): string {
  return `{${values.map((value) => `"${String(value).replace(/["\\]/g, '\\$&')}"`).join(',')}}`
}

/**
 * Japanese full-text search without database extensions: an inverted index
 * of character bigrams in `search_bigrams`, shared by every document type
 * (opinions, FAQ entries…), identical on SQLite and PostgreSQL. It finds any
 * substring of two or more characters, which word-based search (PG
 * `to_tsvector`, MySQL FULLTEXT) cannot do for Japanese.
 *
 * Normalisation (`normalize`), applied alike to documents and queries:
 * - NFKC: full-width ASCII → half-width (ＡＢＣ → ABC), half-width kana →
 *   full-width (ｶﾀｶﾅ → カタカナ), ① → 1, ㈱ → (株);
 * - lower case (ABC → abc);
 * - katakana folded onto hiragana (ゴミ = ごみ, カタカナ = かたかな): the
 *   same word is written either way in citizens' mail. ー is kept as is.
 * - whitespace and punctuation separate words; bigrams never span a
 *   separator, so 「駐輪 場」 does not match 駐輪場.
 *
 * Queries: every bigram of every word must be present (AND, also across
 * words separated by spaces). Bigram hits are candidates only (防災訓練 is
 * found in a document holding 防災 and 災訓 and 訓練 anywhere): confirm with
 * `matches` on the document text when exactness matters. A query without a
 * word of two characters (e.g. 「区」) has no bigram: `candidateIds` returns
 * null and callers fall back to LIKE '%区%' (single characters are not
 * indexed, which would add a row per distinct character of every document).
 */
export default class BigramSearch {
  /** NFKC, lower case, katakana → hiragana (see the class comment). */
  static normalize(text: string): string {
    return text
      .normalize('NFKC')
      .toLowerCase()
      .replace(KATAKANA, (kana) => String.fromCharCode(kana.charCodeAt(0) - 0x60))
  }

  /** Normalised words: runs of letters and digits between separators. */
  static words(text: SearchText): string[] {
    const joined = typeof text === 'string' ? text : text.filter((field) => field).join('\n')
    return BigramSearch.normalize(joined)
      .split(SEPARATORS)
      .filter((word) => word.length > 0)
  }

  /** The distinct normalised bigrams of `text` (by code point, so 𠮷 counts as one character). */
  static bigrams(text: SearchText): string[] {
    const found = new Set<string>()
    for (const word of BigramSearch.words(text)) {
      const chars = Array.from(word)
      for (let index = 0; index + 1 < chars.length; index++)
        found.add(chars[index] + chars[index + 1])
    }
    return [...found]
  }

  /**
   * Whether `text` contains every word of `query` after normalisation: the
   * exact check for candidates (bigram hits may be scattered), and the
   * whole search for single-character words.
   */
  static matches(text: SearchText, query: string): boolean {
    const haystack = ` ${BigramSearch.words(text).join(' ')} `
    const needles = BigramSearch.words(query)
    return needles.length > 0 && needles.every((needle) => haystack.includes(needle))
  }

  /** Replaces the bigrams of one document (one transaction). */
  static async index(
    docType: string,
    docId: number,
    text: SearchText,
    client?: QueryClientContract
  ): Promise<void> {
    await BigramSearch.indexMany(docType, [{ id: docId, text }], client)
  }

  /** Replaces the bigrams of many documents in batches (one transaction): bulk loads and rebuilds. */
  static async indexMany(
    docType: string,
    docs: ReadonlyArray<SearchDocument>,
    client?: QueryClientContract
  ): Promise<void> {
    if (docs.length === 0) return
    await BigramSearch.#inTransaction(client, async (trx) => {
      await BigramSearch.#delete(
        trx,
        docType,
        docs.map((doc) => doc.id)
      )
      const ids: number[] = []
      const grams: string[] = []
      for (const doc of docs) {
        for (const gram of BigramSearch.bigrams(doc.text)) {
          ids.push(doc.id)
          grams.push(gram)
        }
      }
      await BigramSearch.#insert(trx, docType, ids, grams)
    })
  }

  /** Drops a document from the index (e.g. when it is deleted or unpublished). */
  static async remove(docType: string, docId: number, client?: QueryClientContract): Promise<void> {
    await BigramSearch.#delete(client ?? db.connection(), docType, [docId])
  }

  /**
   * Ids (ascending) of the documents holding every bigram of the query (AND),
   * candidates only: confirm with `matches` when exactness matters. Null
   * when the query has no bigram (fall back to LIKE).
   */
  static async candidateIds(
    docType: string,
    query: string,
    client?: QueryClientContract
  ): Promise<number[] | null> {
    const grams = BigramSearch.bigrams(query)
    if (grams.length === 0) return null
    const builder = (client ?? db.connection()).query()
    BigramSearch.#candidates(builder, docType, grams)
    const rows: Array<{ doc_id: number | string }> = await builder.orderBy('doc_id')
    return rows.map((row) => Number(row.doc_id))
  }

  /**
   * Subquery of candidate ids for whereIn:
   * `Opinion.query().whereIn('id', BigramSearch.subquery('opinion', q))`.
   * Matches nothing when the query has no bigram (check `hasBigrams` first
   * and fall back to LIKE).
   */
  static subquery(
    docType: string,
    query: string
  ): <Builder extends ChainableContract>(builder: Builder) => void {
    const grams = BigramSearch.bigrams(query)
    return (builder) => {
      if (grams.length === 0) {
        builder.from(TABLE).select('doc_id').whereRaw('1 = 0')
        return
      }
      BigramSearch.#candidates(builder, docType, grams)
    }
  }

  /**
   * The LIKE pattern of the fallback for queries without a bigram: `%text%`
   * with % _ and \ escaped (use with ESCAPE '\').
   */
  static likePattern(text: string): string {
    return `%${text.trim().replace(/[\\%_]/g, '\\$&')}%`
  }

  /** Whether the query can use the index (it has a word of two or more characters). */
  static hasBigrams(query: string): boolean {
    return BigramSearch.bigrams(query).length > 0
  }

  /*
   * One bigram: a range of the primary key (doc_type, bigram, doc_id), read
   * in doc_id order. Several: the same ranges, grouped by doc_id, keeping
   * the ids seen once per bigram. COUNT(*) equals COUNT(DISTINCT bigram)
   * here, because the primary key makes (doc_type, bigram, doc_id) unique.
   */
  static #candidates(builder: ChainableContract, docType: string, grams: string[]) {
    builder.from(TABLE).select('doc_id').where('doc_type', docType)
    if (grams.length === 1) {
      builder.where('bigram', grams[0])
      return
    }
    builder.whereIn('bigram', grams).groupBy('doc_id').havingRaw('COUNT(*) = ?', [grams.length])
  }

  static async #inTransaction(
    client: QueryClientContract | undefined,
    work: (trx: TransactionClientContract) => Promise<void>
  ): Promise<void> {
    if (client?.isTransaction) return work(client as TransactionClientContract)
    const trx = await (client ?? db.connection()).transaction()
    try {
      await work(trx)
      await trx.commit()
    } catch (error) {
      await trx.rollback()
      throw error
    }
  }

  static async #delete(client: QueryClientContract, docType: string, docIds: number[]) {
    for (let start = 0; start < docIds.length; start += DELETE_BATCH_IDS) {
      const batch = docIds.slice(start, start + DELETE_BATCH_IDS)
      const query = client.from(TABLE).where('doc_type', docType)
      await (
        batch.length === 1 ? query.where('doc_id', batch[0]) : query.whereIn('doc_id', batch)
      ).delete()
    }
  }

  /*
   * One INSERT … SELECT per 20,000 rows, with the rows in one or two
   * parameters (no SQL text to build, no parameter limit): PostgreSQL
   * unnests two arrays, SQLite reads a JSON array of [doc_id, bigram].
   */
  static async #insert(
    client: QueryClientContract,
    docType: string,
    ids: number[],
    grams: string[]
  ) {
    const postgres = client.dialect.name === 'postgres'
    for (let start = 0; start < ids.length; start += INSERT_BATCH_ROWS) {
      const end = Math.min(ids.length, start + INSERT_BATCH_ROWS)
      if (postgres) {
        await client.rawQuery(
          `INSERT INTO ${TABLE} (doc_type, doc_id, bigram) SELECT ?, * FROM unnest(?::integer[], ?::text[])`,
          [docType, pgArray(ids.slice(start, end)), pgArray(grams.slice(start, end))]
        )
      } else {
        const pairs = []
        for (let index = start; index < end; index++) pairs.push([ids[index], grams[index]])
        await client.rawQuery(
          `INSERT INTO ${TABLE} (doc_type, doc_id, bigram) SELECT ?, value ->> 0, value ->> 1 FROM json_each(?)`,
          [docType, JSON.stringify(pairs)]
        )
      }
    }
  }
}
