import type { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Contract from '#models/contract'
import DeletionCertificate from '#models/deletion_certificate'
import HandlerRoster from '#models/handler_roster'
import OversightDuty from '#models/oversight_duty'
import PeriodicReport from '#models/periodic_report'
import type User from '#models/user'
import { OUTSTANDING_DUTY_STATES } from '#enums/register'
import { REMINDER_WINDOW_DAYS } from '#services/oversight/duty_reminders'
import { dutyLabelMessage } from '#services/oversight/duty_labels'
import { totalOf } from '#services/my_work/opinion_sections'
import type {
  MyWorkContext,
  MyWorkLink,
  MyWorkRow,
  MyWorkSource,
  MyWorkText,
  MyWorkUrgency,
} from '#services/my_work/my_work_section'

/** Ward roles that acknowledge rosters, check certificates and answer incidents (the oversight policies' ward editors). */
const WARD_EDITORS = ['privacy_officer', 'department_staff', 'supervisor']

/** The page where a submission (a duty's evidence) is read and checked, by its type. */
const SUBMISSION_ROUTES: Record<string, string> = {
  handler_roster: 'rosters.show',
  deletion_certificate: 'certificates.show',
  periodic_report: 'periodic_reports.show',
}

/** A sent-back reason is cut to this length in the list (the submission shows it whole). */
const REASON_LENGTH = 80

/** Due within the reminder window (as the duty reminders), or overdue. */
function dutyUrgency(dueOn: DateTime, now: DateTime): MyWorkUrgency {
  const day = dueOn.toISODate()!
  if (day < now.toISODate()!) return 'overdue'
  if (day <= now.plus({ days: REMINDER_WINDOW_DAYS }).toISODate()!) return 'near_due'
  return 'waiting'
}

/** Whether the rows' contracts need their system (ward staff's rows name it). */
const needsSystem = (context: MyWorkContext) => !context.user.isContractorUser

/**
 * How the rows name their contracts: a contractor's by title; ward staff's with the system
 * (preloaded for them only: `needsSystem`) and its department, from the organisation the
 * request already read.
 */
async function contractNamer(context: MyWorkContext) {
  if (!needsSystem(context)) return (contract: Contract): MyWorkText => contract.title
  const directory = await context.directory()
  return (contract: Contract): MyWorkText => ({
    key: 'my_work.context.contract',
    data: {
      contract: contract.title,
      system: contract.system.name,
      department: directory.find(contract.system.departmentId)?.name ?? '',
    },
  })
}

/** The contracts the user oversees or works for (OversightScope), as a subquery of ids (wrapped: awaiting a builder runs it). */
async function contractIds(context: MyWorkContext) {
  const scope = await context.oversightScope()
  return { ids: scope.contracts().select('id') }
}

/** 差戻し：<reason>, the reason cut to REASON_LENGTH. */
function returnedAlert(duty: OversightDuty): MyWorkText {
  const reason = (duty.returnedReason ?? '').trim()
  const short = reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH)}…` : reason
  return { key: 'my_work.notes.returned', data: { reason: short } }
}

/** A duty sent back opens the submission sent back (reason, 再提出); others the contract. */
function dutyLink(duty: OversightDuty, user: User): MyWorkLink {
  const submission = duty.evidenceType ? SUBMISSION_ROUTES[duty.evidenceType] : undefined
  if (duty.state === 'returned' && submission && duty.evidenceId) {
    return { route: submission, params: { id: duty.evidenceId } }
  }
  return user.isContractorUser
    ? { route: 'portal.show', params: { id: duty.contractId } }
    : { route: 'contracts.show', params: { id: duty.contractId } }
}

/**
 * 監督上の義務（期限間近・期限超過）: duties still owed (OUTSTANDING_DUTY_STATES)
 * of the user's contracts, due within the reminder window or overdue, and
 * every one sent back (差戻し, with the ward's reason) whatever its due date;
 * earliest first. A duty whose submission awaits the ward's check is not
 * owed: a contractor sees those counted apart (確認待ち), the ward lists them
 * under submissionsToCheck. Ward staff see the duties of their departments'
 * contracts (the privacy office every one), a contractor user those of its
 * own contracts and subcontracts.
 */
export const duties: MyWorkSource = {
  key: 'duties',

  appliesTo: ({ user }) =>
    user.isContractorUser ? user.contractorId !== null : WARD_EDITORS.includes(user.role),

  async count(context) {
    const { query } = await owedDuties(context)
    return totalOf(await query.count('* as total').pojo())
  },

  async rows(context, limit, offset) {
    const { query } = await owedDuties(context)
    const rows = await query
      .orderBy('due_on')
      .orderBy('kind')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .preload('contract', (contract) =>
        contract.if(needsSystem(context), (q) => q.preload('system'))
      )
    const { user } = context
    const nameOf = await contractNamer(context)
    return rows.map((duty): MyWorkRow => ({
      title: dutyLabelMessage(duty.kind, duty.periodKey),
      context: nameOf(duty.contract),
      date: duty.dueOn,
      dateKind: 'due',
      urgency: dutyUrgency(duty.dueOn, context.now),
      notes: [],
      alerts: duty.state === 'returned' ? [returnedAlert(duty)] : [],
      link: dutyLink(duty, user),
    }))
  },

  /** A contractor's submissions the ward has not checked yet (nothing more is owed for them). */
  async figures(context) {
    if (!context.user.isContractorUser) return []
    const { ids } = await contractIds(context)
    const count = totalOf(
      await OversightDuty.query()
        .where('state', 'submitted')
        .whereIn('contract_id', ids)
        .count('* as total')
        .pojo()
    )
    return count === 0
      ? []
      : [
          {
            label: { key: 'my_work.figures.awaiting_check' },
            count,
            link: { route: 'portal.index' },
          },
        ]
  },

  listLink: (context) =>
    context.user.isContractorUser ? { route: 'portal.index' } : { route: 'oversight.dashboard' },
}

async function owedDuties(context: MyWorkContext) {
  const { ids } = await contractIds(context)
  const horizon = context.now.plus({ days: REMINDER_WINDOW_DAYS }).toISODate()!
  return {
    query: OversightDuty.query()
      .whereIn('state', [...OUTSTANDING_DUTY_STATES])
      .where((owed) => owed.where('due_on', '<=', horizon).orWhere('state', 'returned'))
      .whereIn('contract_id', ids),
  }
}

const wardEditor = ({ user }: MyWorkContext) => WARD_EDITORS.includes(user.role)

/** A submission as the check list reads it first: its kind and id (the union is sorted by date). */
interface PendingSubmission {
  type: 'handler_roster' | 'deletion_certificate' | 'periodic_report'
  id: number
}

/**
 * 確認を待つ受託事業者からの提出: what contractors filed and the ward has not
 * checked yet, of every kind, oldest first: roster versions not acknowledged
 * (受理), deletion certificates and periodic reports neither confirmed nor
 * sent back. Their duties wait in 'submitted' (提出済・確認待ち) until then.
 * Each row opens the submission, where the ward confirms it or sends it back.
 */
export const submissionsToCheck: MyWorkSource = {
  key: 'submissions_to_check',
  appliesTo: wardEditor,

  async count(context) {
    const { union } = await pendingSubmissions(context)
    return totalOf(await db.query().from(union.as('submissions')).count('* as total'))
  },

  async rows(context, limit, offset) {
    const { union } = await pendingSubmissions(context)
    const pending: PendingSubmission[] = await db
      .query()
      .from(union.as('submissions'))
      .select('type', 'id')
      .orderBy('submitted_at')
      .orderBy('type')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
    const idsOf = (type: PendingSubmission['type']) =>
      pending.filter((row) => row.type === type).map((row) => Number(row.id))
    const rosters = await HandlerRoster.query().whereIn('id', idsOf('handler_roster'))
    const certificates = await DeletionCertificate.query().whereIn(
      'id',
      idsOf('deletion_certificate')
    )
    const reports = await PeriodicReport.query().whereIn('id', idsOf('periodic_report'))
    const contracts = await contractsOf([...rosters, ...certificates, ...reports], context)
    const nameOf = await contractNamer(context)

    // Each submission as the row shows it: its title, when it came in, its page.
    const shown = new Map<string, { contractId: number; title: MyWorkText; date: DateTime }>()
    for (const roster of rosters) {
      shown.set(`handler_roster:${roster.id}`, {
        contractId: roster.contractId,
        title: { key: 'my_work.roster_title', data: { version: roster.version } },
        date: roster.submittedOn,
      })
    }
    for (const certificate of certificates) {
      shown.set(`deletion_certificate:${certificate.id}`, {
        contractId: certificate.contractId,
        title: {
          key: 'my_work.certificate_title',
          data: { method: { key: `portal.certificates.methods.${certificate.method}` } },
        },
        date: certificate.createdAt,
      })
    }
    for (const report of reports) {
      shown.set(`periodic_report:${report.id}`, {
        contractId: report.contractId,
        title: { key: 'my_work.report_title', data: { period: report.period } },
        date: report.submittedOn,
      })
    }
    return pending.map(({ type, id }): MyWorkRow => {
      const submission = shown.get(`${type}:${id}`)!
      return {
        title: submission.title,
        context: nameOf(contracts.get(submission.contractId)!),
        date: submission.date,
        dateKind: 'submitted',
        urgency: 'waiting',
        notes: [{ key: 'oversight.status.submitted' }],
        link: { route: SUBMISSION_ROUTES[type], params: { id: Number(id) } },
      }
    })
  },
}

/**
 * The submissions awaiting the ward's check of the user's contracts, as one
 * union (type, id, submitted_at), wrapped; a certificate's submission is its creation.
 */
async function pendingSubmissions(context: MyWorkContext) {
  const scope = await context.oversightScope()
  const visible = () => scope.contracts().select('id')
  const rosters = db
    .from('handler_rosters')
    .select(db.raw("'handler_roster' as type"), 'id', 'submitted_on as submitted_at')
    .whereNull('acknowledged_on')
    .whereIn('contract_id', visible())
  const certificates = db
    .from('deletion_certificates')
    .select(db.raw("'deletion_certificate' as type"), 'id', 'created_at as submitted_at')
    .where('status', 'submitted')
    .whereIn('contract_id', visible())
  const reports = db
    .from('periodic_reports')
    .select(db.raw("'periodic_report' as type"), 'id', 'submitted_on as submitted_at')
    .where('status', 'submitted')
    .whereIn('contract_id', visible())
  return { union: rosters.unionAll([certificates, reports]) }
}

/** The submissions' contracts (with their system for ward staff), by id. */
async function contractsOf(submissions: Array<{ contractId: number }>, context: MyWorkContext) {
  const ids = [...new Set(submissions.map((submission) => submission.contractId))]
  const contracts = await Contract.query()
    .whereIn('id', ids)
    .if(needsSystem(context), (query) => query.preload('system'))
  return new Map(contracts.map((contract) => [contract.id, contract]))
}

/**
 * 事故報告（区の対応待ち）: reports with a report to the Commission still
 * open (earliest deadline first), and reports filed by a contractor that
 * have no instructions of the ward yet.
 */
export const incidentsToAnswer: MyWorkSource = {
  key: 'incidents_to_answer',
  appliesTo: wardEditor,

  async count(context) {
    const { query } = await incidents(context)
    return totalOf(await query.count('* as total').pojo())
  },

  async rows(context, limit, offset) {
    const { query } = await incidents(context)
    const rows = await query
      .orderByRaw('next_due_on IS NULL')
      .orderBy('next_due_on')
      .orderBy('discovered_at')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .preload('contract', (contract) =>
        contract.if(needsSystem(context), (q) => q.preload('system'))
      )
    const nameOf = await contractNamer(context)
    return rows.map((report): MyWorkRow => ({
      title: { key: `incidents.kinds.${report.kind}` },
      context: nameOf(report.contract),
      date: report.nextDueOn ?? report.discoveredAt,
      dateKind: report.nextDueOn ? 'due' : 'discovered',
      urgency: report.nextDueOn ? dutyUrgency(report.nextDueOn, context.now) : 'waiting',
      notes: [
        ...(report.nextDueOn ? [{ key: 'my_work.notes.ppc_open' }] : []),
        ...(report.wardInstructions === null ? [{ key: 'my_work.notes.no_instructions' }] : []),
      ],
      link: { route: 'incidents.show', params: { id: report.id } },
    }))
  },

  listLink: () => ({ route: 'incidents.index', qs: { sort: 'deadline' } }),
}

async function incidents(context: MyWorkContext) {
  const scope = await context.oversightScope()
  return {
    query: scope
      .incidentReports()
      .where((waiting) =>
        waiting
          .whereNotNull('next_due_on')
          .orWhere((unanswered) =>
            unanswered
              .whereNull('ward_instructions')
              .whereIn('reported_by_user_id', (contractors) =>
                contractors.from('users').select('id').where('role', 'contractor')
              )
          )
      ),
  }
}
