import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import OversightDuty from '#models/oversight_duty'

/** An open audit duty of this fiscal year, due in a month; merge `contractId`. */
export const OversightDutyFactory = factory
  .define(OversightDuty, () => ({
    kind: 'audit' as const,
    periodKey: String(DateTime.now().year),
    dueOn: DateTime.now().plus({ months: 1 }).startOf('day'),
    state: 'open' as const,
  }))
  .state('overdue', (duty) => {
    duty.dueOn = DateTime.now().minus({ days: 1 }).startOf('day')
  })
  .state('satisfied', (duty) => {
    duty.state = 'satisfied'
    duty.satisfiedOn = DateTime.now().startOf('day')
  })
  .state('waived', (duty) => {
    duty.state = 'waived'
    duty.waivedReason = '当該年度は業務の実施なし'
  })
  .build()
