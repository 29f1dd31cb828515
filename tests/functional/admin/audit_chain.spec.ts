import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import { startServerProcess } from '#tests/helpers'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import AuditLogger, { GENESIS_HASH } from '#services/audit_logger'
import AuditVerifier, { type CheckpointFile } from '#services/audit_verifier'
import { AuditKey, MissingAuditKeyError } from '#services/audit_key'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'

const isPostgres = () => db.connection().dialect.name === 'postgres'

/** Lifts the append-only triggers of the log and its checkpoints (inside the test's transaction). */
async function dropAppendOnlyTriggers() {
  if (isPostgres()) {
    await db.rawQuery('DROP TRIGGER audit_logs_no_update_delete ON audit_logs')
    await db.rawQuery('DROP TRIGGER audit_checkpoints_no_update_delete ON audit_checkpoints')
  } else {
    for (const name of [
      'audit_logs_no_update',
      'audit_logs_no_delete',
      'audit_checkpoints_no_update',
      'audit_checkpoints_no_delete',
    ]) {
      await db.rawQuery(`DROP TRIGGER ${name}`)
    }
  }
}

async function writeEntries(count: number, action = 'test.chain') {
  for (let index = 0; index < count; index++) {
    await AuditLogger.system.record({
      action,
      subject: { type: 'Thing', id: index },
      changedFields: ['name'],
    })
  }
  const rows = await db.from('audit_logs').where('action', action).orderBy('id')
  return rows.map((row) => ({ id: Number(row.id), hash: row.hash as string }))
}

/**
 * What somebody with write access to the database could do before: change an
 * entry and recompute the chain from it onwards with plain SHA-256.
 */
async function rewriteAndRecompute(entryId: number, change: Record<string, string>) {
  await db.from('audit_logs').where('id', entryId).update(change)
  const before = await db.from('audit_logs').where('id', '<', entryId).orderBy('id', 'desc').first()
  let previous: string = before?.hash ?? GENESIS_HASH
  for (const row of await db.from('audit_logs').where('id', '>=', entryId).orderBy('id')) {
    const hash = AuditLogger.legacyHashOf(previous, AuditLogger.fieldsOfRow(row))
    await db.from('audit_logs').where('id', row.id).update({ prev_hash: previous, hash })
    previous = hash
  }
}

const problemsOf = (result: { problems: Array<{ entryId: number | null; problem: string }> }) =>
  result.problems.map((p) => [p.entryId, p.problem])

/** Runs `node ace audit:verify` with the arguments; its exit code. */
async function auditVerify(args: string[]) {
  const { default: ace } = await import('@adonisjs/core/services/ace')
  const command = await ace.exec('audit:verify', args)
  return command.exitCode
}

/** Whether AuditVerifier finds the chain intact. */
async function chainVerifies(options?: Parameters<typeof AuditVerifier.verify>[0]) {
  const result = await AuditVerifier.verify(options)
  return result.ok
}
const checkpointPath = (name: string) =>
  app.tmpPath(`audit-checkpoint-s-${process.pid}-${name}.json`)

test.group('Audit chain: keyed with AUDIT_LOG_KEY, signed checkpoints', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('normal operation verifies, and an exported checkpoint checks out', async ({
    assert,
    cleanup,
  }) => {
    const file = checkpointPath('normal')
    cleanup(() => rmSync(file, { force: true }))
    const entries = await writeEntries(3)
    const key = AuditKey.fromEnvironment()
    // The stored hash is the HMAC, not the plain SHA-256 the old code wrote.
    const row = await db.from('audit_logs').where('id', entries[1].id).first()
    assert.equal(row.hash, AuditLogger.hashOf(row.prev_hash, AuditLogger.fieldsOfRow(row), key))
    assert.notEqual(row.hash, AuditLogger.legacyHashOf(row.prev_hash, AuditLogger.fieldsOfRow(row)))

    assert.equal(await auditVerify(['--export', file]), 0)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile
    assert.equal(saved.lastEntryId, entries[2].id)
    assert.equal(saved.lastHash, entries[2].hash)
    assert.match(saved.signature, /^[0-9a-f]{64}$/)

    await writeEntries(2, 'test.chain.later')
    assert.equal(await auditVerify(['--checkpoint-file', file]), 0)
    assert.isTrue(await chainVerifies())
  })

  test('a row rewritten and the chain recomputed without the key is detected', async ({
    assert,
  }) => {
    const entries = await writeEntries(3)
    await dropAppendOnlyTriggers()
    await rewriteAndRecompute(entries[1].id, { actor_label: 'someone-else' })

    // The links are consistent again (this fooled the unkeyed verify)...
    const rows = await db.from('audit_logs').where('id', '>=', entries[0].id).orderBy('id')
    assert.equal(rows[1].prev_hash, rows[0].hash)
    assert.equal(rows[2].prev_hash, rows[1].hash)
    // ...but without the key the hashes cannot be made to match.
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    assert.deepInclude(problemsOf(result), [entries[1].id, 'changed'])
    assert.notDeepInclude(problemsOf(result), [entries[0].id, 'changed'])

    assert.equal(await auditVerify([]), 1)
  })

  test('a tampered signed checkpoint is detected, in the database and in the file', async ({
    assert,
    cleanup,
  }) => {
    const file = checkpointPath('tampered')
    cleanup(() => rmSync(file, { force: true }))
    const entries = await writeEntries(3)
    assert.equal(await auditVerify(['--export', file]), 0)

    // Cut the last entry, move the checkpoint back to match and "re-sign" it without the key.
    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', entries[2].id).delete()
    const point = await db.from('audit_checkpoints').orderBy('id', 'desc').first()
    await db
      .from('audit_checkpoints')
      .where('id', point.id)
      .update({
        last_entry_id: entries[1].id,
        last_hash: entries[1].hash,
        entry_count: Number(point.entry_count) - 1,
        signature: randomBytes(32).toString('hex'),
      })
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    assert.deepInclude(problemsOf(result), [entries[1].id, 'bad_checkpoint'])

    // The exported file edited the same way is refused too.
    const saved = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile
    writeFileSync(
      file,
      JSON.stringify({ ...saved, lastEntryId: entries[1].id, lastHash: entries[1].hash })
    )
    const fromFile = await AuditVerifier.verify({
      against: await AuditVerifier.readCheckpointFile(file),
    })
    assert.include(
      fromFile.problems.map((p) => p.message),
      'the checkpoint file has no valid signature: it was altered, or AUDIT_LOG_KEY is not the key that signed it'
    )
    assert.equal(await auditVerify(['--checkpoint-file', file]), 1)
  })

  test('truncation after the last checkpoint in the database is caught with the exported file', async ({
    assert,
    cleanup,
  }) => {
    const file = checkpointPath('truncated')
    cleanup(() => rmSync(file, { force: true }))
    const [first] = await writeEntries(1)
    assert.isTrue(await chainVerifies({ checkpoint: true }))
    const later = await writeEntries(2, 'test.chain.later')
    assert.equal(await auditVerify(['--export', file]), 0)

    // Remove the newest entries and every checkpoint that mentions them.
    await dropAppendOnlyTriggers()
    await db
      .from('audit_logs')
      .whereIn(
        'id',
        later.map((entry) => entry.id)
      )
      .delete()
    await db.from('audit_checkpoints').where('last_entry_id', '>', first.id).delete()

    // The database alone now looks intact...
    assert.isTrue(await chainVerifies())
    // ...the exported checkpoint does not.
    const result = await AuditVerifier.verify({
      against: await AuditVerifier.readCheckpointFile(file),
    })
    assert.isFalse(result.ok)
    assert.deepInclude(problemsOf(result), [later[1].id, 'truncated'])
    assert.equal(await auditVerify(['--checkpoint-file', file]), 1)
  })

  test('a missing or unreadable checkpoint file fails the command', async ({ assert, cleanup }) => {
    const file = checkpointPath('garbage')
    cleanup(() => rmSync(file, { force: true }))
    await writeEntries(1)
    assert.equal(await auditVerify(['--checkpoint-file', file]), 1)
    writeFileSync(file, 'not json')
    assert.equal(await auditVerify(['--checkpoint-file', file]), 1)
  })

  test('the nightly job checks against its previous exported checkpoint, then replaces it', async ({
    assert,
    cleanup,
  }) => {
    const file = checkpointPath('job')
    cleanup(() => rmSync(file, { force: true }))
    const job = new VerifyAuditChainJob(file)
    await writeEntries(2)
    assert.match(await job.run(), /entries verified, no previous exported checkpoint/)
    const later = await writeEntries(1, 'test.chain.later')
    assert.match(await job.run(), /entries verified, exported checkpoint matches/)
    assert.equal(
      (JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile).lastEntryId,
      later[0].id
    )

    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', later[0].id).delete()
    await db.from('audit_checkpoints').where('last_entry_id', '>=', later[0].id).delete()
    await assert.rejects(
      () => job.run(),
      /audit chain broken: verified entry \d+ \(exported checkpoint/
    )
  })

  test('checkpoints are append-only like the log', async ({ assert }) => {
    await writeEntries(1)
    assert.isTrue(await chainVerifies({ checkpoint: true }))
    const point = await db.from('audit_checkpoints').orderBy('id', 'desc').first()
    await assert.rejects(() =>
      db.from('audit_checkpoints').where('id', point.id).update({ last_hash: 'x' })
    )
  })

  test('checked with another key, every entry fails and the message says so', async ({
    assert,
    cleanup,
  }) => {
    await writeEntries(2)
    const original = env.get('AUDIT_LOG_KEY') ?? ''
    cleanup(() => env.set('AUDIT_LOG_KEY', original))
    env.set('AUDIT_LOG_KEY', randomBytes(32).toString('base64'))
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    assert.include(
      result.problems.map((p) => p.message),
      'no keyed entry matches: if nobody rewrote the log, AUDIT_LOG_KEY is not the key it was written with'
    )
  })
})

test.group('Audit chain: upgrading a database written before the chain was keyed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  /** Rebuilds the log as the old code left it: plain SHA-256 links and an unsigned checkpoint. */
  async function legacyLog(count: number) {
    await dropAppendOnlyTriggers()
    await db.from('audit_checkpoints').delete()
    await db.from('audit_logs').delete()
    let previous = GENESIS_HASH
    const entries: Array<{ id: number; hash: string }> = []
    for (let index = 0; index < count; index++) {
      const fields = {
        occurredAt: `2025-04-0${index + 1}T00:00:00.000Z`,
        actorType: 'system',
        actorId: null,
        actorLabel: 'system',
        action: 'legacy.entry',
        subjectType: 'Thing',
        subjectId: String(index),
        changedFields: 'name',
        details: null,
        requestId: null,
        ip: null,
      }
      const hash = AuditLogger.legacyHashOf(previous, fields)
      await db.table('audit_logs').insert({
        occurred_at: fields.occurredAt,
        actor_type: fields.actorType,
        actor_id: null,
        actor_label: fields.actorLabel,
        action: fields.action,
        subject_type: fields.subjectType,
        subject_id: fields.subjectId,
        changed_fields: fields.changedFields,
        prev_hash: previous,
        hash,
      })
      const row = await db.from('audit_logs').where('hash', hash).first()
      entries.push({ id: Number(row.id), hash })
      previous = hash
    }
    await db.table('audit_checkpoints').insert({
      last_entry_id: entries[1].id,
      last_hash: entries[1].hash,
      entry_count: 2,
      created_at: new Date(),
    })
    return entries
  }

  test('after the upgrade an existing log verifies, and new entries chain on with the key', async ({
    assert,
  }) => {
    const legacy = await legacyLog(3)
    // What the old log looks like to the keyed verifier before the migration: every entry fails.
    assert.isFalse(await chainVerifies())

    await AuditVerifier.keyExistingChain(db.connection())
    assert.isTrue(await chainVerifies())
    const keyed = await writeEntries(2)
    const firstKeyed = await db.from('audit_logs').where('id', keyed[0].id).first()
    assert.equal(firstKeyed.prev_hash, legacy[2].hash)
    const result = await AuditVerifier.verify()
    assert.isTrue(result.ok, JSON.stringify(result.problems))
    assert.equal(result.checked, 5)
  })

  test('after the upgrade old entries cannot be rewritten and recomputed either', async ({
    assert,
  }) => {
    const legacy = await legacyLog(3)
    await AuditVerifier.keyExistingChain(db.connection())
    const keyed = await writeEntries(1)
    await rewriteAndRecompute(legacy[1].id, { actor_label: 'someone-else' })
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    // The first keyed entry's MAC covered the old head; the signed boundary remembers it too.
    assert.deepInclude(problemsOf(result), [keyed[0].id, 'changed'])
    assert.deepInclude(problemsOf(result), [legacy[2].id, 'truncated'])
  })

  test('a keyed entry cannot be passed off as an old unkeyed one', async ({ assert }) => {
    await legacyLog(2)
    await AuditVerifier.keyExistingChain(db.connection())
    const keyed = await writeEntries(2)
    await rewriteAndRecompute(keyed[0].id, { action: 'something.else' })
    const result = await AuditVerifier.verify()
    assert.deepInclude(problemsOf(result), [keyed[0].id, 'changed'])
    // Deleting the signed boundary does not help: the old entries then fail the keyed check.
    await db.from('audit_checkpoints').where('kind', 'legacy').delete()
    assert.isFalse(await chainVerifies())
  })
})

test.group('Audit chain: the key is required in production', () => {
  const appKey = 'an-app-key-of-at-least-32-characters!!'

  test('production requires AUDIT_LOG_KEY; development and tests derive one from APP_KEY', ({
    assert,
  }) => {
    assert.deepEqual(AuditKey.missingKeys({ nodeEnv: 'production', appKey, auditLogKey: ' ' }), [
      'AUDIT_LOG_KEY',
    ])
    assert.throws(
      () => AuditKey.fromSettings({ nodeEnv: 'production', appKey }),
      MissingAuditKeyError
    )
    assert.deepEqual(AuditKey.missingKeys({ nodeEnv: 'development', appKey }), [])
    const derived = AuditKey.fromSettings({ nodeEnv: 'test', appKey })
    const configured = AuditKey.fromSettings({
      nodeEnv: 'production',
      appKey,
      auditLogKey: randomBytes(32).toString('base64'),
    })
    assert.notEqual(derived.chainMac('x'), configured.chainMac('x'))
    assert.throws(
      () => AuditKey.fromSettings({ nodeEnv: 'production', appKey, auditLogKey: 'c2hvcnQ=' }),
      /at least 32 bytes/
    )
  })

  test('the server started in production without AUDIT_LOG_KEY exits non-zero with the message', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rmSync(app.tmpPath('test-boot-check-audit.sqlite3'), { force: true }))
    const key = () => randomBytes(32).toString('base64')
    const { code, output } = await startServerProcess(
      'test-boot-check-audit.sqlite3',
      {
        NODE_ENV: 'production',
        FIELD_ENCRYPTION_KEYS: `k1:${key()}`,
        BLIND_INDEX_KEY: key(),
        AUDIT_LOG_KEY: '',
      },
      /started HTTP server/
    )
    assert.notEqual(code, 0)
    assert.include(output, 'Missing AUDIT_LOG_KEY')
    assert.include(output, 'openssl rand -base64 32')
    assert.notInclude(output, 'started HTTP server')
  }).timeout(60000)
})
