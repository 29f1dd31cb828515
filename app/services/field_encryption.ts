import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import env from '#start/env'

const PREFIX = 'enc1'
const IV_BYTES = 12
const KEY_BYTES = 32

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

  constructor(keys: FieldKey[], blindIndexKey: Buffer) {
    if (keys.length === 0) throw new Error('At least one field encryption key is required')
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`Field encryption key "${id}" must be 32 bytes`)
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Invalid field encryption key id "${id}"`)
    }
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]))
    this.#current = keys[0]
    this.#blindIndexKey = blindIndexKey
  }

  /** Id of the key that encrypts new values. */
  get currentKeyId(): string {
    return this.#current.id
  }

  /** Encrypts a value with the current key. */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv)
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    const tag = cipher.getAuthTag()
    return [PREFIX, this.#current.id, iv, tag, ciphertext]
      .map((part) => (Buffer.isBuffer(part) ? part.toString('base64url') : part))
      .join(':')
  }

  /** Decrypts a stored value; throws when it was tampered with or the key is unknown. */
  decrypt(stored: string): string {
    const parts = stored.split(':')
    if (parts.length !== 5 || parts[0] !== PREFIX) {
      throw new Error('Value is not an encrypted field')
    }
    const [, keyId, iv, tag, ciphertext] = parts
    const key = this.#keys.get(keyId)
    if (!key) throw new Error(`Unknown field encryption key "${keyId}"`)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  }

  /** True when a stored value was encrypted with an older key. */
  needsRotation(stored: string): boolean {
    return stored.split(':')[1] !== this.#current.id
  }

  /** Keyed, deterministic index of a value for exact-match lookups. */
  blindIndex(value: string): string {
    return createHmac('sha256', this.#blindIndexKey).update(value).digest('hex')
  }

  /** Blind index of an email address (case and surrounding spaces ignored). */
  emailIndex(email: string): string {
    return this.blindIndex(email.trim().toLowerCase())
  }

  /** Blind index of a phone number (only its digits count). */
  phoneIndex(phone: string): string {
    return this.blindIndex(phone.normalize('NFKC').replace(/\D/g, ''))
  }

  /** Blind index of a person's name (width, spaces and katakana/hiragana ignored: 山田　太郎 = 山田太郎). */
  nameIndex(name: string): string {
    const folded = name
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .replace(/[\u30A1-\u30F6]/g, (kana) => String.fromCharCode(kana.charCodeAt(0) - 0x60))
    return this.blindIndex(folded)
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
        if (separator < 1) throw new Error('FIELD_ENCRYPTION_KEYS entries must look like id:base64key')
        return { id: entry.slice(0, separator), key: Buffer.from(entry.slice(separator + 1), 'base64') }
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
        throw new Error(`BLIND_INDEX_KEY must be at least ${KEY_BYTES} bytes, base64 encoded (node ace encryption:key --blind-index)`)
      }
    }
    return new FieldEncryption(keys, blindKey)
  }

  /** Builds the service from the environment (see fromSettings). */
  static fromEnvironment(): FieldEncryption {
    return FieldEncryption.fromSettings({
      nodeEnv: env.get('NODE_ENV'),
      appKey: env.get('APP_KEY'),
      fieldEncryptionKeys: env.get('FIELD_ENCRYPTION_KEYS'),
      blindIndexKey: env.get('BLIND_INDEX_KEY'),
    })
  }
}

/** Where the keys come from: the environment, or a test's own values. */
export interface KeySettings {
  nodeEnv: string
  appKey: string
  fieldEncryptionKeys?: string
  blindIndexKey?: string
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
        ...(missing.includes('FIELD_ENCRYPTION_KEYS') ? ['  FIELD_ENCRYPTION_KEYS=<output of: node ace encryption:key>'] : []),
        ...(missing.includes('BLIND_INDEX_KEY') ? ['  BLIND_INDEX_KEY=<output of: node ace encryption:key --blind-index>'] : []),
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
  emailIndex: (email: string) => fieldEncryption.service.emailIndex(email),
  phoneIndex: (phone: string) => fieldEncryption.service.phoneIndex(phone),
  nameIndex: (name: string) => fieldEncryption.service.nameIndex(name),
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
  },
]
