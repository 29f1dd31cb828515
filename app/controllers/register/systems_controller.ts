import type { HttpContext } from '@adonisjs/core/http'
import PersonalDataSystem from '#models/personal_data_system'
import SystemPolicy from '#policies/register/system_policy'
import SaveSystem from '#actions/register/save_system'
import RegisterScope from '#builders/register_scope'
import ApprovedState from '#services/register/approved_state'
import SystemQueries from '#services/register/system_queries'
import { systemSearchValidator, systemValidator } from '#validators/register/register'

export default class SystemsController {
  /** The register, limited to the departments the user may see. */
  async index({ request, view, bouncer, auth }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('viewAny')
    const filters = await request.validateUsing(systemSearchValidator, { data: request.qs() })
    const scope = await RegisterScope.for(auth.use('web').getUserOrFail())
    const systems = await SystemQueries.list(scope, filters)
    return view.render('pages/register/systems/index', {
      systems,
      filters,
      departments: await scope.departments(),
    })
  }

  async create({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('create')
    const scope = await RegisterScope.for(auth.use('web').getUserOrFail())
    return view.render('pages/register/systems/form', {
      system: null,
      departments: await scope.editableDepartments(),
    })
  }

  async store({ request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(SystemPolicy).authorize('create')
    const input = await request.validateUsing(systemValidator)
    await bouncer.with(SystemPolicy).authorize('editFor', input.departmentId)
    const system = await new SaveSystem(auditLog).handle(
      new PersonalDataSystem(),
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('register.systems.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  /** A system with its people, data items, contracts and subcontracts. */
  async show({ params, view, bouncer, auditLog }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('view', system)
    const { contracts } = await SystemQueries.forShow(system)
    await auditLog.record({ action: 'system.view', subject: system })
    return view.render('pages/register/systems/show', {
      system,
      approval: await ApprovedState.compare(system, contracts),
    })
  }

  async edit({ params, view, bouncer, auth }: HttpContext) {
    const system = await SystemQueries.withSubjectGroups(params.id)
    await bouncer.with(SystemPolicy).authorize('update', system)
    const scope = await RegisterScope.for(auth.use('web').getUserOrFail())
    return view.render('pages/register/systems/form', {
      system,
      departments: await scope.editableDepartments(),
    })
  }

  async update({ params, request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('update', system)
    const input = await request.validateUsing(systemValidator)
    await bouncer.with(SystemPolicy).authorize('editFor', input.departmentId)
    await new SaveSystem(auditLog).handle(system, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.systems.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  /** Version history, and the difference between any two versions. */
  async history({ params, request, view, bouncer }: HttpContext) {
    const system = await PersonalDataSystem.findOrFail(params.id)
    await bouncer.with(SystemPolicy).authorize('view', system)
    const history = await SystemQueries.history(system, {
      from: request.input('from'),
      to: request.input('to'),
    })
    return view.render('pages/register/systems/history', { system, ...history })
  }
}
