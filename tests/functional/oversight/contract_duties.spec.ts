import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import DutyPlanner from '#services/oversight/duty_planner'
import DutyLedger from '#services/oversight/duty_ledger'
import RefreshDutiesJob from '#jobs/oversight/refresh_duties_job'
import WardCalendar from '#services/ward_calendar'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit, queriesDuring, writesTo } from '#tests/helpers'
import { makeContract, makeSystem, termsAllowingSubcontracts } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

/*
| Issue 13, point 2: duties follow the contract. The handler roster is due before work
| starts (the contract's start date), whenever the contract was registered. A contract
| renewed year by year owes its deletion certificate after a period that is not renewed, or
| at termination. Training is owed from every clause that requires staff training.
*/

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })
const today = () => DateTime.now().setZone('Asia/Tokyo').startOf('day')
const roster = ['取扱責任者及び取扱者をあらかじめ指定する。']

async function world() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const contractorUser = await UserFactory.apply('contractor')
    .merge({ contractorId: contractor.id })
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
  return { tree, staff, outsider, contractor, contractorUser, terms16, terms13, system }
}

async function plan(contract: Contract, on: string) {
  const fresh = await Contract.query()
    .where('id', contract.id)
    .preload('specialTermSet', (set) => set.preload('clauses'))
    .firstOrFail()
  return DutyPlanner.plan(fresh, tokyo(on)).map((d) => [d.kind, d.periodKey, d.dueOn.toISODate()])
}

const stored = async (contract: Contract, kind: string) =>
  OversightDuty.query()
    .where('contractId', contract.id)
    .where('kind', kind)
    .orderBy('dueOn')
    .then((duties) => duties.map((d) => [d.periodKey, d.dueOn.toISODate(), d.state]))

test.group('Duties follow the contract: the roster before work starts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a contract running since 2007 owes its roster from its start date, not from the year it was registered', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms13 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms13.id,
      periodType: 'open_ended',
      startsOn: new Date('2007-09-01'),
      contractorMeasuresOperational: [
        '取扱責任者及び取扱うオペレーターをあらかじめ指定し、適切に管理する。',
      ],
    })
    const registeredYear = WardCalendar.fiscalYear(today())
    assert.deepEqual(await stored(contract, 'roster'), [['initial', '2007-09-01', 'open']])
    // Audits still start with the year it was registered (no nineteen overdue audits).
    const audits = await stored(contract, 'audit')
    assert.equal(audits[0][0], String(registeredYear))
  })

  test('a contract starting later owes its roster on its start date; a subcontract its approval on its own start', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const start = today().plus({ months: 2 }).startOf('month')
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      startsOn: start.toJSDate(),
      contractorMeasuresOperational: roster,
    })
    assert.deepEqual(await stored(contract, 'roster'), [['initial', start.toISODate(), 'open']])

    // Started in the month only (平成25年6月): due on the 1st of that month.
    const monthOnly = await makeContract(staff, system, {
      contractorId: contractor.id,
      startsOn: new Date('2013-06-17'),
      startsOnPrecision: 'month',
      contractorMeasuresOperational: roster,
      periodType: 'open_ended',
    })
    assert.deepEqual(await stored(monthOnly, 'roster'), [['initial', '2013-06-01', 'open']])

    const allowing = await termsAllowingSubcontracts()
    const parent = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: allowing.id,
      startsOn: new Date('2024-04-01'),
      periodType: 'open_ended',
    })
    const hei = await ContractorFactory.create()
    const sub = await makeContract(
      staff,
      system,
      { contractorId: hei.id, title: '再委託', startsOn: new Date('2025-10-01') },
      parent
    )
    assert.deepEqual(await stored(sub, 'subcontract_approval'), [
      ['approval', '2025-10-01', 'open'],
    ])
  })
})

test.group('Duties follow the contract: written together', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('however many duties are added, moved or dropped, each is one statement', async ({
    assert,
  }) => {
    const { staff, system, contractor, terms16 } = await world()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      specialTermSetId: terms16.id,
      periodType: 'open_ended',
      startsOn: new Date('2026-04-01'),
      contractorMeasuresOperational: roster,
      reportFrequency: 'monthly',
    })

    // Five fiscal years on: sixty monthly reports, and the audits and trainings of the years between.
    const later = tokyo('2031-03-31')
    const adding = await queriesDuring(() =>
      DutyLedger.recompute(contract.id, AuditLogger.system, undefined, later)
    )
    assert.deepEqual(writesTo(adding, 'oversight_duties'), { insert: 1, update: 0, delete: 0 })
    const reports = await stored(contract, 'periodic_report')
    assert.lengthOf(reports, 60)
    assert.deepEqual(reports.at(-1), ['2031-03', '2031-04-10', 'open'])
    const audits = await stored(contract, 'audit')
    assert.deepEqual(
      audits.map(([year]) => year),
      ['2026', '2027', '2028', '2029', '2030']
    )

    // Work starting in June instead: the roster moves, April's and May's reports go.
    contract.startsOn = DateTime.fromISO('2026-06-01')
    await contract.save()
    const moving = await queriesDuring(() =>
      DutyLedger.recompute(contract.id, AuditLogger.system, undefined, later)
    )
    assert.deepEqual(writesTo(moving, 'oversight_duties'), { insert: 0, update: 1, delete: 1 })
    assert.deepEqual(await stored(contract, 'roster'), [['initial', '2026-06-01', 'open']])
    const after = await stored(contract, 'periodic_report')
    assert.lengthOf(after, 58)
    assert.deepEqual(after[0], ['2026-06', '2026-07-10', 'open'])
  })
})

test.group(
  'Duties follow the contract: the deletion certificate at the end of the work',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('renewed year by year: nothing while renewed; after a period not renewed, due from its last day', async ({
      client,
      assert,
    }) => {
      const { staff, system, contractor, terms16 } = await world()
      const contract = await makeContract(staff, system, {
        contractorId: contractor.id,
        specialTermSetId: terms16.id,
        periodType: 'renewed_yearly',
        startsOn: new Date('2024-04-01'),
        deletionCertificateDays: 30,
      })
      assert.deepEqual(await stored(contract, 'return_erasure'), [])

      const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
      page.assertTextIncludes('契約の終了')
      page.assertTextIncludes('期間満了（更新しない）')

      // The current period (this fiscal year) is not renewed.
      const lastDay = WardCalendar.fiscalYearRange(WardCalendar.fiscalYear(today())).end.startOf(
        'day'
      )
      const response = await client
        .post(`/contracts/${contract.id}/end`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ endReason: 'not_renewed', endedOn: lastDay.toISODate() })
        .redirects(0)
      response.assertStatus(302)
      await contract.refresh()
      assert.equal(contract.endedOn?.toISODate(), lastDay.toISODate())
      assert.equal(contract.endReason, 'not_renewed')
      assert.equal(contract.status, lastDay > today() ? 'active' : 'ended') // works until its last day
      assert.deepEqual(await stored(contract, 'return_erasure'), [
        ['end', lastDay.plus({ days: 30 }).toISODate(), 'open'],
      ])
      assert.isNotNull(await lastAudit('contract.end'))

      const shown = await client.get(`/contracts/${contract.id}`).loginAs(staff)
      shown.assertTextIncludes(`${WardCalendar.formatEra(lastDay)}（期間満了（更新しない））`)
      assert.notInclude(shown.text(), 'id="contract-end"')

      // Once its last day has passed, the daily refresh marks it ended.
      await Contract.query()
        .where('id', contract.id)
        .update({ ended_on: today().minus({ days: 1 }).toISODate() })
      assert.match(await new RefreshDutiesJob().run(), /1 ended/)
      await contract.refresh()
      assert.equal(contract.status, 'ended')
    })

    test('a period not renewed on 2027-03-31: the certificate is due 2027-04-30 and no audit or training after that year', async ({
      assert,
    }) => {
      const { staff, system, contractor, terms16 } = await world()
      const contract = await makeContract(staff, system, {
        contractorId: contractor.id,
        specialTermSetId: terms16.id,
        periodType: 'renewed_yearly',
        startsOn: new Date('2026-04-01'),
      })
      contract.merge({ endedOn: tokyo('2027-03-31'), endReason: 'not_renewed' })
      await contract.save()
      assert.sameDeepMembers(await plan(contract, '2027-07-01'), [
        ['audit', '2026', '2027-03-31'],
        ['training', '2026', '2027-03-31'],
        ['return_erasure', 'end', '2027-04-30'],
      ])
      // Still renewed: audits and training every year, no certificate.
      contract.merge({ endedOn: null, endReason: null })
      await contract.save()
      assert.sameDeepMembers(await plan(contract, '2027-07-01'), [
        ['audit', '2026', '2027-03-31'],
        ['training', '2026', '2027-03-31'],
        ['audit', '2027', '2028-03-31'],
        ['training', '2027', '2028-03-31'],
      ])
    })

    test('terminated: a fixed contract owes its certificate from the termination, not its planned end', async ({
      client,
      assert,
    }) => {
      const { staff, system, contractor, terms16 } = await world()
      const start = today().minus({ months: 3 })
      const planned = today().plus({ years: 1 })
      const contract = await makeContract(staff, system, {
        contractorId: contractor.id,
        specialTermSetId: terms16.id,
        startsOn: start.toJSDate(),
        endsOn: planned.toJSDate(),
      })
      assert.deepEqual(await stored(contract, 'return_erasure'), [
        ['end', planned.plus({ days: 30 }).toISODate(), 'open'],
      ])

      const yesterday = today().minus({ days: 1 })
      await client
        .post(`/contracts/${contract.id}/end`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ endReason: 'terminated', endedOn: yesterday.toISODate() })
      await contract.refresh()
      assert.equal(contract.status, 'ended')
      assert.equal(contract.endReason, 'terminated')
      assert.deepEqual(await stored(contract, 'return_erasure'), [
        ['end', yesterday.plus({ days: 30 }).toISODate(), 'open'],
      ])
    })

    test('refused in Japanese on the form: not renewed for a fixed contract, before the start, after the end, twice; others get 403', async ({
      client,
      assert,
    }) => {
      const { staff, outsider, contractorUser, system, contractor, terms16 } = await world()
      const contract = await makeContract(staff, system, {
        contractorId: contractor.id,
        specialTermSetId: terms16.id,
        startsOn: new Date('2026-04-01'),
        endsOn: new Date('2027-03-31'),
      })
      const end = (fields: Record<string, string>, user = staff) =>
        client
          .post(`/contracts/${contract.id}/end`)
          .loginAs(user)
          .withCsrfToken()
          .form(fields)
          .redirects(0)

      const notRenewable = await end({ endReason: 'not_renewed', endedOn: '2027-03-31' })
      assert.deepEqual((notRenewable.flashMessage('errors') as any).endReason, [
        'この委託は毎年度更新の契約ではないため、「解除・中途終了」を選んでください。',
      ])
      assert.equal(notRenewable.flashMessage('endedOn'), '2027-03-31')
      const page = await client
        .get(`/contracts/${contract.id}`)
        .loginAs(staff)
        .withFlashMessages(notRenewable.flashMessages())
      page.assertTextIncludes('この委託は毎年度更新の契約ではないため')
      page.assertTextIncludes('value="2027-03-31"')

      const early = await end({ endReason: 'terminated', endedOn: '2026-03-31' })
      assert.deepEqual((early.flashMessage('errors') as any).endedOn, [
        '終了日は開始日（令和8年4月1日）以降の日付を入力してください。',
      ])
      const late = await end({ endReason: 'terminated', endedOn: '2027-04-01' })
      assert.deepEqual((late.flashMessage('errors') as any).endedOn, [
        '終了日は契約の期限（令和9年3月31日）以前の日付を入力してください。',
      ])
      const missing = await end({ endReason: 'terminated', endedOn: '' })
      assert.property(
        missing.flashMessage('inputErrorsBag') ?? missing.flashMessage('errors'),
        'endedOn'
      )

      const byOutsider = await end({ endReason: 'terminated', endedOn: '2026-09-30' }, outsider)
      byOutsider.assertStatus(403)
      const byContractor = await end(
        { endReason: 'terminated', endedOn: '2026-09-30' },
        contractorUser
      )
      byContractor.assertStatus(403)
      await contract.refresh()
      assert.isNull(contract.endedOn)

      await end({ endReason: 'terminated', endedOn: '2026-09-30' })
      const twice = await end({ endReason: 'terminated', endedOn: '2026-10-31' })
      assert.deepEqual((twice.flashMessage('errors') as any).endedOn, [
        'この委託はすでに終了しています。',
      ])
      await contract.refresh()
      assert.equal(contract.endedOn?.toISODate(), '2026-09-30')
      assert.deepEqual(await plan(contract, '2027-07-01'), [
        ['audit', '2026', '2027-03-31'],
        ['training', '2026', '2027-03-31'],
        ['return_erasure', 'end', '2026-10-30'],
      ])
    })
  }
)

test.group('Duties follow the contract: training from every clause that requires it', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a clause of another duty, or of none, that requires staff training brings the yearly training duty', async ({
    assert,
  }) => {
    const { staff, system, contractor } = await world()
    const withoutTrainingClause = SPECIAL_TERMS_16.clauses.filter(
      (clause) => clause.duty !== 'training'
    )
    const rosterClause = {
      number: 17,
      heading: '個人情報を取り扱う従事者の指定',
      body: '乙は、従事者を指定し、当該従事者に対して研修を実施しなければならない。',
      duty: 'roster' as const,
      requiresTraining: true,
    }
    const plainClause = {
      number: 18,
      heading: '教育',
      body: '乙は、従業員に教育を受けさせるものとする。',
      requiresTraining: true,
    }
    const make = async (code: string, clauses: typeof SPECIAL_TERMS_16.clauses) => {
      const set = await new CreateSpecialTermVersion(AuditLogger.system).handle(code, {
        ...SPECIAL_TERMS_16,
        code,
        clauses,
      })
      return makeContract(staff, system, {
        contractorId: contractor.id,
        specialTermSetId: set.id,
        startsOn: new Date('2026-04-01'),
        endsOn: new Date('2027-03-31'),
      })
    }

    const none = await make('no-training', withoutTrainingClause)
    assert.deepEqual(await stored(none, 'training'), [])
    const viaRoster = await make('roster-training', [...withoutTrainingClause, rosterClause])
    assert.deepEqual(await stored(viaRoster, 'training'), [['2026', '2027-03-31', 'open']])
    assert.deepEqual(await stored(viaRoster, 'roster'), [['initial', '2026-04-01', 'open']])
    const viaPlain = await make('plain-training', [...withoutTrainingClause, plainClause])
    assert.deepEqual(await stored(viaPlain, 'training'), [['2026', '2027-03-31', 'open']])
    // Two clauses requiring it: still one training record a year.
    const both = await make('both-training', SPECIAL_TERMS_16.clauses.concat([rosterClause]))
    assert.deepEqual(await stored(both, 'training'), [['2026', '2027-03-31', 'open']])
  })
})
