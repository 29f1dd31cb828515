/*
|--------------------------------------------------------------------------
| Environment variables service
|--------------------------------------------------------------------------
|
| Every variable the app reads is validated here. Values from the process
| environment win over .env files.
|
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  // Node
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  TZ: Env.schema.string.optional(),
  /** Web processes on the port (bin/cluster.ts); default: one per core in production on PostgreSQL, else 1. */
  WEB_CONCURRENCY: Env.schema.number.optional(),

  // App
  APP_KEY: Env.schema.string(),
  APP_URL: Env.schema.string.optional(),
  WARD_NAME: Env.schema.string.optional(),
  DISCLOSURE_OFFICE: Env.schema.string.optional(),
  // Letterhead of reply letters (回答書) when the department has no address or phone of its own
  WARD_ADDRESS: Env.schema.string.optional(),
  WARD_PHONE: Env.schema.string.optional(),
  // Reverse proxies whose X-Forwarded-For is believed (CIDR list; empty = none)
  TRUSTED_PROXIES: Env.schema.string.optional(),

  // Session
  // Server-side stores only ('memory' is for tests); the cookie store is refused (issue 14).
  SESSION_DRIVER: Env.schema.enum.optional(['database', 'memory'] as const),
  SESSION_SECURE_COOKIE: Env.schema.boolean.optional(),

  // Database
  DB_CONNECTION: Env.schema.enum(['sqlite', 'pg'] as const),
  SQLITE_FILE: Env.schema.string.optional(),
  PG_HOST: Env.schema.string.optional(),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: Env.schema.string.optional(),
  // bench:http only: append every query (SQL and bindings) to this file as JSON lines.
  BENCH_QUERY_LOG: Env.schema.string.optional(),

  // Mail
  /*
  |----------------------------------------------------------
  | Redis (optional): with REDIS_HOST, background jobs go to BullMQ on Redis
  | (`node ace queue:listen` runs the workers) and locks may use it; without it,
  | jobs run in the web process after the response and locks use the database.
  |----------------------------------------------------------
  */
  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  LOCK_STORE: Env.schema.enum.optional(['database', 'redis', 'memory'] as const),
  /** CPU priority (nice, 0–19) of a `queue:listen` worker: pages come first on a shared machine. */
  QUEUE_WORKER_NICE: Env.schema.number.optional(),
  /** Other times for scheduled jobs: `name=cron expression`, separated by `;` (see app/jobs/registry.ts). */
  JOB_SCHEDULES: Env.schema.string.optional(),

  /** How long a request waits for a council document (PDF) being made before the page says so. */
  COUNCIL_DOCUMENT_WAIT_MS: Env.schema.number.optional(),

  SMTP_HOST: Env.schema.string(),
  SMTP_PORT: Env.schema.number(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string(),
  MAIL_FROM_NAME: Env.schema.string(),

  // Drive
  DRIVE_DISK: Env.schema.enum(['fs'] as const),
  /** Folder of the private `fs` disk (absolute, or relative to the app; default storage/). Several instances share one (NFS). */
  DRIVE_ROOT: Env.schema.string.optional(),

  // Limiter
  LIMITER_STORE: Env.schema.enum(['database', 'memory'] as const),

  // Field-level encryption of personal data
  FIELD_ENCRYPTION_KEYS: Env.schema.string.optional(),
  BLIND_INDEX_KEY: Env.schema.string.optional(),
  /** Folder of the per-month keys of personal data with a retention period (crypto-shredding). */
  RETENTION_KEYS_DIR: Env.schema.string.optional(),

  // Key of the audit log's HMAC chain and checkpoint signatures (required in production)
  AUDIT_LOG_KEY: Env.schema.string.optional(),
  // Optional: where the nightly audit check keeps its signed checkpoint (outside the database)
  AUDIT_CHECKPOINT_FILE: Env.schema.string.optional(),
})
