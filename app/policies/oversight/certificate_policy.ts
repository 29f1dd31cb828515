import type User from '#models/user'
import type Contract from '#models/contract'
import type DeletionCertificate from '#models/deletion_certificate'
import type PeriodicReport from '#models/periodic_report'
import BasePolicy from '#policies/base_policy'
import ContractPolicy from '#policies/register/contract_policy'

/**
 * Deletion certificates and periodic reports (what the contractor files
 * with a PDF) follow their contract. The contractor user submits them for
 * contracts of its own company; ward staff of the system's department and
 * privacy officers verify or reject certificates. Downloads need `view`.
 * Expects `contract.system` (and `contract.parent`) loaded.
 */
export default class CertificatePolicy extends BasePolicy {
  /** The certificates and reports of a contract. */
  async viewFor(user: User, contract: Contract) {
    return new ContractPolicy().view(user, contract)
  }

  async view(user: User, certificate: DeletionCertificate) {
    return this.viewFor(user, certificate.contract)
  }

  /** Uploading a certificate or a report: only the contractor's own users. */
  async submitFor(user: User, contract: Contract) {
    if (!user.isContractorUser || contract.contractorId === null) return false
    return new ContractPolicy().view(user, contract)
  }

  /** Verifying or rejecting (with a reason) an uploaded certificate. */
  async verify(user: User, certificate: DeletionCertificate) {
    if (this.hasRole(user, 'privacy_officer')) return true
    return (
      this.hasRole(user, 'department_staff', 'supervisor') &&
      (await this.canSeeDepartment(user, certificate.contract.system.departmentId))
    )
  }

  async viewReport(user: User, report: PeriodicReport) {
    return this.viewFor(user, report.contract)
  }
}
