import type { HttpContext } from '@adonisjs/core/http'
import CitizenScope from '#builders/citizen_scope'

export default class CitizenPortalController {
  /** The citizen's own page: their submissions with status and unread replies. */
  async show({ view, auth, auditLog }: HttpContext) {
    const citizen = auth.use('citizen').getUserOrFail()
    const opinions = await CitizenScope.for(citizen).opinions()
    await auditLog.record({
      action: 'citizen.view_own_profile',
      subject: citizen,
      changedFields: [],
    })
    return view.render('pages/citizen/portal', { citizen, opinions })
  }
}
