import type { HttpContext } from '@adonisjs/core/http'
import PersonalDataSystem from '#models/personal_data_system'
import Department from '#models/department'
import SystemVersion from '#models/system_version'
import SystemPolicy from '#policies/register/system_policy'
import SaveSystem from '#actions/register/save_system'
import SystemDiff from '#services/register/system_diff'
import AuditLogger from '#services/audit_logger'
import ApprovedState from '#services/register/approved_state'
import { systemSearchValidator, systemValidator } from '#validators/register/register'

export default class SystemsController {
  /** The register, limited to the departments the user may see. */
  async index({ request, view, bouncer, auth }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('viewAny')
    const filters = await systemSearchValidator.validate(request.qs())
    const visible = await auth.use('web').getUserOrFail().visibleDepartmentIds()
    const systems = await PersonalDataSystem.query()
      .if(visible !== null, (query) => query.whereIn('departmentId', visible!))
      .if(filters.q, (query) =>
        query.where((inner) => {
          const like = `%${filters.q}%`
          inner.where('name', 'like', like).orWhere('businessName', 'like', like).orWhere('purpose', 'like', like)
        })
      )
      .if(filters.departmentId, (query) => query.where('departmentId', filters.departmentId!))
      .if(filters.lifecycle, (query) => query.where('lifecycle', filters.lifecycle!))
      .preload('department')
      // The relation sorts its rows; a count must not (PostgreSQL refuses ORDER BY there).
      .withCount('dataItems', (query) => query.clearOrder())
      .withCount('contracts')
      .orderBy('departmentId')
      .orderBy('name')
      .paginate(filters.page ?? 1, 50)
    systems.baseUrl('/systems').queryString({ ...filters, page: undefined })
    const departments = (await Department.asTree()).filter(({ department }) => visible === null || visible.includes(department.id))
    return view.render('pages/register/systems/index', { systems, filters, departments })
  }

  async create({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('create')
    return view.render('pages/register/systems/form', { system: null, departments: await this.#editableDepartments(auth.use('web').getUserOrFail()) })
  }

  async store({ request, response, bouncer, auth, session, i18n }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('create')
    const input = await request.validateUsing(systemValidator)
    await bouncer.with(SystemPolicy).authorize('editFor', input.departmentId)
    const system = await new SaveSystem().handle(new PersonalDataSystem(), input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.systems.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  /** A system with its people, data items, contracts and subcontracts. */
  async show({ params, view, bouncer }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('view', system)
    await system.load((loader) => {
      loader
        .load('department')
        .load('subjectGroups')
        .load('dataItems')
        .load('contracts', (contracts) =>
          contracts
            .whereNull('parentContractId')
            .preload('contractor')
            .preload('specialTermSet')
            .preload('subcontracts', (subcontracts) => subcontracts.preload('contractor'))
            .orderBy('id')
        )
    })
    await AuditLogger.record({ action: 'system.view', subject: system })
    return view.render('pages/register/systems/show', { system, approval: await ApprovedState.compare(system) })
  }

  async edit({ params, view, bouncer, auth }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('update', system)
    await system.load('subjectGroups')
    return view.render('pages/register/systems/form', { system, departments: await this.#editableDepartments(auth.use('web').getUserOrFail()) })
  }

  async update({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('update', system)
    const input = await request.validateUsing(systemValidator)
    await bouncer.with(SystemPolicy).authorize('editFor', input.departmentId)
    await new SaveSystem().handle(system, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.systems.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  /** Version history, and the difference between any two versions. */
  async history({ params, request, view, bouncer }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('view', system)
    const versions = await SystemVersion.query().where('systemId', system.id).preload('changedBy').orderBy('version', 'desc')
    const latest = versions[0]?.version ?? 0
    const to = Number(request.input('to', latest))
    const from = Number(request.input('from', Math.max(1, to - 1)))
    const before = versions.find((version) => version.version === from)
    const after = versions.find((version) => version.version === to)
    const difference = before && after ? SystemDiff.between(before.snapshot, after.snapshot) : null
    return view.render('pages/register/systems/history', { system, versions, from, to, difference })
  }

  async #editableDepartments(user: { visibleDepartmentIds(): Promise<number[] | null>; role: string }) {
    const visible = user.role === 'privacy_officer' ? null : await user.visibleDepartmentIds()
    return (await Department.asTree()).filter(({ department }) => visible === null || visible.includes(department.id))
  }
}
