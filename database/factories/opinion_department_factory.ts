import factory from '@adonisjs/lucid/factories'
import { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import { OpinionFactory } from '#database/factories/opinion_factory'

/**
 * The forwarding of an opinion to a department (関係所属転送): co-forwarded,
 * pending, not yet announced. The fiscal year is the opinion's unless merged.
 */
export const OpinionDepartmentFactory = factory
  .define(OpinionDepartment, () => ({
    isLead: false,
    handlingStatus: 'pending' as const,
    forwardedAt: DateTime.now(),
  }))
  .state('lead', (assignment) => {
    assignment.isLead = true
  })
  /** The department alert has gone out. */
  .state('notified', (assignment) => {
    assignment.notifiedAt = DateTime.now()
  })
  .state('handled', (assignment) => {
    assignment.handlingStatus = 'handled'
    assignment.handledAt = DateTime.now()
  })
  .before('create', async (_, assignment, { $trx }) => {
    if (assignment.fiscalYear === undefined) {
      const opinion = await Opinion.findOrFail(assignment.opinionId, { client: $trx })
      assignment.fiscalYear = opinion.fiscalYear
    }
  })
  .relation('opinion', () => OpinionFactory)
  .build()
