import type { HttpContext } from '@adonisjs/core/http'
import Contract from '#models/contract'
import HandlerRoster from '#models/handler_roster'
import RosterPolicy from '#policies/oversight/roster_policy'
import SubmitRoster from '#actions/oversight/submit_roster'
import AcknowledgeRoster from '#actions/oversight/acknowledge_roster'
import { rosterValidator } from '#validators/oversight/roster'
import { formRows } from '#validators/list_input'

/** Blank rows the "add rows" button adds unless the user asks for another number (at most MAX_ADDED_ROWS). */
const ADDED_ROWS = 10
const MAX_ADDED_ROWS = 500

export default class RostersController {
  /** Every version of a contract's roster, newest first; the current one marked. */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(RosterPolicy).authorize('viewFor', contract)
    const rosters = await HandlerRoster.query().where('contractId', contract.id).withCount('members').orderBy('version', 'desc')
    const current = rosters.find((roster) => roster.isAcknowledged) ?? null
    const canSubmit = await bouncer.with(RosterPolicy).allows('submitFor', contract)
    return view.render('pages/oversight/rosters/index', { contract, rosters, current, canSubmit })
  }

  /**
   * A new version, starting from the newest one's members, or from what was
   * typed when the form comes back (after an error, or with the blank rows
   * "add rows" asked for).
   */
  async create({ params, view, bouncer, session }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    const latest = await HandlerRoster.query()
      .where('contractId', contract.id)
      .preload('members', (members) => members.orderBy('sortOrder'))
      .orderBy('version', 'desc')
      .first()
    const typed = session.flashMessages.has('members') ? formRows(session.flashMessages.get('members')) : null
    const members: Array<Record<string, unknown>> = typed
      ? typed.map((row) => ({ memberKind: row.memberKind, fullName: row.fullName, role: row.role, trainedOn: row.trainedOn }))
      : (latest?.members ?? []).map((member) => ({
          memberKind: member.kind,
          fullName: member.name,
          role: member.role,
          trainedOn: member.trainedOn?.toISODate() ?? '',
        }))
    // What was typed comes back row for row; a fresh form offers three blank rows below the members.
    const rows = Math.max(typed ? members.length : members.length + 3, 6) + addedRows(session.flashMessages.get('addedRows'), 0)
    while (members.length < rows) members.push({ memberKind: members.length === 0 ? 'responsible' : 'handler', fullName: '', role: '', trainedOn: '' })
    return view.render('pages/oversight/rosters/create', { contract, members, latest, addRows: ADDED_ROWS, maxAddedRows: MAX_ADDED_ROWS })
  }

  /** "Add rows": back to the form with what was typed and more blank rows; nothing is saved. */
  async addRows({ params, request, response, bouncer, session }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    session.flashAll()
    session.flash('addedRows', addedRows(request.input('more'), ADDED_ROWS))
    return response.redirect().toRoute('rosters.create', { contractId: contract.id })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(rosterValidator)
    const result = await new SubmitRoster().handle(contract, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().toRoute('rosters.create', { contractId: contract.id })
    }
    session.flash('success', i18n.t('portal.rosters.submitted', { version: result.roster.version }))
    return response.redirect().toRoute('rosters.show', { id: result.roster.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const roster = await this.#roster(params.id)
    await bouncer.with(RosterPolicy).authorize('view', roster)
    await roster.load('members', (members) => members.orderBy('sortOrder'))
    await roster.load('acknowledgedBy')
    const current = await HandlerRoster.current(roster.contractId)
    const canAcknowledge = !roster.isAcknowledged && (await bouncer.with(RosterPolicy).allows('acknowledge', roster))
    return view.render('pages/oversight/rosters/show', { roster, contract: roster.contract, isCurrent: current?.id === roster.id, canAcknowledge })
  }

  /** The ward acknowledges (受理) a version. */
  async acknowledge({ params, response, bouncer, auth, session, i18n }: HttpContext) {
    const roster = await this.#roster(params.id)
    await bouncer.with(RosterPolicy).authorize('acknowledge', roster)
    const done = await new AcknowledgeRoster().handle(roster, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t(done ? 'portal.rosters.acknowledged' : 'portal.rosters.already_acknowledged'))
    return response.redirect().toRoute('rosters.show', { id: roster.id })
  }

  async #roster(id: number) {
    const roster = await HandlerRoster.findOrFail(id)
    roster.$setRelated('contract', await Contract.findWithParties(roster.contractId))
    return roster
  }
}

/** How many blank rows to add: the number asked for, within 1…MAX_ADDED_ROWS, or `fallback`. */
function addedRows(value: unknown, fallback: number): number {
  const wanted = Number(value)
  return Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, MAX_ADDED_ROWS) : fallback
}
