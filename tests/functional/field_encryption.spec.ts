import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import FieldKeyRotation from '#services/field_key_rotation'
import Citizen from '#models/citizen'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { freshIp, lastAudit } from '#tests/helpers'
import { DateTime } from 'luxon'
import mail from '@adonisjs/mail/services/main'
import CitizenVerificationMail, {
  CitizenAlreadyRegisteredMail,
} from '#mails/citizen/citizen_verification_mail'

const key = (id: string) => ({ id, key: randomBytes(32) })

test.group('Field encryption', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => fieldEncryption.use(null))

  test('round-trips Japanese text and never repeats a ciphertext', ({ assert }) => {
    const service = new FieldEncryption([key('k1')], randomBytes(32))
    const first = service.encrypt('新宿 花子')
    assert.match(first, /^enc1:k1:/)
    assert.notEqual(service.encrypt('新宿 花子'), first)
    assert.equal(service.decrypt(first), '新宿 花子')
  })

  test('a tampered ciphertext is rejected (GCM authentication)', ({ assert }) => {
    const service = new FieldEncryption([key('k1')], randomBytes(32))
    const parts = service.encrypt('03-1234-5678').split(':')
    const body = Buffer.from(parts[4], 'base64url')
    body[0] ^= 1
    parts[4] = body.toString('base64url')
    assert.throws(() => service.decrypt(parts.join(':')))
  })

  test('citizen personal data is encrypted in the database', async ({ assert }) => {
    const citizen = await CitizenFactory.merge({
      email: 'hanako@example.jp',
      fullName: '新宿 花子',
      phone: '03-1111-2222',
    }).create()
    const row = await db.from('citizens').where('id', citizen.id).firstOrFail()
    for (const column of ['email', 'full_name', 'phone']) {
      assert.match(row[column], /^enc1:/)
    }
    assert.notInclude(JSON.stringify(row), 'hanako@example.jp')
    assert.notInclude(JSON.stringify(row), '新宿')
    const reloaded = await Citizen.findOrFail(citizen.id)
    assert.equal(reloaded.fullName, '新宿 花子')
  })

  test('registration through the form stores encrypted data, found by the blind index', async ({
    client,
    assert,
  }) => {
    const { mails } = mail.fake()
    try {
      const response = await client
        .post('/citizen/register')
        .header('x-forwarded-for', freshIp())
        .withCsrfToken()
        .form({
          fullName: '登録 太郎',
          email: 'Taro@Example.jp',
          password: 'ten-chars-ok',
          password_confirmation: 'ten-chars-ok',
        })
        .redirects(0)
      response.assertHeader('location', '/citizen/register/sent')
      const citizen = await Citizen.findByEmail('taro@example.jp')
      assert.equal(citizen?.fullName, '登録 太郎')
      const audit = await lastAudit('citizen.register')
      assert.notInclude(JSON.stringify(audit!.serialize()), '登録')
      assert.notInclude(JSON.stringify(audit!.serialize()).toLowerCase(), 'taro@example.jp')
      mails.assertQueuedCount(CitizenVerificationMail, 1)

      // A registered address gets the same page (nothing revealed) and no second account.
      await citizen!.merge({ emailVerifiedAt: DateTime.now() }).save()
      const again = await client
        .post('/citizen/register')
        .header('x-forwarded-for', freshIp())
        .withCsrfToken()
        .form({
          fullName: '別人',
          email: 'taro@example.jp',
          password: 'ten-chars-ok',
          password_confirmation: 'ten-chars-ok',
        })
        .redirects(0)
      again.assertHeader('location', '/citizen/register/sent')
      again.assertFlashMissing('errors')
      const rows = await db
        .from('citizens')
        .where('email_index', fieldEncryption.emailIndex('taro@example.jp'))
      assert.lengthOf(rows, 1)
      const storedCitizen = await Citizen.findOrFail(citizen!.id)
      assert.equal(storedCitizen.fullName, '登録 太郎')
      mails.assertQueuedCount(CitizenVerificationMail, 1)
      mails.assertQueuedCount(CitizenAlreadyRegisteredMail, 1)
    } finally {
      mail.restore()
    }
  })

  test('rotation: old values stay readable, rotate re-encrypts them with the new key', async ({
    assert,
  }) => {
    const blind = randomBytes(32)
    const oldKey = key('old')
    const newKey = key('new')
    fieldEncryption.use(new FieldEncryption([oldKey], blind))
    const citizen = await CitizenFactory.merge({
      email: 'rotate@example.jp',
      fullName: '回転 次郎',
    }).create()

    fieldEncryption.use(new FieldEncryption([newKey, oldKey], blind))
    const storedCitizen = await Citizen.findOrFail(citizen.id)
    assert.equal(storedCitizen.fullName, '回転 次郎')

    const result = await FieldKeyRotation.rotateAll()
    assert.isAtLeast(result.reencrypted.citizens, 1)
    const row = await db.from('citizens').where('id', citizen.id).firstOrFail()
    assert.match(row.full_name, /^enc1:new:/)
    assert.match(row.email, /^enc1:new:/)

    // The old key can now be retired.
    fieldEncryption.use(new FieldEncryption([newKey], blind))
    const rotatedCitizen = await Citizen.findByEmail('rotate@example.jp')
    assert.equal(rotatedCitizen?.fullName, '回転 次郎')
  })

  test('a changed blind-index key is applied by rotation', async ({ assert }) => {
    const fieldKey = key('k1')
    fieldEncryption.use(new FieldEncryption([fieldKey], randomBytes(32)))
    const citizen = await CitizenFactory.merge({ email: 'index@example.jp' }).create()
    fieldEncryption.use(new FieldEncryption([fieldKey], randomBytes(32)))
    assert.isNull(await Citizen.findByEmail('index@example.jp'))
    await FieldKeyRotation.rotateAll()
    const storedCitizen = await Citizen.findByEmail('index@example.jp')
    assert.equal(storedCitizen?.id, citizen.id)
  })
})
