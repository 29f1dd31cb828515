import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import HandlerRoster from '#models/handler_roster'
import RosterMember, { type RosterMemberKind } from '#models/roster_member'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import DutyLedger from '#services/oversight/duty_ledger'
import { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'
import RowBatch from '#services/row_batch'

export interface RosterInput {
  members: Array<{
    memberKind: RosterMemberKind
    fullName?: string
    role?: string
    trainedOn?: Date
  }>
  notes?: string
}

const refused = (contract: Contract, message: string) =>
  new DomainError(message, {
    field: 'members',
    redirectTo: { route: 'rosters.create', params: { contractId: contract.id } },
  })

/**
 * Submits a new version of a contract's handler roster (取扱責任者及び取扱者
 * 名簿). Blank rows are dropped; a version needs at least one 取扱責任者 and
 * one 取扱者. The roster duty then waits for the ward's check (確認待ち); it
 * counts once the ward acknowledges a version. Refusals are
 * DomainErrors on `members`; the form comes back with the rows typed.
 */
@inject()
export default class SubmitRoster {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(contract: Contract, input: RosterInput, user: User): Promise<HandlerRoster> {
    const rows = input.members.filter(
      (member) => member.fullName || member.role || member.trainedOn
    )
    if (rows.some((member) => !member.fullName)) {
      throw refused(contract, 'portal.errors.member_name_missing')
    }
    if (!rows.some((member) => member.memberKind === 'responsible')) {
      throw refused(contract, 'portal.errors.responsible_required')
    }
    if (!rows.some((member) => member.memberKind === 'handler')) {
      throw refused(contract, 'portal.errors.handler_required')
    }

    return db.transaction(async (trx) => {
      const latest = await trx
        .from('handler_rosters')
        .where('contract_id', contract.id)
        .max('version as version')
        .first()
      const created = await HandlerRoster.create(
        {
          contractId: contract.id,
          version: Number(latest?.version ?? 0) + 1,
          submittedOn: this.clock.now().setZone(WARD_ZONE).startOf('day'),
          submittedByUserId: user.id,
          notes: input.notes ?? null,
        },
        { client: trx }
      )
      await RowBatch.insert(
        RosterMember,
        rows.map((member, index) => ({
          handlerRosterId: created.id,
          kind: member.memberKind,
          name: member.fullName!,
          role: member.role ?? null,
          trainedOn: member.trainedOn ? DateTime.fromJSDate(member.trainedOn) : null,
          sortOrder: index,
        })),
        trx
      )
      await this.auditLog.record(
        {
          action: 'handler_roster.submit',
          subject: created,
          changedFields: [
            'version',
            'submittedOn',
            'notes',
            'members.kind',
            'members.name',
            'members.role',
            'members.trainedOn',
          ],
          details: { contractId: contract.id, version: created.version, members: rows.length },
        },
        trx
      )
      await DutyLedger.submit(
        contract.id,
        'roster',
        'initial',
        { type: 'handler_roster', id: created.id, on: created.submittedOn },
        this.auditLog,
        trx
      )
      return created
    })
  }
}
