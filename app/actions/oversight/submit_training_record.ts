import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import TrainingRecord from '#models/training_record'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'

/**
 * Files a training record; it satisfies the training duty of the fiscal
 * year in which the training was held.
 */
@inject()
export default class SubmitTrainingRecord {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    contract: Contract,
    input: { trainedOn: Date; content: string; attendees: number },
    user: User
  ) {
    return db.transaction(async (trx) => {
      const trainedOn = DateTime.fromJSDate(input.trainedOn).setZone(WARD_ZONE).startOf('day')
      const record = await TrainingRecord.create(
        {
          contractId: contract.id,
          trainedOn,
          content: input.content,
          attendees: input.attendees,
          submittedByUserId: user.id,
        },
        { client: trx }
      )
      await this.auditLog.record(
        {
          action: 'training_record.submit',
          subject: record,
          changedFields: ['trainedOn', 'content', 'attendees'],
        },
        trx
      )
      await DutyLedger.satisfy(
        contract.id,
        'training',
        String(WardCalendar.fiscalYear(trainedOn)),
        { type: 'training_record', id: record.id, on: trainedOn },
        this.auditLog,
        trx
      )
      return record
    })
  }
}
