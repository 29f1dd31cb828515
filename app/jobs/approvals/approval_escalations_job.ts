import app from '@adonisjs/core/services/app'
import ApprovalNotices from '#services/approvals/approval_notices'
import type { ScheduledJob } from '#jobs/job'

/**
 * Every morning at 8:45: approval requests (replies, FAQ changes, council items) waiting 3
 * open days or more go to the department's acting approvers and the privacy office, once each.
 */
export default class ApprovalEscalationsJob implements ScheduledJob {
  readonly name = 'approval-escalations'
  readonly schedule = '45 8 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const notices = await app.container.make(ApprovalNotices)
    const escalated = await notices.escalate()
    return `${escalated} approval requests escalated`
  }
}
