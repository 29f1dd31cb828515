import { inject } from '@adonisjs/core'
import Clock from '#services/clock'
import db from '@adonisjs/lucid/services/db'
import DutyLedger from '#services/oversight/duty_ledger'
import AuditLogger from '#services/audit_logger'
import { WARD_ZONE } from '#services/ward_calendar'
import type DeletionCertificate from '#models/deletion_certificate'
import type User from '#models/user'

/**
 * The ward checks an uploaded deletion certificate: verified (確認済み),
 * which satisfies the contract's return-and-erasure duty, or sent back
 * (差戻し) with a reason. Only a certificate awaiting review can be
 * reviewed; returns false otherwise.
 */
@inject()
export default class ReviewCertificate {
  constructor(private clock: Clock) {}

  async verify(certificate: DeletionCertificate, user: User): Promise<boolean> {
    if (certificate.status !== 'submitted') return false
    const verifiedOn = this.clock.now().setZone(WARD_ZONE).startOf('day')
    await db.transaction(async (trx) => {
      certificate.useTransaction(trx)
      certificate.merge({ status: 'verified', reviewedOn: verifiedOn, reviewedByUserId: user.id })
      await certificate.save()
      await AuditLogger.record(
        {
          action: 'deletion_certificate.verify',
          subject: certificate,
          changedFields: ['status', 'reviewedOn', 'reviewedByUserId'],
        },
        trx
      )
      await DutyLedger.satisfy(
        certificate.contractId,
        'return_erasure',
        'end',
        { type: 'deletion_certificate', id: certificate.id, on: verifiedOn },
        trx
      )
    })
    return true
  }

  async reject(certificate: DeletionCertificate, reason: string, user: User): Promise<boolean> {
    if (certificate.status !== 'submitted') return false
    await db.transaction(async (trx) => {
      certificate.useTransaction(trx)
      certificate.merge({
        status: 'rejected',
        reviewedOn: this.clock.now().setZone(WARD_ZONE).startOf('day'),
        reviewedByUserId: user.id,
        rejectionReason: reason,
      })
      await certificate.save()
      await AuditLogger.record(
        {
          action: 'deletion_certificate.reject',
          subject: certificate,
          changedFields: ['status', 'reviewedOn', 'reviewedByUserId', 'rejectionReason'],
        },
        trx
      )
    })
    return true
  }
}
