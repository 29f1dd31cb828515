import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class EncryptionRotate extends BaseCommand {
  static commandName = 'encryption:rotate'
  static description = 'Re-encrypt personal data with the current key and recompute blind indexes'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: FieldKeyRotation } = await import('#services/field_key_rotation')
    const result = await FieldKeyRotation.rotateAll()
    for (const [table, count] of Object.entries(result.reencrypted)) {
      this.logger.success(`${table}: ${count} row(s) re-encrypted`)
    }
  }
}
