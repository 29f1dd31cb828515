import { availableParallelism } from 'node:os'
import { test } from '@japa/runner'
import { concurrencyProblem, webConcurrency } from '../../../bin/cluster.js'

/** The environment as start/env.ts gives it, from plain values. */
const environment = (values: Record<string, string | number>) => ({
  get: (key: string) => values[key],
})

test.group('WEB_CONCURRENCY (bin/cluster.ts)', () => {
  test('one process per core in production on PostgreSQL, one otherwise', ({ assert }) => {
    assert.equal(
      webConcurrency(environment({ NODE_ENV: 'production', DB_CONNECTION: 'pg' })),
      availableParallelism()
    )
    assert.equal(
      webConcurrency(environment({ NODE_ENV: 'production', DB_CONNECTION: 'sqlite' })),
      1
    )
    assert.equal(webConcurrency(environment({ NODE_ENV: 'development', DB_CONNECTION: 'pg' })), 1)
    assert.equal(
      webConcurrency(environment({ NODE_ENV: 'development', WEB_CONCURRENCY: 3 })),
      3,
      'WEB_CONCURRENCY wins'
    )
    assert.equal(webConcurrency(environment({ NODE_ENV: 'production', WEB_CONCURRENCY: 0 })), 1)
  })

  test('several processes are refused with a store of one process, or SQLite in production', ({
    assert,
  }) => {
    const shared = { SESSION_DRIVER: 'database', LIMITER_STORE: 'database' }
    assert.isNull(concurrencyProblem(environment({ ...shared, DB_CONNECTION: 'pg' }), 2))
    assert.include(
      concurrencyProblem(environment({ ...shared, LIMITER_STORE: 'memory' }), 2),
      'LIMITER_STORE=memory'
    )
    assert.include(
      concurrencyProblem(
        environment({ ...shared, SESSION_DRIVER: 'memory', LOCK_STORE: 'memory' }),
        2
      ),
      'SESSION_DRIVER=memory, LOCK_STORE=memory'
    )
    const sqlite = { ...shared, DB_CONNECTION: 'sqlite' }
    assert.include(
      concurrencyProblem(environment({ ...sqlite, NODE_ENV: 'production' }), 2),
      'SQLite serves from one process'
    )
    assert.isNull(concurrencyProblem(environment({ ...sqlite, NODE_ENV: 'production' }), 1))
    assert.isNull(concurrencyProblem(environment({ ...sqlite, NODE_ENV: 'test' }), 2))
  })
})
