import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Server-side sessions (SESSION_DRIVER=database). A cookie holds at most 4 KB: a refused long
 * form (a 60-clause set, 200 data items) flashed its input into the cookie, the browser
 * dropped it, and everything typed was lost. The table keeps the flash on the server.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('sessions', (table) => {
      table.string('id').primary()
      table.text('data').notNullable()
      table.string('user_id').nullable().index()
      table.timestamp('expires_at').notNullable().index()
    })
  }

  async down() {
    this.schema.dropTable('sessions')
  }
}
