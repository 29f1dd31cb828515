import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { sqlNow } from '#services/column_types'
import type { StatisticsFilters } from '#services/opinions/opinion_statistics'

/** Snapshots are counted again at least this often. */
export const MAX_AGE_DAYS = 30

/**
 * Part of every cache key: a change to what the payload holds (the counted
 * rows until issue 19, the sums per dimension since) leaves the earlier
 * snapshots unread; they go with their year's next change, or after
 * MAX_AGE_DAYS.
 */
const PAYLOAD_FORMAT = 2

/**
 * Counted statistics kept per fiscal year (table
 * opinion_statistics_snapshots), so that the all-years figures add up
 * stored years instead of counting a million rows on every view. The
 * caller stores sums, not rows: a few KB per year, read and parsed on
 * every view (no copy in the process, which could not tell a rolled-back
 * or rebuilt year from the current one; the database can).
 *
 * A snapshot is valid while its fiscal year's version is unchanged; the
 * triggers of migration 6300 bump the version on every insert, update or
 * delete of an opinion or a forwarding in that year. Nothing that depends
 * on today's date is stored (the caller counts the overdue open opinions
 * itself). Snapshots live in the database, so they follow transactions and
 * every app instance shares them.
 */
export default class OpinionStatisticsSnapshots {
  /**
   * What each fiscal year in scope contributes (the filtered one, or every
   * year with opinions), from a current snapshot or counted by `count` and
   * stored. `scope` is what else decides it: the departments the user sees.
   */
  static async rowsPerYear<Rows>(
    filters: StatisticsFilters,
    scope: number[] | null,
    count: (fiscalYear: number) => Promise<Rows>
  ): Promise<Rows[]> {
    const versions = await db
      .from('opinion_statistics_versions')
      .if(filters.fiscalYear, (query) => query.where('fiscal_year', filters.fiscalYear!))
      .select('fiscal_year', 'version')
    const versionOf = new Map(versions.map((row) => [Number(row.fiscal_year), Number(row.version)]))
    const years = filters.fiscalYear ? [filters.fiscalYear] : [...versionOf.keys()].sort()
    const keyOf = new Map(
      years.map((year) => [year, OpinionStatisticsSnapshots.cacheKey(year, filters, scope)])
    )
    const stored = await db
      .from('opinion_statistics_snapshots')
      .whereIn('cache_key', [...keyOf.values()])
      .select('cache_key', 'version', 'payload')
    const storedOf = new Map(stored.map((row) => [row.cache_key as string, row]))

    return Promise.all(
      years.map(async (year) => {
        const version = versionOf.get(year) ?? 0
        const snapshot = storedOf.get(keyOf.get(year)!)
        if (snapshot && Number(snapshot.version) === version)
          return JSON.parse(snapshot.payload) as Rows
        const rows = await count(year)
        await OpinionStatisticsSnapshots.#store(keyOf.get(year)!, year, version, rows)
        return rows
      })
    )
  }

  /**
   * Replaces the key's snapshot and drops the year's outdated ones, and any
   * snapshot older than MAX_AGE_DAYS (filter combinations nobody opens any
   * more do not pile up; a year in use is simply counted again). One commit,
   * which on PostgreSQL does not wait for the disk: a snapshot lost in a
   * crash is only counted again, and the view that stores it waits less.
   */
  static async #store(cacheKey: string, fiscalYear: number, version: number, rows: unknown) {
    await db.transaction(async (trx) => {
      if (trx.dialect.name === 'postgres') await trx.rawQuery('SET LOCAL synchronous_commit = off')
      await trx.rawQuery(
        `INSERT INTO opinion_statistics_snapshots (cache_key, fiscal_year, version, payload, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (cache_key) DO UPDATE SET version = excluded.version, payload = excluded.payload, created_at = excluded.created_at`,
        [cacheKey, fiscalYear, version, JSON.stringify(rows), sqlNow()]
      )
      await trx
        .from('opinion_statistics_snapshots')
        .where((outdated) => {
          outdated
            .where((query) => query.where('fiscal_year', fiscalYear).where('version', '<', version))
            .orWhere('created_at', '<', DateTime.now().minus({ days: MAX_AGE_DAYS }).toSQL()!)
        })
        .delete()
    })
  }

  static cacheKey(fiscalYear: number, filters: StatisticsFilters, scope: number[] | null): string {
    const others: Partial<StatisticsFilters> = { ...filters }
    delete others.fiscalYear
    const sortedFilters = Object.fromEntries(
      Object.entries(others)
        .filter(([, value]) => value !== undefined)
        .sort()
    )
    const departments = scope === null ? null : [...scope].sort((a, b) => a - b)
    return createHash('sha256')
      .update(JSON.stringify([PAYLOAD_FORMAT, fiscalYear, sortedFilters, departments]))
      .digest('hex')
  }
}
