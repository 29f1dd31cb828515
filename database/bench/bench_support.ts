import type { BaseCommand } from '@adonisjs/core/ace'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** Deterministic generator (mulberry32): the same data on every run and on both databases. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Nearest-rank percentile of timings sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/**
 * The configured database (PG_DB_NAME or SQLITE_FILE) when its name contains
 * "bench"; otherwise the command logs the refusal, exits with 1 and gets
 * null. Read from the environment, so no connection is opened yet
 * (bench:opinions creates its PostgreSQL database first).
 */
export async function benchDatabase(
  command: BaseCommand,
  hint = 'use a database whose name contains "bench"'
): Promise<{ name: string; postgres: boolean } | null> {
  const { default: env } = await import('#start/env')
  const postgres = env.get('DB_CONNECTION') === 'pg'
  const name = (postgres ? env.get('PG_DB_NAME') : env.get('SQLITE_FILE')) ?? ''
  if (name.includes('bench')) return { name, postgres }
  command.logger.error(`refusing to benchmark against "${name}": ${hint}`)
  command.exitCode = 1
  return null
}

/**
 * Runs `work` on a temporary Lucid connection to PostgreSQL's maintenance
 * database "postgres", for CREATE / DROP DATABASE (which no connection to the
 * database itself can do). Closed afterwards.
 */
export async function onMaintenanceDatabase<T>(
  work: (client: QueryClientContract) => Promise<T>
): Promise<T> {
  const { default: env } = await import('#start/env')
  const { default: db } = await import('@adonisjs/lucid/services/db')
  db.manager.add('bench_maintenance', {
    client: 'pg',
    connection: {
      host: env.get('PG_HOST', '127.0.0.1'),
      port: env.get('PG_PORT', 5432),
      user: env.get('PG_USER', 'postgres'),
      password: env.get('PG_PASSWORD'),
      database: 'postgres',
    },
  })
  try {
    return await work(db.connection('bench_maintenance'))
  } finally {
    await db.manager.close('bench_maintenance')
  }
}

/** Whether the PostgreSQL database exists (asked through the maintenance database). */
export async function pgDatabaseExists(client: QueryClientContract, name: string) {
  const found = await client.rawQuery('SELECT 1 FROM pg_database WHERE datname = ?', [name])
  return found.rows.length > 0
}

/** A database name as an SQL identifier. */
export function quotedName(name: string) {
  return `"${name.replace(/"/g, '')}"`
}
