import type { HttpContext } from '@adonisjs/core/http'
import AuditLog from '#models/audit_log'
import AuditLogPolicy from '#policies/admin/audit_log_policy'

export default class AuditLogsController {
  /** Searchable audit trail (privacy office, administrators). */
  async index({ request, view, bouncer }: HttpContext) {
    await bouncer.with(AuditLogPolicy).authorize('viewAny')
    const filters = {
      action: String(request.input('action') ?? '').trim(),
      subjectType: String(request.input('subjectType') ?? '').trim(),
      subjectId: String(request.input('subjectId') ?? '').trim(),
    }
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const entries = await AuditLog.query()
      .if(filters.action, (query) => query.where('action', 'like', `${filters.action}%`))
      .if(filters.subjectType, (query) => query.where('subjectType', filters.subjectType))
      .if(filters.subjectId, (query) => query.where('subjectId', filters.subjectId))
      .orderBy('id', 'desc')
      .paginate(page, 50)
    entries.baseUrl('/audit-logs').queryString(filters)
    return view.render('pages/admin/audit_logs/index', { entries, filters })
  }
}
