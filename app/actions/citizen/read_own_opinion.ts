import { inject } from '@adonisjs/core'
import CitizenScope from '#builders/citizen_scope'
import type Citizen from '#models/citizen'
import type Opinion from '#models/opinion'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'

/**
 * A citizen opens one of their submissions: the replies sent to them are
 * marked read (at the clock's time) and the access is audited.
 */
@inject()
export default class ReadOwnOpinion {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(citizen: Citizen, opinionId: number): Promise<Opinion> {
    const opinion = await CitizenScope.for(citizen).opinion(opinionId)
    for (const reply of opinion.replies.filter((sent) => !sent.readAt)) {
      reply.readAt = this.clock.now()
      await reply.save()
    }
    await this.auditLog.record({
      action: 'citizen.view_own_opinion',
      subject: opinion,
      changedFields: [],
    })
    return opinion
  }
}
