import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import { startServerProcess } from '#tests/helpers'
import {
  FieldEncryption,
  MissingEncryptionKeysError,
  type KeySettings,
} from '#services/field_encryption'

const appKey = 'an-app-key-of-at-least-32-characters!!'
const fieldKey = () => FieldEncryption.generateKey('k1')
const blindKey = () => FieldEncryption.generateBlindIndexKey()
const settings = (overrides: Partial<KeySettings>): KeySettings => ({
  nodeEnv: 'production',
  appKey,
  ...overrides,
})

test.group('Encryption keys: required in production, derived from APP_KEY elsewhere', () => {
  test('production names each missing key; a blank value counts as missing', ({ assert }) => {
    assert.deepEqual(FieldEncryption.missingKeys(settings({})), [
      'FIELD_ENCRYPTION_KEYS',
      'BLIND_INDEX_KEY',
    ])
    assert.deepEqual(
      FieldEncryption.missingKeys(
        settings({ fieldEncryptionKeys: fieldKey(), blindIndexKey: '  ' })
      ),
      ['BLIND_INDEX_KEY']
    )
    assert.deepEqual(FieldEncryption.missingKeys(settings({ blindIndexKey: blindKey() })), [
      'FIELD_ENCRYPTION_KEYS',
    ])
    assert.deepEqual(
      FieldEncryption.missingKeys(
        settings({ fieldEncryptionKeys: fieldKey(), blindIndexKey: blindKey() })
      ),
      []
    )
  })

  test('production refuses to build the service without them, saying how to generate them', ({
    assert,
  }) => {
    let error: unknown
    try {
      FieldEncryption.fromSettings(settings({ fieldEncryptionKeys: fieldKey() }))
    } catch (caught) {
      error = caught
    }
    assert.instanceOf(error, MissingEncryptionKeysError)
    const message = (error as Error).message
    assert.include(message, 'BLIND_INDEX_KEY')
    assert.notInclude(message, 'FIELD_ENCRYPTION_KEYS=<')
    assert.include(message, 'node ace encryption:key --blind-index')
    assert.include(message, 'NODE_ENV=production')
    assert.deepEqual((error as MissingEncryptionKeysError).missing, ['BLIND_INDEX_KEY'])

    const service = FieldEncryption.fromSettings(
      settings({ fieldEncryptionKeys: fieldKey(), blindIndexKey: blindKey() })
    )
    assert.equal(service.currentKeyId, 'k1')
  })

  test('development and tests keep the fallback derived from APP_KEY', ({ assert }) => {
    for (const nodeEnv of ['development', 'test']) {
      assert.deepEqual(FieldEncryption.missingKeys(settings({ nodeEnv })), [])
      const service = FieldEncryption.fromSettings(settings({ nodeEnv }))
      assert.equal(service.currentKeyId, 'app')
      assert.equal(service.decrypt(service.encrypt('新宿 花子')), '新宿 花子')
    }
  })

  test('data stored with the APP_KEY fallback stays readable after moving to real keys', ({
    assert,
  }) => {
    const trial = FieldEncryption.fromSettings(settings({ nodeEnv: 'development' }))
    const stored = trial.encrypt('03-1234-5678')
    const production = FieldEncryption.fromSettings(
      settings({
        fieldEncryptionKeys: `${fieldKey()},${FieldEncryption.appKeyEntry(appKey)}`,
        blindIndexKey: blindKey(),
      })
    )
    assert.equal(production.decrypt(stored), '03-1234-5678')
    assert.isTrue(production.needsRotation(stored))
  })

  test('a BLIND_INDEX_KEY shorter than 32 bytes is refused', ({ assert }) => {
    assert.throws(
      () =>
        FieldEncryption.fromSettings(
          settings({
            fieldEncryptionKeys: fieldKey(),
            blindIndexKey: randomBytes(16).toString('base64'),
          })
        ),
      /BLIND_INDEX_KEY must be at least 32 bytes/
    )
    assert.lengthOf(Buffer.from(FieldEncryption.generateBlindIndexKey(), 'base64'), 32)
  })

  test('the server started in production without the keys exits non-zero with the message', async ({
    assert,
  }) => {
    const { code, output } = await startServerProcess(
      'test-boot-check.sqlite3',
      { NODE_ENV: 'production', FIELD_ENCRYPTION_KEYS: '', BLIND_INDEX_KEY: '' },
      /started HTTP server/
    )
    assert.notEqual(code, 0)
    assert.include(output, 'Missing FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY')
    assert.include(output, 'node ace encryption:key')
    assert.notInclude(output, 'started HTTP server')
  }).timeout(60000)

  test('with both keys the server starts in production', async ({ assert }) => {
    try {
      const { output } = await startServerProcess(
        'test-boot-check.sqlite3',
        {
          NODE_ENV: 'production',
          FIELD_ENCRYPTION_KEYS: fieldKey(),
          BLIND_INDEX_KEY: blindKey(),
          AUDIT_LOG_KEY: blindKey(),
        },
        /started HTTP server|Error/
      )
      assert.include(output, 'started HTTP server')
    } finally {
      rmSync(app.tmpPath('test-boot-check.sqlite3'), { force: true })
    }
  }).timeout(60000)
})
