import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class DemoSeed extends BaseCommand {
  static commandName = 'demo:seed'
  static description = 'Load demo data into an empty database (refused in production)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: DemoData, DemoDataRefused } = await import('#database/demo/demo_data')
    try {
      const outcome = await DemoData.load({ inProduction: this.app.inProduction })
      if (outcome === 'loaded') {
        this.logger.success('demo data loaded (logins in README.md, password "daicho-demo")')
      } else {
        this.logger.info('database already has users: demo data not loaded')
      }
    } catch (error) {
      if (error instanceof DemoDataRefused) {
        this.logger.error(error.message)
        this.exitCode = 1
        return
      }
      throw error
    }
  }
}
