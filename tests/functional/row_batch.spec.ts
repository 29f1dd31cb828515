import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import DataItem from '#models/data_item'
import OversightDuty from '#models/oversight_duty'
import RowBatch from '#services/row_batch'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, queriesDuring, withQueries, writesTo } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/**
 * Many rows of one model written in a few statements (a roster of hundreds, a table of items
 * that all move): what is stored is what `save()` would store, on SQLite and PostgreSQL.
 */
test.group('Row batches', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('1,100 items in three INSERTs, the 375 of 450 that changed in two UPDATEs, 501 removed in two DELETEs', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const approvedOn = DateTime.fromISO('2026-04-10')

    const inserting = await queriesDuring(() =>
      db.transaction((trx) =>
        RowBatch.insert(
          DataItem,
          Array.from({ length: 1100 }, (_, index) => ({
            systemId: system.id,
            name: `項目${index + 1}`,
            note: index % 2 ? null : `注記${index + 1}`,
            sortOrder: index + 1,
            prohibitedApprovedOn: index % 3 ? null : approvedOn,
          })),
          trx
        )
      )
    )
    assert.deepEqual(writesTo(inserting, 'data_items'), { insert: 3, update: 0, delete: 0 })
    const stored = await DataItem.query().where('systemId', system.id).orderBy('sortOrder')
    assert.lengthOf(stored, 1100)
    assert.deepEqual(
      stored
        .slice(0, 4)
        .map((item) => [item.name, item.note, item.prohibitedApprovedOn?.toISODate() ?? null]),
      [
        ['項目1', '注記1', '2026-04-10'],
        ['項目2', null, null],
        ['項目3', '注記3', null],
        ['項目4', null, '2026-04-10'],
      ]
    )

    // Each row changes what it changes: a name, a note cleared (75 had none), a date set; the rest stay.
    stored.slice(0, 450).forEach((item, index) => {
      if (index % 3 === 0) item.name = `変更${index + 1}`
      if (index % 3 === 1) item.note = null
      if (index % 3 === 2) item.prohibitedApprovedOn = DateTime.fromISO('2027-01-05')
    })
    const { result: changed, queries: updating } = await withQueries(() =>
      db.transaction((trx) => RowBatch.update(DataItem, stored, trx))
    )
    assert.equal(changed, 375)
    assert.deepEqual(writesTo(updating, 'data_items'), { insert: 0, update: 2, delete: 0 })
    const after = await DataItem.query().where('systemId', system.id).orderBy('sortOrder')
    assert.deepEqual(
      after
        .slice(0, 4)
        .map((item) => [item.name, item.note, item.prohibitedApprovedOn?.toISODate() ?? null]),
      [
        ['変更1', '注記1', '2026-04-10'],
        ['項目2', null, null],
        ['項目3', '注記3', '2027-01-05'],
        ['変更4', null, '2026-04-10'],
      ]
    )
    assert.deepEqual(
      after.slice(448, 452).map((item) => [item.name, item.note]),
      [
        ['項目449', null],
        ['項目450', null],
        ['項目451', '注記451'],
        ['項目452', null],
      ]
    )
    assert.isFalse(stored.some((item) => item.$isDirty))

    const deleting = await queriesDuring(() =>
      db.transaction((trx) => RowBatch.delete(DataItem, after.slice(0, 501), trx))
    )
    assert.deepEqual(writesTo(deleting, 'data_items'), { insert: 0, update: 0, delete: 2 })
    const left = await DataItem.query().where('systemId', system.id).orderBy('sortOrder')
    assert.deepEqual(
      left.map((item) => item.sortOrder),
      Array.from({ length: 599 }, (_, index) => index + 502)
    )
  })

  test('timestamps are set as save() sets them: created on insert, updated on update', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const contractor = await ContractorFactory.create()
    const contract = await makeContract(staff, system, { contractorId: contractor.id })
    const before = DateTime.now().minus({ seconds: 1 })

    await db.transaction((trx) =>
      RowBatch.insert(
        OversightDuty,
        ['2030', '2031'].map((year) => ({
          contractId: contract.id,
          kind: 'audit' as const,
          periodKey: year,
          dueOn: DateTime.fromISO(`${Number(year) + 1}-03-31`),
          state: 'open' as const,
        })),
        trx
      )
    )
    const duties = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'audit')
      .whereIn('periodKey', ['2030', '2031'])
      .orderBy('periodKey')
    assert.deepEqual(
      duties.map((duty) => [duty.periodKey, duty.dueOn.toISODate(), duty.state]),
      [
        ['2030', '2031-03-31', 'open'],
        ['2031', '2032-03-31', 'open'],
      ]
    )
    assert.isTrue(duties.every((duty) => duty.createdAt >= before && duty.updatedAt >= before))

    // Stamped long ago: the changed row's stamp moves to now, the other's stays.
    await db
      .from('oversight_duties')
      .whereIn(
        'id',
        duties.map((duty) => duty.id)
      )
      .update({
        updated_at: '2020-01-01 00:00:00',
      })
    const reloaded = await OversightDuty.query()
      .whereIn(
        'id',
        duties.map((duty) => duty.id)
      )
      .orderBy('periodKey')
    reloaded[0].dueOn = DateTime.fromISO('2031-02-28')
    await db.transaction((trx) => RowBatch.update(OversightDuty, reloaded, trx))
    const moved = await OversightDuty.findOrFail(duties[0].id)
    assert.equal(moved.dueOn.toISODate(), '2031-02-28')
    assert.isTrue(moved.updatedAt >= before)
    const untouched = await OversightDuty.findOrFail(duties[1].id)
    assert.equal(untouched.updatedAt.year, 2020)
  })
})
