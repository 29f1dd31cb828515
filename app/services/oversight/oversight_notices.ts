import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import env from '#start/env'
import Contract from '#models/contract'
import Department from '#models/department'
import User from '#models/user'
import type IncidentReport from '#models/incident_report'
import type DeletionCertificate from '#models/deletion_certificate'
import type PeriodicReport from '#models/periodic_report'
import type { NoticeRow } from '#mails/notice_mail'
import OversightSubmissionMail from '#mails/oversight/oversight_submission_mail'
import IncidentReportability from '#services/oversight/incident_reportability'
import { dutyLabel } from '#services/oversight/duty_labels'
import WardCalendar from '#services/ward_calendar'
import { jaText } from '#services/ja_text'

type Row = [key: string, value: string, data?: Record<string, unknown>]

/**
 * Mails the staff and supervisors of the system's department and the privacy officers when an
 * incident report (with the Commission's deadlines: 速報 about 3–5 days, 確報 30 or 60 days),
 * a deletion certificate or a periodic report is filed; not the one who filed it. Queued
 * (mail.sendLater); a mail that cannot be queued is logged and never undoes the filing.
 */
@inject()
export default class OversightNotices {
  constructor(private mailer: Mailer<MailTransportContract>) {}

  /** A new incident report, or one that became reportable to the Commission on an update. */
  async incident(report: IncidentReport, filer: User, stage: 'filed' | 'updated' = 'filed') {
    const contract = await this.#contract(report.contractId)
    const names = this.#names(contract)
    const lines = [jaText(`notices.incident.${stage}`, names)]
    const rows: Row[] = [
      ['notices.rows.kind', jaText(`incidents.kinds.${report.kind}`)],
      ['notices.rows.discovered_at', WardCalendar.formatEraDateTime(report.discoveredAt)],
      ['notices.rows.reported_at', WardCalendar.formatEraDateTime(report.reportedToWardAt)],
      [
        'notices.rows.people',
        report.peopleAffected === null
          ? jaText('notices.rows.people_unknown')
          : String(report.peopleAffected),
      ],
    ]
    if (report.reportable) {
      const due = IncidentReportability.deadlines(
        report.discoveredAt,
        report.improperPurposeSuspected
      )
      const preliminary = WardCalendar.formatEra(due.preliminaryDueOn)
      const final = WardCalendar.formatEra(due.finalDueOn)
      const reasons = report.reportableReasons
        .map((reason) => jaText(`incidents.decision.reasons.${reason}`))
        .join('、')
      lines.push(jaText('notices.incident.reportable', { reasons, preliminary, final }))
      rows.push(['notices.rows.preliminary', preliminary])
      rows.push(['notices.rows.final', final, { days: due.finalDays }])
    } else {
      lines.push(
        jaText(
          report.peopleAffectedUnknown
            ? 'notices.incident.people_unknown'
            : 'notices.incident.not_reportable'
        )
      )
    }
    const subject = jaText(
      report.reportable ? 'notices.incident.subject_reportable' : 'notices.incident.subject',
      names
    )
    await this.#send(contract, filer, 'incident', subject, lines, rows, [
      'incidents.show',
      { id: report.id },
    ])
  }

  async certificate(certificate: DeletionCertificate, filer: User) {
    const contract = await this.#contract(certificate.contractId)
    const names = this.#names(contract)
    await this.#send(
      contract,
      filer,
      'certificate',
      jaText('notices.certificate.subject', names),
      [jaText('notices.certificate.body', names)],
      [
        ['notices.rows.method', jaText(`portal.certificates.methods.${certificate.method}`)],
        ['notices.rows.erased_on', WardCalendar.formatEra(certificate.erasedOn)],
      ],
      ['certificates.show', { id: certificate.id }]
    )
  }

  async periodicReport(report: PeriodicReport, filer: User) {
    const contract = await this.#contract(report.contractId)
    const what = dutyLabel('periodic_report', report.period)
    const names = { ...this.#names(contract), what }
    await this.#send(
      contract,
      filer,
      'periodic_report',
      jaText('notices.periodic_report.subject', names),
      [jaText('notices.periodic_report.body', names)],
      [
        ['notices.rows.period', what],
        ['notices.rows.submitted_on', WardCalendar.formatEra(report.submittedOn)],
      ],
      ['periodic_reports.show', { id: report.id }]
    )
  }

  /** Staff and supervisors of the system's department (and below), and the privacy officers. */
  static async recipients(contract: Contract, except: User | null): Promise<User[]> {
    const departmentIds = await Department.subtreeIds(contract.system.departmentId)
    const users = await User.query()
      .where('isActive', true)
      .where((query) =>
        query
          .where((ward) =>
            ward
              .whereIn('departmentId', departmentIds)
              .whereIn('role', ['department_staff', 'supervisor'])
          )
          .orWhere('role', 'privacy_officer')
      )
      .orderBy('id')
    return users.filter((user) => user.id !== except?.id)
  }

  async #send(
    contract: Contract,
    filer: User,
    kind: 'incident' | 'certificate' | 'periodic_report',
    subject: string,
    lines: string[],
    rows: Row[],
    [route, params]: [string, Record<string, number>]
  ) {
    const recipients = await OversightNotices.recipients(contract, filer)
    if (recipients.length === 0) return
    const facts: NoticeRow[] = [
      { label: jaText('notices.rows.contract'), value: contract.title },
      { label: jaText('notices.rows.system'), value: contract.system.name },
      { label: jaText('notices.rows.contractor'), value: contract.contractor?.name ?? '' },
      ...rows.map(([key, value, data]) => ({ label: jaText(key, data), value })),
      { label: jaText('notices.rows.submitted_by'), value: filer.fullName },
    ]
    const base = env.get('APP_URL', 'http://localhost:3333').replace(/\/+$/, '')
    try {
      await this.mailer.sendLater(
        new OversightSubmissionMail(
          recipients.map((user) => user.email),
          kind,
          subject,
          lines,
          facts,
          `${base}${router.makeUrl(route, params)}`
        )
      )
    } catch (error) {
      logger.error({ err: error, kind, contract: contract.id }, 'oversight notice not queued')
    }
  }

  #names(contract: Contract) {
    return { contract: contract.title, system: contract.system.name }
  }

  #contract(id: number) {
    return Contract.query().where('id', id).preload('system').preload('contractor').firstOrFail()
  }
}
