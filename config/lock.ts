import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/lock'

/**
 * Locks across app instances (scheduled jobs run once): the database store on SQLite and
 * PostgreSQL (table `locks`), the Redis store when configured.
 */
const lockConfig = defineConfig({
  default: env.get('LOCK_STORE', env.get('REDIS_HOST') ? 'redis' : 'database'),
  stores: {
    database: stores.database({ tableName: 'locks' }),
    redis: stores.redis({}),
    memory: stores.memory(),
  },
})

export default lockConfig

declare module '@adonisjs/lock/types' {
  export interface LockStoresList extends InferLockStores<typeof lockConfig> {}
}
