import { args, BaseCommand } from '@adonisjs/core/ace'

export default class EncryptionKey extends BaseCommand {
  static commandName = 'encryption:key'
  static description = 'Print a new field-encryption key to put first in FIELD_ENCRYPTION_KEYS'

  @args.string({ description: 'Key id (letters, digits, - and _)', required: false })
  declare id?: string

  async run() {
    const { FieldEncryption } = await import('#services/field_encryption')
    const id = this.id ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`
    this.logger.log(FieldEncryption.generateKey(id))
  }
}
