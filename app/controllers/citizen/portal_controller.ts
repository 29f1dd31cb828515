import type { HttpContext } from '@adonisjs/core/http'
import Opinion from '#models/opinion'
import AuditLogger from '#services/audit_logger'

export default class CitizenPortalController {
  /** The citizen's own page: their submissions with status and unread replies. */
  async show({ view, auth }: HttpContext) {
    const citizen = auth.use('citizen').getUserOrFail()
    const opinions = await Opinion.query()
      .where('citizenId', citizen.id)
      .preload('replies', (replies) => replies.where('status', 'sent'))
      .orderBy('id', 'desc')
    await AuditLogger.record({ action: 'citizen.view_own_profile', subject: citizen, changedFields: [] })
    return view.render('pages/citizen/portal', { citizen, opinions })
  }
}
