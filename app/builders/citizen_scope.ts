import type Citizen from '#models/citizen'
import Opinion from '#models/opinion'

/**
 * What a signed-in citizen may see: their own submissions, and of those
 * only the replies that were sent (drafts and approvals stay inside the
 * ward). Another citizen's submission is not found (a 404, never a hint
 * that it exists).
 *
 *     const scope = CitizenScope.for(citizen)
 *     const opinions = await scope.opinions()
 */
export default class CitizenScope {
  private constructor(readonly citizen: Citizen) {}

  static for(citizen: Citizen): CitizenScope {
    return new CitizenScope(citizen)
  }

  /** The citizen's submissions, newest first, with the replies sent to them. */
  opinions() {
    return Opinion.query()
      .where('citizenId', this.citizen.id)
      .preload('replies', (replies) => replies.where('status', 'sent'))
      .orderBy('id', 'desc')
  }

  /** One of the citizen's submissions with its topic and the sent replies (404 otherwise). */
  opinion(id: number) {
    return Opinion.query()
      .where('id', id)
      .where('citizenId', this.citizen.id)
      .preload('topic')
      .preload('replies', (replies) =>
        replies.where('status', 'sent').preload('department').orderBy('id')
      )
      .firstOrFail()
  }
}
