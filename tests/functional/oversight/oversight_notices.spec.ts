import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import drive from '@adonisjs/drive/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import type { BaseMail } from '@adonisjs/mail'
import DataItem from '#models/data_item'
import IncidentReport from '#models/incident_report'
import OversightDuty from '#models/oversight_duty'
import OversightSubmissionMail from '#mails/oversight/oversight_submission_mail'
import DutyReminderMail from '#mails/oversight/duty_reminder_mail'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import DutyReminders from '#services/oversight/duty_reminders'
import Clock, { FixedClock } from '#services/clock'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/**
 * 広聴担当課's 「区民の声システム」 with a monthly-report contract of 三幸 that ended on
 * 2026-10-31; staff and supervisor of the department, staff of another, a privacy officer.
 */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({ email: 'officer@ward.example.jp' })
    .create()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    email: 'staff@ward.example.jp',
  }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, email: 'chief@ward.example.jp' })
    .create()
  const kakari = await UserFactory.merge({
    departmentId: tree.kochoKakari.id,
    email: 'kakari@ward.example.jp',
  }).create()
  await UserFactory.merge({
    departmentId: tree.kikikanri.id,
    email: 'other@ward.example.jp',
  }).create()
  const sanko = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const sankoUser = await UserFactory.apply('contractor')
    .merge({ contractorId: sanko.id, email: 'user@sanko.example.jp', fullName: '受託 健太' })
    .create()
  const terms = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-16',
    SPECIAL_TERMS_16
  )
  const system = await makeSystem(officer, tree.kocho.id, { name: '区民の声システム' })
  const contract = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'メール配信サービス業務委託',
    specialTermSetId: terms.id,
    startsOn: new Date('2026-04-01'),
    endsOn: new Date('2026-10-31'),
    reportFrequency: 'monthly' as const,
  })
  const ward = [officer, staff, supervisor, kakari].map((user) => user.email).sort()
  return { tree, officer, staff, system, contract, sankoUser, ward }
}

function opened(message: BaseMail) {
  const json = message.message.toJSON().message
  const addresses = (list: unknown) =>
    ([] as unknown[])
      .concat(list ?? [])
      .map((entry) => (typeof entry === 'string' ? entry : (entry as { address: string }).address))
  return {
    recipients: [...addresses(json.to), ...addresses(json.bcc)].sort(),
    subject: json.subject as string,
    text: json.text as string,
  }
}

const submissions = (mails: ReturnType<typeof mail.fake>['mails'], kind: string) =>
  mails
    .queued((m) => m instanceof OversightSubmissionMail && m.kind === kind)
    .map((message) => opened(message))

test.group('Oversight notices', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    mail.restore()
    drive.restore('fs')
    app.container.restore(Clock)
  })

  test('an incident report mails the department and the privacy office with the Commission deadlines', async ({
    client,
    assert,
  }) => {
    const { system, contract, sankoUser, staff, ward } = await scene()
    const { mails } = mail.fake()
    app.container.swap(Clock, () => new FixedClock(tokyo('2026-11-24T09:00')))
    const medical = await DataItem.create({
      systemId: system.id,
      name: '病歴',
      specialCareCategory: 'medical_history',
      sortOrder: 0,
    })
    const filed = await client
      .post(`/contracts/${contract.id}/incidents`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({
        kind: 'mis_sending',
        discoveredAt: '2026-11-20T10:00',
        reportedToWardAt: '2026-11-20T11:30',
        peopleAffected: '3',
        summary: '案内メールを宛先を誤って送信した。',
        dataItemIds: [String(medical.id)],
      })
      .redirects(0)
    filed.assertStatus(302)
    const report = await IncidentReport.findByOrFail('contractId', contract.id)

    const [notice] = submissions(mails, 'incident')
    assert.deepEqual(notice.recipients, ward)
    assert.equal(
      notice.subject,
      '【事故報告・個人情報保護委員会への報告対象】メール配信サービス業務委託（区民の声システム）'
    )
    // 速報: 5 days after discovery; 確報: the 30th day (12/19, a Saturday) moves to Monday 12/21.
    assert.include(
      notice.text,
      '速報は令和8年11月25日まで、確報は令和8年12月21日までに提出してください。'
    )
    assert.include(notice.text, '要配慮個人情報が含まれる')
    assert.include(notice.text, '確報の期限（発見日を含めて30日以内）: 令和8年12月21日')
    assert.include(notice.text, '委託先: 三幸株式会社')
    assert.include(notice.text, `/incidents/${report.id}`)
    assert.notInclude(notice.text, '宛先を誤って送信した')

    // An ordinary update sends nothing more; staff filing one are not mailed their own report.
    await client
      .put(`/incidents/${report.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        kind: 'mis_sending',
        discoveredAt: '2026-11-20T10:00',
        reportedToWardAt: '2026-11-20T11:30',
        peopleAffected: '4',
        summary: '案内メールを宛先を誤って送信した。',
        dataItemIds: [String(medical.id)],
      })
      .redirects(0)
    assert.lengthOf(submissions(mails, 'incident'), 1)
    await client
      .post(`/contracts/${contract.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        kind: 'loss',
        discoveredAt: '2026-11-21T10:00',
        reportedToWardAt: '2026-11-21T10:00',
        peopleAffected: '1',
        summary: '書類を紛失した。',
      })
      .redirects(0)
    const second = submissions(mails, 'incident')[1]
    assert.deepEqual(
      second.recipients,
      ward.filter((email) => email !== staff.email)
    )
    assert.equal(second.subject, '【事故報告】メール配信サービス業務委託（区民の声システム）')
    assert.include(second.text, '現時点では個人情報保護委員会への報告対象の事態には該当しません。')
  })

  test('a deletion certificate and a periodic report mail the department and the privacy office', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { contract, sankoUser, ward } = await scene()
    const { mails } = mail.fake()
    app.container.swap(Clock, () => new FixedClock(tokyo('2026-11-24T09:00')))

    const certificate = await client
      .post(`/contracts/${contract.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: '消去証明書.pdf' })
      .fields({
        method: 'logical_erasure',
        media: 'サーバ内ハードディスク',
        erasedOn: '2026-11-05',
      })
      .redirects(0)
    certificate.assertStatus(302)
    const [erased] = submissions(mails, 'certificate')
    assert.deepEqual(erased.recipients, ward)
    assert.equal(
      erased.subject,
      '【消去証明書の提出】メール配信サービス業務委託（区民の声システム）'
    )
    assert.include(erased.text, '消去の方法: 消去ソフトウェアによる論理消去')
    assert.include(erased.text, '消去・返却の日: 令和8年11月5日')
    assert.include(erased.text, '提出者: 受託 健太')

    const report = await client
      .post(`/contracts/${contract.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-10', subscribers: '12345' })
      .redirects(0)
    report.assertStatus(302)
    const [periodic] = submissions(mails, 'periodic_report')
    assert.deepEqual(periodic.recipients, ward)
    assert.equal(
      periodic.subject,
      '【定期報告の提出】2026年10月分の定期報告（メール配信サービス業務委託）'
    )
    assert.include(periodic.text, '対象期間: 2026年10月分の定期報告')
    assert.include(periodic.text, '提出日: 令和8年11月24日')
  })

  test('reminders name the duty with its month or fiscal year, the contract and the system', async ({
    assert,
  }) => {
    const { contract } = await scene()
    const { mails } = mail.fake()
    const monthly = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'periodic_report')
      .where('periodKey', '2026-09')
      .firstOrFail()
    const reminders = await app.container.make(DutyReminders)
    await reminders.send(monthly.dueOn.setZone('Asia/Tokyo').minus({ days: 3 }))
    const texts = mails
      .queued((m) => m instanceof DutyReminderMail)
      .map((message) => opened(message))
    const september = texts.find((message) => message.subject.includes('2026年9月分の定期報告'))
    assert.exists(september)
    assert.equal(
      september!.subject,
      '【期限が近づいています】2026年9月分の定期報告（メール配信サービス業務委託）'
    )
    assert.include(
      september!.text,
      '委託「メール配信サービス業務委託」（登録業務「区民の声システム」）の「2026年9月分の定期報告」の期限は'
    )

    const audit = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'audit')
      .firstOrFail()
    await reminders.send(audit.dueOn.setZone('Asia/Tokyo').plus({ days: 1 }))
    const overdue = mails
      .queued((m) => m instanceof DutyReminderMail)
      .map((message) => opened(message))
      .find((message) => message.subject.includes('立入調査'))
    assert.equal(audit.periodKey, '2026')
    assert.equal(
      overdue?.subject,
      '【期限超過】令和8年度の立入調査（監査）（メール配信サービス業務委託）'
    )
  })
})
