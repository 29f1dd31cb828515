import Contract from '#models/contract'
import DeletionCertificate from '#models/deletion_certificate'
import HandlerRoster from '#models/handler_roster'
import OversightDuty from '#models/oversight_duty'
import PeriodicReport from '#models/periodic_report'
import TrainingRecord from '#models/training_record'
import type OversightScope from '#builders/oversight_scope'
import { OUTSTANDING_DUTY_STATES } from '#enums/register'

/**
 * What the contractor portal and the submission pages (rosters, deletion
 * certificates, periodic reports, training records) read, with what the
 * pages show preloaded. Which rows a user may see is OversightScope's rule;
 * these queries are used after the policy allowed the contract.
 */
export default class SubmissionQueries {
  /** A contract with its parties (system and department, contractor, parent's contractor). */
  static contract(id: number) {
    return Contract.findWithParties(id)
  }

  /** The contractor user's contracts with their duties, as the portal lists them. */
  static portalContracts(scope: OversightScope) {
    return scope
      .contracts()
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
      .orderBy('systemId')
      .orderBy('id')
  }

  /** One contract of the portal: its parties and duties, the roster versions, certificates and reports. */
  static async portalContract(contract: Contract) {
    await contract.load('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
    const [rosters, certificates, reports] = await Promise.all([
      SubmissionQueries.rosters(contract.id),
      SubmissionQueries.certificates(contract.id),
      SubmissionQueries.reports(contract.id),
    ])
    return { rosters, certificates, reports }
  }

  /** Every roster version of a contract with its member count, newest first. */
  static rosters(contractId: number) {
    return HandlerRoster.query()
      .where('contractId', contractId)
      .withCount('members')
      .orderBy('version', 'desc')
  }

  /** The newest roster version with its members, the start of a new version. */
  static latestRoster(contractId: number) {
    return HandlerRoster.query()
      .where('contractId', contractId)
      .preload('members', (members) => members.orderBy('sortOrder'))
      .orderBy('version', 'desc')
      .first()
  }

  /** A roster version with its contract's parties, members and acknowledger, and whether it is the current one. */
  static async roster(id: number) {
    const roster = await HandlerRoster.findOrFail(id)
    roster.$setRelated('contract', await Contract.findWithParties(roster.contractId))
    return roster
  }

  static async rosterDetails(roster: HandlerRoster) {
    await roster.load((loader) =>
      loader.load('members', (members) => members.orderBy('sortOrder')).load('acknowledgedBy')
    )
    const current = await HandlerRoster.current(roster.contractId)
    return { isCurrent: current?.id === roster.id }
  }

  static certificates(contractId: number) {
    return DeletionCertificate.query().where('contractId', contractId).orderBy('id', 'desc')
  }

  /** A certificate with its contract's parties. */
  static async certificate(id: number) {
    const certificate = await DeletionCertificate.findOrFail(id)
    certificate.$setRelated('contract', await Contract.findWithParties(certificate.contractId))
    return certificate
  }

  /** Who reviewed the certificate, for its page. */
  static async certificateDetails(certificate: DeletionCertificate) {
    await certificate.load('reviewedBy')
    return certificate
  }

  /** Newest period first; within a period the latest report (the one that counts) first. */
  static reports(contractId: number) {
    return PeriodicReport.query()
      .where('contractId', contractId)
      .orderBy('period', 'desc')
      .orderBy('id', 'desc')
  }

  /** A periodic report with its contract's parties. */
  static async report(id: number) {
    const report = await PeriodicReport.findOrFail(id)
    report.$setRelated('contract', await Contract.findWithParties(report.contractId))
    return report
  }

  /** The earliest period whose periodic report is still owed (open or sent back; '' when none). */
  static async openPeriod(contractId: number): Promise<string> {
    const open = await OversightDuty.query()
      .where('contractId', contractId)
      .where('kind', 'periodic_report')
      .whereIn('state', [...OUTSTANDING_DUTY_STATES])
      .orderBy('dueOn')
      .first()
    return open?.periodKey ?? ''
  }

  static trainingRecords(contractId: number) {
    return TrainingRecord.query().where('contractId', contractId).orderBy('trainedOn', 'desc')
  }
}
