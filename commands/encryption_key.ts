import { args, BaseCommand, flags } from '@adonisjs/core/ace'

export default class EncryptionKey extends BaseCommand {
  static commandName = 'encryption:key'
  static description =
    'Print a new field-encryption key to put first in FIELD_ENCRYPTION_KEYS (or a BLIND_INDEX_KEY)'

  @args.string({ description: 'Key id (letters, digits, - and _)', required: false })
  declare id?: string

  @flags.boolean({ description: 'Print a new BLIND_INDEX_KEY instead' })
  declare blindIndex?: boolean

  @flags.boolean({
    description:
      'Print the key derived from APP_KEY (id "app"), to keep data encrypted without configured keys readable',
  })
  declare fromAppKey?: boolean

  async run() {
    const { FieldEncryption } = await import('#services/field_encryption')
    if (this.blindIndex) {
      this.logger.log(FieldEncryption.generateBlindIndexKey())
      return
    }
    if (this.fromAppKey) {
      const { default: env } = await import('#start/env')
      this.logger.log(FieldEncryption.appKeyEntry(env.get('APP_KEY')))
      return
    }
    const id = this.id ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`
    this.logger.log(FieldEncryption.generateKey(id))
  }
}
