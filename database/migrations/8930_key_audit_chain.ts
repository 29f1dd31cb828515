import { BaseSchema } from '@adonisjs/lucid/schema'
import { AuditKey } from '#services/audit_key'
import AuditVerifier from '#services/audit_verifier'

/**
 * Keys the audit chain (issue 14, item 5). From now on entries are chained
 * with HMAC-SHA-256 under AUDIT_LOG_KEY (kept outside the database) and
 * checkpoints are signed with it. Entries already written keep their plain
 * SHA-256 hashes: rewriting them would also launder any earlier tampering.
 * Instead a signed "legacy" checkpoint marks where they end; the first keyed
 * entry's MAC covers the last legacy hash, so the old part cannot be rewritten
 * either once a keyed entry follows it. Existing checkpoints get signed.
 * Checkpoints become append-only like the log.
 *
 * Run it with the production AUDIT_LOG_KEY already set: the boundary and the
 * checkpoints are signed with the key in the environment at migration time.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('audit_checkpoints', (table) => {
      table.string('kind', 20).notNullable().defaultTo('verified')
      table.string('signature', 64).nullable()
    })

    this.defer(async (db) => {
      await AuditVerifier.keyExistingChain(db, AuditKey.fromEnvironment())

      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery(`
          CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger AS $$
          BEGIN
            RAISE EXCEPTION 'audit_checkpoints is append-only';
          END;
          $$ LANGUAGE plpgsql`)
        await db.rawQuery(`
          CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
          FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`)
      } else {
        await db.rawQuery(`
          CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
          BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`)
        await db.rawQuery(`
          CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
          BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`)
      }
    })
  }

  /** Back to unkeyed code: keyed entries will then fail the old verify (expected). */
  async down() {
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw('DROP TRIGGER IF EXISTS audit_checkpoints_no_update_delete ON audit_checkpoints')
      this.schema.raw('DROP FUNCTION IF EXISTS audit_checkpoints_append_only()')
    } else {
      this.schema.raw('DROP TRIGGER IF EXISTS audit_checkpoints_no_update')
      this.schema.raw('DROP TRIGGER IF EXISTS audit_checkpoints_no_delete')
    }
    this.defer(async (db) => {
      await db.from('audit_checkpoints').where('kind', 'legacy').delete()
    })
    this.schema.alterTable('audit_checkpoints', (table) => {
      table.dropColumn('kind')
      table.dropColumn('signature')
    })
  }
}
