import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Append-only, hash-chained audit log. Entries are chained with HMAC-SHA-256
 * under AUDIT_LOG_KEY (kept outside the database). Triggers refuse UPDATE and
 * DELETE, on the log and on its checkpoints, so that even a bug in the app
 * cannot rewrite history; `node ace audit:verify` detects tampering done
 * around them.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('occurred_at', 30).notNullable()
      table.string('actor_type', 20).notNullable()
      table.integer('actor_id').nullable()
      table.string('actor_label', 150).nullable()
      table.string('action', 60).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 40).nullable()
      table.text('changed_fields').nullable()
      table.text('details').nullable()
      table.string('request_id', 64).nullable()
      table.string('ip', 64).nullable()
      table.string('prev_hash', 64).notNullable()
      table.string('hash', 64).notNullable().unique()
      table.index(['subject_type', 'subject_id'])
      table.index(['actor_type', 'actor_id'])
      table.index(['action'])
    })

    // Verified chain heads, signed with AUDIT_LOG_KEY: a later verify notices entries cut off
    // the end. `kind` 'legacy' marks where entries hashed with plain SHA-256 end (AuditVerifier).
    this.schema.createTable('audit_checkpoints', (table) => {
      table.increments('id')
      table.bigInteger('last_entry_id').notNullable()
      table.string('last_hash', 64).notNullable()
      table.integer('entry_count').notNullable()
      table.timestamp('created_at').notNullable()
      table.string('kind', 20).notNullable().defaultTo('verified')
      table.string('signature', 64).nullable()
    })

    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery(`
          CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
          BEGIN
            RAISE EXCEPTION 'audit_logs is append-only';
          END;
          $$ LANGUAGE plpgsql`)
        await db.rawQuery(`
          CREATE TRIGGER audit_logs_no_update_delete BEFORE UPDATE OR DELETE ON audit_logs
          FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()`)
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
          CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
        await db.rawQuery(`
          CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
        await db.rawQuery(`
          CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
          BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`)
        await db.rawQuery(`
          CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
          BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`)
      }
    })
  }

  async down() {
    this.schema.dropTable('audit_checkpoints')
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw('DROP FUNCTION IF EXISTS audit_checkpoints_append_only()')
      this.schema.raw('DROP TABLE IF EXISTS audit_logs CASCADE')
      this.schema.raw('DROP FUNCTION IF EXISTS audit_logs_append_only()')
    } else {
      this.schema.dropTable(this.tableName)
    }
  }
}
