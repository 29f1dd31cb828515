import env from '#start/env'
import { defineConfig } from '@rlanz/bull-queue'

/**
 * BullMQ on Redis, used when REDIS_HOST is set (`node ace queue:listen` runs the workers, on
 * as many machines as wanted). Without it, JobQueue runs the same job classes in the web
 * process after the response (app/services/jobs/job_queue.ts).
 */
export default defineConfig({
  defaultConnection: {
    host: env.get('REDIS_HOST', '127.0.0.1'),
    port: env.get('REDIS_PORT', 6379),
    password: env.get('REDIS_PASSWORD'),
  },
  // `node ace queue:listen` works both queues (a machine can take one: --queue=tasks).
  queueNames: ['default', 'tasks'],
  queue: {},
  worker: {},
  jobs: {
    // Retried with backoff; a job still failing is kept for the administrators (failed jobs page).
    attempts: 5,
    // 2 s, 4 s, 8 s, 16 s between the attempts (milliseconds in tests, so that a run never waits).
    backoff: { type: 'exponential', delay: env.get('NODE_ENV') === 'test' ? 5 : 2000 },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  },
})
