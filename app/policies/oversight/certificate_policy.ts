import type User from '#models/user'
import type Contract from '#models/contract'
import type DeletionCertificate from '#models/deletion_certificate'
import type PeriodicReport from '#models/periodic_report'
import BasePolicy from '#policies/base_policy'
import OversightScope from '#builders/oversight_scope'

/**
 * Deletion certificates and periodic reports (what the contractor files
 * with a PDF) follow their contract. The contractor user submits them for
 * contracts of its own company; ward staff of the system's department and
 * privacy officers verify them or send them back. Downloads need `view`.
 * Visibility is the domain's one rule (OversightScope), read from the
 * database: nothing needs to be preloaded.
 */
export default class CertificatePolicy extends BasePolicy {
  /** The certificates and reports of a contract. */
  async viewFor(user: User, contract: Contract) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(contract.id)
  }

  async view(user: User, certificate: DeletionCertificate) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(certificate.contractId)
  }

  /** Uploading a certificate or a report: only the contractor's own users. */
  async submitFor(user: User, contract: Contract) {
    if (!user.isContractorUser || contract.contractorId === null) return false
    return this.viewFor(user, contract)
  }

  /** Verifying or rejecting (with a reason) an uploaded certificate. */
  async verify(user: User, certificate: DeletionCertificate) {
    return this.#reviews(user, certificate.contractId)
  }

  async viewReport(user: User, report: PeriodicReport) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(report.contractId)
  }

  /** Verifying or sending back (with a reason) a periodic report. */
  async verifyReport(user: User, report: PeriodicReport) {
    return this.#reviews(user, report.contractId)
  }

  /** The ward checks: a privacy officer, or staff and supervisors of the system's department. */
  async #reviews(user: User, contractId: number) {
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OversightScope.for(user)
    return scope.includesDepartmentOf(contractId)
  }
}
