import type { HttpContext } from '@adonisjs/core/http'
import AuditLogger from '#services/audit_logger'

export default class CitizenPortalController {
  /** The citizen's own page (their submissions arrive with the opinion workflow). */
  async show({ view, auth }: HttpContext) {
    const citizen = auth.use('citizen').getUserOrFail()
    await AuditLogger.record({ action: 'citizen.view_own_profile', subject: citizen, changedFields: [] })
    return view.render('pages/citizen/portal', { citizen })
  }
}
