import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Clock from '#services/clock'
import DutyLedger from '#services/oversight/duty_ledger'
import AuditLogger from '#services/audit_logger'
import { WARD_ZONE } from '#services/ward_calendar'
import DeletionCertificate from '#models/deletion_certificate'
import type PeriodicReport from '#models/periodic_report'
import type User from '#models/user'

/** What the ward checks: a deletion certificate or a periodic report. */
export type ReviewableSubmission = DeletionCertificate | PeriodicReport

/**
 * The ward checks a contractor's submission (消去証明書, 定期報告): verified
 * (確認済み), which satisfies the duty waiting on it, or sent back (差戻し)
 * with a reason, which the contractor sees on the submission and on the
 * duty, owed again. Only a submission awaiting the check can be reviewed;
 * returns false otherwise.
 */
@inject()
export default class ReviewSubmission {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async verify(submission: ReviewableSubmission, user: User): Promise<boolean> {
    if (submission.status !== 'submitted') return false
    const verifiedOn = this.#today()
    const { type, kind, periodKey } = ReviewSubmission.dutyOf(submission)
    await db.transaction(async (trx) => {
      submission.useTransaction(trx)
      submission.status = 'verified'
      submission.reviewedOn = verifiedOn
      submission.reviewedByUserId = user.id
      await submission.save()
      await this.auditLog.record(
        {
          action: `${type}.verify`,
          subject: submission,
          changedFields: ['status', 'reviewedOn', 'reviewedByUserId'],
        },
        trx
      )
      await DutyLedger.satisfy(
        submission.contractId,
        kind,
        periodKey,
        { type, id: submission.id, on: verifiedOn },
        this.auditLog,
        trx
      )
    })
    return true
  }

  async reject(submission: ReviewableSubmission, reason: string, user: User): Promise<boolean> {
    if (submission.status !== 'submitted') return false
    const { type } = ReviewSubmission.dutyOf(submission)
    await db.transaction(async (trx) => {
      submission.useTransaction(trx)
      submission.status = 'rejected'
      submission.reviewedOn = this.#today()
      submission.reviewedByUserId = user.id
      submission.rejectionReason = reason
      await submission.save()
      await this.auditLog.record(
        {
          action: `${type}.reject`,
          subject: submission,
          changedFields: ['status', 'reviewedOn', 'reviewedByUserId', 'rejectionReason'],
        },
        trx
      )
      await DutyLedger.sendBack(
        submission.contractId,
        { type, id: submission.id },
        reason,
        this.auditLog,
        trx
      )
    })
    return true
  }

  #today() {
    return this.clock.now().setZone(WARD_ZONE).startOf('day')
  }

  /** The evidence type and the duty a submission answers. */
  private static dutyOf(submission: ReviewableSubmission) {
    return submission instanceof DeletionCertificate
      ? { type: 'deletion_certificate', kind: 'return_erasure', periodKey: 'end' }
      : { type: 'periodic_report', kind: 'periodic_report', periodKey: submission.period }
  }
}
