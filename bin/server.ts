/*
|--------------------------------------------------------------------------
| HTTP server entrypoint
|--------------------------------------------------------------------------
*/
import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

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
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    if (error?.code === 'E_MISSING_ENCRYPTION_KEYS') {
      console.error(error.message)
      return
    }
    prettyPrintError(error)
  })
