import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import env from '#start/env'

const KEY_BYTES = 32

export interface AuditKeySettings {
  nodeEnv: string
  appKey: string
  auditLogKey?: string
}

/**
 * Production refuses to start (and `node ace audit:verify` refuses to run)
 * without AUDIT_LOG_KEY: a chain keyed from a value stored next to the data
 * would not stop anyone from rewriting it.
 */
export class MissingAuditKeyError extends Error {
  // Same code as MissingEncryptionKeysError: bin/server.ts prints the message alone.
  readonly code = 'E_MISSING_ENCRYPTION_KEYS'

  constructor() {
    super(
      [
        '本番環境（NODE_ENV=production）では AUDIT_LOG_KEY の設定が必要です。',
        'Missing AUDIT_LOG_KEY: with NODE_ENV=production the audit log is not keyed from APP_KEY.',
        'Generate a key and set it in the environment or in .env (never in the database):',
        '  AUDIT_LOG_KEY=<output of: openssl rand -base64 32>',
        'Keep it secret and backed up: without it `node ace audit:verify` cannot check the log.',
        'Existing entries written with another key will be reported as changed.',
      ].join('\n')
    )
    this.name = 'MissingAuditKeyError'
  }
}

/**
 * The secret that keys the audit log's hash chain (HMAC-SHA-256) and signs its
 * checkpoints. It lives outside the database (AUDIT_LOG_KEY), so somebody who
 * can write to the database can neither recompute the chain after editing an
 * entry nor forge a checkpoint. Development and tests derive it from APP_KEY.
 */
export class AuditKey {
  #chainKey: Buffer
  #checkpointKey: Buffer

  constructor(secret: Buffer) {
    if (secret.length < KEY_BYTES) {
      throw new Error(
        `AUDIT_LOG_KEY must be at least ${KEY_BYTES} bytes, base64 encoded (openssl rand -base64 32)`
      )
    }
    // Separate subkeys: an entry MAC can never be replayed as a checkpoint signature.
    this.#chainKey = Buffer.from(hkdfSync('sha256', secret, 'daicho-audit', 'chain', KEY_BYTES))
    this.#checkpointKey = Buffer.from(
      hkdfSync('sha256', secret, 'daicho-audit', 'checkpoint', KEY_BYTES)
    )
  }

  /** Variables required but not set (only production requires them). */
  static missingKeys(settings: AuditKeySettings): string[] {
    if (settings.nodeEnv !== 'production') return []
    return settings.auditLogKey?.trim() ? [] : ['AUDIT_LOG_KEY']
  }

  static fromSettings(settings: AuditKeySettings): AuditKey {
    if (AuditKey.missingKeys(settings).length > 0) throw new MissingAuditKeyError()
    const configured = settings.auditLogKey?.trim()
    if (configured) return new AuditKey(Buffer.from(configured, 'base64'))
    return new AuditKey(
      Buffer.from(hkdfSync('sha256', settings.appKey, 'daicho', 'audit-log', KEY_BYTES))
    )
  }

  static #current: { source: string; key: AuditKey } | null = null

  /** The key from the environment (cached per configured value). */
  static fromEnvironment(): AuditKey {
    const settings = {
      nodeEnv: env.get('NODE_ENV'),
      appKey: env.get('APP_KEY'),
      auditLogKey: env.get('AUDIT_LOG_KEY'),
    }
    const source = `${settings.nodeEnv}\n${settings.appKey}\n${settings.auditLogKey ?? ''}`
    if (AuditKey.#current?.source !== source) {
      AuditKey.#current = { source, key: AuditKey.fromSettings(settings) }
    }
    return AuditKey.#current.key
  }

  /** MAC of one chain link (hex, 64 characters like the SHA-256 it replaces). */
  chainMac(message: string): string {
    return createHmac('sha256', this.#chainKey).update(message).digest('hex')
  }

  /** Signature of a checkpoint's canonical text (hex). */
  sign(message: string): string {
    return createHmac('sha256', this.#checkpointKey).update(message).digest('hex')
  }

  verifySignature(message: string, signature: string | null | undefined): boolean {
    if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false
    return timingSafeEqual(Buffer.from(this.sign(message), 'hex'), Buffer.from(signature, 'hex'))
  }
}
