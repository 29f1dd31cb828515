import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomUUID,
} from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { isAbsolute, join } from 'node:path'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

const PREFIX = 'enc1'
const IV_BYTES = 12
const KEY_BYTES = 32
/** Key ids of the per-month retention keys: `ret-2025-11`. */
const RETENTION_ID = 'ret-'
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const KEY_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))\.key$/

/** A value of a month whose retention key was destroyed: it can never be read again. */
export class ShreddedKeyError extends Error {
  readonly code = 'E_SHREDDED_KEY'

  constructor(readonly month: string) {
    super(`The retention key of ${month} was destroyed: the value is deleted`)
    this.name = 'ShreddedKeyError'
  }
}

/**
 * Crypto-shredding: one random key per collection month ('YYYY-MM') for the
 * personal data that has a retention period (call-center opinions), kept as
 * files `<dir>/YYYY-MM.key` outside the database and its backups. Destroying
 * a month's file makes every copy of that month's ciphertexts and blind
 * indexes (database pages, WAL, PostgreSQL dead rows, backups) unreadable.
 *
 * Files are read again whenever they change or disappear, so a key destroyed
 * by another process (the nightly purge) is not used from a stale cache.
 */
export class RetentionKeyStore {
  #cache = new Map<string, { key: Buffer; stamp: string }>()

  constructor(readonly dir: string) {}

  static isMonth(month: string): boolean {
    return MONTH.test(month)
  }

  /** Path of a month's key file. */
  fileOf(month: string): string {
    if (!RetentionKeyStore.isMonth(month)) throw new Error(`Invalid retention month "${month}"`)
    return join(this.dir, `${month}.key`)
  }

  /** The month's key, or null when it does not exist (destroyed, or never needed). */
  read(month: string): Buffer | null {
    const file = this.fileOf(month)
    let stamp: string
    try {
      const stat = statSync(file)
      stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.#cache.delete(month)
      return null
    }
    const cached = this.#cache.get(month)
    if (cached?.stamp === stamp) return cached.key
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    if (key.length !== KEY_BYTES)
      throw new Error(`Retention key file ${file} must hold 32 bytes, base64 encoded`)
    this.#cache.set(month, { key, stamp })
    return key
  }

  /** The month's key, created (atomically, mode 0600) when it does not exist yet. */
  obtain(month: string): Buffer {
    const existing = this.read(month)
    if (existing) return existing
    const file = this.fileOf(month)
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const temp = join(this.dir, `.${month}.${randomUUID()}.tmp`)
    writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    })
    try {
      // link() never replaces: when two processes race, both use the first file.
      linkSync(temp, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      unlinkSync(temp)
    }
    return this.read(month)!
  }

  /** The months that still have a key, oldest first. */
  months(): string[] {
    try {
      return readdirSync(this.dir)
        .map((name) => KEY_FILE.exec(name)?.[1])
        .filter((month): month is string => Boolean(month))
        .sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  /** Overwrites the month's key file with random bytes and deletes it; false when there was none. */
  destroy(month: string): boolean {
    const file = this.fileOf(month)
    let fd: number
    try {
      fd = openSync(file, 'r+')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw error
    }
    try {
      writeSync(fd, randomBytes(Math.max(statSync(file).size, 64)), 0, undefined, 0)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    unlinkSync(file)
    this.#cache.delete(month)
    return true
  }
}

export interface FieldKey {
  id: string
  key: Buffer
}

/**
 * Field-level encryption of personal data with AES-256-GCM.
 *
 * A value is stored as `enc1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url), so
 * several keys can be active at once: new values use the first (current) key,
 * older values stay readable with the others until `node ace
 * encryption:rotate` re-encrypts them. Exact-match lookups (citizen email)
 * use a keyed HMAC "blind index" instead of the ciphertext.
 */
export class FieldEncryption {
  #keys: Map<string, Buffer>
  #current: FieldKey
  #blindIndexKey: Buffer
  #retention: RetentionKeyStore | null

  constructor(keys: FieldKey[], blindIndexKey: Buffer, retention: RetentionKeyStore | null = null) {
    if (keys.length === 0) throw new Error('At least one field encryption key is required')
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`Field encryption key "${id}" must be 32 bytes`)
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Invalid field encryption key id "${id}"`)
    }
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]))
    this.#current = keys[0]
    this.#blindIndexKey = blindIndexKey
    this.#retention = retention
  }

  /** The per-month keys of data with a retention period (crypto-shredding). */
  get retentionKeys(): RetentionKeyStore {
    this.#retention ??= new RetentionKeyStore(FieldEncryption.retentionKeysDir())
    return this.#retention
  }

  /** Id of the key that encrypts new values. */
  get currentKeyId(): string {
    return this.#current.id
  }

  /** Encrypts a value with the current key. */
  encrypt(plain: string): string {
    return FieldEncryption.#seal(this.#current.id, this.#current.key, plain)
  }

  /**
   * Encrypts a value that has a retention period with the key of its
   * collection month ('YYYY-MM'), creating the key on first use. Stored as
   * `enc1:ret-YYYY-MM:...`; once the purge destroys that month's key, no copy
   * of the value can be decrypted.
   */
  encryptForMonth(plain: string, month: string): string {
    return FieldEncryption.#seal(
      `${RETENTION_ID}${month}`,
      FieldEncryption.#retentionFieldKey(this.retentionKeys.obtain(month)),
      plain
    )
  }

  /** The collection month of a value encrypted with a retention key, else null. */
  static retentionMonthOf(stored: string): string | null {
    const keyId = stored.split(':')[1] ?? ''
    return keyId.startsWith(RETENTION_ID) ? keyId.slice(RETENTION_ID.length) : null
  }

  static #seal(keyId: string, key: Buffer, plain: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    const tag = cipher.getAuthTag()
    return [PREFIX, keyId, iv, tag, ciphertext]
      .map((part) => (Buffer.isBuffer(part) ? part.toString('base64url') : part))
      .join(':')
  }

  static #retentionFieldKey(monthKey: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', monthKey, 'daicho', 'retention-field', KEY_BYTES))
  }

  static #retentionBlindKey(monthKey: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', monthKey, 'daicho', 'retention-blind-index', KEY_BYTES))
  }

  /** Decrypts a stored value; throws when it was tampered with or the key is unknown. */
  decrypt(stored: string): string {
    const parts = stored.split(':')
    if (parts.length !== 5 || parts[0] !== PREFIX) {
      throw new Error('Value is not an encrypted field')
    }
    const [, keyId, iv, tag, ciphertext] = parts
    let key = this.#keys.get(keyId)
    const month = FieldEncryption.retentionMonthOf(stored)
    if (month !== null) {
      const monthKey = RetentionKeyStore.isMonth(month) ? this.retentionKeys.read(month) : null
      if (!monthKey) throw new ShreddedKeyError(month)
      key = FieldEncryption.#retentionFieldKey(monthKey)
    }
    if (!key) throw new Error(`Unknown field encryption key "${keyId}"`)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  }

  /** Decrypts a stored value; null when its retention key was destroyed (the value is deleted). */
  decryptOrNull(stored: string): string | null {
    try {
      return this.decrypt(stored)
    } catch (error) {
      if (error instanceof ShreddedKeyError) return null
      throw error
    }
  }

  /**
   * True when a stored value was encrypted with an older key. Values under a
   * retention key stay with their month's key (moving them to the current
   * key would survive the month's shredding).
   */
  needsRotation(stored: string): boolean {
    if (FieldEncryption.retentionMonthOf(stored) !== null) return false
    return stored.split(':')[1] !== this.#current.id
  }

  /**
   * Keyed, deterministic index of a value for exact-match lookups. With a
   * month, the index is keyed by that month's retention key (created if
   * needed), so it is shredded with the month's values.
   */
  blindIndex(value: string, month: string | null = null): string {
    const key =
      month === null
        ? this.#blindIndexKey
        : FieldEncryption.#retentionBlindKey(this.retentionKeys.obtain(month))
    return createHmac('sha256', key).update(value).digest('hex')
  }

  /** Blind index of an email address (case and surrounding spaces ignored). */
  emailIndex(email: string, month: string | null = null): string {
    return this.blindIndex(FieldEncryption.#fold('email', email), month)
  }

  /** Blind index of a phone number (only its digits count). */
  phoneIndex(phone: string, month: string | null = null): string {
    return this.blindIndex(FieldEncryption.#fold('phone', phone), month)
  }

  /** Blind index of a person's name (width, spaces and katakana/hiragana ignored: 山田\u3000太郎 = 山田太郎). */
  nameIndex(name: string, month: string | null = null): string {
    return this.blindIndex(FieldEncryption.#fold('name', name), month)
  }

  /**
   * Every index a searched value may be stored under: the general one and one
   * per retention month whose key still exists (never creates a key).
   */
  indexesOf(kind: 'email' | 'phone' | 'name', value: string): string[] {
    const folded = FieldEncryption.#fold(kind, value)
    const indexes = [this.blindIndex(folded)]
    for (const month of this.retentionKeys.months()) {
      const monthKey = this.retentionKeys.read(month)
      if (monthKey)
        indexes.push(
          createHmac('sha256', FieldEncryption.#retentionBlindKey(monthKey))
            .update(folded)
            .digest('hex')
        )
    }
    return indexes
  }

  static #fold(kind: 'email' | 'phone' | 'name', value: string): string {
    if (kind === 'email') return value.trim().toLowerCase()
    if (kind === 'phone') return value.normalize('NFKC').replace(/\D/g, '')
    return value
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .replace(/[\u30A1-\u30F6]/g, (kana) => String.fromCharCode(kana.charCodeAt(0) - 0x60))
  }

  /** A new random key in the FIELD_ENCRYPTION_KEYS format. */
  static generateKey(id: string): string {
    return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`
  }

  /**
   * Parses FIELD_ENCRYPTION_KEYS ("id:base64key,id:base64key", newest first).
   */
  static parseKeys(value: string): FieldKey[] {
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const separator = entry.indexOf(':')
        if (separator < 1)
          throw new Error('FIELD_ENCRYPTION_KEYS entries must look like id:base64key')
        return {
          id: entry.slice(0, separator),
          key: Buffer.from(entry.slice(separator + 1), 'base64'),
        }
      })
  }

  /** A new random BLIND_INDEX_KEY (32 bytes, base64). */
  static generateBlindIndexKey(): string {
    return randomBytes(KEY_BYTES).toString('base64')
  }

  /** A key derived from APP_KEY: the development / test fallback, never used in production. */
  static deriveFromAppKey(appKey: string, purpose: 'field-encryption' | 'blind-index'): Buffer {
    return Buffer.from(hkdfSync('sha256', appKey, 'daicho', purpose, KEY_BYTES))
  }

  /**
   * The FIELD_ENCRYPTION_KEYS entry of the key derived from APP_KEY (id "app"),
   * for moving data encrypted without configured keys onto real ones.
   */
  static appKeyEntry(appKey: string): string {
    return `app:${FieldEncryption.deriveFromAppKey(appKey, 'field-encryption').toString('base64')}`
  }

  /**
   * The key variables that are required but not set. Only production requires
   * them; development and tests fall back to keys derived from APP_KEY.
   */
  static missingKeys(settings: KeySettings): string[] {
    if (settings.nodeEnv !== 'production') return []
    const variables: Array<[string, string | undefined]> = [
      ['FIELD_ENCRYPTION_KEYS', settings.fieldEncryptionKeys],
      ['BLIND_INDEX_KEY', settings.blindIndexKey],
    ]
    return variables.filter(([, value]) => !value?.trim()).map(([name]) => name)
  }

  /**
   * Builds the service from key settings. Throws MissingEncryptionKeysError in
   * production when a key is not set, and a plain Error for a malformed key.
   */
  static fromSettings(settings: KeySettings): FieldEncryption {
    const missing = FieldEncryption.missingKeys(settings)
    if (missing.length > 0) throw new MissingEncryptionKeysError(missing)
    const configured = settings.fieldEncryptionKeys?.trim()
    const keys = configured
      ? FieldEncryption.parseKeys(configured)
      : [{ id: 'app', key: FieldEncryption.deriveFromAppKey(settings.appKey, 'field-encryption') }]
    const blindIndexKey = settings.blindIndexKey?.trim()
    let blindKey = FieldEncryption.deriveFromAppKey(settings.appKey, 'blind-index')
    if (blindIndexKey) {
      blindKey = Buffer.from(blindIndexKey, 'base64')
      if (blindKey.length < KEY_BYTES) {
        throw new Error(
          `BLIND_INDEX_KEY must be at least ${KEY_BYTES} bytes, base64 encoded (node ace encryption:key --blind-index)`
        )
      }
    }
    return new FieldEncryption(
      keys,
      blindKey,
      settings.retentionKeysDir ? new RetentionKeyStore(settings.retentionKeysDir) : null
    )
  }

  /** Builds the service from the environment (see fromSettings). */
  static fromEnvironment(): FieldEncryption {
    return FieldEncryption.fromSettings({
      nodeEnv: env.get('NODE_ENV'),
      appKey: env.get('APP_KEY'),
      fieldEncryptionKeys: env.get('FIELD_ENCRYPTION_KEYS'),
      blindIndexKey: env.get('BLIND_INDEX_KEY'),
      retentionKeysDir: FieldEncryption.retentionKeysDir(),
    })
  }

  /**
   * RETENTION_KEYS_DIR (relative to the app root, or absolute), created with
   * mode 0700 when missing. Without it: tmp/retention-keys, and in tests one
   * folder per test database (parallel runs never shred each other's keys).
   * In production set it to a local folder that database backups do not
   * include (README, "Retention keys").
   */
  static retentionKeysDir(): string {
    const configured = env.get('RETENTION_KEYS_DIR')?.trim()
    if (configured) return isAbsolute(configured) ? configured : app.makePath(configured)
    if (env.get('NODE_ENV') !== 'test') return app.tmpPath('retention-keys')
    const database =
      env.get('DB_CONNECTION') === 'pg'
        ? `pg-${env.get('PG_DB_NAME', 'daicho')}`
        : env.get('SQLITE_FILE', 'daicho.sqlite3')
    return app.tmpPath('retention-keys-test', database.replace(/[^A-Za-z0-9_.-]/g, '_'))
  }
}

/** Where the keys come from: the environment, or a test's own values. */
export interface KeySettings {
  nodeEnv: string
  appKey: string
  fieldEncryptionKeys?: string
  blindIndexKey?: string
  /** Folder of the per-month retention keys; without it, FieldEncryption.retentionKeysDir(). */
  retentionKeysDir?: string
}

/**
 * Production without its own keys: the server refuses to start (bin/server.ts)
 * and nothing is encrypted with keys derived from APP_KEY.
 */
export class MissingEncryptionKeysError extends Error {
  readonly code = 'E_MISSING_ENCRYPTION_KEYS'

  constructor(readonly missing: string[]) {
    super(
      [
        `本番環境（NODE_ENV=production）では ${missing.join(' と ')} の設定が必要です。`,
        `Missing ${missing.join(', ')}: with NODE_ENV=production the app does not derive encryption keys from APP_KEY.`,
        'Generate the keys and set them in the environment or in .env:',
        ...(missing.includes('FIELD_ENCRYPTION_KEYS')
          ? ['  FIELD_ENCRYPTION_KEYS=<output of: node ace encryption:key>']
          : []),
        ...(missing.includes('BLIND_INDEX_KEY')
          ? ['  BLIND_INDEX_KEY=<output of: node ace encryption:key --blind-index>']
          : []),
        'Keep them secret and backed up: personal data encrypted with a lost key cannot be read.',
        'Data already stored with the keys derived from APP_KEY: append the output of',
        '`node ace encryption:key --from-app-key` to FIELD_ENCRYPTION_KEYS and run `node ace encryption:rotate`',
        'before starting the server (README, "Keys and rotation").',
      ].join('\n')
    )
    this.name = 'MissingEncryptionKeysError'
  }
}

let instance: FieldEncryption | null = null

/**
 * The app-wide instance, created on first use.
 */
const fieldEncryption = {
  get service(): FieldEncryption {
    instance ??= FieldEncryption.fromEnvironment()
    return instance
  },
  encrypt: (plain: string) => fieldEncryption.service.encrypt(plain),
  decrypt: (stored: string) => fieldEncryption.service.decrypt(stored),
  /** Decrypts; null for a value whose retention key was destroyed. */
  decryptOrNull: (stored: string) => fieldEncryption.service.decryptOrNull(stored),
  /** Encrypts with the key of a collection month ('YYYY-MM'): see FieldEncryption.encryptForMonth. */
  encryptForMonth: (plain: string, month: string) =>
    fieldEncryption.service.encryptForMonth(plain, month),
  emailIndex: (email: string, month: string | null = null) =>
    fieldEncryption.service.emailIndex(email, month),
  phoneIndex: (phone: string, month: string | null = null) =>
    fieldEncryption.service.phoneIndex(phone, month),
  nameIndex: (name: string, month: string | null = null) =>
    fieldEncryption.service.nameIndex(name, month),
  /** Every index a searched value may be stored under (general and per retention month). */
  indexesOf: (kind: 'email' | 'phone' | 'name', value: string) =>
    fieldEncryption.service.indexesOf(kind, value),
  /** Replaces the instance (tests, key rotation). */
  use(service: FieldEncryption | null) {
    instance = service
  },
}

export default fieldEncryption

/**
 * Every encrypted column in the database, with the blind indexes derived from
 * them; `encryption:rotate` walks this list. Later features add their tables.
 */
export const ENCRYPTED_FIELDS: Array<{
  table: string
  columns: string[]
  blindIndexes: Record<string, { source: string; kind: 'email' | 'phone' | 'name' }>
  /**
   * Rows whose values have a retention period: SQL condition and the column
   * holding their collection month. Their values use that month's key (see
   * RetentionKeyStore) and are never moved to the general key.
   */
  retention?: { flag: string; monthColumn: string }
}> = [
  {
    table: 'citizens',
    columns: ['email', 'full_name', 'phone'],
    blindIndexes: { email_index: { source: 'email', kind: 'email' } },
  },
  {
    table: 'opinions',
    columns: [
      'submitter_name',
      'submitter_phone',
      'submitter_email',
      'submitter_postal_code',
      'submitter_address',
      'submitter_fax',
    ],
    blindIndexes: {
      name_index: { source: 'submitter_name', kind: 'name' },
      phone_index: { source: 'submitter_phone', kind: 'phone' },
      email_index: { source: 'submitter_email', kind: 'email' },
    },
    retention: { flag: 'collected_by_call_center', monthColumn: 'received_month' },
  },
  // Sealed with the opinion's key (its retention key for call-center data, which they keep).
  { table: 'opinion_events', columns: ['personal_changes'], blindIndexes: {} },
  { table: 'opinion_attachments', columns: ['original_name', 'file_key'], blindIndexes: {} },
  // Payloads of background work: a failed mail, an import's report and its staged records.
  { table: 'failed_jobs', columns: ['payload_encrypted'], blindIndexes: {} },
  { table: 'background_tasks', columns: ['result_encrypted'], blindIndexes: {} },
  { table: 'legacy_import_rows', columns: ['payload_encrypted'], blindIndexes: {} },
]
