import type { HttpContext } from '@adonisjs/core/http'
import AdminScope from '#builders/admin_scope'
import AuditLogPolicy from '#policies/admin/audit_log_policy'

export default class AuditLogsController {
  /** Searchable audit trail (privacy office, administrators). */
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(AuditLogPolicy).authorize('viewAny')
    const filters = {
      action: String(request.input('action') ?? '').trim(),
      subjectType: String(request.input('subjectType') ?? '').trim(),
      subjectId: String(request.input('subjectId') ?? '').trim(),
    }
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const entries = await AdminScope.for(auth.use('web').getUserOrFail())
      .auditLogs(filters)
      .paginate(page, 50)
    entries.baseUrl('/audit-logs').queryString(filters)
    return view.render('pages/admin/audit_logs/index', { entries, filters })
  }
}
