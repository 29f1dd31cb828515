import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { execFile } from 'node:child_process'
import { writeFile, mkdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import ApproveSubcontract from '#actions/register/approve_subcontract'
import DutyPlanner from '#services/oversight/duty_planner'
import DutyLedger from '#services/oversight/duty_ledger'
import DutyReminders from '#services/oversight/duty_reminders'
import Clock, { FixedClock } from '#services/clock'
import DutyReminderMail from '#mails/oversight/duty_reminder_mail'
import PdfRenderer from '#services/pdf_renderer'
import OversightReport from '#services/oversight/oversight_status_pdf'
import ComplianceMatrix from '#services/oversight/compliance_matrix'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, openRecordingQueries } from '#tests/helpers'
import { OUTSTANDING_DUTY_STATES } from '#enums/register'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

async function world() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    email: 'staff@ward.example.jp',
  }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const contractorUser = await UserFactory.apply('contractor')
    .merge({ contractorId: contractor.id, email: 'operator@sanko.example.jp' })
    .create()
  const terms16 = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-16',
    SPECIAL_TERMS_16
  )
  const terms13 = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-13',
    SPECIAL_TERMS_13
  )
  const system = await makeSystem(staff, tree.kocho.id)
  return { tree, staff, supervisor, contractor, contractorUser, terms16, terms13, system }
}

test.group('Oversight duties', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('derives annual audit and training, the roster and the deletion certificate from the clauses', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: new Date('2026-04-01'),
      endsOn: new Date('2027-03-31'),
      contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    })
    await contract.load('specialTermSet', (set) => set.preload('clauses'))
    const planned = DutyPlanner.plan(contract, tokyo('2026-11-23')).map((d) => [
      d.kind,
      d.periodKey,
      d.dueOn.toISODate(),
    ])
    assert.sameDeepMembers(planned, [
      ['roster', 'initial', '2026-04-01'],
      ['audit', '2026', '2027-03-31'],
      ['training', '2026', '2027-03-31'],
      ['return_erasure', 'end', '2027-04-30'],
    ])
    // Saving the contract stored the same duties.
    const stored = await OversightDuty.query().where('contractId', contract.id)
    assert.lengthOf(stored, 4)
  })

  test('work that ended before it was registered only owes the deletion certificate', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms13 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms13.id,
      startsOn: new Date('2008-03-03'),
      endsOn: new Date('2010-03-31'),
      contractorMeasuresOperational: [
        '取扱責任者及び取扱うオペレーターをあらかじめ指定し、適切に管理する。',
      ],
    })
    await contract.load('specialTermSet', (set) => set.preload('clauses'))
    const planned = DutyPlanner.plan(contract, tokyo('2026-11-23')).map((d) => [
      d.kind,
      d.periodKey,
      d.dueOn.toISODate(),
    ])
    assert.deepEqual(planned, [['return_erasure', 'end', '2010-04-30']])
  })

  test('a contract asking for monthly reports gets one report duty per finished month, due on the 10th', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms13 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms13.id,
      periodType: 'open_ended',
      startsOn: new Date('2026-08-01'),
      reportFrequency: 'monthly',
    })
    await contract.load('specialTermSet', (set) => set.preload('clauses'))
    const reports = DutyPlanner.plan(contract, tokyo('2026-11-23')).filter(
      (d) => d.kind === 'periodic_report'
    )
    assert.deepEqual(
      reports.map((d) => [d.periodKey, d.dueOn.toISODate()]),
      [
        ['2026-08', '2026-09-10'],
        ['2026-09', '2026-10-10'],
        ['2026-10', '2026-11-10'],
      ]
    )
  })

  test('changing the terms recomputes open duties and keeps satisfied ones', async ({
    client,
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: new Date('2026-04-01'),
    })
    await DutyLedger.satisfy(
      contract.id,
      'training',
      '2026',
      {
        type: 'training_record',
        id: 1,
        on: tokyo('2026-10-01'),
      },
      AuditLogger.system
    )

    // A clause set without audit and training clauses: the open audit duty goes, the done training stays.
    const bare = await new CreateSpecialTermVersion(AuditLogger.system).handle('minimal', {
      ...SPECIAL_TERMS_16,
      code: 'minimal',
      name: '最小限の特記事項',
      clauses: SPECIAL_TERMS_16.clauses.filter(
        (clause) => !['audit', 'training'].includes(clause.duty ?? '')
      ),
    })
    await client.put(`/contracts/${contract.id}`).loginAs(staff).withCsrfToken().form({
      title: contract.title,
      reason: contract.reason,
      periodType: 'fixed',
      contractorId: contractor.id,
      specialTermSetId: bare.id,
      startsOn: '2026-04-01',
    })
    const duties = await OversightDuty.query().where('contractId', contract.id)
    assert.notInclude(
      duties.map((d) => d.kind),
      'audit'
    )
    const training = duties.find((d) => d.kind === 'training')
    assert.equal(training?.state, 'satisfied')
  })

  test('a subcontract owes its approval first; the recorded approval satisfies it', async ({
    assert,
  }) => {
    const { staff, supervisor, system, contractor, terms13 } = await world()
    const parent = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms13.id,
    })
    const hei = await ContractorFactory.create()
    // The 13-clause set allows subcontracting only work without personal data, with 甲's consent (issue 13).
    const sub = await makeContract(
      staff,
      system,
      {
        contractorId: hei.id,
        specialTermSetId: terms13.id,
        title: '再委託',
        handlesPersonalData: false,
      },
      parent
    )
    let duties = await OversightDuty.query().where('contractId', sub.id)
    assert.deepEqual(
      duties.map((d) => [d.kind, d.state]),
      [['subcontract_approval', 'open']]
    )

    await new ApproveSubcontract(AuditLogger.system).handle(
      await Contract.findOrFail(sub.id),
      { approvedOn: new Date('2026-05-01'), approvedBy: '課長' },
      supervisor
    )
    duties = await OversightDuty.query().where('contractId', sub.id)
    assert.equal(duties.find((d) => d.kind === 'subcontract_approval')?.state, 'satisfied')
    assert.include(
      duties.map((d) => d.kind),
      'audit'
    )
  })

  test('the dashboard highlights overdue duties per department, and exports CSV', async ({
    client,
    assert,
  }) => {
    const { tree, staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      title: '広聴の委託',
      startsOn: new Date('2026-04-01'),
      contractorMeasuresOperational: ['取扱責任者を指定する。'],
    })
    // The roster was due on 2026-04-01 and never came: overdue.
    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()

    const page = await client.get('/oversight?fiscalYear=2026').loginAs(staff)
    page.assertStatus(200)
    page.assertTextIncludes('広聴の委託')
    page.assertTextIncludes('期限超過')
    page.assertTextIncludes('cell--overdue')
    page.assertTextIncludes('CSV出力')
    const outsiderDashboard = await client.get('/oversight?fiscalYear=2026').loginAs(outsider)
    assert.notInclude(outsiderDashboard.text(), '広聴の委託')

    const csv = await client.get('/oversight/export.csv?fiscalYear=2026').loginAs(staff)
    csv.assertStatus(200)
    assert.include(csv.text(), '広聴の委託')
    assert.include(csv.text(), '期限超過')
    assert.include(csv.text(), '取扱者名簿')

    const onlyOverdue = await client
      .get('/oversight?fiscalYear=2026&overdueOnly=true')
      .loginAs(staff)
    onlyOverdue.assertTextIncludes('広聴の委託')
    await DutyLedger.satisfy(
      contract.id,
      'roster',
      'initial',
      {
        type: 'roster',
        id: 1,
        on: tokyo('2026-04-01'),
      },
      AuditLogger.system
    )
    const overdueOnly = await client
      .get('/oversight?fiscalYear=2026&overdueOnly=true')
      .loginAs(staff)
    assert.notInclude(overdueOnly.text(), '広聴の委託')
  })

  test('a duty is waived with a reason by a supervisor, not by staff', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
    })
    const audit = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'audit')
      .firstOrFail()
    // The contract page offers 免除 on each outstanding duty, asking once whether the contract is the supervisor's.
    const outstanding = await OversightDuty.query()
      .where('contractId', contract.id)
      .whereIn('state', [...OUTSTANDING_DUTY_STATES])
    assert.isAbove(outstanding.length, 1)
    const { page: offered, queries } = await openRecordingQueries(
      client,
      `/contracts/${contract.id}`,
      supervisor
    )
    assert.lengthOf(offered.text().match(/\/waive"/g) ?? [], outstanding.length)
    assert.lengthOf(
      queries.filter((sql) =>
        /from [`"]?personal_data_systems[`"]? where [`"]?id[`"]? in \(select [`"]?system_id[`"]? from [`"]?contracts[`"]? where [`"]?id[`"]? = |^select [`"]?id[`"]? from [`"]?contracts[`"]? where/.test(
          sql
        )
      ),
      1
    )
    const response = await client
      .post(`/duties/${audit.id}/waive`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ reason: '業務なし' })
    response.assertStatus(403)
    await client
      .post(`/duties/${audit.id}/waive`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ reason: '当該年度は業務の実施なし' })
    await audit.refresh()
    assert.equal(audit.state, 'waived')
    assert.equal(audit.waivedReason, '当該年度は業務の実施なし')
    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes('免除')

    // Waiving it again is refused with the message on the contract page (it used to vanish).
    const again = await client
      .post(`/duties/${audit.id}/waive`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ reason: '二度目' })
      .redirects(0)
    again.assertStatus(302)
    again.assertHeader('location', `/contracts/${contract.id}`)
    again.assertFlashMessage('errors', { form: ['この義務は既に完了しています。'] })
    await audit.refresh()
    assert.equal(audit.waivedReason, '当該年度は業務の実施なし')
    const json = await client
      .post(`/duties/${audit.id}/waive`)
      .loginAs(supervisor)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ reason: '二度目' })
    json.assertStatus(422)
    json.assertBodyContains({
      errors: [{ field: 'form', message: 'この義務は既に完了しています。' }],
    })
  })

  test('the yearly oversight report of a department is a Japanese PDF', async ({
    client,
    assert,
  }) => {
    const { tree, staff, system, contractor, terms16 } = await world()
    await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      title: '広聴の委託',
    })
    const response = await client
      .get(`/oversight/report.pdf?fiscalYear=2026&departmentId=${tree.kocho.id}`)
      .loginAs(staff)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/pdf')

    const rows = await ComplianceMatrix.build(2026, [tree.kocho.id])
    const pdf = await PdfRenderer.render(
      OversightReport.definition({
        fiscalYearLabel: '令和8年度',
        department: '広聴担当課',
        generatedOn: '令和8年11月23日',
        rows,
      })
    )
    await mkdir(app.tmpPath('pdf'), { recursive: true })
    const file = app.tmpPath('pdf', 'oversight-report.pdf')
    await writeFile(file, pdf)
    const { stdout } = await promisify(execFile)('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
    assert.include(stdout.replace(/\s+/g, ''), '令和8年度委託先監督状況報告')
    assert.include(stdout, '広聴の委託')
  })
})

test.group('Oversight reminders', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('emails the department and the contractor once per duty and stage, never twice', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: new Date('2026-12-01'),
      contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    })
    const roster = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'roster')
      .firstOrFail()
    assert.equal(roster.dueOn.toISODate(), '2026-12-01')
    const { mails } = mail.fake()
    const reminders = await app.container.make(DutyReminders)

    // 14 days before: the "due soon" stage, sent once even when two instances run at the same time.
    const [first, second] = await Promise.all([
      reminders.send(tokyo('2026-11-20')),
      reminders.send(tokyo('2026-11-20')),
    ])
    assert.equal(first.due + second.due, 1)
    mails.assertQueuedCount(DutyReminderMail, 1)
    mails.assertQueued(DutyReminderMail, (message) => {
      message.message.assertTo('staff@ward.example.jp')
      message.message.assertBcc('operator@sanko.example.jp')
      message.message.assertSubject(
        `【期限が近づいています】取扱責任者及び取扱者名簿の提出（${contract.title}）`
      )
      return true
    })
    await reminders.send(tokyo('2026-11-25'))
    mails.assertQueuedCount(DutyReminderMail, 1)

    // After the due date: the overdue stage, once.
    await reminders.send(tokyo('2026-12-02'))
    await reminders.send(tokyo('2026-12-03'))
    mails.assertQueuedCount(DutyReminderMail, 2)
    await roster.refresh()
    assert.isNotNull(roster.remindedDueAt)
    assert.isNotNull(roster.remindedOverdueAt)
  })

  test('satisfied duties are not reminded', async ({ assert }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: new Date('2026-12-01'),
      contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    })
    await DutyLedger.satisfy(
      contract.id,
      'roster',
      'initial',
      {
        type: 'roster',
        id: 1,
        on: tokyo('2026-11-15'),
      },
      AuditLogger.system
    )
    const { mails } = mail.fake()
    const reminders = await app.container.make(DutyReminders)
    const sent = await reminders.send(tokyo('2026-11-20'))
    assert.deepEqual(sent, { due: 0, overdue: 0 })
    mails.assertNoneQueued()
  })

  test('the daily run takes today from the container clock and sends through the container mailer', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: new Date('2026-12-01'),
      contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    })
    const { mails } = mail.fake()
    app.container.swap(Clock, () => new FixedClock(tokyo('2026-12-02T09:00')))
    try {
      const reminders = await app.container.make(DutyReminders)
      assert.deepEqual(await reminders.send(), { due: 0, overdue: 1 })
    } finally {
      app.container.restore(Clock)
    }
    mails.assertQueued(DutyReminderMail, (message) => {
      message.message.assertSubject(
        `【期限超過】取扱責任者及び取扱者名簿の提出（${contract.title}）`
      )
      assert.include(
        message.message.toJSON().message.text as string,
        '期限を過ぎています。速やかに対応してください。'
      )
      assert.include(message.message.toJSON().message.text as string, `/contracts/${contract.id}`)
      return true
    })
  })
})
