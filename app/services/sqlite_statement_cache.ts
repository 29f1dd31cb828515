/** What is used here of a better-sqlite3 connection (the package ships no types). */
interface CompilingConnection {
  prepare(sql: string): unknown
}

/** Statements each SQLite connection keeps compiled, the least recently used dropped first. */
export const STATEMENTS_KEPT = 500

/**
 * knex compiles every query it sends to better-sqlite3 afresh (`connection.prepare(sql)`),
 * although a page sends the same few statements on every request: compiling took about as long
 * as running them. The connection now keeps what it compiled, by SQL text. Reusing a statement is
 * safe here: knex runs each one to completion (`all` or `run`) before the next, and SQLite
 * compiles a kept statement again by itself when the schema changed (a migration).
 */
export function keepCompiledStatements<T extends CompilingConnection>(connection: T): T {
  const compile = connection.prepare.bind(connection)
  const kept = new Map<string, unknown>()
  connection.prepare = (sql: string) => {
    const statement = kept.get(sql)
    if (statement) {
      // Most recently used last: the first key is the one to drop.
      kept.delete(sql)
      kept.set(sql, statement)
      return statement
    }
    const compiled = compile(sql)
    kept.set(sql, compiled)
    if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!)
    return compiled
  }
  return connection
}
