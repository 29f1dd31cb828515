import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditLogger from '#services/audit_logger'
import AuditVerifier from '#services/audit_verifier'
import AuditLog from '#models/audit_log'
import { UserFactory } from '#database/factories/user_factory'

/** Lifts the append-only triggers for one tampering test (inside its transaction). */
async function dropAppendOnlyTriggers() {
  if (db.connection().dialect.name === 'postgres') {
    await db.rawQuery('DROP TRIGGER audit_logs_no_update_delete ON audit_logs')
  } else {
    await db.rawQuery('DROP TRIGGER audit_logs_no_update')
    await db.rawQuery('DROP TRIGGER audit_logs_no_delete')
  }
}

async function writeEntries(count: number) {
  for (let index = 0; index < count; index++) {
    await AuditLogger.system.record({
      action: 'test.entry',
      subject: { type: 'Thing', id: index },
      changedFields: ['name'],
    })
  }
  return AuditLog.query().where('action', 'test.entry').orderBy('id')
}

test.group('Audit log', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('entries chain to each other and verify', async ({ assert }) => {
    const entries = await writeEntries(3)
    assert.equal(entries[1].prevHash, entries[0].hash)
    assert.equal(entries[2].prevHash, entries[1].hash)
    const result = await AuditVerifier.verify()
    assert.isTrue(result.ok)
    assert.isAtLeast(result.checked, 3)
  })

  test('the database refuses to update or delete an entry', async ({ assert }) => {
    const [entry] = await writeEntries(1)
    await assert.rejects(() => db.from('audit_logs').where('id', entry.id).update({ action: 'x' }))
  })

  test('the database refuses deletion too', async ({ assert }) => {
    const [entry] = await writeEntries(1)
    await assert.rejects(() => db.from('audit_logs').where('id', entry.id).delete())
  })

  test('verify detects a changed entry', async ({ assert }) => {
    const entries = await writeEntries(3)
    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', entries[1].id).update({ actor_label: 'someone-else' })
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    assert.deepInclude(
      result.problems.map((p) => [p.entryId, p.problem]),
      [entries[1].id, 'changed']
    )
  })

  test('verify detects a deleted entry', async ({ assert }) => {
    const entries = await writeEntries(3)
    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', entries[1].id).delete()
    const result = await AuditVerifier.verify()
    assert.isFalse(result.ok)
    assert.deepInclude(
      result.problems.map((p) => [p.entryId, p.problem]),
      [entries[2].id, 'broken_link']
    )
  })

  test('verify detects entries cut off the end after a checkpoint', async ({ assert }) => {
    const entries = await writeEntries(2)
    const checkpointed = await AuditVerifier.verify({ checkpoint: true })
    assert.isTrue(checkpointed.ok)
    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', entries[1].id).delete()
    const result = await AuditVerifier.verify()
    assert.deepInclude(
      result.problems.map((p) => p.problem),
      'truncated'
    )
  })

  test('node ace audit:verify exits 1 on tampering', async ({ assert }) => {
    const ace = await import('@adonisjs/core/services/ace').then((module) => module.default)
    await writeEntries(2)
    const intact = await ace.exec('audit:verify', [])
    assert.equal(intact.exitCode, 0)

    const entries = await AuditLog.query().orderBy('id', 'desc').limit(1)
    await dropAppendOnlyTriggers()
    await db.from('audit_logs').where('id', entries[0].id).update({ action: 'changed' })
    const tampered = await ace.exec('audit:verify', [])
    assert.equal(tampered.exitCode, 1)
  })

  test('a request records actor, IP and request id', async ({ client, assert }) => {
    const user = await UserFactory.apply('privacyOfficer').create()
    await client
      .get('/audit-logs')
      .loginAs(user)
      .header('x-forwarded-for', '192.0.2.7')
      .header('x-request-id', 'req-abc-123')
    await client
      .post('/logout')
      .loginAs(user)
      .header('x-forwarded-for', '192.0.2.7')
      .header('x-request-id', 'req-abc-123')
      .withCsrfToken()
    const entry = await AuditLog.query()
      .where('action', 'auth.logout')
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.equal(entry.actorType, 'user')
    assert.equal(entry.actorId, user.id)
    assert.equal(entry.ip, '192.0.2.7')
    assert.equal(entry.requestId, 'req-abc-123')
  })

  test('the audit trail page is for the privacy office and administrators', async ({ client }) => {
    await writeEntries(1)
    const officer = await UserFactory.apply('privacyOfficer').create()
    const staff = await UserFactory.with('department').create()
    const page = await client.get('/audit-logs?action=test.').loginAs(officer)
    page.assertStatus(200)
    page.assertTextIncludes('test.entry')
    const denied = await client.get('/audit-logs').loginAs(staff)
    denied.assertStatus(403)
  })
})
