import CouncilImport from '#models/council_import'
import type User from '#models/user'

/** Reads of council imports for the pages. */
export default class CouncilImportQueries {
  /** The newest imports: the user's own, or every one for the privacy office. */
  static list(user: User, seesAll: boolean) {
    return CouncilImport.query()
      .preload('createdBy')
      .if(!seesAll, (query) => query.where('createdByUserId', user.id))
      .orderBy('id', 'desc')
      .limit(200)
  }

  /** One import with, once confirmed, the council item it became. */
  static async find(id: unknown): Promise<CouncilImport> {
    const record = await CouncilImport.findOrFail(Number(id) || 0)
    if (record.status === 'confirmed' && record.councilItemId) {
      await record.load('councilItem', (query) => query.preload('annexes'))
    }
    return record
  }
}
