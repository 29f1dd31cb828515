import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Citizen from '#models/citizen'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import OversightAuditCorrectiveAction from '#models/oversight_audit_corrective_action'
import OversightAuditFinding from '#models/oversight_audit_finding'
import SpecialTermSet from '#models/special_term_set'
import User from '#models/user'
import CreateOversightAudit from '#actions/oversight/create_oversight_audit'
import { loadCannedTextDemo } from '#database/demo/canned_text_demo'
import { loadFaqDemo } from '#database/demo/faq_demo'
import { loadOpinionDemo } from '#database/demo/opinion_demo'
import { loadSeedSystems } from '#database/demo/register_demo'
import { loadCouncilDemo } from '#database/demo/seed_council_items'
import { DeletionCertificateFactory } from '#database/factories/deletion_certificate_factory'
import { HandlerRosterFactory } from '#database/factories/handler_roster_factory'
import { IncidentReportFactory } from '#database/factories/incident_report_factory'
import { PeriodicReportFactory } from '#database/factories/periodic_report_factory'
import { TrainingRecordFactory } from '#database/factories/training_record_factory'
import { UserFactory } from '#database/factories/user_factory'
import { loadScene, signedInAs } from '#tests/fuzz/form_fuzz'
import { pageUrls } from '#tests/form_pages'
import { errorsOnlyInLogs, withQueries } from '#tests/helpers'

/*
| Issue 19: a page's SQL does not grow with the rows it shows. Every page of
| the demo register (every GET route, as every role) is opened, the register
| grows by a round of everything (the seed systems again, council items, FAQ,
| canned texts, opinions with a note each, and for every contract an audit
| with a finding and a corrective action, a roster, a deletion certificate, a
| periodic report, a training and an incident), and every page is opened
| again: none may send more queries than before. A list that read each row's
| department, contract or author on its own (N+1) would.
*/

/** A round of rows in every part of the register (`round` keeps periods and names apart). */
async function growRegister(round: number) {
  const departments = await Department.all()
  const departmentIds = new Map(departments.map(({ code, id }) => [code, id]))
  const contractors = await Contractor.query().orderBy('id')
  const contractorIds = new Map(contractors.map(({ name, id }) => [name, id]))
  const sets = await SpecialTermSet.all()
  const termSets = new Map(sets.map(({ code, id }) => [code, id]))
  const citizen = (await Citizen.findByEmail('citizen@demo.daicho.jp'))!
  await db.transaction(async (trx) => {
    await loadSeedSystems(trx, departmentIds, contractorIds, termSets)
    await loadCouncilDemo(trx)
    await loadFaqDemo(trx, departmentIds)
    await loadCannedTextDemo(trx, departmentIds)
    await loadOpinionDemo(trx, departmentIds, citizen.id)
  })

  const staff = await User.findByOrFail('email', 'staff@demo.daicho.jp')
  const supervisor = await User.findByOrFail('email', 'supervisor@demo.daicho.jp')
  for (const department of departments.filter(({ level }) => level === 'ka')) {
    await UserFactory.merge({ departmentId: department.id }).create()
  }
  for (const opinion of await Opinion.query().select('id')) {
    await OpinionEvent.create({
      opinionId: opinion.id,
      kind: 'note',
      departmentId: staff.departmentId,
      userId: staff.id,
      body: `経過メモ ${round}`,
      occurredAt: DateTime.now(),
    })
  }

  const createAudit = await app.container.make(CreateOversightAudit)
  const contracts = await Contract.query()
    .whereNotNull('contractorId')
    .whereNotNull('specialTermSetId')
    .orderBy('id')
  for (const contract of contracts) {
    const audit = await createAudit.handle(
      contract,
      {
        auditedOn: DateTime.now().minus({ days: round }).toJSDate(),
        auditorIds: [staff.id, supervisor.id],
      },
      staff
    )
    await OversightAuditFinding.create({
      auditId: audit.id,
      lineId: null,
      position: 1,
      detail: `指摘 ${round}`,
    })
    await OversightAuditCorrectiveAction.create({
      auditId: audit.id,
      lineId: null,
      position: 1,
      measure: `是正 ${round}`,
      owner: '委託先',
      dueOn: DateTime.now().plus({ days: 30 }).startOf('day'),
      doneOn: null,
    })
    await HandlerRosterFactory.merge({ contractId: contract.id, version: round })
      .with('members', 2)
      .create()
    await DeletionCertificateFactory.merge({ contractId: contract.id }).create()
    await PeriodicReportFactory.merge({
      contractId: contract.id,
      period: DateTime.now().minus({ months: round }).toFormat('yyyy-MM'),
    }).create()
    await TrainingRecordFactory.merge({ contractId: contract.id }).create()
    await IncidentReportFactory.merge({ contractId: contract.id }).create()
  }
}

test.group('Queries as rows grow', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(errorsOnlyInLogs)

  test('no page of any role sends more queries when its lists have more rows', async ({
    client,
    assert,
  }) => {
    const scene = await loadScene()
    await growRegister(1)
    for (const table of scene.ids.keys()) {
      const rows = await db.from(table).select('id').orderBy('id')
      scene.ids.set(
        table,
        rows.map(({ id }) => Number(id))
      )
    }
    // A stored file's download is not a page (and the factories' rows have no file).
    const urls = pageUrls(scene).filter((url) => !url.endsWith('/file'))
    const queryCounts = async () => {
      const counts = new Map<string, { status: number; queries: number; length: number }>()
      for (const actor of scene.actors) {
        for (const url of urls) {
          const { result, queries } = await withQueries<ApiResponse>(() =>
            signedInAs(client.get(url), actor).redirects(0)
          )
          counts.set(`${actor.label} ${url}`, {
            status: result.status(),
            queries: queries.length,
            length: result.text().length,
          })
        }
      }
      return counts
    }

    const before = await queryCounts()
    await growRegister(2)
    const after = await queryCounts()

    // More rows break no page (nor mend one).
    const statusChanges = [...before].flatMap(([page, { status }]) =>
      after.get(page)!.status === status ? [] : [`${page}: ${status} → ${after.get(page)!.status}`]
    )
    assert.deepEqual(statusChanges, [])
    const shown = [...before].filter(([, { status }]) => status === 200)
    assert.isAbove(shown.length, 500)
    // The growth reached the lists: each of these shows more rows than before.
    const longer = new Set(
      shown.flatMap(([page, { length }]) => (after.get(page)!.length > length ? [page] : []))
    )
    const lists = [
      ...['/systems', '/contracts', '/council', '/oversight-audits', '/incidents'],
      ...['/faq-entries', '/canned-texts', '/opinions', '/opinions/history', '/admin/users'],
    ]
    assert.includeMembers(
      [...longer],
      [...lists.map((path) => `admin ${path}`), 'citizen /citizen']
    )

    const grown = shown.flatMap(([page, { queries }]) => {
      const later = after.get(page)!
      return later.queries > queries ? [`${page}: ${queries} → ${later.queries}`] : []
    })
    assert.deepEqual(grown, [])
  }).timeout(600_000)
})
