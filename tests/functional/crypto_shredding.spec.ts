import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import CallCenterRetention from '#services/opinions/call_center_retention'
import FieldKeyRotation from '#services/field_key_rotation'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import BigramSearch from '#services/search/bigram_search'
import { OPINION_DOC_TYPE } from '#services/opinions/opinion_search'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })
const sqlite = () => env.get('DB_CONNECTION') === 'sqlite'

/** A name and phone number found nowhere else in the database. */
const unique = () => {
  const digits = String(randomBytes(4).readUInt32BE()).padStart(10, '0').slice(0, 8)
  return {
    name: `消去 ${digits.slice(0, 4)}太郎`,
    phone: `090-${digits.slice(0, 4)}-${digits.slice(4)}`,
  }
}

const PERSONAL = [
  'submitter_name',
  'submitter_phone',
  'submitter_email',
  'submitter_postal_code',
  'submitter_address',
  'submitter_fax',
] as const

/** The stored values of an opinion as they would be in a backup taken today. */
async function backupOf(id: number) {
  return db
    .from('opinions')
    .where('id', id)
    .select(...PERSONAL, 'name_index', 'phone_index')
    .firstOrFail()
}

/**
 * Tries a stored value under every key present: the service (general keys
 * and every retention key file) and each remaining month key in place of the
 * value's own. True when any of them opens it.
 */
function decryptsWithAnyKey(stored: string): boolean {
  const service = fieldEncryption.service
  const attempts = [
    stored,
    ...service.retentionKeys
      .months()
      .map((month) => stored.replace(/^enc1:[^:]+:/, `enc1:ret-${month}:`)),
  ]
  return attempts.some((attempt) => {
    try {
      return service.decrypt(attempt) !== null
    } catch {
      return false
    }
  })
}

/** The SQLite database file and its WAL, as bytes. */
function rawDatabase(): Buffer {
  const file = app.tmpPath(env.get('SQLITE_FILE', 'daicho.sqlite3'))
  return Buffer.concat(
    [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path))
  )
}

/** Each test with its own key folder. */
function useOwnKeys(group: {
  each: { setup: (fn: () => any) => void; teardown: (fn: () => any) => void }
}) {
  const state = { dir: '' }
  group.each.setup(() => {
    state.dir = mkdtempSync(join(tmpdir(), 'daicho-retention-keys-'))
    fieldEncryption.use(
      FieldEncryption.fromSettings({
        nodeEnv: 'test',
        appKey: env.get('APP_KEY'),
        retentionKeysDir: state.dir,
      })
    )
  })
  group.each.teardown(() => {
    fieldEncryption.use(null)
    rmSync(state.dir, { recursive: true, force: true })
  })
  return state
}

test.group('Crypto-shredding: what is left in the database files after the purge', (group) => {
  const keys = useOwnKeys(group)
  // Real commits (no global transaction): the test reads the database files; it removes its rows itself.

  test('the purge empties the rows, destroys the month key; no copy decrypts, nothing is left in the SQLite file or WAL', async ({
    assert,
    cleanup,
  }) => {
    const caller = unique()
    const keptCaller = unique()
    const call = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-10T10:00'),
      submitterName: caller.name,
      submitterPhone: caller.phone,
    })
    const kept = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2020-06-01T10:00'),
      submitterName: keptCaller.name,
      submitterPhone: keptCaller.phone,
    })
    cleanup(async () => {
      const ids = [call.id, kept.id]
      for (const id of ids) await BigramSearch.remove(OPINION_DOC_TYPE, id)
      await db.from('opinion_events').whereIn('opinion_id', ids).delete()
      await db.from('opinions').whereIn('id', ids).delete()
      // The statistics triggers noted these fiscal years; leave no trace for later specs.
      await db.from('opinion_statistics_versions').whereIn('fiscal_year', [2019, 2020]).delete()
    })
    const backup = await backupOf(call.id)
    if (sqlite()) {
      await db.rawQuery('PRAGMA wal_checkpoint(TRUNCATE)')
      assert.isTrue(
        rawDatabase().includes(backup.submitter_name),
        'the ciphertext is in the file before the purge'
      )
    }

    const purged = await CallCenterRetention.purge(tokyo('2020-08-15T02:30'))
    assert.deepEqual(purged.ids, [call.id])

    // The month key is gone; the month still collecting keeps its key.
    assert.isFalse(existsSync(join(keys.dir, '2019-07.key')))
    assert.deepEqual(fieldEncryption.service.retentionKeys.months(), ['2020-06'])
    // The row is emptied, values and blind indexes.
    const row = await backupOf(call.id)
    for (const column of [...PERSONAL, 'name_index', 'phone_index'] as const)
      assert.isNull(row[column], column)
    // A copy taken before (backup, old row version) opens with no key present, and its index matches nothing.
    for (const column of ['submitter_name', 'submitter_phone'] as const) {
      assert.isFalse(decryptsWithAnyKey(backup[column]), column)
    }
    assert.notInclude(fieldEncryption.indexesOf('name', caller.name), backup.name_index)
    assert.notInclude(fieldEncryption.indexesOf('phone', caller.phone), backup.phone_index)
    // The kept opinion still reads.
    await kept.refresh()
    assert.equal(kept.submitterName, keptCaller.name)

    if (sqlite()) {
      const wal = `${app.tmpPath(env.get('SQLITE_FILE', 'daicho.sqlite3'))}-wal`
      assert.equal(
        existsSync(wal) ? readFileSync(wal).length : 0,
        0,
        'the WAL is checkpointed and truncated'
      )
      const raw = rawDatabase()
      for (const text of [caller.name, caller.phone, caller.phone.replace(/-/g, '')]) {
        assert.isFalse(raw.includes(Buffer.from(text)), `plaintext ${text} in the database files`)
      }
      for (const value of [
        backup.submitter_name,
        backup.submitter_phone,
        backup.name_index,
        backup.phone_index,
      ]) {
        assert.isFalse(
          raw.includes(Buffer.from(value)),
          'old ciphertext or index left in the database files'
        )
      }
      const remaining =
        raw
          .toString('latin1')
          .match(/enc1:ret-2019-07:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+/g) ?? []
      assert.isFalse(
        remaining.some((stored) => decryptsWithAnyKey(stored)),
        'a ciphertext of the month still decrypts'
      )
    }
  })
})

test.group('Crypto-shredding of call-center personal data', (group) => {
  const keys = useOwnKeys(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('call-center data is encrypted with its collection month key, kept outside the database; other data with the general key', async ({
    assert,
  }) => {
    await opinionScene()
    const caller = unique()
    const call = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-10T10:00'),
      submitterName: caller.name,
      submitterPhone: caller.phone,
    })
    const letter = await makeOpinion({
      channel: 'letter',
      receivedAt: tokyo('2019-07-10T10:00'),
      submitterName: '手紙 花子',
    })

    const stored = await backupOf(call.id)
    assert.match(stored.submitter_name, /^enc1:ret-2019-07:/)
    assert.match(stored.submitter_phone, /^enc1:ret-2019-07:/)
    const backup = await backupOf(letter.id)
    assert.match(backup.submitter_name, /^enc1:app:/)
    assert.isTrue(existsSync(join(keys.dir, '2019-07.key')))
    assert.deepEqual(fieldEncryption.service.retentionKeys.months(), ['2019-07'])

    await call.refresh()
    assert.equal(call.submitterName, caller.name)
    assert.equal(call.submitterPhone, caller.phone)
  })

  test('a value of a shredded month reads as nothing, never an error page (e.g. a row restored from a backup)', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    const caller = unique()
    const call = await makeOpinion(
      {
        channel: 'call_center',
        collectedByCallCenter: true,
        receivedAt: tokyo('2019-07-10T10:00'),
        submitterName: caller.name,
        submitterPhone: caller.phone,
        subject: '復元された問合せ',
      },
      [tree.kocho]
    )
    const backup = await backupOf(call.id)
    await CallCenterRetention.purge(tokyo('2020-08-15T02:30'))
    await db
      .from('opinions')
      .where('id', call.id)
      .update({ submitter_name: backup.submitter_name, submitter_phone: backup.submitter_phone })

    const opinion = await Opinion.findOrFail(call.id)
    assert.isNull(opinion.submitterName)
    assert.isNull(opinion.submitterPhone)
    const page = await client.get(`/opinions/${call.id}`).loginAs(kochoStaff)
    page.assertStatus(200)
    page.assertTextIncludes('復元された問合せ')
    assert.notInclude(page.text(), caller.name)
    const list = await client.get('/opinions').loginAs(kochoStaff)
    list.assertStatus(200)
    list.assertTextIncludes('復元された問合せ')
  })

  test('a month key stays while any record of the month is kept, and is destroyed by the run that deletes the last one', async ({
    assert,
  }) => {
    await opinionScene()
    const early = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-01T10:00'),
      submitterName: '月初 電話',
      submitterPhone: '090-0000-0701',
    })
    const late = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-31T10:00'),
      submitterName: '月末 電話',
      submitterPhone: '090-0000-0731',
    })
    const key = join(keys.dir, '2019-07.key')

    const earlyPurge = await CallCenterRetention.purge(tokyo('2020-07-15T02:30'))
    assert.deepEqual(earlyPurge.ids, [early.id])
    assert.isTrue(existsSync(key), 'the end of the month is still kept')
    await late.refresh()
    assert.equal(late.submitterName, '月末 電話')

    const latePurge = await CallCenterRetention.purge(tokyo('2020-08-01T02:30'))
    assert.deepEqual(latePurge.ids, [late.id])
    assert.isFalse(existsSync(key))
  })

  test('search by name and phone finds call-center opinions (month-keyed blind indexes) and the others', async ({
    client,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    const now = DateTime.now().setZone('Asia/Tokyo')
    await makeOpinion(
      {
        channel: 'call_center',
        collectedByCallCenter: true,
        receivedAt: now.minus({ days: 3 }),
        submitterName: '検索 電話子',
        submitterPhone: '090-5555-0001',
        subject: '電話の問合せ',
      },
      [tree.kocho]
    )
    await makeOpinion(
      {
        channel: 'letter',
        receivedAt: now.minus({ days: 3 }),
        submitterName: '検索 手紙子',
        subject: '手紙の意見',
      },
      [tree.kocho]
    )

    const byName = await client.get('/opinions').qs({ name: '検索　電話子' }).loginAs(kochoStaff)
    byName.assertStatus(200)
    byName.assertTextIncludes('電話の問合せ')
    const byPhone = await client.get('/opinions').qs({ phone: '09055550001' }).loginAs(kochoStaff)
    byPhone.assertTextIncludes('電話の問合せ')
    const letter = await client.get('/opinions').qs({ name: '検索 手紙子' }).loginAs(kochoStaff)
    letter.assertTextIncludes('手紙の意見')
  })

  test('encryption:rotate moves general-key values to the new key, keeps call-center values on their month key (and moves old ones onto it)', async ({
    assert,
  }) => {
    await opinionScene()
    const appKey = env.get('APP_KEY')
    const call = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-10T10:00'),
      submitterName: '回転 電話',
      submitterPhone: '090-0000-0002',
    })
    const letter = await makeOpinion({
      channel: 'letter',
      receivedAt: tokyo('2019-07-10T10:00'),
      submitterName: '回転 手紙',
    })
    // Written before per-month keys: a call-center value under the general key.
    const older = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-08-10T10:00'),
      submitterName: '旧式 電話',
    })
    const general = fieldEncryption.service
    await db
      .from('opinions')
      .where('id', older.id)
      .update({
        submitter_name: general.encrypt('旧式 電話'),
        name_index: general.nameIndex('旧式 電話'),
      })

    const newKey = FieldEncryption.generateKey('k2')
    fieldEncryption.use(
      FieldEncryption.fromSettings({
        nodeEnv: 'test',
        appKey,
        fieldEncryptionKeys: `${newKey},${FieldEncryption.appKeyEntry(appKey)}`,
        retentionKeysDir: keys.dir,
      })
    )
    await FieldKeyRotation.rotateAll()

    const letterBackup = await backupOf(letter.id)
    assert.match(letterBackup.submitter_name, /^enc1:k2:/)
    const callBackup = await backupOf(call.id)
    assert.match(callBackup.submitter_name, /^enc1:ret-2019-07:/)
    const olderBackup = await backupOf(older.id)
    assert.match(olderBackup.submitter_name, /^enc1:ret-2019-08:/)
    fieldEncryption.use(
      FieldEncryption.fromSettings({
        nodeEnv: 'test',
        appKey,
        fieldEncryptionKeys: newKey,
        retentionKeysDir: keys.dir,
      })
    )
    for (const [opinion, name] of [
      [call, '回転 電話'],
      [letter, '回転 手紙'],
      [older, '旧式 電話'],
    ] as const) {
      await opinion.refresh()
      assert.equal(opinion.submitterName, name)
    }
    const found = await db
      .from('opinions')
      .whereIn('name_index', fieldEncryption.indexesOf('name', '旧式　電話'))
      .select('id')
    assert.deepEqual(
      found.map((row) => Number(row.id)),
      [older.id]
    )

    // Shredding after rotation still works: nothing of 2019-07 is under the new general key.
    await CallCenterRetention.purge(tokyo('2020-08-15T02:30'))
    assert.isFalse(existsSync(join(keys.dir, '2019-07.key')))
  })
})
