import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import DataItem from '#models/data_item'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import AuditLog from '#models/audit_log'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { DataItemFactory } from '#database/factories/data_item_factory'
import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import {
  departmentTree,
  lastAudit,
  openRecordingQueries,
  withQueries,
  writesTo,
} from '#tests/helpers'
import { makeContract, makeItem, makeSystem } from '#tests/register_helpers'

/**
 * Issue 12, point 4 (and the 200+ data items of point 1): 記録項目の一括編集.
 * The whole table of a system's data items in one form: many rows saved in
 * one submission and one register version, groups under headings and notes in
 * the order entered, a pasted list previewed before saving, removals refused
 * while a contract lists the item, bad rows refused in Japanese with the
 * table kept as typed.
 */

type Row = {
  id?: number | string
  groupHeading?: string
  name?: string
  note?: string
  subjectGroupId?: number | string
  specialCareCategory?: string
  prohibitedCategory?: string
  remove?: boolean
}

const TEXT_CELLS = [
  'id',
  'groupHeading',
  'name',
  'note',
  'subjectGroupId',
  'specialCareCategory',
  'prohibitedCategory',
] as const

/** The table as a browser sends it: every cell of every row (blank ones empty), rows[0][name] … in table order. */
function tableForm(rows: Row[], extra: Record<string, string | number> = {}) {
  const fields: Record<string, string | number> = { ...extra }
  rows.forEach((row, index) => {
    for (const key of TEXT_CELLS) fields[`rows[${index}][${key}]`] = row[key] ?? ''
    if (row.remove) fields[`rows[${index}][remove]`] = '1'
  })
  return fields
}

/** `count` rows in groups of ten under 【グループn】, a note on every third row; the heading typed on the group's first row only. */
function generatedRows(count: number): {
  rows: Row[]
  expected: Array<[string, string, string | null]>
} {
  const rows: Row[] = []
  const expected: Array<[string, string, string | null]> = []
  for (let index = 0; index < count; index++) {
    const heading = `【グループ${Math.floor(index / 10) + 1}】`
    const name = `項目${String(index + 1).padStart(3, '0')}`
    const note = index % 3 === 0 ? `注記${index + 1}（必要な場合のみ）` : ''
    rows.push({ groupHeading: index % 10 === 0 ? heading : '', name, note })
    expected.push([heading, name, note || null])
  }
  return { rows, expected }
}

const itemsOf = (systemId: number) =>
  DataItem.query().where('systemId', systemId).orderBy('sortOrder').orderBy('id')
const versionCount = async (systemId: number) => {
  const versions = await SystemVersion.query().where('systemId', systemId)
  return versions.length
}
const bulkAudits = async () => {
  const audits = await AuditLog.query().where('action', 'data_item.bulk_update')
  return audits.length
}
/** One field (or several) of each of a system's items, in table order. */
const storedItems = async <T>(systemId: number, pick: (item: DataItem) => T) => {
  const items = await itemsOf(systemId)
  return items.map(pick)
}

/** Values of one column of the rendered table, in row order (blank rows included). */
function column(html: string, field: string): string[] {
  const pattern = new RegExp(
    `name="rows\\[(\\d+)\\]\\[${field}\\]"[^>]*?value="([^"]*)"|value="([^"]*)"[^>]*?name="rows\\[(\\d+)\\]\\[${field}\\]"`,
    'g'
  )
  const values: string[] = []
  for (const match of html.matchAll(pattern))
    values[Number(match[1] ?? match[4])] = (match[2] ?? match[3]).replace(/&amp;/g, '&')
  return values
}

/** The edit page's table without the template row (index 0 of the <template>). */
const tableHtml = (html: string) =>
  html.slice(html.indexOf('data-bulk-rows'), html.indexOf('<template'))

/** Saves the table as it was opened (its version), recording the SQL it runs. */
function saveTable(client: ApiClient, staff: User, system: PersonalDataSystem, rows: Row[]) {
  return withQueries(() =>
    client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tableForm(rows, { version: system.version }))
      .redirects(0)
  )
}

async function scene() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const system = await makeSystem(staff, tree.kocho.id, { subjectGroups: ['申請者', '代理人'] })
  await system.refresh()
  await system.load('subjectGroups')
  return { tree, staff, system }
}

test.group('Data items in bulk: long tables', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const size of [25, 60, 201]) {
    test(`${size} items save in one submission and one version, and come back in order with their groups and notes`, async ({
      client,
      assert,
    }) => {
      const { staff, system } = await scene()
      const { rows, expected } = generatedRows(size)
      const versionsBefore = await versionCount(system.id)

      const { result: response, queries: saving } = await saveTable(client, staff, system, rows)
      response.assertStatus(302)
      assert.include(response.header('location'), `/systems/${system.id}#items`)
      // All the rows in one INSERT, not one a row.
      assert.deepEqual(writesTo(saving, 'data_items'), { insert: 1, update: 0, delete: 0 })

      const items = await itemsOf(system.id)
      assert.deepEqual(
        items.map((item) => [item.groupHeading, item.name, item.note]),
        expected
      )
      assert.deepEqual(
        items.map((item) => item.sortOrder),
        expected.map((_, index) => index + 1)
      )
      assert.equal(await versionCount(system.id), versionsBefore + 1)
      const version = await SystemVersion.query()
        .where('systemId', system.id)
        .orderBy('version', 'desc')
        .firstOrFail()
      assert.equal(version.summary, `記録項目の一括編集（追加${size}件）`)
      assert.lengthOf(version.snapshot.dataItems, size)
      assert.equal(version.snapshot.dataItems[0].group, '【グループ1】')
      const audit = await lastAudit('data_item.bulk_update')
      assert.equal(audit?.subjectId, String(system.id))
      assert.equal(await bulkAudits(), 1)

      // The table comes back in the same order: a heading on the first row of each group, then five blank rows.
      const { page, queries } = await openRecordingQueries(
        client,
        `/systems/${system.id}/items/bulk`,
        staff
      )
      page.assertStatus(200)
      // The system's items are read once, for the rows and for the page's lookups.
      assert.lengthOf(
        queries.filter((sql) => /from [`"]?data_items[`"]? where/.test(sql)),
        1
      )
      const table = tableHtml(page.text())
      assert.deepEqual(column(table, 'name'), [
        ...expected.map(([, name]) => name),
        '',
        '',
        '',
        '',
        '',
      ])
      assert.deepEqual(
        column(table, 'groupHeading').slice(0, size),
        rows.map((row) => row.groupHeading)
      )
      assert.deepEqual(
        column(table, 'note').slice(0, size),
        expected.map(([, , note]) => note ?? '')
      )

      // The system page shows each group once, with its items and notes.
      const show = await client.get(`/systems/${system.id}`).loginAs(staff)
      const groups =
        show
          .text()
          .match(/<tr class="item-group">\s*<th scope="colgroup" colspan="6">([^<]+)<\/th>/g) ?? []
      assert.lengthOf(groups, Math.ceil(size / 10))
      show.assertTextIncludes('注記1（必要な場合のみ）')
      show.assertTextIncludes('記録項目を表で編集')
    })
  }

  test('existing items are changed, reordered, removed and added in one save: ids kept, one version, one audit entry', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const [name, address, phone] = await DataItemFactory.merge(
      ['氏名', '住所', '電話番号'].map((n, i) => ({
        systemId: system.id,
        name: n,
        sortOrder: i + 1,
      }))
    ).createMany(3)
    const versionsBefore = await versionCount(system.id)
    const applicant = system.subjectGroups[0]

    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          {
            groupHeading: '【申請者】',
            id: phone.id,
            name: '電話番号（日中）',
            subjectGroupId: applicant.id,
          },
          { id: name.id, name: '氏名', note: 'フリガナを含む' },
          { groupHeading: '－', name: '意見等の内容', specialCareCategory: 'medical_history' },
          { id: address.id, name: '住所', remove: true },
          {},
          {},
        ])
      )
      .redirects(0)
    response.assertStatus(302)

    const items = await itemsOf(system.id)
    assert.deepEqual(
      items.map((item) => [
        item.id === phone.id || item.id === name.id,
        item.groupHeading,
        item.name,
        item.note,
        item.subjectGroupId,
        item.specialCareCategory,
      ]),
      [
        [true, '【申請者】', '電話番号（日中）', null, applicant.id, null],
        [true, '【申請者】', '氏名', 'フリガナを含む', null, null],
        [false, null, '意見等の内容', null, null, 'medical_history'],
      ]
    )
    assert.isNull(await DataItem.find(address.id))
    assert.equal(await versionCount(system.id), versionsBefore + 1)
    const version = await SystemVersion.query()
      .where('systemId', system.id)
      .orderBy('version', 'desc')
      .firstOrFail()
    assert.equal(version.summary, '記録項目の一括編集（追加1件・変更2件・削除1件・並べ替え）')
    const audit = await lastAudit('data_item.bulk_update')
    assert.deepInclude(JSON.parse(audit!.details!), {
      added: 1,
      changed: 2,
      removed: 1,
      reordered: true,
      total: 3,
    })

    // Saving the same table again changes nothing and records no version.
    const again = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm(
          items.map((item, index) => ({
            id: item.id,
            groupHeading: ['【申請者】', '', '－'][index],
            name: item.name,
            note: item.note ?? '',
            subjectGroupId: item.subjectGroupId ?? '',
            specialCareCategory: item.specialCareCategory ?? '',
          }))
        )
      )
      .redirects(0)
    again.assertFlashMessage('success', '変更はなかったため、保存していません。')
    assert.equal(await versionCount(system.id), versionsBefore + 1)
  })

  test('a row added at the top of 60 items moves them all down in one UPDATE; the changes, the removal and the addition one statement each', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const stored = await DataItemFactory.merge(
      Array.from({ length: 60 }, (_, index) => ({
        systemId: system.id,
        name: `項目${index + 1}`,
        note: index === 1 ? '旧注記' : null,
        sortOrder: index + 1,
      }))
    ).createMany(60)
    const [first, second, ...rest] = stored
    const last = rest.pop()!

    const rows: Row[] = [
      { groupHeading: '【新しいグループ】', name: '新しい項目' },
      { groupHeading: '－', id: first.id, name: '項目1（改）' },
      { id: second.id, name: second.name, note: '' },
      ...rest.map((item) => ({ id: item.id, name: item.name })),
      { id: last.id, name: last.name, remove: true },
    ]
    const { result: response, queries: saving } = await saveTable(client, staff, system, rows)
    response.assertStatus(302)
    assert.deepEqual(writesTo(saving, 'data_items'), { insert: 1, update: 1, delete: 1 })

    const items = await itemsOf(system.id)
    assert.deepEqual(
      items.map((item) => [item.sortOrder, item.groupHeading, item.name, item.note]),
      [
        [1, '【新しいグループ】', '新しい項目', null],
        [2, null, '項目1（改）', null],
        [3, null, '項目2', null],
        ...rest.map((item, index) => [index + 4, null, item.name, null]),
      ]
    )
    assert.deepEqual(
      items.slice(1).map((item) => item.id),
      [first.id, second.id, ...rest.map((item) => item.id)]
    )
    assert.isNull(await DataItem.find(last.id))
    const audit = await lastAudit('data_item.bulk_update')
    assert.deepInclude(JSON.parse(audit!.details!), {
      added: 1,
      changed: 2,
      removed: 1,
      reordered: false,
      total: 60,
    })
  })

  test('rows sent as an object keyed by index save in index order; one row sent on its own is a list of one', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    // qs turns indexes past its array limit into object keys: the order is the index order.
    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .json({
        rows: { '6001': { name: '住所' }, '6000': { name: '氏名', groupHeading: '【申請者】' } },
      })
    assert.deepEqual(await storedItems(system.id, (item) => [item.groupHeading, item.name]), [
      ['【申請者】', '氏名'],
      ['【申請者】', '住所'],
    ])

    const other = await makeSystem(staff, system.departmentId, { name: '別の業務' })
    await client
      .put(`/systems/${other.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'rows[name]': 'メールアドレス', 'rows[note]': 'ID登録用' })
    assert.deepEqual(await storedItems(other.id, (item) => [item.name, item.note]), [
      ['メールアドレス', 'ID登録用'],
    ])
  })
})

test.group('Data items in bulk: pasting a list', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  const pasted = [
    '【該当者(※)に係る情報項目】',
    'ID、パスワード、氏名、郵便番号',
    '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
    '問合せをした方の：',
    '・氏名',
    '・住所\t必要な場合のみ',
    '１．Ｅメールアドレス\t必要な場合のみ',
  ].join('\n')

  test('the preview parses headings, items and notes into the table and saves nothing', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const existing = await makeItem(system.id, '既存の項目')
    const versionsBefore = await versionCount(system.id)

    const preview = await client
      .post(`/systems/${system.id}/items/bulk/preview`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...tableForm([
          { id: existing.id, name: '既存の項目' },
          { name: '表に入力中の項目' },
          {},
          {},
        ]),
        version: system.version,
        op: 'paste',
        paste: pasted,
        pasteMode: 'append',
      })
    preview.assertStatus(200)
    preview.assertTextIncludes('見出し2件・項目8件を表に取り込みました')
    preview.assertTextIncludes('まだ保存されていません')
    const table = tableHtml(preview.text())
    const names = column(table, 'name').filter(Boolean)
    assert.deepEqual(names, [
      '既存の項目',
      '表に入力中の項目',
      'ID',
      'パスワード',
      '氏名',
      '郵便番号',
      '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
      '氏名',
      '住所',
      'Ｅメールアドレス',
    ])
    assert.deepEqual(column(table, 'groupHeading').slice(0, 10), [
      '',
      '',
      '【該当者(※)に係る情報項目】',
      '',
      '',
      '',
      '',
      '問合せをした方の：',
      '',
      '',
    ])
    assert.deepEqual(column(table, 'note').slice(0, 10), [
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '必要な場合のみ',
      '必要な場合のみ',
    ])
    assert.equal(column(table, 'id')[0], String(existing.id))

    // Nothing saved: the typed row is not an item yet and no version was recorded.
    assert.deepEqual(await storedItems(system.id, (item) => item.name), ['既存の項目'])
    assert.equal(await versionCount(system.id), versionsBefore)

    // Saving the reviewed table stores the groups as previewed (the heading on every item of its group).
    const rows = column(table, 'name').map((name, index) => ({
      id: column(table, 'id')[index],
      name,
      groupHeading: column(table, 'groupHeading')[index],
      note: column(table, 'note')[index],
    }))
    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tableForm(rows))
    const items = await itemsOf(system.id)
    assert.deepEqual(items.map((item) => [item.groupHeading, item.name, item.note]).slice(-4), [
      [
        '【該当者(※)に係る情報項目】',
        '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
        null,
      ],
      ['問合せをした方の：', '氏名', null],
      ['問合せをした方の：', '住所', '必要な場合のみ'],
      ['問合せをした方の：', 'Ｅメールアドレス', '必要な場合のみ'],
    ])
    assert.equal(await versionCount(system.id), versionsBefore + 1)
  })

  test('"replace" makes the pasted list the table: same-named items keep their id and categories, the others are ticked for removal', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const name = await DataItemFactory.merge({
      systemId: system.id,
      name: '氏名',
      sortOrder: 1,
      subjectGroupId: system.subjectGroups[1].id,
    }).create()
    const fax = await DataItemFactory.merge({
      systemId: system.id,
      name: 'FAX番号',
      sortOrder: 2,
    }).create()
    const page = await client
      .post(`/systems/${system.id}/items/bulk/preview`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...tableForm([
          { id: name.id, name: '氏名', subjectGroupId: name.subjectGroupId! },
          { id: fax.id, name: 'FAX番号' },
        ]),
        op: 'paste',
        paste: '住所\n氏名',
        pasteMode: 'replace',
      })
    const table = tableHtml(page.text())
    assert.deepEqual(column(table, 'name').slice(0, 3), ['住所', '氏名', 'FAX番号'])
    assert.deepEqual(column(table, 'id').slice(0, 3), ['', String(name.id), String(fax.id)])
    assert.match(
      table,
      new RegExp(
        `name="rows\\[1\\]\\[subjectGroupId\\]"[\\s\\S]*?<option value="${name.subjectGroupId}" selected`
      )
    )
    assert.match(table, /name="rows\[2\]\[remove\]" value="1" checked/)
    assert.lengthOf(await itemsOf(system.id), 2)
  })

  test('a list pasted but not loaded is not dropped by Save: the form says so and keeps it', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...tableForm([{ name: '氏名' }]), paste: '住所\n電話番号' })
    response.assertStatus(422)
    response.assertTextIncludes('貼り付けた一覧がまだ表に取り込まれていません')
    response.assertTextIncludes('住所\n電話番号')
    assert.lengthOf(await itemsOf(system.id), 0)
  })

  test('without the script: "add rows" and the move buttons bring the table back changed, groups kept, nothing saved', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const rows = [
      { groupHeading: '【申請者】', name: '氏名' },
      { name: '住所' },
      { groupHeading: '【代理人】', name: '代理人氏名' },
    ]
    const added = await client
      .post(`/systems/${system.id}/items/bulk/preview`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...tableForm([...rows, {}]), op: 'add' })
    added.assertStatus(200)
    assert.deepEqual(column(tableHtml(added.text()), 'name'), [
      '氏名',
      '住所',
      '代理人氏名',
      ...Array(10).fill(''),
    ])

    // 住所 moves down into 【代理人】's place: it stays under 【申請者】, 代理人氏名 keeps 【代理人】.
    const moved = await client
      .post(`/systems/${system.id}/items/bulk/preview`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...tableForm(rows), op: 'down:1' })
    const table = tableHtml(moved.text())
    assert.deepEqual(column(table, 'name'), ['氏名', '代理人氏名', '住所'])
    assert.deepEqual(column(table, 'groupHeading'), ['【申請者】', '【代理人】', '【申請者】'])
    assert.lengthOf(await itemsOf(system.id), 0)
  })
})

test.group('Data items in bulk: refusals', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a row with a note but no name and a name that is too long: Japanese errors by row, the table kept as typed, nothing saved', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const versionsBefore = await versionCount(system.id)
    const tooLong = 'あ'.repeat(101)
    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm(
          [
            { groupHeading: '【申請者】', name: '氏名' },
            { note: '注記だけの行' },
            { name: tooLong },
            {},
          ],
          { version: system.version }
        )
      )
    response.assertStatus(422)
    response.assertTextIncludes('保存できませんでした')
    response.assertTextIncludes('2行目：項目名を入力してください。')
    response.assertTextIncludes('3行目：項目名は100文字以内で入力してください')
    const table = tableHtml(response.text())
    assert.deepEqual(column(table, 'name'), ['氏名', '', tooLong, ''])
    assert.deepEqual(column(table, 'note'), ['', '注記だけの行', '', ''])
    assert.deepEqual(column(table, 'groupHeading'), ['【申請者】', '', '', ''])
    assert.include(table, 'aria-invalid="true" aria-describedby="row-2-error"')
    assert.lengthOf(await itemsOf(system.id), 0)
    assert.equal(await versionCount(system.id), versionsBefore)
  })

  test('rows sent as one plain value are refused in Japanese, never a 500', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    await makeItem(system.id, '氏名')
    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ rows: '氏名、住所' })
    response.assertStatus(422)
    response.assertTextIncludes('記録項目の表の形式が正しくありません')
    const bad = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'rows[0][name][]': ['a', 'b'], 'rows[1][subjectGroupId]': 'x' })
    bad.assertStatus(422)
    bad.assertTextIncludes('1行目：項目名は文字で入力してください')
    bad.assertTextIncludes('2行目：対象者の値が正しくありません')
    assert.deepEqual(await storedItems(system.id, (item) => item.name), ['氏名'])
  })

  test('removing an item a contract lists is refused with the contract named; the single delete too', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const name = await makeItem(system.id, '氏名')
    const address = await makeItem(system.id, '住所')
    const contractor = await ContractorFactory.create()
    await makeContract(staff, system, {
      title: 'コールセンター運営業務委託',
      contractorId: contractor.id,
      collectedItemIds: [name.id],
    })
    const versionsBefore = await versionCount(system.id)

    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          { id: name.id, name: '氏名', remove: true },
          { id: address.id, name: '住所', remove: true },
        ])
      )
    response.assertStatus(422)
    response.assertTextIncludes(
      '1行目：「氏名」は委託「コールセンター運営業務委託」の項目に含まれているため削除できません。'
    )
    assert.isNotNull(await DataItem.find(name.id))
    assert.isNotNull(await DataItem.find(address.id))
    assert.equal(await versionCount(system.id), versionsBefore)
    assert.match(tableHtml(response.text()), /name="rows\[0\]\[remove\]" value="1" checked/)

    const single = await client
      .delete(`/systems/${system.id}/items/${name.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .redirects(0)
    single.assertStatus(302)
    single.assertFlashMessage('errors', {
      remove: [
        '「氏名」は委託「コールセンター運営業務委託」の項目に含まれているため削除できません。先に委託の編集画面で項目から外してください。',
      ],
    })
    assert.isNotNull(await DataItem.find(name.id))
  })

  test('a prohibited category newly chosen in the table is refused (its approval is recorded on the item page); an approved one is kept', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const religion = await DataItemFactory.apply('prohibitedApproved')
      .merge({ systemId: system.id, name: '信仰する宗教', sortOrder: 1 })
      .create()
    const refused = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          { id: religion.id, name: '信仰する宗教', prohibitedCategory: 'thought_creed_religion' },
          { name: '犯罪歴', prohibitedCategory: 'crime' },
        ])
      )
    refused.assertStatus(422)
    refused.assertTextIncludes(
      '2行目：「犯罪歴」を収集禁止事項とするには、承認日と承認者の記録が必要です。'
    )
    assert.lengthOf(await itemsOf(system.id), 1)

    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          {
            id: religion.id,
            name: '信仰する宗教',
            prohibitedCategory: 'thought_creed_religion',
            note: '本人の申出による',
          },
          { name: '犯罪歴' },
        ])
      )
    await religion.refresh()
    assert.equal(religion.note, '本人の申出による')
    assert.equal(religion.prohibitedApprovedBy, '情報公開・個人情報保護審議会')
    assert.deepEqual(await storedItems(system.id, (item) => [item.name, item.prohibitedCategory]), [
      ['信仰する宗教', 'thought_creed_religion'],
      ['犯罪歴', null],
    ])
  })

  test('a table opened before someone else saved is not saved over them unseen; saving again after the warning goes through', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const opened = system.version
    await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '別の画面で追加' })
    const stale = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tableForm([{ name: '氏名' }], { version: opened }))
    stale.assertStatus(422)
    stale.assertTextIncludes('表を開いた後に別の変更が保存されました')
    assert.deepEqual(column(tableHtml(stale.text()), 'name')[0], '氏名')
    const { version: current } = await PersonalDataSystem.findOrFail(system.id)
    assert.include(stale.text(), `name="version" value="${current}"`)

    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tableForm([{ name: '氏名' }], { version: current }))
    // The item added elsewhere is kept (after the table's rows), not removed unseen.
    assert.deepEqual(await storedItems(system.id, (item) => item.name), ['氏名', '別の画面で追加'])
  })

  test('a row whose item was deleted elsewhere is named; saving again adds it anew, or it is dropped when ticked for removal', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await scene()
    const address = await makeItem(system.id, '住所')
    const fax = await makeItem(system.id, 'FAX番号')
    await client.delete(`/systems/${system.id}/items/${address.id}`).loginAs(staff).withCsrfToken()
    await client.delete(`/systems/${system.id}/items/${fax.id}`).loginAs(staff).withCsrfToken()

    const response = await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          { id: address.id, name: '住所' },
          { id: fax.id, name: 'FAX番号', remove: true },
        ])
      )
    response.assertStatus(422)
    response.assertTextIncludes('1行目：この項目は別の画面で削除されています。')
    const table = tableHtml(response.text())
    assert.deepEqual(column(table, 'id'), ['', String(fax.id)])

    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tableForm([{ name: '住所' }, { id: fax.id, name: 'FAX番号', remove: true }]))
    assert.deepEqual(await storedItems(system.id, (item) => item.name), ['住所'])
  })

  test('another department’s staff and a contractor cannot open or save the table (403); nothing changes', async ({
    client,
    assert,
  }) => {
    const { tree, system } = await scene()
    await makeItem(system.id, '氏名')
    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const contractor = await ContractorFactory.create()
    const contractorUser = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id })
      .create()
    for (const user of [outsider, contractorUser]) {
      const bulkPage = await client.get(`/systems/${system.id}/items/bulk`).loginAs(user)
      bulkPage.assertStatus(403)
      const bulkResponse = await client
        .put(`/systems/${system.id}/items/bulk`)
        .loginAs(user)
        .withCsrfToken()
        .form(tableForm([{ name: '改ざん' }]))
      bulkResponse.assertStatus(403)
      const previewResponse = await client
        .post(`/systems/${system.id}/items/bulk/preview`)
        .loginAs(user)
        .withCsrfToken()
        .form({ op: 'paste', paste: '改ざん' })
      previewResponse.assertStatus(403)
    }
    assert.deepEqual(await storedItems(system.id, (item) => item.name), ['氏名'])
    assert.equal(await bulkAudits(), 0)

    // The privacy office edits every department's table.
    const officer = await UserFactory.apply('privacyOfficer').create()
    const bulkPage = await client.get(`/systems/${system.id}/items/bulk`).loginAs(officer)
    bulkPage.assertStatus(200)
  })
})

test.group('Data items in bulk: CSV', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the data items CSV has each item’s heading and note', async ({ client, assert }) => {
    const { staff, system } = await scene()
    await client
      .put(`/systems/${system.id}/items/bulk`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        tableForm([
          { groupHeading: '【申請者】', name: '氏名' },
          { name: '住所', note: '必要な場合のみ' },
        ])
      )
    const officer = await UserFactory.apply('privacyOfficer').create()
    const download = await client.get('/systems/items.csv').loginAs(officer)
    const csv = download.text()
    const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/)
    assert.include(lines[0], '見出し,記録項目,注記')
    assert.isTrue(lines.some((line) => line.includes('【申請者】,氏名,')))
    assert.isTrue(lines.some((line) => line.includes('【申請者】,住所,必要な場合のみ')))
  })
})
