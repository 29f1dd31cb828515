import type { DateTime } from 'luxon'
import Contractor from '#models/contractor'
import User from '#models/user'

export interface ContractorFilters {
  q: string
  /** '1': Privacy Marks expired or expiring within 90 days. */
  flagged: '' | '1'
}

/** The reads of the contractor pages. */
export default class ContractorQueries {
  /** Contractors by kana, searchable by name or corporate number, 50 a page. */
  static async list(filters: ContractorFilters, page: number, today: DateTime) {
    const contractors = await Contractor.query()
      .if(filters.q, (query) => query.withScopes((scopes) => scopes.search(filters.q)))
      .if(filters.flagged, (query) =>
        query.withScopes((scopes) => scopes.privacyMarkFlagged(today))
      )
      .orderByRaw('coalesce(name_kana, name)')
      .orderBy('id')
      .paginate(page, 50)
    contractors.baseUrl('/contractors').queryString(filters)
    return contractors
  }

  /** The contractor's user accounts, by name. */
  static async users(contractor: Contractor) {
    return User.query().where('contractorId', contractor.id).orderBy('fullName').orderBy('id')
  }
}
