import Contract from '#models/contract'
import DataItem from '#models/data_item'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import type RegisterScope from '#builders/register_scope'
import SystemDiff from '#services/register/system_diff'
import type { systemSearchValidator } from '#validators/register/register'
import type { Infer } from '@vinejs/vine/types'

export type SystemFilters = Infer<typeof systemSearchValidator>

/** The reads of the register's system pages. */
export default class SystemQueries {
  /** The register page: the scope's systems, searched and filtered, 50 a page. */
  static async list(scope: RegisterScope, filters: SystemFilters) {
    const systems = await scope
      .systems()
      .if(filters.q, (query) =>
        query.where((inner) => {
          const like = `%${filters.q}%`
          inner
            .where('name', 'like', like)
            .orWhere('businessName', 'like', like)
            .orWhere('purpose', 'like', like)
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
    return systems
  }

  /** A system with its subject groups (the forms of the system and its data items). */
  static async withSubjectGroups(id: number) {
    return PersonalDataSystem.query().where('id', id).preload('subjectGroups').firstOrFail()
  }

  /** One data item of the system (404 for an item of another system). */
  static async dataItem(system: PersonalDataSystem, id: number) {
    return DataItem.query().where('id', id).where('systemId', system.id).firstOrFail()
  }

  /**
   * A system's page: its people, data items, contracts and subcontracts.
   * The contracts are read once, flat (the approval comparison needs them all);
   * `system.contracts` holds the top-level ones, each with its `subcontracts`.
   */
  static async forShow(system: PersonalDataSystem) {
    const [contracts] = await Promise.all([
      Contract.query()
        .where('systemId', system.id)
        .preload('contractor')
        .preload('specialTermSet')
        .orderBy('id'),
      system.load((loader) => {
        loader.load('department').load('subjectGroups').load('dataItems')
      }),
    ])
    const topLevel = contracts.filter((contract) => contract.parentContractId === null)
    for (const contract of topLevel) {
      const subcontracts = contracts.filter((sub) => sub.parentContractId === contract.id)
      contract.$setRelated('subcontracts', subcontracts)
    }
    system.$setRelated('contracts', topLevel)
    return { system, contracts }
  }

  /** Version history, and the difference between two versions (by default the latest and the one before). */
  static async history(system: PersonalDataSystem, wanted: { from?: unknown; to?: unknown }) {
    const versions = await SystemVersion.query()
      .where('systemId', system.id)
      .preload('changedBy')
      .orderBy('version', 'desc')
    const latest = versions[0]?.version ?? 0
    const to = Number(wanted.to ?? latest)
    const from = Number(wanted.from ?? Math.max(1, to - 1))
    const before = versions.find((version) => version.version === from)
    const after = versions.find((version) => version.version === to)
    const difference = before && after ? SystemDiff.between(before.snapshot, after.snapshot) : null
    return { versions, from, to, difference }
  }
}
