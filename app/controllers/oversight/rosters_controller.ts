import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import RosterPolicy from '#policies/oversight/roster_policy'
import SubmitRoster from '#actions/oversight/submit_roster'
import AcknowledgeRoster from '#actions/oversight/acknowledge_roster'
import SubmissionQueries from '#services/oversight/submission_queries'
import { rosterValidator } from '#validators/oversight/roster'
import { formRows } from '#validators/list_input'

/** Blank rows the "add rows" button adds unless the user asks for another number (at most MAX_ADDED_ROWS). */
const ADDED_ROWS = 10
const MAX_ADDED_ROWS = 500

export default class RostersController {
  /** Every version of a contract's roster, newest first; the current one marked. */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(RosterPolicy).authorize('viewFor', contract)
    const rosters = await SubmissionQueries.rosters(contract.id)
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
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    const latest = await SubmissionQueries.latestRoster(contract.id)
    const typed = session.flashMessages.has('members')
      ? formRows(session.flashMessages.get('members'))
      : null
    const members: Array<Record<string, unknown>> = typed
      ? typed.map((row) => ({
          memberKind: row.memberKind,
          fullName: row.fullName,
          role: row.role,
          trainedOn: row.trainedOn,
        }))
      : (latest?.members ?? []).map((member) => ({
          memberKind: member.kind,
          fullName: member.name,
          role: member.role,
          trainedOn: member.trainedOn?.toISODate() ?? '',
        }))
    // What was typed comes back row for row; a fresh form offers three blank rows below the members.
    const rows =
      Math.max(typed ? members.length : members.length + 3, 6) +
      addedRows(session.flashMessages.get('addedRows'), 0)
    while (members.length < rows)
      members.push({
        memberKind: members.length === 0 ? 'responsible' : 'handler',
        fullName: '',
        role: '',
        trainedOn: '',
      })
    return view.render('pages/oversight/rosters/create', {
      contract,
      members,
      latest,
      addRows: ADDED_ROWS,
      maxAddedRows: MAX_ADDED_ROWS,
    })
  }

  /** "Add rows": back to the form with what was typed and more blank rows; nothing is saved. */
  async addRows({ params, request, response, bouncer, session }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    session.flashAll()
    session.flash('addedRows', addedRows(request.input('more'), ADDED_ROWS))
    return response.redirect().toRoute('rosters.create', { contractId: contract.id })
  }

  /** Submits a new version; a refusal (DomainError) brings the form back with the rows typed. */
  @inject()
  async store(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    submit: SubmitRoster
  ) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(RosterPolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(rosterValidator)
    const roster = await submit.handle(contract, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('portal.rosters.submitted', { version: roster.version }))
    return response.redirect().toRoute('rosters.show', { id: roster.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const roster = await SubmissionQueries.roster(params.id)
    await bouncer.with(RosterPolicy).authorize('view', roster)
    const { isCurrent } = await SubmissionQueries.rosterDetails(roster)
    const canAcknowledge =
      !roster.isAcknowledged && (await bouncer.with(RosterPolicy).allows('acknowledge', roster))
    return view.render('pages/oversight/rosters/show', {
      roster,
      contract: roster.contract,
      isCurrent,
      canAcknowledge,
    })
  }

  /** The ward acknowledges (受理) a version. */
  @inject()
  async acknowledge(
    { params, response, bouncer, auth, session, i18n }: HttpContext,
    acknowledgement: AcknowledgeRoster
  ) {
    const roster = await SubmissionQueries.roster(params.id)
    await bouncer.with(RosterPolicy).authorize('acknowledge', roster)
    const done = await acknowledgement.handle(roster, auth.use('web').getUserOrFail())
    session.flash(
      'success',
      i18n.t(done ? 'portal.rosters.acknowledged' : 'portal.rosters.already_acknowledged')
    )
    return response.redirect().toRoute('rosters.show', { id: roster.id })
  }
}

/** How many blank rows to add: the number asked for, within 1…MAX_ADDED_ROWS, or `fallback`. */
function addedRows(value: unknown, fallback: number): number {
  const wanted = Number(value)
  return Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, MAX_ADDED_ROWS) : fallback
}
