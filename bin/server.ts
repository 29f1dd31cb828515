/*
|--------------------------------------------------------------------------
| HTTP server entrypoint
|--------------------------------------------------------------------------
|
| With WEB_CONCURRENCY above 1 (in production on PostgreSQL: one per core by
| default) this process starts that many copies of itself as workers on the
| same port and serves nothing itself (bin/cluster.ts).
|
*/
import 'reflect-metadata'
import cluster from 'node:cluster'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { concurrencyProblem, createWebServer, runPrimary, webConcurrency } from './cluster.js'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

if (cluster.isPrimary) {
  const { default: env } = await import('#start/env')
  const workers = webConcurrency(env)
  const problem = concurrencyProblem(env, workers)
  if (problem) {
    console.error(`WEB_CONCURRENCY=${workers} refused: ${problem}.`)
    process.exit(1)
  }
  if (workers > 1) runPrimary(workers)
  else serve()
} else {
  serve()
}

function serve() {
  new Ignitor(APP_ROOT, { importer: IMPORTER })
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
        // Fail fast: production refuses to start without its own field-encryption
        // keys (MissingEncryptionKeysError), or with a malformed one.
        const { FieldEncryption } = await import('#services/field_encryption')
        FieldEncryption.fromEnvironment()
        // Same for the audit log's HMAC key (MissingAuditKeyError, same error code).
        const { AuditKey } = await import('#services/audit_key')
        AuditKey.fromEnvironment()
      })
      const stop = async () => {
        await app.terminate()
        // A worker's channel to the primary would keep it running.
        if (cluster.isWorker) cluster.worker!.disconnect()
      }
      app.listen('SIGTERM', stop)
      // A worker stops on SIGINT too: the primary passes it on (Ctrl-C reaches them all).
      app.listenIf(app.managedByPm2 || cluster.isWorker, 'SIGINT', stop)
    })
    .httpServer()
    .start(createWebServer)
    .catch((error) => {
      process.exitCode = 1
      if (error?.code === 'E_MISSING_ENCRYPTION_KEYS') {
        console.error(error.message)
        return
      }
      prettyPrintError(error)
    })
}
