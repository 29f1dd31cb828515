import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import AdminScope from '#builders/admin_scope'
import DepartmentPolicy from '#policies/admin/department_policy'
import ManageDepartmentApprovers from '#actions/approvals/manage_department_approvers'
import ApproverQueries from '#services/approvals/approver_queries'
import Clock from '#services/clock'
import {
  approverAbsenceValidator,
  departmentApproverValidator,
} from '#validators/admin/department_approver'

/** 承認者・代理承認者 and their absences (不在) of one department: administrators only. */
export default class DepartmentApproversController {
  @inject()
  async show({ params, view, auth, bouncer }: HttpContext, clock: Clock) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const user = auth.use('web').getUserOrFail()
    const department = await AdminScope.for(user).department(params.id)
    return view.render(
      'pages/admin/departments/approvers',
      await ApproverQueries.forPage(department, clock.now(), user)
    )
  }

  async store({ params, request, response, auth, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await AdminScope.for(auth.use('web').getUserOrFail()).department(params.id)
    const input = await request.validateUsing(departmentApproverValidator)
    await new ManageDepartmentApprovers(auditLog).name(department, input)
    session.flash('success', i18n.t('approvals.admin.saved'))
    return response.redirect().toRoute('admin.departments.approvers', { id: department.id })
  }

  async destroy({ params, response, auth, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await AdminScope.for(auth.use('web').getUserOrFail()).department(params.id)
    await new ManageDepartmentApprovers(auditLog).remove(department, params.approverId)
    session.flash('success', i18n.t('approvals.admin.removed'))
    return response.redirect().toRoute('admin.departments.approvers', { id: department.id })
  }

  async storeAbsence({
    params,
    request,
    response,
    auth,
    bouncer,
    session,
    i18n,
    auditLog,
  }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await AdminScope.for(auth.use('web').getUserOrFail()).department(params.id)
    const input = await request.validateUsing(approverAbsenceValidator)
    await new ManageDepartmentApprovers(auditLog).recordAbsence(department, input)
    session.flash('success', i18n.t('approvals.admin.absence_saved'))
    return response.redirect().toRoute('admin.departments.approvers', { id: department.id })
  }

  async destroyAbsence({ params, response, auth, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await AdminScope.for(auth.use('web').getUserOrFail()).department(params.id)
    await new ManageDepartmentApprovers(auditLog).cancelAbsence(department, params.absenceId)
    session.flash('success', i18n.t('approvals.admin.absence_removed'))
    return response.redirect().toRoute('admin.departments.approvers', { id: department.id })
  }
}
